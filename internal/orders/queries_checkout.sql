-- What shoppers read about their own orders, and what they do to one (pay again).

-- name: OrdersByAccount :many
SELECT * FROM orders.orders WHERE account_id = @account_id
ORDER BY created_at DESC, id DESC
LIMIT @max_rows OFFSET @skip_rows;

-- name: OrdersByAccountCount :one
SELECT count(*) FROM orders.orders WHERE account_id = @account_id;

-- OrderPaymentRetry makes a new payment attempt the order's payment: the order waits for
-- it again, and an order about to expire keeps its stock for another full wait.
-- name: OrderPaymentRetry :one
UPDATE orders.orders
SET payment_id = @payment_id, payment_status = 'pending', updated_at = now(),
    expires_at = CASE WHEN expires_at IS NULL THEN NULL ELSE greatest(expires_at, @expires_at::timestamptz) END
WHERE id = @id
RETURNING *;
