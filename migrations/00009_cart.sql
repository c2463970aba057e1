-- +goose Up
-- Shopping carts: one per guest session (found by an unguessable token that lives only in
-- the server-side session) or one per customer account. A cart stores which variant and
-- how many, never a price or a name: those are read live from the catalog, so a price
-- change or an archived product shows up in every cart at once.

CREATE TABLE cart.carts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- A guest cart's token: 32 random bytes, base64url without padding (43 characters).
    token      text UNIQUE CHECK (length(token) = 43),
    -- The customer's account (users module; no foreign key crosses schemas).
    account_id bigint UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- Exactly one owner: a cart adopted by an account loses its token, so a copy of the
    -- token kept anywhere no longer reaches it.
    CONSTRAINT carts_one_owner CHECK ((token IS NULL) <> (account_id IS NULL))
);
-- The cleanup job looks for guest carts nobody touched for a long time.
CREATE INDEX carts_guest_updated_idx ON cart.carts (updated_at) WHERE account_id IS NULL;

CREATE TABLE cart.lines (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cart_id    bigint NOT NULL REFERENCES cart.carts (id) ON DELETE CASCADE,
    -- A catalog variant id (catalog module; no foreign key crosses schemas).
    variant_id bigint NOT NULL,
    -- The per-line maximum is a rule of the shop; the constraint keeps any code path
    -- (a race, a bug) from storing zero, a negative or an absurd quantity.
    quantity   integer NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    added_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (cart_id, variant_id)
);

-- +goose Down
DROP TABLE cart.lines, cart.carts;
