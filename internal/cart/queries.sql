-- Queries of the cart module; they touch only the cart schema.
--
-- A cart's updated_at says when it was last used, for deleting guest carts left for a
-- month; it moves at most once an hour. Every add to cart updates the cart row (that
-- update is also its lock), and an update that leaves every indexed column as it was is
-- a HOT update: no new index entries, and the row's old versions are pruned in place.
-- Setting updated_at on every add made every one of those updates write all four indexes.

-- name: GuestCartTouch :one
-- Finds a guest cart by its token, marks it used and locks it for the rest of the
-- transaction, so two changes of one cart (two tabs, a double click) apply one after the
-- other.
UPDATE cart.carts SET updated_at = CASE WHEN updated_at < now() - interval '1 hour' THEN now() ELSE updated_at END WHERE token = sqlc.arg(token)::text RETURNING id;

-- name: GuestCartLock :one
SELECT id FROM cart.carts WHERE token = sqlc.arg(token)::text FOR UPDATE;

-- name: AccountCartEnsure :one
-- One statement finds or creates the customer's cart and locks it: concurrent first
-- adds of one customer cannot create two carts.
INSERT INTO cart.carts (account_id) VALUES (sqlc.arg(account_id)::bigint)
ON CONFLICT (account_id) DO UPDATE
    SET updated_at = CASE WHEN carts.updated_at < now() - interval '1 hour' THEN now() ELSE carts.updated_at END
RETURNING id;

-- name: AccountCartTouch :one
UPDATE cart.carts SET updated_at = CASE WHEN updated_at < now() - interval '1 hour' THEN now() ELSE updated_at END WHERE account_id = sqlc.arg(account_id)::bigint RETURNING id;

-- name: CartDelete :exec
DELETE FROM cart.carts WHERE id = $1;

-- name: AccountCartDelete :exec
DELETE FROM cart.carts WHERE account_id = sqlc.arg(account_id)::bigint;

-- name: GuestCartsDeleteStale :execrows
-- In batches, so one run never holds locks on many rows at once.
DELETE FROM cart.carts WHERE id IN (
    SELECT c.id FROM cart.carts c
    WHERE c.account_id IS NULL AND c.updated_at < sqlc.arg(before)::timestamptz
    ORDER BY c.updated_at
    LIMIT sqlc.arg(batch)::int
);

-- name: LinesByToken :many
SELECT l.*
FROM cart.lines l JOIN cart.carts c ON c.id = l.cart_id
WHERE c.token = sqlc.arg(token)::text
ORDER BY l.added_at, l.id;

-- name: LinesByAccount :many
SELECT l.*
FROM cart.lines l JOIN cart.carts c ON c.id = l.cart_id
WHERE c.account_id = sqlc.arg(account_id)::bigint
ORDER BY l.added_at, l.id;

-- name: LinesOfCart :many
SELECT * FROM cart.lines WHERE cart_id = $1 ORDER BY added_at, id;

-- name: CountByToken :one
SELECT coalesce(sum(l.quantity), 0)::int
FROM cart.lines l JOIN cart.carts c ON c.id = l.cart_id
WHERE c.token = sqlc.arg(token)::text;

-- name: CountByAccount :one
SELECT coalesce(sum(l.quantity), 0)::int
FROM cart.lines l JOIN cart.carts c ON c.id = l.cart_id
WHERE c.account_id = sqlc.arg(account_id)::bigint;

-- name: LineByToken :one
-- A line is found only through its owner's cart: a line id from another cart is "not
-- found", whoever asks.
SELECT l.*
FROM cart.lines l JOIN cart.carts c ON c.id = l.cart_id
WHERE l.id = sqlc.arg(id) AND c.token = sqlc.arg(token)::text;

-- name: LineByAccount :one
SELECT l.*
FROM cart.lines l JOIN cart.carts c ON c.id = l.cart_id
WHERE l.id = sqlc.arg(id) AND c.account_id = sqlc.arg(account_id)::bigint;

-- An add is one statement, so the storefront's busiest write costs one round trip: it
-- finds (or creates) the cart, marks it used and sets the line to its quantity plus the
-- added one, capped by max_quantity (stock or the per-line maximum). It also returns the
-- quantity the line had, for the message and the event.

