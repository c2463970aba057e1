-- name: OrderGetByIdempotencyKey :one
SELECT * FROM orders.orders WHERE idempotency_key = $1;

-- name: OrderGetByID :one
SELECT * FROM orders.orders WHERE id = $1;

-- name: OrderGetByNumber :one
SELECT * FROM orders.orders WHERE number = $1;

-- name: OrderGetByToken :one
SELECT * FROM orders.orders WHERE token = $1;

-- name: OrderLockByNumber :one
SELECT * FROM orders.orders WHERE number = $1 FOR UPDATE;

-- OrderInsert does nothing (no row) when the idempotency key is taken: the caller then
-- reads the existing order. A concurrent insert of the same key waits for the first.
-- OrderInsert writes an order with its lines (the line_ arrays, one element per line) in
-- one statement. No row means an order with this idempotency key exists: nothing is
-- written.
-- name: OrderInsert :one
WITH placed AS (
    INSERT INTO orders.orders (
        token, account_id, email, currency, subtotal, discount_total, shipping_total,
        shipping_tax, tax_total, grand_total, tax_included, shipping_method_name,
        shipping_address, billing_address, discount_code, idempotency_key, expires_at,
        shipping_method_id, hold_client, held_units
    ) VALUES (
        @token, @account_id, @email, @currency, @subtotal, @discount_total, @shipping_total,
        @shipping_tax, @tax_total, @grand_total, @tax_included, @shipping_method_name,
        @shipping_address, @billing_address, @discount_code, @idempotency_key, @expires_at,
        @shipping_method_id, sqlc.narg(hold_client)::bytea, @held_units
    )
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING *
), client_lock AS (
    -- Orders of one client are placed one at a time from here to the commit, so that
    -- OrderRecordPlaced, a statement later, counts every other order of theirs.
    SELECT pg_advisory_xact_lock(hashtextextended(encode(sqlc.narg(hold_client)::bytea, 'hex'), 7013))
    WHERE sqlc.narg(hold_client)::bytea IS NOT NULL
), lines AS (
    -- Set-returning functions side by side in a select list are zipped (equal lengths),
    -- in order: the lines keep the cart's order.
    INSERT INTO orders.order_lines (order_id, variant_id, sku, name, options, quantity, unit_price, gross, discount, tax, tax_rate, weight_grams)
    SELECT placed.id, unnest(@line_variant_ids::bigint[]), unnest(@line_skus::text[]), unnest(@line_names::text[]),
           unnest(@line_options::text[]), unnest(@line_quantities::int[]), unnest(@line_unit_prices::bigint[]),
           unnest(@line_grosses::bigint[]), unnest(@line_discounts::bigint[]), unnest(@line_taxes::bigint[]),
           unnest(@line_tax_rates::int[]), unnest(@line_weights::int[])
    FROM placed LEFT JOIN client_lock ON true
)
SELECT * FROM placed;

-- name: OrderSetPaymentID :exec
UPDATE orders.orders SET payment_id = @payment_id WHERE id = @id;

-- name: OrderLines :many
SELECT * FROM orders.order_lines WHERE order_id = $1 ORDER BY id;

-- name: OrderEventInsert :exec
INSERT INTO orders.order_events (order_id, type, actor, data) VALUES (@order_id, @type, @actor, @data);

-- name: OrderEvents :many
SELECT * FROM orders.order_events WHERE order_id = $1 ORDER BY id;

-- name: OrderSetPaymentStatus :one
UPDATE orders.orders SET payment_status = @payment_status, updated_at = now(),
    paid_at = CASE WHEN @payment_status::text = 'paid' THEN coalesce(paid_at, now()) ELSE paid_at END
WHERE id = @id RETURNING *;

-- OrderSetPaymentStatusRecorded moves an order's payment status and records the event
-- saying why, in one statement.
-- name: OrderSetPaymentStatusRecorded :one
WITH moved AS (
    UPDATE orders.orders AS ord SET payment_status = @payment_status, updated_at = now(),
        paid_at = CASE WHEN @payment_status::text = 'paid' THEN coalesce(paid_at, now()) ELSE paid_at END
    WHERE ord.id = @order_id RETURNING *
), recorded AS (
    INSERT INTO orders.order_events (order_id, type, actor, data) VALUES (@order_id, @type, @actor, @data)
)
SELECT * FROM moved;

