-- +goose Up
-- Units a refund puts back on the shelf get their own ledger reason, so the stock
-- history tells a customer's return from a staff correction.
ALTER TABLE inventory.movements DROP CONSTRAINT movements_reason_check;
ALTER TABLE inventory.movements ADD CONSTRAINT movements_reason_check
    CHECK (reason IN ('reserve', 'release', 'commit', 'adjust', 'transfer_in', 'transfer_out', 'import', 'initial', 'return'));

-- Storefront stock copies also re-read variants whose backorder policy changed (which
-- writes no movement) since they last looked.
CREATE INDEX items_updated_idx ON inventory.items (updated_at);

-- +goose Down
DROP INDEX inventory.items_updated_idx;
UPDATE inventory.movements SET reason = 'adjust' WHERE reason = 'return';
ALTER TABLE inventory.movements DROP CONSTRAINT movements_reason_check;
ALTER TABLE inventory.movements ADD CONSTRAINT movements_reason_check
    CHECK (reason IN ('reserve', 'release', 'commit', 'adjust', 'transfer_in', 'transfer_out', 'import', 'initial'));
