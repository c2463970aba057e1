-- What a customer's account deletion does to their orders (privacy.go), what their data
-- export shows of them, and the end of the invoice retention period.

-- OrdersOfAccountLock locks a customer's orders not erased yet, in id order (the order every
-- writer that locks several orders uses).
-- name: OrdersOfAccountLock :many
SELECT * FROM orders.orders
WHERE account_id = @account_id AND anonymised_at IS NULL
ORDER BY id
FOR UPDATE;

-- OrdersAnonymise replaces the contact details of the listed orders with what the caller
-- computed per order (a_ arrays, one element per order; an empty invoice buyer is none). The new
-- token ends the order's old link.
-- name: OrdersAnonymise :many
UPDATE orders.orders AS o
SET email = @placeholder::text,
    token = a.token,
    shipping_address = a.shipping_address::jsonb,
    billing_address = a.billing_address::jsonb,
    invoice_buyer = nullif(a.invoice_buyer, '')::jsonb,
    hold_client = NULL,
    cancel_reason = CASE WHEN o.cancel_reason = '' THEN '' ELSE @removed::text END,
    anonymised_at = now(),
    updated_at = now()
FROM (
    -- Set-returning functions side by side in a select list are zipped (equal lengths).
    SELECT unnest(@a_ids::bigint[]) AS id, unnest(@a_tokens::text[]) AS token,
           unnest(@a_shipping::text[]) AS shipping_address, unnest(@a_billing::text[]) AS billing_address,
           unnest(@a_invoice_buyers::text[]) AS invoice_buyer
) AS a
WHERE o.id = a.id
RETURNING o.*;

-- OrderEventsRedactStaffText replaces what staff typed into an order's timeline (notes,
-- cancellation and refund reasons): it may name the customer.
-- name: OrderEventsRedactStaffText :exec
UPDATE orders.order_events
SET data = data
    || CASE WHEN data ? 'text' THEN jsonb_build_object('text', @removed::text) ELSE '{}'::jsonb END
    || CASE WHEN data ? 'reason' THEN jsonb_build_object('reason', @removed::text) ELSE '{}'::jsonb END
WHERE order_id = ANY(@order_ids::bigint[])
  AND actor LIKE 'staff:%'
  AND (data ? 'text' OR data ? 'reason');

-- name: DiscountRedemptionsAnonymise :exec
UPDATE orders.discount_redemptions SET email = @placeholder::text
WHERE order_id = ANY(@order_ids::bigint[]);

-- OrdersClearInvoiceBuyers drops the retained buyers whose retention period is over (paid,
-- or erased unpaid, before the cutoff), a batch at a time.
-- name: OrdersClearInvoiceBuyers :execrows
UPDATE orders.orders SET invoice_buyer = NULL, updated_at = now()
WHERE id IN (
    SELECT id FROM orders.orders
    WHERE invoice_buyer IS NOT NULL AND coalesce(paid_at, anonymised_at) < @cutoff::timestamptz
    ORDER BY id
    LIMIT @max_rows
    FOR UPDATE SKIP LOCKED
);

-- name: OrdersOfAccount :many
SELECT * FROM orders.orders WHERE account_id = @account_id ORDER BY created_at, id;

-- name: OrderLinesOfOrders :many
SELECT * FROM orders.order_lines WHERE order_id = ANY(@order_ids::bigint[]) ORDER BY order_id, id;
