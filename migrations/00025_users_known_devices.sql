-- +goose Up
-- Browsers an account has signed in from, by the SHA-256 of a random token kept in a
-- long-lived cookie. A locked account still admits its owner's right password from one of
-- them: ten wrong guesses from anywhere must not keep the owner out of their own account.
CREATE TABLE users.known_devices (
    account_id   bigint NOT NULL REFERENCES users.accounts (id) ON DELETE CASCADE,
    token_sha256 bytea NOT NULL CHECK (length(token_sha256) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, token_sha256)
);

-- When the owner was last told that their account locked: at most one such email a day,
-- so wrong guesses cannot flood their inbox.
ALTER TABLE users.accounts ADD COLUMN lock_emailed_at timestamptz;

-- +goose Down
ALTER TABLE users.accounts DROP COLUMN lock_emailed_at;
DROP TABLE users.known_devices;
