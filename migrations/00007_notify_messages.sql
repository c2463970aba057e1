-- +goose Up
-- The outbox of notify: every message is stored in the transaction of the business change
-- that caused it, together with the River job that delivers it, so a rolled-back change
-- sends nothing and a committed one is delivered even if the mail server is down for hours.
-- Rows are kept after delivery: staff read them in the back office (/admin/emails).
CREATE TABLE notify.messages (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- A short label for staff and filters ("password_reset", "order_confirmation").
    kind         text NOT NULL CHECK (kind <> ''),
    recipient    text NOT NULL CHECK (recipient <> ''),
    subject      text NOT NULL,
    html         text NOT NULL DEFAULT '',
    text         text NOT NULL DEFAULT '',
    -- Fixed at insert and sent with every attempt, so a receiver can recognise the
    -- duplicate left by a crash between the server's acceptance and our bookkeeping.
    message_id   text NOT NULL UNIQUE,
    status       text NOT NULL DEFAULT 'queued'
                 CHECK (status IN ('queued', 'sent', 'held', 'failed')),
    attempts     integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error   text NOT NULL DEFAULT '',
    -- Lease of the job that is talking to the server right now: a duplicate job for the
    -- same message waits instead of sending it a second time.
    locked_until timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    sent_at      timestamptz,
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
-- The back office lists newest first, often filtered by status ("what failed?").
CREATE INDEX messages_status_id_idx ON notify.messages (status, id DESC);

-- +goose Down
DROP TABLE notify.messages;
