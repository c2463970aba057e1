-- The storefront read model (readmodel.go) reads products by ID: a whole catalog at start
-- in chunks of IDs, and after a change only the products it names. One set of queries
-- serves both, so a model updated change by change is built exactly like one read whole.

-- name: ReadActiveProductIDs :many
SELECT id FROM catalog.products WHERE status = 'active' ORDER BY id;

-- name: ReadProducts :many
-- Every status: a product that is no longer active still tells its slug, so a retired
-- slug it took over stops redirecting.
SELECT id, slug, status, title, description, brand, featured, seo_title, seo_description,
       published_at, created_at, updated_at
FROM catalog.products
WHERE id = ANY (sqlc.arg(ids)::bigint[])
ORDER BY id;

-- name: ReadVariants :many
SELECT id, product_id, sku, title, price_minor, compare_at_minor, currency, weight_grams, barcode
FROM catalog.variants
WHERE product_id = ANY (sqlc.arg(ids)::bigint[]) AND status = 'active'
ORDER BY product_id, position, id;

-- name: ReadOptions :many
SELECT id, product_id, name
FROM catalog.options
WHERE product_id = ANY (sqlc.arg(ids)::bigint[])
ORDER BY product_id, position, id;

-- name: ReadOptionValues :many
SELECT ov.id, ov.option_id, ov.value
FROM catalog.option_values ov
JOIN catalog.options o ON o.id = ov.option_id
WHERE o.product_id = ANY (sqlc.arg(ids)::bigint[])
ORDER BY ov.option_id, ov.position, ov.id;

-- name: ReadVariantOptionValues :many
SELECT vov.variant_id, vov.option_value_id
FROM catalog.variant_option_values vov
JOIN catalog.variants v ON v.id = vov.variant_id
WHERE v.product_id = ANY (sqlc.arg(ids)::bigint[]) AND v.status = 'active';

-- name: ReadProductCategories :many
SELECT product_id, category_id, position
FROM catalog.product_categories
WHERE product_id = ANY (sqlc.arg(ids)::bigint[]);

-- name: ReadAttributes :many
SELECT product_id, name, value
FROM catalog.product_attributes
WHERE product_id = ANY (sqlc.arg(ids)::bigint[])
ORDER BY product_id, name;

-- name: ReadImages :many
SELECT id, product_id, variant_id, alt, width, height, hash
FROM catalog.images
WHERE product_id = ANY (sqlc.arg(ids)::bigint[]) AND rendered_at IS NOT NULL
ORDER BY product_id, position, id;

-- name: ReadProductRedirects :many
SELECT old_slug, product_id
FROM catalog.product_slug_redirects
WHERE product_id = ANY (sqlc.arg(ids)::bigint[]);
