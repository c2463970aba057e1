-- +goose Up
-- Stock per variant and location, reservations for unpaid orders, and the movement
-- ledger. The rules that make overselling impossible live here as constraints, not only
-- in code: no level goes negative, and nothing reserves more than is on hand unless the
-- variant allows backorders.

CREATE TABLE inventory.locations (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 120),
    -- Higher priority locations are allocated from first.
    priority   integer NOT NULL DEFAULT 0,
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Per-variant policy. A variant without a row is not stocked (nothing to sell).
CREATE TABLE inventory.items (
    variant_id          bigint PRIMARY KEY,
    allow_backorder     boolean NOT NULL DEFAULT false,
    low_stock_threshold integer NOT NULL DEFAULT 5 CHECK (low_stock_threshold >= 0),
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE inventory.levels (
    variant_id      bigint NOT NULL REFERENCES inventory.items (variant_id) ON DELETE CASCADE,
    location_id     bigint NOT NULL REFERENCES inventory.locations (id),
    on_hand         integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
    reserved        integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    -- Copied from the item so the constraint below can see it.
    allow_backorder boolean NOT NULL DEFAULT false,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (variant_id, location_id),
    CONSTRAINT levels_reserved_within_on_hand CHECK (allow_backorder OR reserved <= on_hand)
);
CREATE INDEX levels_location_idx ON inventory.levels (location_id);

-- A reservation holds stock for one order line at one location until it is released
-- (cancelled, expired) or committed (shipped).
CREATE TABLE inventory.reservations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref         text NOT NULL CHECK (length(ref) BETWEEN 1 AND 100),
    variant_id  bigint NOT NULL,
    location_id bigint NOT NULL,
    quantity    integer NOT NULL CHECK (quantity > 0),
    state       text NOT NULL DEFAULT 'reserved' CHECK (state IN ('reserved', 'released', 'committed')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (variant_id, location_id) REFERENCES inventory.levels (variant_id, location_id)
);
CREATE INDEX reservations_ref_idx ON inventory.reservations (ref, state);

-- Every change of a level, in the transaction of the change: summing the deltas of a
-- level gives its quantities, which tests and audits check.
CREATE TABLE inventory.movements (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    variant_id     bigint NOT NULL,
    location_id    bigint NOT NULL,
    delta_on_hand  integer NOT NULL DEFAULT 0,
    delta_reserved integer NOT NULL DEFAULT 0,
    reason         text NOT NULL CHECK (reason IN ('reserve', 'release', 'commit', 'adjust', 'transfer_in', 'transfer_out', 'import', 'initial')),
    ref            text NOT NULL DEFAULT '',
    actor_id       bigint,
    note           text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX movements_level_idx ON inventory.movements (variant_id, location_id, created_at DESC);

-- +goose Down
DROP TABLE inventory.movements, inventory.reservations, inventory.levels, inventory.items, inventory.locations;
