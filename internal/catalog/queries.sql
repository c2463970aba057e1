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

-- name: ProductCategoryInsert :exec
INSERT INTO catalog.product_categories (product_id, category_id, position)
VALUES ($1, $2, $3);

-- The storefront read model is loaded whole, in a fixed number of queries whatever the
-- catalog size (see snapshot.go).

-- name: SnapshotProducts :many
SELECT id, slug, title, description, brand, featured, seo_title, seo_description,
       published_at, created_at, updated_at
FROM catalog.products
WHERE status = 'active'
ORDER BY id;

-- name: SnapshotVariants :many
SELECT v.id, v.product_id, v.sku, v.title, v.price_minor, v.compare_at_minor, v.currency,
       v.weight_grams, v.barcode, v.position
FROM catalog.variants v
JOIN catalog.products p ON p.id = v.product_id
WHERE p.status = 'active' AND v.status = 'active'
ORDER BY v.product_id, v.position, v.id;

-- name: SnapshotOptions :many
SELECT o.id, o.product_id, o.name, o.position
FROM catalog.options o
JOIN catalog.products p ON p.id = o.product_id
WHERE p.status = 'active'
ORDER BY o.product_id, o.position, o.id;

-- name: SnapshotOptionValues :many
SELECT ov.id, ov.option_id, ov.value, ov.position
FROM catalog.option_values ov
JOIN catalog.options o ON o.id = ov.option_id
JOIN catalog.products p ON p.id = o.product_id
WHERE p.status = 'active'
ORDER BY ov.option_id, ov.position, ov.id;

-- name: SnapshotVariantOptionValues :many
SELECT vov.variant_id, vov.option_value_id
FROM catalog.variant_option_values vov
JOIN catalog.variants v ON v.id = vov.variant_id
JOIN catalog.products p ON p.id = v.product_id
WHERE p.status = 'active' AND v.status = 'active';

-- name: SnapshotProductCategories :many
SELECT pc.product_id, pc.category_id, pc.position
FROM catalog.product_categories pc
JOIN catalog.products p ON p.id = pc.product_id
WHERE p.status = 'active'
ORDER BY pc.category_id, pc.position, pc.product_id;

-- name: SnapshotAttributes :many
SELECT a.product_id, a.name, a.value
FROM catalog.product_attributes a
JOIN catalog.products p ON p.id = a.product_id
WHERE p.status = 'active'
ORDER BY a.product_id, a.name;

-- name: SnapshotImages :many
SELECT i.id, i.product_id, i.variant_id, i.position, i.alt, i.width, i.height, i.hash
FROM catalog.images i
JOIN catalog.products p ON p.id = i.product_id
WHERE p.status = 'active' AND i.rendered_at IS NOT NULL
ORDER BY i.product_id, i.position, i.id;

-- name: SnapshotCategories :many
SELECT id, parent_id, slug, name, description, position, seo_title, seo_description, featured
FROM catalog.categories
ORDER BY position, name, id;

-- name: SnapshotProductRedirects :many
SELECT r.old_slug, p.slug
FROM catalog.product_slug_redirects r
JOIN catalog.products p ON p.id = r.product_id
WHERE p.status = 'active';

-- name: SnapshotCategoryRedirects :many
SELECT r.old_slug, c.slug
FROM catalog.category_slug_redirects r
JOIN catalog.categories c ON c.id = r.category_id;

-- name: SnapshotSearchTerms :many
SELECT term FROM catalog.search_terms;
