-- +goose Up
-- A customer who deletes their account leaves orders and emails behind that named them.
-- Orders stay (sales figures, tax records) without their contact details; what an issued
-- invoice must name (the buyer's name and billing address) is kept beside the order, for
-- the invoice only, until the tax retention period ends. Emails sent to them stay in the
-- log without recipient, subject or body.

ALTER TABLE orders.orders
    -- When the customer's account deletion erased the order's personal details.
    ADD COLUMN anonymised_at timestamptz,
    -- The buyer's name and billing address as an issued invoice must show them (no phone,
    -- no email), kept after the erasure until the retention period ends; NULL otherwise.
    ADD COLUMN invoice_buyer jsonb;

-- The daily job that clears retained buyers once their period is over.
CREATE INDEX orders_invoice_buyer_idx ON orders.orders ((coalesce(paid_at, anonymised_at)))
    WHERE invoice_buyer IS NOT NULL;

ALTER TABLE notify.messages
    -- When the recipient, subject and body were removed because the recipient deleted
    -- their account.
    ADD COLUMN redacted_at timestamptz;

-- The erasure finds a person's messages by address, without reading the whole log. The
-- address is the recipient's part in angle brackets when it has a name ("Ada
-- <ada@example.com>"), else the whole recipient; MessagesRedactRecipients spells the same
-- expression.
CREATE INDEX messages_recipient_address_idx ON notify.messages (
    lower(btrim(coalesce(substring(recipient FROM '<([^<>]*)>\s*$'), recipient)))
);

-- +goose Down
DROP INDEX notify.messages_recipient_address_idx;
ALTER TABLE notify.messages DROP COLUMN redacted_at;
DROP INDEX orders.orders_invoice_buyer_idx;
ALTER TABLE orders.orders DROP COLUMN invoice_buyer, DROP COLUMN anonymised_at;
