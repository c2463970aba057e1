-- +goose Up
-- Staff can rename a location, change its priority and switch it off. Switching one off
-- changes what every variant kept there has available, without a stock movement; the
-- storefront's copy of stock on other replicas finds those variants by this time.
ALTER TABLE inventory.locations ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- +goose Down
ALTER TABLE inventory.locations DROP COLUMN updated_at;
