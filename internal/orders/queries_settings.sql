-- Store settings, shipping zones and methods, tax rates: what checkout prices with.

-- name: StoreSettingsGet :one
SELECT * FROM orders.store_settings WHERE singleton;

-- name: StoreSettingsSetTaxMode :one
UPDATE orders.store_settings SET tax_mode = @tax_mode, updated_at = now() WHERE singleton RETURNING *;

-- name: ShippingZonesAll :many
SELECT * FROM orders.shipping_zones ORDER BY position, id;

-- name: ShippingMethodsAll :many
SELECT * FROM orders.shipping_methods ORDER BY zone_id, position, id;

-- name: TaxRatesAll :many
SELECT * FROM orders.tax_rates ORDER BY country, region, class;
