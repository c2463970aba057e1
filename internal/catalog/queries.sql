-- name: ProductListStorefront :many
-- Active products for the home page: featured first, then newest. The lowest variant price
-- is what a card shows ("from $12"), with its compare-at price when that variant has one.
SELECT p.id, p.slug, p.title, p.brand,
       v.price_minor, v.compare_at_minor, v.currency
FROM catalog.products p
JOIN LATERAL (
    SELECT price_minor, compare_at_minor, currency
    FROM catalog.variants
    WHERE product_id = p.id
    ORDER BY price_minor, position, id
    LIMIT 1
) v ON true
WHERE p.status = 'active'
ORDER BY p.featured DESC, p.published_at DESC NULLS LAST, p.id DESC
LIMIT sqlc.arg(max_rows);

-- name: CategoryListTopLevel :many
SELECT id, slug, name
FROM catalog.categories
WHERE parent_id IS NULL
ORDER BY position, name;

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
