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

-- OrderExtendHold keeps an unpaid order's stock while its shopper is back on the payment
-- page; never earlier than it was.
-- name: OrderExtendHold :exec
UPDATE orders.orders SET expires_at = greatest(expires_at, @expires_at::timestamptz)
WHERE id = @id AND expires_at IS NOT NULL;

-- HeldByUnpaid says, per variant, when the first unpaid order holding it lets go: stock
-- that shoppers see as gone may come back then.
-- name: HeldByUnpaid :many
SELECT l.variant_id, min(o.expires_at)::timestamptz AS released_at
FROM orders.order_lines l JOIN orders.orders o ON o.id = l.order_id
WHERE l.variant_id = ANY(@variant_ids::bigint[])
  AND o.status = 'open' AND o.payment_status IN ('pending', 'failed') AND o.expires_at IS NOT NULL
GROUP BY l.variant_id;
