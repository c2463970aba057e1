-- +goose Up
-- What checkout prices with (the store's tax mode, shipping zones and methods, tax rates)
-- and what happens to an order after it is placed (fulfilments, refunds, notes).

-- One row: the store's settings that pricing needs.
CREATE TABLE orders.store_settings (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    -- How catalog prices were entered: 'include' (tax included, EU VAT) or 'exclude'
    -- (tax added at checkout, US sales tax).
    tax_mode   text NOT NULL DEFAULT 'include' CHECK (tax_mode IN ('include', 'exclude')),
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO orders.store_settings DEFAULT VALUES;

-- A set of countries served by the same shipping methods. Zones are matched in position
-- order, so a narrow zone listed first wins over a broad one containing the same country.
CREATE TABLE orders.shipping_zones (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL UNIQUE CHECK (name <> '' AND length(name) <= 100),
    countries  text[] NOT NULL CHECK (cardinality(countries) > 0),
    position   integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders.shipping_methods (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    zone_id         bigint NOT NULL REFERENCES orders.shipping_zones (id) ON DELETE CASCADE,
    name            text NOT NULL CHECK (name <> '' AND length(name) <= 100),
    kind            text NOT NULL CHECK (kind IN ('flat', 'free_over', 'weight_tiers')),
    currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    price_minor     bigint NOT NULL DEFAULT 0 CHECK (price_minor >= 0),
    free_over_minor bigint NOT NULL DEFAULT 0 CHECK (free_over_minor >= 0),
    -- weight_tiers: [{"up_to_grams": 1000, "price_minor": 490}, {"up_to_grams": 0, ...}]
    tiers           jsonb NOT NULL DEFAULT '[]',
    active          boolean NOT NULL DEFAULT true,
    position        integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (zone_id, name)
);

CREATE INDEX shipping_methods_zone_idx ON orders.shipping_methods (zone_id, position, id);

-- Tax rates in whole basis points (2000 = 20 %, 825 = 8.25 %): never a float.
CREATE TABLE orders.tax_rates (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    country      text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    region       text NOT NULL DEFAULT '' CHECK (length(region) <= 10),
    class        text NOT NULL DEFAULT '' CHECK (length(class) <= 40),
    basis_points integer NOT NULL CHECK (basis_points BETWEEN 0 AND 10000),
    name         text NOT NULL DEFAULT '' CHECK (length(name) <= 60),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (country, region, class)
);

ALTER TABLE orders.orders
    ADD COLUMN shipping_method_id bigint,
    -- The payments module's payment for this order (no foreign key crosses schemas).
    ADD COLUMN payment_id         bigint,
    ADD COLUMN refunded_total     bigint NOT NULL DEFAULT 0 CHECK (refunded_total >= 0),
    ADD COLUMN paid_at            timestamptz,
    ADD COLUMN cancelled_at       timestamptz,
    ADD COLUMN cancel_reason      text NOT NULL DEFAULT '',
    ADD CONSTRAINT orders_refund_within_total CHECK (refunded_total <= grand_total);

CREATE INDEX orders_created_idx ON orders.orders (created_at DESC, id DESC);

ALTER TABLE orders.order_lines
    ADD COLUMN weight_grams       integer NOT NULL DEFAULT 0 CHECK (weight_grams >= 0),
    ADD COLUMN fulfilled_quantity integer NOT NULL DEFAULT 0,
    ADD COLUMN restocked_quantity integer NOT NULL DEFAULT 0,
    ADD CONSTRAINT order_lines_fulfilled CHECK (fulfilled_quantity BETWEEN 0 AND quantity),
    ADD CONSTRAINT order_lines_restocked CHECK (restocked_quantity BETWEEN 0 AND quantity);

-- A shipment: some or all of an order's lines, with the carrier's tracking.
CREATE TABLE orders.fulfillments (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id        bigint NOT NULL REFERENCES orders.orders (id) ON DELETE CASCADE,
    carrier         text NOT NULL DEFAULT '' CHECK (length(carrier) <= 100),
    tracking_number text NOT NULL DEFAULT '' CHECK (length(tracking_number) <= 100),
    tracking_url    text NOT NULL DEFAULT '' CHECK (length(tracking_url) <= 500),
    actor           text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX fulfillments_order_idx ON orders.fulfillments (order_id, id);

CREATE TABLE orders.fulfillment_lines (
    fulfillment_id bigint NOT NULL REFERENCES orders.fulfillments (id) ON DELETE CASCADE,
    order_line_id  bigint NOT NULL REFERENCES orders.order_lines (id) ON DELETE CASCADE,
    quantity       integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (fulfillment_id, order_line_id)
);

-- +goose Down
DROP TABLE orders.fulfillment_lines, orders.fulfillments, orders.tax_rates,
    orders.shipping_methods, orders.shipping_zones, orders.store_settings;
DROP INDEX orders.orders_created_idx;
ALTER TABLE orders.orders
    DROP CONSTRAINT orders_refund_within_total,
    DROP COLUMN shipping_method_id, DROP COLUMN payment_id, DROP COLUMN refunded_total,
    DROP COLUMN paid_at, DROP COLUMN cancelled_at, DROP COLUMN cancel_reason;
ALTER TABLE orders.order_lines
    DROP CONSTRAINT order_lines_fulfilled, DROP CONSTRAINT order_lines_restocked,
    DROP COLUMN weight_grams, DROP COLUMN fulfilled_quantity, DROP COLUMN restocked_quantity;
