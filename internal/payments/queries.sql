-- Payments ------------------------------------------------------------------------------

-- PaymentInsert returns no row when a payment with this idempotency key exists already.
-- name: PaymentInsert :one
INSERT INTO payments.payments (token, order_ref, description, amount_minor, currency, provider, idempotency_key)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING *;

-- name: PaymentGetByIdempotencyKey :one
SELECT * FROM payments.payments WHERE idempotency_key = $1;

-- name: PaymentGet :one
SELECT * FROM payments.payments WHERE id = $1;

-- name: PaymentGetByToken :one
SELECT * FROM payments.payments WHERE token = $1;

-- PaymentLock takes the payment's row lock: every change of a payment's state happens
-- under it, so concurrent webhooks, status queries and staff actions queue.
-- name: PaymentLock :one
SELECT * FROM payments.payments WHERE id = $1 FOR UPDATE;

-- name: PaymentLockByProviderRef :one
SELECT * FROM payments.payments WHERE provider = $1 AND provider_ref = $2 FOR UPDATE;

-- name: PaymentListByOrderRef :many
SELECT * FROM payments.payments WHERE order_ref = $1 ORDER BY id;

-- PaymentSetProviderRef stores the provider's reference once; no row means another one is
-- stored already.
-- name: PaymentSetProviderRef :one
UPDATE payments.payments
SET provider_ref = sqlc.arg(provider_ref), updated_at = now()
WHERE id = sqlc.arg(id) AND (provider_ref IS NULL OR provider_ref = sqlc.arg(provider_ref))
RETURNING *;

-- PaymentUpdateState changes the state only if it is still the one the caller decided
-- from (compare and set, on top of the row lock).
-- name: PaymentUpdateState :one
UPDATE payments.payments
SET state = sqlc.arg(state), refunded_minor = sqlc.arg(refunded_minor),
    failure_reason = sqlc.arg(failure_reason), updated_at = now()
WHERE id = sqlc.arg(id) AND state = sqlc.arg(from_state)
RETURNING *;

-- name: PaymentMarkChecked :exec
UPDATE payments.payments SET checked_at = now() WHERE id = $1;

-- PaymentLockChecked records that the provider was just asked about a payment and locks
-- it for applying the answer: one statement where a lock and an update would be two (an
-- UPDATE holds the row against every other writer until commit, as FOR UPDATE does).
-- name: PaymentLockChecked :one
UPDATE payments.payments SET checked_at = now() WHERE id = $1 RETURNING *;

-- PaymentListToReconcile finds begun payments still pending after min_age, asking about
-- each less often as it ages (every quarter of its age, at least min_age apart), and
-- giving up after max_age: a checkout abandoned days ago is the orders module's to expire.
-- name: PaymentListToReconcile :many
SELECT id FROM payments.payments
WHERE state = 'pending'
  AND provider_ref IS NOT NULL
  AND provider = ANY(sqlc.arg(providers)::text[])
  AND updated_at < now() - make_interval(secs => sqlc.arg(min_age_seconds)::double precision)
  AND created_at > now() - make_interval(secs => sqlc.arg(max_age_seconds)::double precision)
  AND (checked_at IS NULL OR checked_at < now() - greatest(
        make_interval(secs => sqlc.arg(min_age_seconds)::double precision), (now() - created_at) / 4))
ORDER BY coalesce(checked_at, created_at)
LIMIT sqlc.arg(lim)::integer;

-- Events --------------------------------------------------------------------------------

-- EventInsert returns no row when the provider's event was recorded before: the caller
-- then does nothing, which is what makes a duplicate delivery a no-op.
-- name: EventInsert :one
INSERT INTO payments.events (provider, provider_event_id, payment_id, type, reported_state, applied, note, payload)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (provider, provider_event_id) DO NOTHING
RETURNING id;

-- PaymentMove records an event that moves a payment one step and moves it, in one
-- statement, if the payment is still in from_state (locked here; the caller may hold the
-- lock already) and the event is new; mark_checked also records a status check. No row:
-- not that case (the state moved, or the event was seen); nothing was written.
-- name: PaymentMove :one
WITH still AS (
    SELECT pay.id FROM payments.payments pay
    WHERE pay.id = sqlc.arg(payment_id) AND pay.state = sqlc.arg(from_state)
    FOR UPDATE
), ev AS (
    INSERT INTO payments.events (provider, provider_event_id, payment_id, type, reported_state, applied, note, payload)
    SELECT sqlc.arg(provider), sqlc.arg(provider_event_id), still.id, sqlc.arg(type),
           sqlc.arg(reported_state), true, sqlc.arg(note), sqlc.arg(payload)
    FROM still
    ON CONFLICT (provider, provider_event_id) DO NOTHING
    RETURNING payment_id
)
UPDATE payments.payments p
SET state = sqlc.arg(state), refunded_minor = sqlc.arg(refunded_minor),
    failure_reason = sqlc.arg(failure_reason), updated_at = now(),
    checked_at = CASE WHEN sqlc.arg(mark_checked)::bool THEN now() ELSE p.checked_at END
