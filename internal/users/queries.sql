-- name: AccountInsert :one
INSERT INTO users.accounts (email, name, password_hash, staff_role)
VALUES ($1, $2, $3, $4)
RETURNING *;

-- name: AccountGet :one
SELECT * FROM users.accounts WHERE id = $1 AND deleted_at IS NULL;

-- name: AccountGetByEmail :one
SELECT * FROM users.accounts WHERE email_key = lower(sqlc.arg(email)::text) AND deleted_at IS NULL;

-- name: AccountLockForLogin :one
-- Serializes concurrent logins of one account so failure counting is exact.
SELECT * FROM users.accounts WHERE id = $1 FOR UPDATE;

-- name: AccountRecordFailure :one
-- Counts failures within a window; the count starts over when the window has passed.
UPDATE users.accounts SET
    failed_logins = CASE WHEN failed_since > now() - sqlc.arg(window_len)::interval THEN failed_logins + 1 ELSE 1 END,
    failed_since  = CASE WHEN failed_since > now() - sqlc.arg(window_len)::interval THEN failed_since ELSE now() END
WHERE id = sqlc.arg(id)
RETURNING failed_logins;

-- name: AccountLock :exec
UPDATE users.accounts SET locked_until = sqlc.arg(until)::timestamptz, failed_logins = 0, failed_since = NULL
WHERE id = sqlc.arg(id);

-- name: AccountClearFailures :exec
UPDATE users.accounts SET failed_logins = 0, failed_since = NULL, locked_until = NULL WHERE id = $1;

-- name: AccountSetPassword :one
-- A new password ends every session made under the old one.
UPDATE users.accounts SET password_hash = $2, session_version = session_version + 1,
    failed_logins = 0, failed_since = NULL, locked_until = NULL, updated_at = now()
WHERE id = $1
RETURNING session_version;

-- name: AccountSetEmail :exec
UPDATE users.accounts SET email = $2, updated_at = now() WHERE id = $1;

-- name: AccountSetName :exec
UPDATE users.accounts SET name = $2, updated_at = now() WHERE id = $1;

-- name: AccountSetRole :exec
UPDATE users.accounts SET staff_role = $2, session_version = session_version + 1, updated_at = now() WHERE id = $1;

-- name: AccountSetDisabled :exec
UPDATE users.accounts SET disabled_at = CASE WHEN sqlc.arg(disabled)::bool THEN now() END,
    session_version = session_version + 1, updated_at = now()
WHERE id = sqlc.arg(id);

-- name: AccountAnonymize :exec
-- Deletion keeps the row (orders refer to it) but nothing that identifies the person.
UPDATE users.accounts SET email = 'deleted-' || id || '@invalid', name = '', password_hash = '',
    staff_role = NULL, deleted_at = now(), session_version = session_version + 1, updated_at = now()
WHERE id = $1;

-- name: OwnerCount :one
-- Locks the active owners, so two changes that would each leave one owner cannot both
-- pass the check.
SELECT count(*) FROM (
    SELECT id FROM users.accounts
    WHERE staff_role = 'owner' AND disabled_at IS NULL AND deleted_at IS NULL
    FOR UPDATE
) owners;

-- name: StaffList :many
SELECT * FROM users.accounts
WHERE staff_role IS NOT NULL AND deleted_at IS NULL
ORDER BY staff_role = 'owner' DESC, email_key;

