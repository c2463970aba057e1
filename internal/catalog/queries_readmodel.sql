-- The storefront read model (snapshot.go) reads products by ID: a whole catalog at start,
-- a range of IDs at a time (ids empty), and after a change only the products it names
-- (ids, with lo and hi their smallest and largest). One set of queries serves both, so a
-- model updated change by change is built exactly like one read whole. The reading
-- transaction forces custom plans (readload.go), so Postgres folds away the half of each
-- condition that does not apply and scans by range or by the IDs, not both.

-- name: ReadActiveProductIDs :many
SELECT id FROM catalog.products WHERE status = 'active' ORDER BY id;

-- name: ReadProducts :many
-- Every status: a product that is no longer active still tells its slug, so a retired
-- slug it took over stops redirecting.
SELECT id, slug, status, title, description, brand, featured, seo_title, seo_description,
       published_at, created_at, updated_at
FROM catalog.products
WHERE id BETWEEN sqlc.arg(lo) AND sqlc.arg(hi) AND (cardinality(sqlc.arg(ids)::bigint[]) = 0 OR id = ANY (sqlc.arg(ids)::bigint[]))
ORDER BY id;

-- Variants are read by readVariantsSQL (readvariants.go), decoded as they stream in.

-- name: ReadOptions :many
SELECT id, product_id, name
FROM catalog.options
WHERE product_id BETWEEN sqlc.arg(lo) AND sqlc.arg(hi) AND (cardinality(sqlc.arg(ids)::bigint[]) = 0 OR product_id = ANY (sqlc.arg(ids)::bigint[]))
ORDER BY product_id, position, id;

-- name: ReadOptionValues :many
-- The options' IDs first, then their values by index: joined, Postgres scanned every
-- option value of the shop in parallel for each chunk of a whole read (125 ms a chunk of
-- 5,000 products at 100,000, on three processes) instead of 48 ms on one.
SELECT ov.id, ov.option_id, ov.value
FROM catalog.option_values ov
WHERE ov.option_id = ANY (ARRAY(
    SELECT o.id FROM catalog.options o
    WHERE o.product_id BETWEEN sqlc.arg(lo) AND sqlc.arg(hi) AND (cardinality(sqlc.arg(ids)::bigint[]) = 0 OR o.product_id = ANY (sqlc.arg(ids)::bigint[]))
))
ORDER BY ov.option_id, ov.position, ov.id;

-- name: ReadProductCategories :many
SELECT product_id, category_id, position
FROM catalog.product_categories
WHERE product_id BETWEEN sqlc.arg(lo) AND sqlc.arg(hi) AND (cardinality(sqlc.arg(ids)::bigint[]) = 0 OR product_id = ANY (sqlc.arg(ids)::bigint[]));

-- name: ReadAttributes :many
SELECT product_id, name, value
FROM catalog.product_attributes
WHERE product_id BETWEEN sqlc.arg(lo) AND sqlc.arg(hi) AND (cardinality(sqlc.arg(ids)::bigint[]) = 0 OR product_id = ANY (sqlc.arg(ids)::bigint[]))
ORDER BY product_id, name;

-- name: ReadImages :many
SELECT id, product_id, option_value_id, alt, width, height, hash
FROM catalog.images
WHERE product_id BETWEEN sqlc.arg(lo) AND sqlc.arg(hi) AND (cardinality(sqlc.arg(ids)::bigint[]) = 0 OR product_id = ANY (sqlc.arg(ids)::bigint[])) AND rendered_at IS NOT NULL
ORDER BY product_id, position, id;

-- name: ReadProductRedirects :many
SELECT old_slug, product_id
FROM catalog.product_slug_redirects
WHERE product_id BETWEEN sqlc.arg(lo) AND sqlc.arg(hi) AND (cardinality(sqlc.arg(ids)::bigint[]) = 0 OR product_id = ANY (sqlc.arg(ids)::bigint[]));

-- name: SearchSKU :many
-- Products sold under a SKU, or when none, under SKUs starting with it.
WITH exact AS (
    SELECT DISTINCT v.product_id FROM catalog.variants v JOIN catalog.products p ON p.id = v.product_id
    WHERE lower(v.sku) = sqlc.arg(sku)::text AND v.status = 'active' AND p.status = 'active'
)
SELECT product_id FROM exact
UNION ALL
(SELECT DISTINCT v.product_id FROM catalog.variants v JOIN catalog.products p ON p.id = v.product_id
 WHERE NOT EXISTS (SELECT 1 FROM exact)
   AND lower(v.sku) LIKE sqlc.arg(prefix)::text ESCAPE '\' AND v.status = 'active' AND p.status = 'active'
 ORDER BY 1 LIMIT 1000)
ORDER BY 1;