FROM ev
WHERE p.id = ev.payment_id
RETURNING p.*;

-- name: EventListByPayment :many
SELECT * FROM payments.events WHERE payment_id = $1 ORDER BY id;

-- Refunds -------------------------------------------------------------------------------

-- name: RefundInsert :one
INSERT INTO payments.refunds (payment_id, amount_minor, currency, idempotency_key)
VALUES ($1, $2, $3, $4)
RETURNING *;

-- name: RefundGetByKey :one
SELECT * FROM payments.refunds WHERE idempotency_key = $1;

-- name: RefundLock :one
SELECT * FROM payments.refunds WHERE id = $1 FOR UPDATE;

-- RefundSums adds up what is refunded and what is being refunded right now; both count
-- against what can still be refunded.
-- name: RefundSums :one
SELECT coalesce(sum(amount_minor) FILTER (WHERE state = 'succeeded'), 0)::bigint AS succeeded,
       coalesce(sum(amount_minor) FILTER (WHERE state = 'pending'), 0)::bigint AS pending
FROM payments.refunds
WHERE payment_id = $1;

-- name: RefundFinish :one
UPDATE payments.refunds
SET state = sqlc.arg(state), provider_ref = sqlc.narg(provider_ref),
    failure_reason = sqlc.arg(failure_reason), updated_at = now()
WHERE id = sqlc.arg(id) AND state = 'pending'
RETURNING *;

-- RefundInsertSucceeded records money the provider reports as refunded that no refund of
-- ours explains (a refund made in the provider's dashboard).
-- name: RefundInsertSucceeded :one
INSERT INTO payments.refunds (payment_id, amount_minor, currency, idempotency_key, state, provider_ref)
VALUES ($1, $2, $3, $4, 'succeeded', $5)
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING *;

-- name: RefundListByPayment :many
SELECT * FROM payments.refunds WHERE payment_id = $1 ORDER BY id;

-- RefundListStalePending finds refunds whose provider call never got an answer recorded
-- (a crash, a timeout): the recovery job repeats the call with the same key.
-- name: RefundListStalePending :many
SELECT r.payment_id, r.amount_minor, r.currency, r.idempotency_key
FROM payments.refunds r
WHERE r.state = 'pending'
  AND r.updated_at < now() - make_interval(secs => sqlc.arg(min_age_seconds)::double precision)
ORDER BY r.updated_at
LIMIT sqlc.arg(lim)::integer;

-- Test gateway ----------------------------------------------------------------------------

-- name: TestSessionInsert :one
INSERT INTO payments.test_gateway_sessions (ref, idempotency_key, payment_id, reference, description,
    amount_minor, currency, return_url, cancel_url, capture_manually)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING *;

-- name: TestSessionGetByKey :one
SELECT * FROM payments.test_gateway_sessions WHERE idempotency_key = $1;

-- name: TestSessionGet :one
SELECT * FROM payments.test_gateway_sessions WHERE ref = $1;

-- name: TestSessionLock :one
SELECT * FROM payments.test_gateway_sessions WHERE ref = $1 FOR UPDATE;

-- name: TestSessionUpdate :one
UPDATE payments.test_gateway_sessions
SET state = sqlc.arg(state), failure_code = sqlc.arg(failure_code),
    refunded_minor = sqlc.arg(refunded_minor), updated_at = now()
WHERE ref = sqlc.arg(ref)
RETURNING *;

-- name: TestRefundInsert :one
INSERT INTO payments.test_gateway_refunds (ref, session_ref, amount_minor, idempotency_key)
VALUES ($1, $2, $3, $4)
RETURNING *;

-- name: TestRefundGetByKey :one
SELECT * FROM payments.test_gateway_refunds WHERE idempotency_key = $1;

-- name: TestGatewayKeyInsert :exec
-- The first process to ask makes the installation's key; the others keep it.
INSERT INTO payments.test_gateway_keys (webhook_secret) VALUES ($1)
ON CONFLICT (singleton) DO NOTHING;

-- name: TestGatewayKeyGet :one
SELECT webhook_secret FROM payments.test_gateway_keys;