-- name: LineAddToGuestCart :one
WITH c AS (
    UPDATE cart.carts SET updated_at = CASE WHEN updated_at < now() - interval '1 hour' THEN now() ELSE updated_at END WHERE token = sqlc.arg(token)::text RETURNING id
), had AS (
    SELECT l.quantity FROM cart.lines l JOIN c ON l.cart_id = c.id WHERE l.variant_id = sqlc.arg(variant_id)::bigint
)
INSERT INTO cart.lines AS l (cart_id, variant_id, quantity)
SELECT c.id, sqlc.arg(variant_id)::bigint, LEAST(sqlc.arg(quantity)::int, sqlc.arg(max_quantity)::int) FROM c
ON CONFLICT (cart_id, variant_id) DO UPDATE SET quantity = LEAST(l.quantity + sqlc.arg(quantity)::int, sqlc.arg(max_quantity)::int)
RETURNING l.id, l.cart_id, l.quantity, coalesce((SELECT quantity FROM had), 0)::int AS had;

-- name: LineAddToNewGuestCart :one
WITH c AS (
    INSERT INTO cart.carts (token) VALUES (sqlc.arg(token)::text) RETURNING id
)
INSERT INTO cart.lines (cart_id, variant_id, quantity)
SELECT c.id, sqlc.arg(variant_id)::bigint, LEAST(sqlc.arg(quantity)::int, sqlc.arg(max_quantity)::int) FROM c
RETURNING id, cart_id, quantity;

-- name: LineAddToAccountCart :one
WITH c AS (
    INSERT INTO cart.carts (account_id) VALUES (sqlc.arg(account_id)::bigint)
    ON CONFLICT (account_id) DO UPDATE
    SET updated_at = CASE WHEN carts.updated_at < now() - interval '1 hour' THEN now() ELSE carts.updated_at END
    RETURNING id
), had AS (
    SELECT l.quantity FROM cart.lines l JOIN c ON l.cart_id = c.id WHERE l.variant_id = sqlc.arg(variant_id)::bigint
)
INSERT INTO cart.lines AS l (cart_id, variant_id, quantity)
SELECT c.id, sqlc.arg(variant_id)::bigint, LEAST(sqlc.arg(quantity)::int, sqlc.arg(max_quantity)::int) FROM c
ON CONFLICT (cart_id, variant_id) DO UPDATE SET quantity = LEAST(l.quantity + sqlc.arg(quantity)::int, sqlc.arg(max_quantity)::int)
RETURNING l.id, l.cart_id, l.quantity, coalesce((SELECT quantity FROM had), 0)::int AS had;

-- name: LineUpsert :one
INSERT INTO cart.lines (cart_id, variant_id, quantity) VALUES ($1, $2, $3)
ON CONFLICT (cart_id, variant_id) DO UPDATE SET quantity = EXCLUDED.quantity
RETURNING id;

-- name: LineSetQuantity :execrows
UPDATE cart.lines SET quantity = $3 WHERE id = $1 AND cart_id = $2;

-- name: LineLower :execrows
-- Only ever lowers: a concurrent add that raised the line in the meantime is judged by
-- the next look at the cart, never undone here.
UPDATE cart.lines SET quantity = sqlc.arg(quantity)::int
WHERE id = sqlc.arg(id) AND quantity > sqlc.arg(quantity)::int;

-- name: LineDelete :one
DELETE FROM cart.lines WHERE id = $1 AND cart_id = $2 RETURNING *;

-- Checkout (clear.go): the order took the cart's lines.

-- name: LinesDeleteOfCart :many
DELETE FROM cart.lines WHERE cart_id = $1 RETURNING variant_id, quantity;

-- name: LinesDeleteOfGuestCart :many
-- Checkout empties a guest's cart in one statement: the cart row is locked (as every
-- writer of a cart does) in the same statement that deletes its lines.
DELETE FROM cart.lines
WHERE cart_id = (SELECT c.id FROM cart.carts c WHERE c.token = sqlc.arg(token)::text FOR UPDATE)
RETURNING cart_id, variant_id, quantity;
