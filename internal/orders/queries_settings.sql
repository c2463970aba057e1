-- Store settings, shipping zones and methods, tax rates: what checkout prices with.

-- name: StoreSettingsGet :one
SELECT * FROM orders.store_settings WHERE singleton;

-- name: StoreSettingsSetTaxMode :one
UPDATE orders.store_settings SET tax_mode = @tax_mode, updated_at = now() WHERE singleton RETURNING *;

-- name: StoreSettingsSetSeller :one
UPDATE orders.store_settings
SET seller_name = @seller_name, seller_address = @seller_address, seller_tax_id = @seller_tax_id,
    invoice_note = @invoice_note, updated_at = now()
WHERE singleton RETURNING *;

-- name: ShippingZonesAll :many
SELECT * FROM orders.shipping_zones ORDER BY position, id;

-- name: ShippingMethodsAll :many
SELECT * FROM orders.shipping_methods ORDER BY zone_id, position, id;

-- name: TaxRatesAll :many
SELECT * FROM orders.tax_rates ORDER BY country, region, class;

-- StoreSettingsLock serializes writers of the store's settings (and the demo seed, which
-- must not run twice at once).
-- name: StoreSettingsLock :one
SELECT * FROM orders.store_settings WHERE singleton FOR UPDATE;

-- name: ShippingZoneGet :one
SELECT * FROM orders.shipping_zones WHERE id = $1;

-- name: ShippingZoneLock :one
SELECT * FROM orders.shipping_zones WHERE id = $1 FOR UPDATE;

-- name: ShippingZoneCount :one
SELECT count(*) FROM orders.shipping_zones;

-- name: ShippingZoneInsert :one
INSERT INTO orders.shipping_zones (name, countries, position)
VALUES (@name, @countries, @position)
RETURNING *;

-- name: ShippingZoneUpdate :one
UPDATE orders.shipping_zones SET name = @name, countries = @countries, position = @position, updated_at = now()
WHERE id = @id RETURNING *;

-- name: ShippingZoneDelete :execrows
DELETE FROM orders.shipping_zones WHERE id = $1;

-- name: ShippingMethodsByZone :many
SELECT * FROM orders.shipping_methods WHERE zone_id = $1 ORDER BY position, id;

-- name: ShippingMethodGet :one
SELECT * FROM orders.shipping_methods WHERE id = $1;

-- name: ShippingMethodLock :one
SELECT * FROM orders.shipping_methods WHERE id = $1 FOR UPDATE;

-- name: ShippingMethodInsert :one
INSERT INTO orders.shipping_methods (zone_id, name, kind, currency, price_minor, free_over_minor, tiers, active, position)
VALUES (@zone_id, @name, @kind, @currency, @price_minor, @free_over_minor, @tiers, @active, @position)
RETURNING *;

-- name: ShippingMethodUpdate :one
UPDATE orders.shipping_methods SET name = @name, kind = @kind, currency = @currency, price_minor = @price_minor,
    free_over_minor = @free_over_minor, tiers = @tiers, active = @active, position = @position, updated_at = now()
WHERE id = @id RETURNING *;

-- name: ShippingMethodDelete :execrows
DELETE FROM orders.shipping_methods WHERE id = $1;

-- name: TaxRateGet :one
SELECT * FROM orders.tax_rates WHERE id = $1;

-- name: TaxRateLock :one
SELECT * FROM orders.tax_rates WHERE id = $1 FOR UPDATE;

-- name: TaxRateInsert :one
INSERT INTO orders.tax_rates (country, region, class, basis_points, name)
VALUES (@country, @region, @class, @basis_points, @name)
RETURNING *;

-- name: TaxRateUpdate :one
UPDATE orders.tax_rates SET country = @country, region = @region, class = @class, basis_points = @basis_points,
    name = @name, updated_at = now()
WHERE id = @id RETURNING *;

-- name: TaxRateDelete :execrows
DELETE FROM orders.tax_rates WHERE id = $1;

-- Discount codes as the back office manages them. Redemption is in queries.sql, with
-- the order it belongs to.

