-- +goose Up
-- A shipment form carries a key made when the page was shown: sent twice (a double
-- click, a reload), it records one shipment, however many units are left to ship.
ALTER TABLE orders.fulfillments
    ADD COLUMN idempotency_key text CHECK (idempotency_key IS NULL OR (idempotency_key <> '' AND length(idempotency_key) <= 200));
CREATE UNIQUE INDEX fulfillments_key_idx ON orders.fulfillments (order_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

-- +goose Down
DROP INDEX orders.fulfillments_key_idx;
ALTER TABLE orders.fulfillments DROP COLUMN idempotency_key;