-- name: CustomerList :many
SELECT * FROM users.accounts
WHERE staff_role IS NULL AND deleted_at IS NULL
  AND (sqlc.arg(search)::text = '' OR email_key LIKE '%' || lower(sqlc.arg(search)::text) || '%' ESCAPE '\' OR lower(name) LIKE '%' || lower(sqlc.arg(search)::text) || '%' ESCAPE '\')
ORDER BY created_at DESC, id DESC
LIMIT sqlc.arg(max_rows) OFFSET sqlc.arg(skip);

-- name: CustomerCount :one
SELECT count(*) FROM users.accounts
WHERE staff_role IS NULL AND deleted_at IS NULL
  AND (sqlc.arg(search)::text = '' OR email_key LIKE '%' || lower(sqlc.arg(search)::text) || '%' ESCAPE '\' OR lower(name) LIKE '%' || lower(sqlc.arg(search)::text) || '%' ESCAPE '\');

-- name: AddressList :many
SELECT * FROM users.addresses WHERE account_id = $1 ORDER BY is_default_shipping DESC, id;

-- name: AddressGet :one
SELECT * FROM users.addresses WHERE id = $1 AND account_id = $2;

-- name: AddressInsert :one
INSERT INTO users.addresses (account_id, name, company, line1, line2, city, region, postal_code, country, phone)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
RETURNING *;

-- name: AddressUpdate :one
UPDATE users.addresses SET name = $3, company = $4, line1 = $5, line2 = $6, city = $7, region = $8,
    postal_code = $9, country = $10, phone = $11, updated_at = now()
WHERE id = $1 AND account_id = $2
RETURNING *;

-- name: AddressDelete :execrows
DELETE FROM users.addresses WHERE id = $1 AND account_id = $2;

-- name: AddressClearDefaultShipping :exec
UPDATE users.addresses SET is_default_shipping = false WHERE account_id = $1 AND is_default_shipping;

-- name: AddressClearDefaultBilling :exec
UPDATE users.addresses SET is_default_billing = false WHERE account_id = $1 AND is_default_billing;

-- name: AddressSetDefaultShipping :execrows
UPDATE users.addresses SET is_default_shipping = true WHERE id = $1 AND account_id = $2;

-- name: AddressSetDefaultBilling :execrows
UPDATE users.addresses SET is_default_billing = true WHERE id = $1 AND account_id = $2;

-- name: AddressDeleteAll :exec
DELETE FROM users.addresses WHERE account_id = $1;

-- name: PasswordResetInsert :exec
INSERT INTO users.password_resets (token_hash, account_id, expires_at) VALUES ($1, $2, $3);

-- name: PasswordResetConsume :one
-- Single use: the row is marked used in the same statement that reads it.
UPDATE users.password_resets SET used_at = now()
WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
RETURNING account_id;

-- name: PasswordResetPeek :one
SELECT account_id FROM users.password_resets
WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now();

-- name: PasswordResetInvalidateAll :exec
UPDATE users.password_resets SET used_at = now() WHERE account_id = $1 AND used_at IS NULL;

-- name: RateLimitHit :one
INSERT INTO users.rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
ON CONFLICT (bucket, window_start) DO UPDATE SET hits = users.rate_limits.hits + 1
RETURNING hits;

-- name: RateLimitPrune :exec
DELETE FROM users.rate_limits WHERE window_start < $1;

-- name: AuditInsert :exec
INSERT INTO users.audit_events (actor_id, actor_email, action, object_type, object_id, changes, ip)
VALUES ($1, $2, $3, $4, $5, $6, $7);

-- AuditRedactFields replaces, in the audit entries of the listed objects, the values of
-- the named fields (what staff typed about a deleted customer's order) with a placeholder;
-- who did what and when stays.
-- name: AuditRedactFields :execrows
UPDATE users.audit_events
SET changes = (
    SELECT jsonb_object_agg(key, CASE WHEN key = ANY(sqlc.arg(fields)::text[]) THEN jsonb_build_object(
        'before', CASE WHEN coalesce(value->'before', 'null'::jsonb) = 'null'::jsonb THEN 'null'::jsonb ELSE to_jsonb(sqlc.arg(placeholder)::text) END,
        'after', CASE WHEN coalesce(value->'after', 'null'::jsonb) = 'null'::jsonb THEN 'null'::jsonb ELSE to_jsonb(sqlc.arg(placeholder)::text) END)
        ELSE value END)
    FROM jsonb_each(changes)
)
WHERE object_type = sqlc.arg(object_type)::text
  AND object_id = ANY(sqlc.arg(object_ids)::text[])
  AND changes ?| sqlc.arg(fields)::text[];

-- name: AuditList :many
SELECT * FROM users.audit_events
WHERE (sqlc.arg(actor)::text = '' OR actor_email ILIKE '%' || sqlc.arg(actor)::text || '%')
  AND (sqlc.arg(object_type)::text = '' OR object_type = sqlc.arg(object_type)::text)
  AND (sqlc.arg(action)::text = '' OR action LIKE sqlc.arg(action)::text || '%')
  AND (sqlc.arg(object_id)::text = '' OR object_id = sqlc.arg(object_id)::text)
ORDER BY created_at DESC, id DESC
LIMIT sqlc.arg(max_rows) OFFSET sqlc.arg(skip);

-- name: AuditExportForActor :many
SELECT * FROM users.audit_events WHERE actor_id = $1 ORDER BY created_at, id;

-- name: KnownDeviceTouch :one
-- Whether the browser holding the token has signed in to the account before; a known
-- one is marked seen.
UPDATE users.known_devices SET last_seen_at = now()
WHERE account_id = @account_id AND token_sha256 = @token_sha256
RETURNING account_id;

-- name: KnownDeviceAdd :exec
INSERT INTO users.known_devices (account_id, token_sha256) VALUES (@account_id, @token_sha256)
ON CONFLICT (account_id, token_sha256) DO UPDATE SET last_seen_at = now();

-- name: KnownDevicesDeleteAll :exec
DELETE FROM users.known_devices WHERE account_id = $1;

-- name: KnownDevicesDeleteStale :exec
-- A browser not seen for a year is a stranger again.
DELETE FROM users.known_devices WHERE account_id = @account_id AND last_seen_at < now() - interval '365 days';

-- name: AccountLockEmailDue :one
-- Claims the day's lock email: true when none was sent in the last 24 hours.
UPDATE users.accounts SET lock_emailed_at = now()
WHERE id = $1 AND (lock_emailed_at IS NULL OR lock_emailed_at < now() - interval '24 hours')
RETURNING id;

-- name: PasswordResetCountRecent :one
-- Reset links made for the account in the last hour, used or not.
SELECT count(*) FROM users.password_resets WHERE account_id = $1 AND created_at > now() - interval '1 hour';
