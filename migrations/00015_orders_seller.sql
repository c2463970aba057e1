-- +goose Up
-- Who the invoices say sold the goods: an invoice names the seller's legal name, address
-- and tax registration (EU VAT invoices must), which the store's display name alone is not.
ALTER TABLE orders.store_settings
    ADD COLUMN seller_name    text NOT NULL DEFAULT '' CHECK (length(seller_name) <= 200),
    ADD COLUMN seller_address text NOT NULL DEFAULT '' CHECK (length(seller_address) <= 700),
    ADD COLUMN seller_tax_id  text NOT NULL DEFAULT '' CHECK (length(seller_tax_id) <= 40),
    -- Printed at the foot of every invoice: company registration, bank details, terms.
    ADD COLUMN invoice_note   text NOT NULL DEFAULT '' CHECK (length(invoice_note) <= 600);

-- +goose Down
ALTER TABLE orders.store_settings
    DROP COLUMN invoice_note,
    DROP COLUMN seller_tax_id,
    DROP COLUMN seller_address,
    DROP COLUMN seller_name;
