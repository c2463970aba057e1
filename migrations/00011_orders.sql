-- +goose Up
-- Orders: what was sold, to whom, for how much, and what happened to it since. Lines,
-- addresses and totals are snapshots taken when the order was placed, so later catalog,
-- price or tax changes never rewrite an order.

-- Human order numbers (#1001, #1002, ...). Gaps are possible (a rolled-back checkout
-- consumes a number); duplicates are not.
CREATE SEQUENCE orders.order_number_seq START WITH 1001;

CREATE TABLE orders.orders (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number               bigint NOT NULL UNIQUE DEFAULT nextval('orders.order_number_seq'),
    -- Unguessable public name for guest links (32 random bytes, base64url, 43 characters).
    token                text NOT NULL UNIQUE CHECK (length(token) = 43),
    -- users.accounts id; no foreign key crosses schemas (DESIGN.md §2).
    account_id           bigint,
    email                text NOT NULL CHECK (email <> '' AND length(email) <= 320),
    status               text NOT NULL DEFAULT 'open'
                         CHECK (status IN ('open', 'cancelled', 'completed')),
    payment_status       text NOT NULL DEFAULT 'pending'
                         CHECK (payment_status IN ('pending', 'authorized', 'paid', 'partially_refunded', 'refunded', 'failed', 'voided')),
    fulfillment_status   text NOT NULL DEFAULT 'unfulfilled'
                         CHECK (fulfillment_status IN ('unfulfilled', 'partially_fulfilled', 'fulfilled')),
    currency             text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    subtotal             bigint NOT NULL CHECK (subtotal >= 0),
    discount_total       bigint NOT NULL CHECK (discount_total >= 0),
    shipping_total       bigint NOT NULL CHECK (shipping_total >= 0),
    shipping_tax         bigint NOT NULL CHECK (shipping_tax >= 0),
    tax_total            bigint NOT NULL CHECK (tax_total >= 0),
    grand_total          bigint NOT NULL CHECK (grand_total >= 0),
    tax_included         boolean NOT NULL,
    shipping_method_name text NOT NULL DEFAULT '',
    shipping_address     jsonb NOT NULL DEFAULT '{}',
    billing_address      jsonb NOT NULL DEFAULT '{}',
    discount_code        text NOT NULL DEFAULT '',
    -- One checkout submission, one order: a double submit finds the first order.
    idempotency_key      text NOT NULL UNIQUE CHECK (idempotency_key <> '' AND length(idempotency_key) <= 200),
    -- An order still unpaid at this time is cancelled and its stock released.
    expires_at           timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX orders_account_idx ON orders.orders (account_id, created_at DESC) WHERE account_id IS NOT NULL;
CREATE INDEX orders_email_idx ON orders.orders (lower(email));
-- The expiry job's scan.
CREATE INDEX orders_expiring_idx ON orders.orders (expires_at)
    WHERE status = 'open' AND payment_status IN ('pending', 'failed');

CREATE TABLE orders.order_lines (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id   bigint NOT NULL REFERENCES orders.orders (id) ON DELETE CASCADE,
    variant_id bigint NOT NULL,
    sku        text NOT NULL,
    name       text NOT NULL,
    options    text NOT NULL DEFAULT '',
    quantity   integer NOT NULL CHECK (quantity > 0),
    unit_price bigint NOT NULL CHECK (unit_price >= 0),
    gross      bigint NOT NULL CHECK (gross >= 0),
    discount   bigint NOT NULL CHECK (discount >= 0),
    tax        bigint NOT NULL CHECK (tax >= 0),
    tax_rate   integer NOT NULL DEFAULT 0 CHECK (tax_rate >= 0)
);

CREATE INDEX order_lines_order_idx ON orders.order_lines (order_id, id);

-- The order's timeline: every transition, with who made it.
CREATE TABLE orders.order_events (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id   bigint NOT NULL REFERENCES orders.orders (id) ON DELETE CASCADE,
    type       text NOT NULL CHECK (type <> ''),
    actor      text NOT NULL DEFAULT '',
    data       jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX order_events_order_idx ON orders.order_events (order_id, id);

CREATE TABLE orders.discount_codes (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Stored upper-case; shoppers' input is upper-cased before lookup.
    code               text NOT NULL UNIQUE CHECK (code <> '' AND code = upper(code)),
    kind               text NOT NULL CHECK (kind IN ('percent', 'fixed', 'free_shipping')),
    basis_points       integer NOT NULL DEFAULT 0 CHECK (basis_points BETWEEN 0 AND 10000),
    amount_minor       bigint NOT NULL DEFAULT 0 CHECK (amount_minor >= 0),
    currency           text NOT NULL DEFAULT '' CHECK (currency = '' OR currency ~ '^[A-Z]{3}$'),
    min_subtotal_minor bigint NOT NULL DEFAULT 0 CHECK (min_subtotal_minor >= 0),
    starts_at          timestamptz,
    ends_at            timestamptz,
    usage_limit        integer CHECK (usage_limit IS NULL OR usage_limit > 0),
    used_count         integer NOT NULL DEFAULT 0 CHECK (used_count >= 0),
    per_customer_limit integer CHECK (per_customer_limit IS NULL OR per_customer_limit > 0),
    active             boolean NOT NULL DEFAULT true,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT discount_codes_usage CHECK (usage_limit IS NULL OR used_count <= usage_limit)
);

CREATE TABLE orders.discount_redemptions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code_id    bigint NOT NULL REFERENCES orders.discount_codes (id),
    order_id   bigint NOT NULL UNIQUE REFERENCES orders.orders (id) ON DELETE CASCADE,
    account_id bigint,
    email      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX discount_redemptions_code_account_idx ON orders.discount_redemptions (code_id, account_id);
CREATE INDEX discount_redemptions_code_email_idx ON orders.discount_redemptions (code_id, lower(email));

-- +goose Down
DROP TABLE orders.discount_redemptions, orders.discount_codes, orders.order_events,
    orders.order_lines, orders.orders;
DROP SEQUENCE orders.order_number_seq;