-- name: DiscountCodesPage :many
SELECT * FROM orders.discount_codes ORDER BY created_at DESC, id DESC
LIMIT @max_rows OFFSET @skip_rows;

-- name: DiscountCodesCount :one
SELECT count(*) FROM orders.discount_codes;

-- name: DiscountCodeGetByID :one
SELECT * FROM orders.discount_codes WHERE id = $1;

-- name: DiscountCodeLockByID :one
SELECT * FROM orders.discount_codes WHERE id = $1 FOR UPDATE;

-- name: DiscountCodeUpdate :one
UPDATE orders.discount_codes SET code = @code, kind = @kind, basis_points = @basis_points,
    amount_minor = @amount_minor, currency = @currency, min_subtotal_minor = @min_subtotal_minor,
    starts_at = @starts_at, ends_at = @ends_at, usage_limit = @usage_limit,
    per_customer_limit = @per_customer_limit, active = @active, updated_at = now()
WHERE id = @id RETURNING *;

-- name: DiscountCodeDeactivate :one
UPDATE orders.discount_codes SET active = false, updated_at = now() WHERE id = $1 RETURNING *;

-- PricingSettingsAll reads everything checkout prices with in one round trip: checkout
-- asks on every page, and under load the database is what a checkout waits for.
-- name: PricingSettingsAll :one
SELECT s.tax_mode,
    coalesce((SELECT jsonb_agg(jsonb_build_object('id', z.id, 'name', z.name, 'countries', z.countries)
                               ORDER BY z.position, z.id)
              FROM orders.shipping_zones z), '[]')::jsonb AS zones,
    coalesce((SELECT jsonb_agg(jsonb_build_object('id', m.id, 'zone_id', m.zone_id, 'name', m.name, 'kind', m.kind,
                                                  'currency', m.currency, 'price_minor', m.price_minor,
                                                  'free_over_minor', m.free_over_minor, 'tiers', m.tiers)
                               ORDER BY m.zone_id, m.position, m.id)
              FROM orders.shipping_methods m WHERE m.active), '[]')::jsonb AS methods,
    coalesce((SELECT jsonb_agg(jsonb_build_object('id', r.id, 'country', r.country, 'region', r.region,
                                                  'class', r.class, 'basis_points', r.basis_points, 'name', r.name)
                               ORDER BY r.country, r.region, r.class)
              FROM orders.tax_rates r), '[]')::jsonb AS rates
FROM orders.store_settings s
WHERE s.singleton;

-- name: StoreSettingsSetDetails :exec
UPDATE orders.store_settings
SET store_name = @store_name, contact_email = @contact_email, currency = @currency, updated_at = now()
WHERE singleton;

-- name: StoreSettingsSetLogo :exec
UPDATE orders.store_settings SET logo_sha256 = @logo_sha256, updated_at = now() WHERE singleton;

-- StoreCurrenciesInUse lists the currencies other than @currency that shipping prices or
-- discount amounts are in: the store's currency cannot move away from them.
-- name: StoreCurrenciesInUse :many
SELECT currency FROM orders.shipping_methods WHERE currency <> @currency::text
UNION
SELECT currency FROM orders.discount_codes WHERE currency <> '' AND currency <> @currency::text
ORDER BY 1;

-- name: StoreLogoInsert :exec
INSERT INTO orders.store_logos (sha256, content_type, width, height, data)
VALUES (@sha256, @content_type, @width, @height, @data)
ON CONFLICT (sha256) DO NOTHING;

-- name: StoreLogoInfo :one
SELECT sha256, content_type, width, height FROM orders.store_logos WHERE sha256 = $1;

-- name: StoreLogoGet :one
SELECT data, content_type FROM orders.store_logos WHERE sha256 = $1;

-- name: StoreLogosDeleteUnused :exec
DELETE FROM orders.store_logos
WHERE sha256 <> (SELECT logo_sha256 FROM orders.store_settings WHERE singleton);

-- name: StoreSettingsSetCurrencyIfBlank :exec
UPDATE orders.store_settings SET currency = @currency, updated_at = now() WHERE singleton AND currency = '';