-- OrderMovePaymentOfOpenOrder is setPaymentStatusTx's common case in one statement: an
-- open order whose payment status may move (from_statuses) to payment_status, for this
-- payment (news about a replaced payment attempt only counts when it is money arriving),
-- moves and records the event. No row: not that case; the caller locks and decides.
-- name: OrderMovePaymentOfOpenOrder :one
WITH moved AS (
    UPDATE orders.orders AS ord SET payment_status = @payment_status, updated_at = now(),
        paid_at = CASE WHEN @payment_status::text = 'paid' THEN coalesce(paid_at, now()) ELSE paid_at END
    WHERE ord.number = @number AND ord.status = 'open'
      AND ord.payment_status = ANY(@from_statuses::text[])
      AND (ord.payment_id IS NULL OR ord.payment_id = @payment_id OR @payment_status::text = 'paid')
    RETURNING *
), recorded AS (
    INSERT INTO orders.order_events (order_id, type, actor, data)
    SELECT moved.id, @type, @actor, @data FROM moved
)
SELECT * FROM moved;

-- name: OrderCancel :one
UPDATE orders.orders SET status = 'cancelled', cancelled_at = now(), cancel_reason = @reason, updated_at = now()
WHERE id = @id AND status = 'open' RETURNING *;

-- OrdersExpiredLock claims open, unpaid orders past their expiry; concurrent runs skip
-- the rows another run holds, so each order is expired exactly once.
-- name: OrdersExpiredLock :many
SELECT * FROM orders.orders
WHERE status = 'open' AND payment_status IN ('pending', 'failed') AND expires_at < @now
ORDER BY expires_at, id
LIMIT @max_rows
FOR UPDATE SKIP LOCKED;

-- name: DiscountCodeGet :one
SELECT * FROM orders.discount_codes WHERE code = $1;

-- name: DiscountCodeInsert :one
INSERT INTO orders.discount_codes (code, kind, basis_points, amount_minor, currency, min_subtotal_minor,
    starts_at, ends_at, usage_limit, per_customer_limit, active)
VALUES (@code, @kind, @basis_points, @amount_minor, @currency, @min_subtotal_minor,
    @starts_at, @ends_at, @usage_limit, @per_customer_limit, @active)
RETURNING *;

-- DiscountCodeRedeem counts one use, atomically: no row changes when the code is used up.
-- name: DiscountCodeRedeem :execrows
UPDATE orders.discount_codes SET used_count = used_count + 1, updated_at = now()
WHERE id = $1 AND (usage_limit IS NULL OR used_count < usage_limit);

-- name: DiscountRedemptionsByCustomer :one
SELECT count(*) FROM orders.discount_redemptions
WHERE code_id = @code_id
  AND ((sqlc.narg(account_id)::bigint IS NOT NULL AND account_id = sqlc.narg(account_id)::bigint)
       OR lower(email) = lower(@email));

-- name: DiscountRedemptionInsert :exec
INSERT INTO orders.discount_redemptions (code_id, order_id, account_id, email)
VALUES (@code_id, @order_id, @account_id, @email);

-- FulfillmentsByOrder lists an order's shipments with their lines (line ids and
-- quantities side by side).
-- name: FulfillmentsByOrder :many
SELECT f.id, f.carrier, f.tracking_number, f.tracking_url, f.actor, f.created_at,
       coalesce(array_agg(fl.order_line_id ORDER BY fl.order_line_id) FILTER (WHERE fl.order_line_id IS NOT NULL), '{}')::bigint[] AS line_ids,
       coalesce(array_agg(fl.quantity ORDER BY fl.order_line_id) FILTER (WHERE fl.order_line_id IS NOT NULL), '{}')::int[] AS quantities
FROM orders.fulfillments f
LEFT JOIN orders.fulfillment_lines fl ON fl.fulfillment_id = f.id
WHERE f.order_id = $1
GROUP BY f.id
ORDER BY f.id;

-- Order management (manage.go): every writer below runs after OrderLockByNumber in the
-- same transaction, so changes of one order apply one after the other.

-- name: OrderSetStatuses :one
UPDATE orders.orders SET status = @status, fulfillment_status = @fulfillment_status, updated_at = now()
WHERE id = @id RETURNING *;

-- name: OrderAddRefunded :one
UPDATE orders.orders SET refunded_total = refunded_total + @amount, payment_status = @payment_status, updated_at = now()
WHERE id = @id RETURNING *;

