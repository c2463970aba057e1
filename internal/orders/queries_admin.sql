-- The back office's order list. Every filter is optional (NULL = any). Pages are read
-- newest first along orders_created_idx (created_at DESC, id DESC), so an unfiltered page
-- or one with a selective status is an index walk stopped by LIMIT. A search by order
-- number does not come here: the service reads that order by its unique number.

-- name: OrdersList :many
SELECT * FROM orders.orders
WHERE (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status)::text)
  AND (sqlc.narg(payment_status)::text IS NULL OR payment_status = sqlc.narg(payment_status)::text)
  AND (sqlc.narg(fulfillment_status)::text IS NULL OR fulfillment_status = sqlc.narg(fulfillment_status)::text)
  AND (sqlc.narg(created_from)::timestamptz IS NULL OR created_at >= sqlc.narg(created_from)::timestamptz)
  AND (sqlc.narg(created_before)::timestamptz IS NULL OR created_at < sqlc.narg(created_before)::timestamptz)
  -- pattern is a LIKE pattern (wildcards in the search text escaped by the caller)
  -- matched against the email and the names on both addresses, case-insensitively, as
  -- the one text orders_search_trgm_idx indexes (the expression must stay the same).
  AND (sqlc.narg(pattern)::text IS NULL
       OR (email || E'\n' || coalesce(shipping_address->>'name', '') || E'\n' || coalesce(billing_address->>'name', ''))
          ILIKE sqlc.narg(pattern)::text)
ORDER BY created_at DESC, id DESC
LIMIT @max_rows OFFSET @skip_rows;

-- OrdersCountByStatus counts the orders matching the list's filters other than status,
-- per status: the filter tabs' numbers and, summed, the list's total.
-- name: OrdersCountByStatus :many
SELECT status, count(*) AS orders FROM orders.orders
WHERE (sqlc.narg(payment_status)::text IS NULL OR payment_status = sqlc.narg(payment_status)::text)
  AND (sqlc.narg(fulfillment_status)::text IS NULL OR fulfillment_status = sqlc.narg(fulfillment_status)::text)
  AND (sqlc.narg(created_from)::timestamptz IS NULL OR created_at >= sqlc.narg(created_from)::timestamptz)
  AND (sqlc.narg(created_before)::timestamptz IS NULL OR created_at < sqlc.narg(created_before)::timestamptz)
  AND (sqlc.narg(pattern)::text IS NULL
       OR (email || E'\n' || coalesce(shipping_address->>'name', '') || E'\n' || coalesce(billing_address->>'name', ''))
          ILIKE sqlc.narg(pattern)::text)
GROUP BY status;
