-- What shoppers read about their own orders.

-- name: OrdersByAccount :many
SELECT * FROM orders.orders WHERE account_id = @account_id
ORDER BY created_at DESC, id DESC
LIMIT @max_rows OFFSET @skip_rows;

-- name: OrdersByAccountCount :one
SELECT count(*) FROM orders.orders WHERE account_id = @account_id;
