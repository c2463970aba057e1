-- name: MessageInsert :one
INSERT INTO notify.messages (kind, recipient, subject, html, text, message_id)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING id;

-- name: MessageGet :one
SELECT id, kind, recipient, subject, html, text, message_id, status, attempts, last_error,
       locked_until, created_at, sent_at, redacted_at
FROM notify.messages
WHERE id = $1;

-- MessageClaim takes the lease for one delivery attempt. No row means the message is not
-- queued any more, or another job holds an unexpired lease.
-- name: MessageClaim :one
UPDATE notify.messages
SET locked_until = now() + (sqlc.arg(lease_seconds)::integer * interval '1 second')
WHERE id = sqlc.arg(id)
  AND status = 'queued'
  AND (locked_until IS NULL OR locked_until < now())
RETURNING id, kind, recipient, subject, html, text, message_id, status, attempts, last_error,
          locked_until, created_at, sent_at, redacted_at;

-- name: MessageMarkSent :exec
UPDATE notify.messages
SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = '', locked_until = NULL
WHERE id = $1 AND status = 'queued';

-- name: MessageMarkHeld :exec
UPDATE notify.messages
SET status = 'held', locked_until = NULL
WHERE id = $1 AND status = 'queued';

-- name: MessageRecordFailure :exec
UPDATE notify.messages
SET attempts = attempts + 1,
    last_error = sqlc.arg(last_error),
    status = CASE WHEN sqlc.arg(give_up)::boolean THEN 'failed' ELSE status END,
    locked_until = NULL
WHERE id = sqlc.arg(id) AND status = 'queued';

-- name: MessageList :many
SELECT id, kind, recipient, subject, html, text, message_id, status, attempts, last_error,
       locked_until, created_at, sent_at, redacted_at
FROM notify.messages
WHERE (sqlc.arg(recipient)::text = '' OR strpos(lower(recipient), lower(sqlc.arg(recipient)::text)) > 0)
  AND (sqlc.arg(status)::text = '' OR status = sqlc.arg(status)::text)
  AND (sqlc.arg(kind)::text = '' OR kind = sqlc.arg(kind)::text)
ORDER BY id DESC
LIMIT sqlc.arg(lim)::integer OFFSET sqlc.arg(off)::integer;

-- name: MessageCount :one
SELECT count(*)
FROM notify.messages
WHERE (sqlc.arg(recipient)::text = '' OR strpos(lower(recipient), lower(sqlc.arg(recipient)::text)) > 0)
  AND (sqlc.arg(status)::text = '' OR status = sqlc.arg(status)::text)
  AND (sqlc.arg(kind)::text = '' OR kind = sqlc.arg(kind)::text);

-- MessagesRedactRecipients empties the messages sent to the addresses (lower case) since a
-- time, with or without a name ("Ada <ada@example.com>"; the expression of
-- messages_recipient_address_idx): recipient, subject and body are replaced, and a message
-- still waiting is given up rather than sent with nothing in it. A delivery error may quote
-- the address, so it goes too. Returns how many messages changed.
-- name: MessagesRedactRecipients :execrows
UPDATE notify.messages
SET recipient = sqlc.arg(placeholder)::text,
    subject = sqlc.arg(placeholder)::text,
    html = '',
    text = '',
    status = CASE WHEN status = 'queued' THEN 'failed' ELSE status END,
    last_error = CASE
        WHEN status = 'queued' THEN sqlc.arg(withdrawn)::text
        WHEN last_error <> '' THEN sqlc.arg(removed)::text
        ELSE '' END,
    locked_until = NULL,
    redacted_at = now()
WHERE lower(btrim(coalesce(substring(recipient FROM '<([^<>]*)>\s*$'), recipient))) = ANY(sqlc.arg(addresses)::text[])
  AND created_at >= sqlc.arg(since)::timestamptz
  AND redacted_at IS NULL;
