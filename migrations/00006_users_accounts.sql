-- +goose Up
-- Accounts for shoppers and staff, their address books, password resets, the counters
-- behind rate limits and lockouts, and the staff audit log.

CREATE TABLE users.accounts (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email            text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    -- Emails are unique case-insensitively: Ann@x.com and ann@x.com are one person.
    email_key        text GENERATED ALWAYS AS (lower(email)) STORED UNIQUE,
    name             text NOT NULL DEFAULT '' CHECK (length(name) <= 120),
    -- argon2id in PHC string form; empty once the account is deleted (no login possible).
    password_hash    text NOT NULL,
    -- NULL for customers; a staff role grants a fixed permission set (see users/roles.go).
    staff_role       text CHECK (staff_role IN ('owner', 'admin', 'catalog_manager', 'order_manager', 'support')),
    disabled_at      timestamptz,
    deleted_at       timestamptz,
    -- Bumped when every session must end (password reset, deletion, role change): a
    -- session remembers the version it was made under.
    session_version  integer NOT NULL DEFAULT 1,
    failed_logins    integer NOT NULL DEFAULT 0,
    failed_since     timestamptz,
    locked_until     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_staff_idx ON users.accounts (staff_role) WHERE staff_role IS NOT NULL;
CREATE INDEX accounts_created_idx ON users.accounts (created_at DESC);

CREATE TABLE users.addresses (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id          bigint NOT NULL REFERENCES users.accounts (id) ON DELETE CASCADE,
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    company             text NOT NULL DEFAULT '' CHECK (length(company) <= 120),
    line1               text NOT NULL CHECK (length(line1) BETWEEN 1 AND 200),
    line2               text NOT NULL DEFAULT '' CHECK (length(line2) <= 200),
    city                text NOT NULL CHECK (length(city) BETWEEN 1 AND 120),
    region              text NOT NULL DEFAULT '' CHECK (length(region) <= 120),
    postal_code         text NOT NULL DEFAULT '' CHECK (length(postal_code) <= 20),
    country             char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    phone               text NOT NULL DEFAULT '' CHECK (length(phone) <= 40),
    is_default_shipping boolean NOT NULL DEFAULT false,
    is_default_billing  boolean NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX addresses_account_idx ON users.addresses (account_id);
CREATE UNIQUE INDEX addresses_one_default_shipping ON users.addresses (account_id) WHERE is_default_shipping;
CREATE UNIQUE INDEX addresses_one_default_billing ON users.addresses (account_id) WHERE is_default_billing;

-- Only a hash of the token is stored: a leaked table does not let anyone reset passwords.
CREATE TABLE users.password_resets (
    token_hash bytea PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES users.accounts (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_resets_account_idx ON users.password_resets (account_id);

-- Fixed-window counters shared by every replica (login per IP, registration per IP, ...).
CREATE TABLE users.rate_limits (
    bucket       text NOT NULL,
    window_start timestamptz NOT NULL,
    hits         integer NOT NULL,
    PRIMARY KEY (bucket, window_start)
);

-- Every staff write: who, when, what, and the fields before and after.
CREATE TABLE users.audit_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id    bigint,
    actor_email text NOT NULL DEFAULT '',
    action      text NOT NULL,
    object_type text NOT NULL,
    object_id   text NOT NULL DEFAULT '',
    changes     jsonb NOT NULL DEFAULT '{}',
    ip          text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_created_idx ON users.audit_events (created_at DESC, id DESC);
CREATE INDEX audit_events_object_idx ON users.audit_events (object_type, object_id);
CREATE INDEX audit_events_actor_idx ON users.audit_events (actor_id, created_at DESC);

-- +goose Down
DROP TABLE users.audit_events, users.rate_limits, users.password_resets, users.addresses, users.accounts;
