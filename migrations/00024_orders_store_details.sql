-- +goose Up
-- The store's identity as shoppers see it: its name in every title and header, the address
-- they write to, the currency it sells in and its logo. The environment (SHOP_STORE_NAME,
-- SHOP_CONTACT_EMAIL, SHOP_CURRENCY) gives the defaults; a blank column means "the default",
-- so a shop that never opens the form keeps following its environment.
ALTER TABLE orders.store_settings
    ADD COLUMN store_name    text NOT NULL DEFAULT '' CHECK (length(store_name) <= 80),
    ADD COLUMN contact_email text NOT NULL DEFAULT '' CHECK (length(contact_email) <= 254),
    ADD COLUMN currency      text NOT NULL DEFAULT '' CHECK (currency = '' OR currency ~ '^[A-Z]{3}$'),
    -- The logo in store_logos, by the SHA-256 of its bytes; '' when the shop has none.
    ADD COLUMN logo_sha256   text NOT NULL DEFAULT '' CHECK (logo_sha256 = '' OR logo_sha256 ~ '^[0-9a-f]{64}$');

-- Logos by content: the URL names the bytes, so browsers and proxies keep a logo for a year
-- and a new one is a new URL. Only the current logo is kept (replacing it deletes the old).
CREATE TABLE orders.store_logos (
    sha256       text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
    width        integer NOT NULL CHECK (width > 0),
    height       integer NOT NULL CHECK (height > 0),
    data         bytea NOT NULL CHECK (length(data) <= 1048576),
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE orders.store_logos;
ALTER TABLE orders.store_settings
    DROP COLUMN logo_sha256, DROP COLUMN currency, DROP COLUMN contact_email, DROP COLUMN store_name;
