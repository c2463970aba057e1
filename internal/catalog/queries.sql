-- name: ProductCount :one
SELECT count(*) FROM catalog.products;

-- name: CategoryInsert :one
INSERT INTO catalog.categories (parent_id, slug, name, description, position)
VALUES ($1, $2, $3, $4, $5)
RETURNING id;

-- name: ProductInsert :one
INSERT INTO catalog.products (slug, title, description, brand, status, featured, published_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING id;

-- name: VariantInsert :one
INSERT INTO catalog.variants (product_id, sku, title, price_minor, compare_at_minor, currency, weight_grams, position)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
RETURNING id;

-- name: ProductCategoriesKeep :exec
-- Removes the product from every category but those given.
DELETE FROM catalog.product_categories WHERE product_id = $1 AND NOT (category_id = ANY (sqlc.arg(keep)::bigint[]));

-- name: ProductCategoryAppend :exec
-- Files the product in a category, last in the category's order; a category it is
-- already in keeps its place.
INSERT INTO catalog.product_categories (product_id, category_id, position)
SELECT sqlc.arg(product_id), sqlc.arg(category_id),
       coalesce((SELECT max(position) + 1 FROM catalog.product_categories WHERE category_id = sqlc.arg(category_id)), 0)
ON CONFLICT (product_id, category_id) DO NOTHING;

-- The storefront read model reads products with queries_readmodel.sql; the category
-- tree and the vocabulary, small, are read whole.

-- name: SnapshotCategories :many
SELECT id, parent_id, slug, name, description, position, seo_title, seo_description, featured
FROM catalog.categories
ORDER BY position, name, id;

-- name: SnapshotCategoryRedirects :many
SELECT r.old_slug, c.slug
FROM catalog.category_slug_redirects r
JOIN catalog.categories c ON c.id = r.category_id;

-- name: SnapshotSearchTerms :many
SELECT term FROM catalog.search_terms;

-- Back office: every status, straight from the tables (the snapshot holds active products only).

-- name: AdminProductList :many
-- The page is chosen first and only its rows get their variant figures: computed in the
-- outer list, they were worked out for every row the offset skips (a deep page of a
-- million products took longer than the statement timeout).
SELECT p.id, p.slug, p.title, p.brand, p.status, p.featured, p.version, p.updated_at,
       (SELECT count(*) FROM catalog.variants v WHERE v.product_id = p.id AND v.status = 'active')::int AS variant_count,
       coalesce((SELECT min(price_minor) FROM catalog.variants v WHERE v.product_id = p.id AND v.status = 'active'), 0)::bigint AS min_price,
       coalesce((SELECT min(currency) FROM catalog.variants v WHERE v.product_id = p.id), '')::text AS currency
FROM catalog.products p
WHERE p.id IN (
    SELECT q.id FROM catalog.products q
    WHERE (sqlc.arg(status)::text = '' OR q.status = sqlc.arg(status)::text)
      AND (sqlc.arg(category_id)::bigint = 0 OR EXISTS (
            SELECT 1 FROM catalog.product_categories pc WHERE pc.product_id = q.id AND pc.category_id = sqlc.arg(category_id)::bigint))
      AND (sqlc.arg(search)::text = '' OR catalog.fold(q.title) LIKE '%' || catalog.fold(sqlc.arg(search)::text) || '%' ESCAPE '\'
           OR q.slug LIKE '%' || lower(sqlc.arg(search)::text) || '%' ESCAPE '\'
           OR EXISTS (SELECT 1 FROM catalog.variants v WHERE v.product_id = q.id AND lower(v.sku) LIKE lower(sqlc.arg(search)::text) || '%' ESCAPE '\'))
    ORDER BY q.updated_at DESC, q.id DESC
    LIMIT sqlc.arg(max_rows) OFFSET sqlc.arg(skip))
ORDER BY p.updated_at DESC, p.id DESC;

-- name: AdminProductCount :one
SELECT count(*) FROM catalog.products p
WHERE (sqlc.arg(status)::text = '' OR p.status = sqlc.arg(status)::text)
  AND (sqlc.arg(category_id)::bigint = 0 OR EXISTS (
        SELECT 1 FROM catalog.product_categories pc WHERE pc.product_id = p.id AND pc.category_id = sqlc.arg(category_id)::bigint))
  AND (sqlc.arg(search)::text = '' OR catalog.fold(p.title) LIKE '%' || catalog.fold(sqlc.arg(search)::text) || '%' ESCAPE '\'
       OR p.slug LIKE '%' || lower(sqlc.arg(search)::text) || '%' ESCAPE '\'
       OR EXISTS (SELECT 1 FROM catalog.variants v WHERE v.product_id = p.id AND lower(v.sku) LIKE lower(sqlc.arg(search)::text) || '%' ESCAPE '\'));

-- name: AdminProductGet :one
SELECT * FROM catalog.products WHERE id = $1;

-- name: AdminProductLock :one
-- The editor's version check and the write happen under this row lock.
SELECT * FROM catalog.products WHERE id = $1 FOR UPDATE;

-- name: AdminProductUpdate :one
UPDATE catalog.products SET slug = $2, title = $3, description = $4, brand = $5, status = $6,
    featured = $7, seo_title = $8, seo_description = $9,
    published_at = CASE WHEN $6 = 'active' AND published_at IS NULL THEN now() ELSE published_at END,
    version = version + 1, updated_at = now()
WHERE id = $1
RETURNING version;

-- name: AdminProductBump :one
UPDATE catalog.products SET version = version + 1, updated_at = now() WHERE id = $1 RETURNING version;

-- name: AdminProductSetStatus :execrows
UPDATE catalog.products SET status = sqlc.arg(status)::text,
    published_at = CASE WHEN sqlc.arg(status)::text = 'active' AND published_at IS NULL THEN now() ELSE published_at END,
    version = version + 1, updated_at = now()
WHERE id = ANY(sqlc.arg(ids)::bigint[]) AND status <> sqlc.arg(status)::text;

-- name: SlugRedirectInsert :exec
INSERT INTO catalog.product_slug_redirects (old_slug, product_id) VALUES ($1, $2)
ON CONFLICT (old_slug) DO UPDATE SET product_id = EXCLUDED.product_id, created_at = now();

-- name: SlugRedirectDelete :exec
-- A slug in use again by a product is no longer a redirect.
DELETE FROM catalog.product_slug_redirects WHERE old_slug = $1;

-- name: ProductCategoryList :many
SELECT category_id FROM catalog.product_categories WHERE product_id = $1 ORDER BY category_id;

-- name: ProductAttributesDelete :exec
DELETE FROM catalog.product_attributes WHERE product_id = $1;

-- name: ProductAttributeInsert :exec
INSERT INTO catalog.product_attributes (product_id, name, value) VALUES ($1, $2, $3);

-- name: ProductAttributeList :many
SELECT name, value FROM catalog.product_attributes WHERE product_id = $1 ORDER BY name;

-- name: OptionList :many
SELECT * FROM catalog.options WHERE product_id = $1 ORDER BY position, id;

-- name: OptionValueListForProduct :many
SELECT ov.* FROM catalog.option_values ov JOIN catalog.options o ON o.id = ov.option_id
WHERE o.product_id = $1 ORDER BY o.position, ov.position, ov.id;

-- name: OptionInsert :one
INSERT INTO catalog.options (product_id, name, position) VALUES ($1, $2, $3) RETURNING id;

-- name: OptionValueInsert :one
INSERT INTO catalog.option_values (option_id, value, position) VALUES ($1, $2, $3) RETURNING id;

-- name: OptionsDelete :exec
DELETE FROM catalog.options WHERE product_id = $1;

-- name: VariantListForProduct :many
SELECT * FROM catalog.variants WHERE product_id = $1 ORDER BY position, id;

-- name: VariantOptionValueListForProduct :many
SELECT vov.variant_id, vov.option_value_id FROM catalog.variant_option_values vov
JOIN catalog.variants v ON v.id = vov.variant_id WHERE v.product_id = $1;

-- name: VariantUpdate :exec
UPDATE catalog.variants SET sku = $2, title = $3, price_minor = $4, compare_at_minor = $5,
    weight_grams = $6, barcode = $7, position = $8, status = $9, updated_at = now()
WHERE id = $1;

-- name: VariantOptionValueInsert :exec
INSERT INTO catalog.variant_option_values (variant_id, option_value_id) VALUES ($1, $2);

-- name: VariantSkuOwner :one
SELECT product_id FROM catalog.variants WHERE lower(sku) = lower($1) AND id <> $2 LIMIT 1;

-- name: ImageListForProduct :many
SELECT * FROM catalog.images WHERE product_id = $1 ORDER BY position, id;

-- name: ImageSetPosition :execrows
UPDATE catalog.images SET position = $3 WHERE id = $1 AND product_id = $2;

-- name: ImageSetAlt :execrows
UPDATE catalog.images SET alt = $3 WHERE id = $1 AND product_id = $2;

-- name: ImageDelete :execrows
DELETE FROM catalog.images WHERE id = $1 AND product_id = $2;

-- name: ImageSetOptionValue :execrows
UPDATE catalog.images SET option_value_id = sqlc.narg(option_value_id) WHERE id = $1 AND product_id = $2;

-- name: ImageOptionValueNames :many
-- What each picture is shown for, by name: saving options rebuilds their values with new ids.
SELECT i.id, o.name, ov.value
FROM catalog.images i
JOIN catalog.option_values ov ON ov.id = i.option_value_id
JOIN catalog.options o ON o.id = ov.option_id
WHERE i.product_id = $1;

-- name: ImageRelinkOptionValue :exec
UPDATE catalog.images i SET option_value_id = (
    SELECT ov.id FROM catalog.options o JOIN catalog.option_values ov ON ov.option_id = o.id
    WHERE o.product_id = sqlc.arg(product_id) AND lower(o.name) = lower(sqlc.arg(name)) AND lower(ov.value) = lower(sqlc.arg(value))
    ORDER BY ov.id LIMIT 1)
WHERE i.id = sqlc.arg(image_id) AND i.product_id = sqlc.arg(product_id);

-- name: CategoryListAll :many
SELECT * FROM catalog.categories ORDER BY position, name, id;

-- name: CategoryGet :one
SELECT * FROM catalog.categories WHERE id = $1;

-- name: CategoryUpdate :exec
UPDATE catalog.categories SET parent_id = $2, slug = $3, name = $4, description = $5, position = $6,
    seo_title = $7, seo_description = $8, featured = $9, updated_at = now()
WHERE id = $1;

-- name: CategoryRedirectInsert :exec
INSERT INTO catalog.category_slug_redirects (old_slug, category_id) VALUES ($1, $2)
ON CONFLICT (old_slug) DO UPDATE SET category_id = EXCLUDED.category_id, created_at = now();

-- name: CategoryRedirectDelete :exec
DELETE FROM catalog.category_slug_redirects WHERE old_slug = $1;

-- name: CategoryDelete :execrows
DELETE FROM catalog.categories WHERE id = $1;

-- name: CategoryChildCount :one
SELECT count(*) FROM catalog.categories WHERE parent_id = $1;
