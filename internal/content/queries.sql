-- name: PageGet :one
SELECT * FROM content.pages WHERE id = $1;

-- name: PageGetPublishedBySlug :one
SELECT * FROM content.pages WHERE slug = $1 AND published;

-- name: PageRedirectFindPublished :one
-- The current address of a published page that used to live at old_slug.
SELECT p.slug FROM content.page_redirects r
JOIN content.pages p ON p.id = r.page_id
WHERE r.old_slug = $1 AND p.published;

-- name: PageListAll :many
SELECT id, slug, title, published, position, updated_at FROM content.pages
ORDER BY position, title, id;

-- name: PageListPublishedLinks :many
SELECT slug, title FROM content.pages WHERE published
ORDER BY position, title, id;

-- name: PageCount :one
SELECT count(*) FROM content.pages;

-- name: PageInsert :one
INSERT INTO content.pages (slug, title, body, published, position)
VALUES ($1, $2, $3, $4, $5)
RETURNING id;

-- name: PageUpdate :execrows
-- Saves only over the version the editor started from.
UPDATE content.pages
SET slug = $3, title = $4, body = $5, published = $6, position = $7,
    version = version + 1, updated_at = now()
WHERE id = $1 AND version = $2;

-- name: PageDelete :one
DELETE FROM content.pages WHERE id = $1 RETURNING *;

-- name: PageRedirectUpsert :exec
INSERT INTO content.page_redirects (old_slug, page_id) VALUES ($1, $2)
ON CONFLICT (old_slug) DO UPDATE SET page_id = EXCLUDED.page_id, created_at = now();

-- name: PageRedirectDelete :exec
DELETE FROM content.page_redirects WHERE old_slug = $1;