-- name: OrderLinesLock :many
SELECT * FROM orders.order_lines WHERE order_id = $1 ORDER BY id FOR UPDATE;

-- The CHECK constraints on order_lines refuse more than the line's quantity, whatever the
-- caller computed.
-- name: OrderLineAddFulfilled :exec
UPDATE orders.order_lines SET fulfilled_quantity = fulfilled_quantity + @quantity WHERE id = @id;

-- name: OrderLineAddRestocked :exec
UPDATE orders.order_lines SET restocked_quantity = restocked_quantity + @quantity WHERE id = @id;

-- name: FulfillmentInsert :one
INSERT INTO orders.fulfillments (order_id, carrier, tracking_number, tracking_url, actor, idempotency_key)
VALUES (@order_id, @carrier, @tracking_number, @tracking_url, @actor, sqlc.narg(idempotency_key)) RETURNING *;

-- name: FulfillmentByKey :one
SELECT * FROM orders.fulfillments WHERE order_id = @order_id AND idempotency_key = @idempotency_key;

-- name: FulfillmentLineInsert :exec
INSERT INTO orders.fulfillment_lines (fulfillment_id, order_line_id, quantity) VALUES (@fulfillment_id, @order_line_id, @quantity);

-- OrderEventExists finds an event by one field of its data: what makes hooks and retried
-- actions idempotent (a refund id, an idempotency key).
-- name: OrderEventExists :one
SELECT EXISTS (
    SELECT 1 FROM orders.order_events
    WHERE order_id = @order_id AND type = @type AND data ->> @field::text = @value::text
);

-- name: DiscountRedemptionDeleteByOrder :many
DELETE FROM orders.discount_redemptions WHERE order_id = $1 RETURNING code_id;

-- name: DiscountCodeUnredeem :exec
UPDATE orders.discount_codes SET used_count = used_count - 1, updated_at = now()
WHERE id = $1 AND used_count > 0;

-- OrderRecordPlaced writes the "placed" event and, for an order with something to pay,
-- its payment's id, in one round trip: placing an order is checkout's heaviest step.
-- OrderRecordPlaced also returns the units the order's client now holds in unpaid
-- orders, this one included (0 without a client): OrderInsert's lock makes it exact.
-- name: OrderRecordPlaced :one
WITH paid_by AS (
    UPDATE orders.orders AS paying SET payment_id = sqlc.narg(payment_id)::bigint
    WHERE paying.id = @order_id AND sqlc.narg(payment_id)::bigint IS NOT NULL
), placed AS (
    INSERT INTO orders.order_events (order_id, type, actor, data) VALUES (@order_id, 'placed', @actor, @data)
)
SELECT coalesce(sum(held.held_units), 0)::bigint AS client_holds FROM orders.orders AS held
WHERE held.hold_client = sqlc.narg(hold_client)::bytea
  AND held.status = 'open' AND held.payment_status IN ('pending', 'failed');

-- InvoiceCounterLock takes the invoice series for this transaction: one issuer at a time.
-- name: InvoiceCounterLock :one
SELECT last FROM orders.invoice_counter WHERE only_row FOR UPDATE;

-- InvoicesIssue numbers paid orders that have no invoice yet, oldest payment first,
-- after @last, and returns how many it numbered. An order whose money came after it was
-- cancelled gets a refund, not an invoice.
-- name: InvoicesIssue :one
WITH params AS (
    SELECT @last::bigint AS last
), due AS (
    SELECT id, row_number() OVER (ORDER BY paid_at, id) AS n
    FROM (
        SELECT id, paid_at FROM orders.orders
        WHERE invoice_number IS NULL AND paid_at IS NOT NULL
          AND NOT (status = 'cancelled' AND cancelled_at <= paid_at)
        ORDER BY paid_at, id
        LIMIT @max_orders
    ) oldest
), numbered AS (
    UPDATE orders.orders o SET invoice_number = params.last + due.n, invoiced_at = now()
    FROM due, params WHERE o.id = due.id
    RETURNING o.invoice_number
), counted AS (
    UPDATE orders.invoice_counter
    SET last = (SELECT coalesce(max(invoice_number), (SELECT last FROM params)) FROM numbered)
    WHERE only_row
    RETURNING last
)
SELECT (SELECT count(*) FROM numbered)::bigint AS issued, (SELECT last FROM counted)::bigint AS last;
