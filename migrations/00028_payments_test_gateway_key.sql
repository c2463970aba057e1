-- +goose Up
-- The key the built-in test gateway signs its webhooks with: one per installation, made
-- at random by the first process that needs it and shared by every replica through this
-- row. A key written in the code would be known to anyone who read it, and any
-- development server would then accept their forged "paid" events.
CREATE TABLE payments.test_gateway_keys (
    -- At most one row.
    singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    webhook_secret bytea NOT NULL CHECK (length(webhook_secret) = 32),
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE payments.test_gateway_keys;
