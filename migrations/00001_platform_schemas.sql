-- +goose Up
-- One schema per module (DESIGN.md §3): a module's queries touch only its own schema,
-- and no foreign key crosses from one schema to another.
CREATE SCHEMA IF NOT EXISTS catalog;
CREATE SCHEMA IF NOT EXISTS inventory;
CREATE SCHEMA IF NOT EXISTS cart;
CREATE SCHEMA IF NOT EXISTS orders;
CREATE SCHEMA IF NOT EXISTS payments;
CREATE SCHEMA IF NOT EXISTS users;
CREATE SCHEMA IF NOT EXISTS recs;
CREATE SCHEMA IF NOT EXISTS notify;
-- River's tables live in their own schema; rivermigrate fills it after goose.
CREATE SCHEMA IF NOT EXISTS river;

-- Session store of alexedwards/scs pgxstore: the table name and shape are its contract.
CREATE TABLE public.sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON public.sessions (expiry);

-- +goose Down
DROP TABLE public.sessions;
DROP SCHEMA river, notify, recs, users, payments, orders, cart, inventory, catalog CASCADE;
