-- +goose Up
-- Payments: what we asked a payment provider to collect, what it told us, and what we gave
-- back. The provider is the source of truth about money; these rows are our record of it,
-- kept consistent by unique constraints that make every webhook, status query and retry
-- safe to process twice.

CREATE TABLE payments.payments (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Unguessable public name of the payment (32 random bytes, base64url, 43 characters),
    -- for anything a shopper may see; the id stays internal.
    token           text NOT NULL UNIQUE CHECK (length(token) = 43),
    -- The orders module's reference (id or number as text). No foreign key crosses
    -- schemas (DESIGN.md §2 rule 3).
    order_ref       text NOT NULL CHECK (order_ref <> '' AND length(order_ref) <= 100),
    description     text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    amount_minor    bigint NOT NULL CHECK (amount_minor > 0),
    currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    -- What has been refunded so far, the sum of the succeeded refunds.
    refunded_minor  bigint NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor),
    provider        text NOT NULL CHECK (provider ~ '^[a-z][a-z0-9_]{0,31}$'),
    -- The provider's id for this payment, known once Begin has asked the provider.
    provider_ref    text CHECK (provider_ref <> ''),
    state           text NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'authorized', 'paid', 'partially_refunded', 'refunded', 'failed', 'voided')),
    failure_reason  text NOT NULL DEFAULT '',
    -- The key of the provider call that starts the payment: a retried Begin finds the
    -- provider's first answer instead of opening a second checkout. Callers may also pass
    -- their own key to Create, which makes creating the payment idempotent.
    idempotency_key text NOT NULL UNIQUE CHECK (idempotency_key <> '' AND length(idempotency_key) <= 200),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- When the recovery job last asked the provider about this payment.
    checked_at      timestamptz,
    -- A webhook names the payment by the provider's reference: it must find one row.
    CONSTRAINT payments_provider_ref_key UNIQUE (provider, provider_ref),
    -- The state says what the refunded amount says, whichever code path wrote them.
    CONSTRAINT payments_refund_state CHECK (
        (state = 'refunded') = (refunded_minor = amount_minor)
        AND (state = 'partially_refunded') = (refunded_minor > 0 AND refunded_minor < amount_minor)
    )
);
CREATE INDEX payments_order_ref_idx ON payments.payments (order_ref);
-- The recovery job looks for begun payments still pending.
CREATE INDEX payments_pending_idx ON payments.payments (updated_at)
    WHERE state = 'pending' AND provider_ref IS NOT NULL;

-- Everything a provider told us (webhooks, answers to status queries) and every action we
-- took on a payment. UNIQUE (provider, provider_event_id) makes a webhook delivered twice
-- a no-op: the second insert finds the first and nothing else happens.
CREATE TABLE payments.events (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider          text NOT NULL,
    provider_event_id text NOT NULL CHECK (provider_event_id <> '' AND length(provider_event_id) <= 255),
    payment_id        bigint NOT NULL REFERENCES payments.payments (id),
    type              text NOT NULL CHECK (type <> ''),
    -- The payment state the event reported ('' when it reported none).
    reported_state    text NOT NULL DEFAULT '',
    -- Whether the event changed the payment; an event that arrives late (a failure after
    -- the payment was paid) is kept for the record but changes nothing.
    applied           boolean NOT NULL,
    note              text NOT NULL DEFAULT '',
    payload           jsonb NOT NULL DEFAULT '{}',
    received_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_provider_event_key UNIQUE (provider, provider_event_id)
);
CREATE INDEX events_payment_idx ON payments.events (payment_id, id);

-- Money given back. A refund row is written before the provider is asked, under the
-- payment's lock, so concurrent refunds can never add up to more than was paid; its key
-- goes to the provider, so a retry after a crash completes the same refund instead of
-- making a second one.
CREATE TABLE payments.refunds (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payment_id      bigint NOT NULL REFERENCES payments.payments (id),
    amount_minor    bigint NOT NULL CHECK (amount_minor > 0),
    currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    idempotency_key text NOT NULL UNIQUE CHECK (idempotency_key <> '' AND length(idempotency_key) <= 200),
    provider_ref    text,
    state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'succeeded', 'failed')),
    failure_reason  text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refunds_payment_idx ON payments.refunds (payment_id);
CREATE INDEX refunds_pending_idx ON payments.refunds (updated_at) WHERE state = 'pending';

-- The built-in test gateway's own books (development only; empty in production). It
-- plays an outside provider, so it keeps its state apart from ours and reaches our tables
-- only through signed webhooks and its API. It never stores card numbers: a session keeps
-- only the outcome of the card that was entered.
CREATE TABLE payments.test_gateway_sessions (
    -- The gateway's payment id, also the hosted page's address (/pay/test/{ref}).
    ref             text PRIMARY KEY CHECK (ref ~ '^tgs_[A-Za-z0-9_-]{32}$'),
    idempotency_key text NOT NULL UNIQUE,
    -- What the merchant told the gateway about the payment (metadata, no foreign key: the
    -- gateway stands for another company's system).
    payment_id      bigint NOT NULL,
    reference       text NOT NULL,
    description     text NOT NULL,
    amount_minor    bigint NOT NULL CHECK (amount_minor > 0),
    currency        text NOT NULL,
    return_url      text NOT NULL,
    cancel_url      text NOT NULL,
    capture_manually boolean NOT NULL,
    state           text NOT NULL DEFAULT 'open'
                    CHECK (state IN ('open', 'requires_action', 'authorized', 'paid', 'failed', 'canceled')),
    failure_code    text NOT NULL DEFAULT '',
    refunded_minor  bigint NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE payments.test_gateway_refunds (
    ref             text PRIMARY KEY,
    session_ref     text NOT NULL REFERENCES payments.test_gateway_sessions (ref),
    amount_minor    bigint NOT NULL CHECK (amount_minor > 0),
    idempotency_key text NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE payments.test_gateway_refunds, payments.test_gateway_sessions,
    payments.refunds, payments.events, payments.payments;
