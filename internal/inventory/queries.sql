-- name: LocationList :many
SELECT * FROM inventory.locations ORDER BY priority DESC, id;

-- name: LocationInsert :one
INSERT INTO inventory.locations (name, priority, active) VALUES ($1, $2, $3) RETURNING *;

-- name: LocationLock :one
SELECT * FROM inventory.locations WHERE id = $1 FOR UPDATE;

-- name: LocationUpdate :one
UPDATE inventory.locations SET name = $2, priority = $3, active = $4, updated_at = now() WHERE id = $1 RETURNING *;

-- name: LocationVariants :many
SELECT variant_id FROM inventory.levels WHERE location_id = $1;

-- name: ItemUpsert :exec
INSERT INTO inventory.items (variant_id, allow_backorder, low_stock_threshold) VALUES ($1, $2, $3)
ON CONFLICT (variant_id) DO UPDATE SET allow_backorder = EXCLUDED.allow_backorder,
    low_stock_threshold = EXCLUDED.low_stock_threshold, updated_at = now();

-- name: ItemEnsure :exec
INSERT INTO inventory.items (variant_id) VALUES ($1) ON CONFLICT (variant_id) DO NOTHING;

-- name: LevelsSyncBackorder :exec
UPDATE inventory.levels SET allow_backorder = $2, updated_at = now() WHERE variant_id = $1;

-- name: LevelEnsure :exec
INSERT INTO inventory.levels (variant_id, location_id, allow_backorder)
SELECT $1, $2, i.allow_backorder FROM inventory.items i WHERE i.variant_id = $1
ON CONFLICT (variant_id, location_id) DO NOTHING;

-- name: Availability :many
-- Stock per variant over active locations.
SELECT i.variant_id, i.allow_backorder, i.low_stock_threshold,
       coalesce(sum(l.on_hand) FILTER (WHERE loc.active), 0)::int AS on_hand,
       coalesce(sum(l.reserved) FILTER (WHERE loc.active), 0)::int AS reserved
FROM inventory.items i
LEFT JOIN inventory.levels l ON l.variant_id = i.variant_id
LEFT JOIN inventory.locations loc ON loc.id = l.location_id
WHERE i.variant_id = ANY(sqlc.arg(variant_ids)::bigint[])
GROUP BY i.variant_id, i.allow_backorder, i.low_stock_threshold;

-- name: LevelLock :one
SELECT * FROM inventory.levels WHERE variant_id = $1 AND location_id = $2 FOR UPDATE;

-- name: LevelAddReserved :exec
UPDATE inventory.levels SET reserved = reserved + sqlc.arg(delta)::int, updated_at = now()
WHERE variant_id = sqlc.arg(variant_id) AND location_id = sqlc.arg(location_id);

-- name: LevelAddOnHandAndReserved :exec
UPDATE inventory.levels SET on_hand = on_hand + sqlc.arg(delta_on_hand)::int, reserved = reserved + sqlc.arg(delta_reserved)::int, updated_at = now()
WHERE variant_id = sqlc.arg(variant_id) AND location_id = sqlc.arg(location_id);

-- name: LevelSetOnHandIfUnchanged :execrows
-- Compare-and-swap: the editor's view of on_hand must still be true.
UPDATE inventory.levels SET on_hand = sqlc.arg(new_on_hand)::int, updated_at = now()
WHERE variant_id = sqlc.arg(variant_id) AND location_id = sqlc.arg(location_id) AND on_hand = sqlc.arg(expected_on_hand)::int;

-- name: ReservationInsert :exec
INSERT INTO inventory.reservations (ref, variant_id, location_id, quantity) VALUES ($1, $2, $3, $4);

-- name: ReservationsForRef :many
-- Locked in level order, like every other writer.
SELECT * FROM inventory.reservations WHERE ref = $1 AND state = 'reserved'
ORDER BY variant_id, location_id, id FOR UPDATE;

-- name: ReservationSetState :exec
UPDATE inventory.reservations SET state = $2, updated_at = now() WHERE id = $1;

-- name: ReservedForRef :one
SELECT count(*) FROM inventory.reservations WHERE ref = $1 AND state = 'reserved';

-- name: MovementInsert :exec
INSERT INTO inventory.movements (variant_id, location_id, delta_on_hand, delta_reserved, reason, ref, actor_id, note)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8);

-- name: MovementList :many
SELECT * FROM inventory.movements WHERE variant_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2;

-- name: LevelsForVariant :many
SELECT l.*, loc.name AS location_name FROM inventory.levels l JOIN inventory.locations loc ON loc.id = l.location_id
WHERE l.variant_id = $1 ORDER BY loc.priority DESC, loc.id;

-- name: LowStock :many
SELECT i.variant_id, i.low_stock_threshold, coalesce(sum(l.on_hand - l.reserved), 0)::int AS available
FROM inventory.items i LEFT JOIN inventory.levels l ON l.variant_id = i.variant_id
GROUP BY i.variant_id, i.low_stock_threshold
HAVING coalesce(sum(l.on_hand - l.reserved), 0) <= i.low_stock_threshold
ORDER BY available, i.variant_id
LIMIT $1;

-- Added for the storefront's in-stock filter and the back office (instock.go, levels.go,
-- csv.go): every one reads many variants in one statement, so a page costs one query
-- however many variants it shows.

-- name: InStockAmong :many
-- Of the given variants, those a shopper can buy now: the rule ReserveTx applies to one
-- unit (stocked at an active location with some available, or allowed on backorder).
SELECT i.variant_id
FROM inventory.items i
JOIN inventory.levels l ON l.variant_id = i.variant_id
JOIN inventory.locations loc ON loc.id = l.location_id AND loc.active
WHERE i.variant_id = ANY(sqlc.arg(variant_ids)::bigint[])
GROUP BY i.variant_id, i.allow_backorder
HAVING i.allow_backorder OR sum(greatest(l.on_hand - l.reserved, 0)) > 0;

-- name: LevelsForVariants :many
SELECT l.variant_id, l.location_id, l.on_hand, l.reserved, loc.name AS location_name, loc.active
FROM inventory.levels l JOIN inventory.locations loc ON loc.id = l.location_id
WHERE l.variant_id = ANY(sqlc.arg(variant_ids)::bigint[])
ORDER BY l.variant_id, loc.priority DESC, loc.id;

-- name: ItemPage :many
-- Tracked variants in id order (variants of one product were created together, so they
-- stay together), for the back-office overview.
SELECT variant_id FROM inventory.items ORDER BY variant_id LIMIT sqlc.arg(max_rows) OFFSET sqlc.arg(skip);

-- name: ItemCount :one
SELECT count(*) FROM inventory.items;

-- Shipping and returns of orders (fulfil.go): a shipment commits part of a reservation,
-- a return puts units back on hand. Same lock order as every other writer.

-- name: ReservationsForRefVariant :many
SELECT * FROM inventory.reservations WHERE ref = $1 AND variant_id = $2 AND state = 'reserved'
ORDER BY location_id, id FOR UPDATE;

-- name: ReservationReduce :exec
-- Splits a reservation: the part that shipped or was released gets its own row (below),
-- the rest stays reserved under this one.
UPDATE inventory.reservations SET quantity = quantity - sqlc.arg(quantity)::int, updated_at = now() WHERE id = sqlc.arg(id);

-- name: ReservationInsertSettled :exec
INSERT INTO inventory.reservations (ref, variant_id, location_id, quantity, state) VALUES ($1, $2, $3, $4, $5);

-- name: LevelFirstLocation :one
-- Where returned units go back: the variant's level at its highest-priority active
-- location, else any of its levels.
SELECT l.location_id FROM inventory.levels l JOIN inventory.locations loc ON loc.id = l.location_id
WHERE l.variant_id = $1
ORDER BY loc.active DESC, loc.priority DESC, loc.id
LIMIT 1;

-- Storefront stock copies refresh by what moved since they last looked, instead of
-- re-reading every variant each second.

-- name: MovementsLastID :one
SELECT coalesce(max(id), 0)::bigint AS last_id FROM inventory.movements;

-- name: StockMovedSince :many
-- What every variant with a movement after @after_id, or a policy changed after
-- @since, or kept at a location switched on or off after @since, has available now.
-- Every replica runs this once a second while stock moves. The moved variants are
-- gathered into an array first: a prepared statement's generic plan cannot know that
-- "id > @after_id" is the last second's few hundred movements, guessed a third of the
-- table and joined every item and level by hash (0.3-0.5 s of a core each second at
-- 150,000 variants); an array is planned as a handful of keys, looked up by index (4-7 ms).
SELECT i.variant_id, i.allow_backorder,
       coalesce(sum(greatest(l.on_hand - l.reserved, 0)) FILTER (WHERE loc.active), 0)::int AS available,
       count(loc.id) FILTER (WHERE loc.active)::int AS active_locations,
       coalesce(sum(l.reserved) FILTER (WHERE loc.active), 0)::int AS reserved
FROM inventory.items i
LEFT JOIN inventory.levels l ON l.variant_id = i.variant_id
LEFT JOIN inventory.locations loc ON loc.id = l.location_id
WHERE i.variant_id = ANY (ARRAY(
    SELECT m.variant_id FROM inventory.movements m WHERE m.id > @after_id::bigint
    UNION
    SELECT it.variant_id FROM inventory.items it WHERE it.updated_at > @since::timestamptz
    UNION
    SELECT lv.variant_id FROM inventory.levels lv JOIN inventory.locations lo ON lo.id = lv.location_id
    WHERE lo.updated_at > @since::timestamptz
))
GROUP BY i.variant_id, i.allow_backorder;

-- name: Reserve :many
-- A whole reservation in one statement: lock the levels of every variant (in
-- (variant_id, location_id) order, like every writer), then either report the lines that
-- cannot be met (kind 'short', with what is available) and change nothing, or allocate
-- each line from its active levels by priority (highest first, then location id), the
-- part beyond stock of a backordered line at its first level, and write the levels, the
-- reservation rows and their ledger entries (kind 'reserved', one row per allocation).
-- The lines' variants must be distinct.
WITH want AS (
    -- Set-returning functions side by side in a select list are zipped (equal lengths).
    SELECT unnest(@variant_ids::bigint[]) AS variant_id, unnest(@quantities::int[]) AS quantity
), locked AS MATERIALIZED (
    SELECT l.variant_id, l.location_id, l.on_hand, l.reserved, l.allow_backorder, loc.priority, loc.active
    FROM inventory.levels l JOIN inventory.locations loc ON loc.id = l.location_id
    WHERE l.variant_id = ANY(@variant_ids::bigint[])
    ORDER BY l.variant_id, l.location_id
    FOR UPDATE OF l
), ranked AS (
    SELECT k.variant_id, k.location_id, k.allow_backorder, w.quantity AS wanted,
           greatest(k.on_hand - k.reserved, 0) AS free,
           coalesce(sum(greatest(k.on_hand - k.reserved, 0)) OVER (
               PARTITION BY k.variant_id ORDER BY k.priority DESC, k.location_id
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS free_before,
           row_number() OVER (PARTITION BY k.variant_id ORDER BY k.priority DESC, k.location_id) AS rank
    FROM locked k JOIN want w ON w.variant_id = k.variant_id
    WHERE k.active
), per_variant AS (
    SELECT r.variant_id, sum(r.free)::int AS available, bool_or(r.allow_backorder) AS backorder
    FROM ranked r GROUP BY r.variant_id
), short AS (
    SELECT w.variant_id, w.quantity, coalesce(p.available, 0) AS available
    FROM want w LEFT JOIN per_variant p ON p.variant_id = w.variant_id
    WHERE p.variant_id IS NULL OR (p.available < w.quantity AND NOT p.backorder)
), alloc AS (
    SELECT r.variant_id, r.location_id,
           (least(r.free, greatest(r.wanted - r.free_before, 0))
            + CASE WHEN r.rank = 1 THEN greatest(r.wanted - p.available, 0) ELSE 0 END)::int AS quantity
    FROM ranked r JOIN per_variant p ON p.variant_id = r.variant_id
    WHERE NOT EXISTS (SELECT 1 FROM short)
), taken AS (
    SELECT a.variant_id, a.location_id, a.quantity FROM alloc a WHERE a.quantity > 0
), up AS (
    UPDATE inventory.levels l SET reserved = l.reserved + t.quantity, updated_at = now()
    FROM taken t WHERE l.variant_id = t.variant_id AND l.location_id = t.location_id
), res AS (
    INSERT INTO inventory.reservations (ref, variant_id, location_id, quantity)
    SELECT @ref::text, t.variant_id, t.location_id, t.quantity FROM taken t
), mov AS (
    INSERT INTO inventory.movements (variant_id, location_id, delta_on_hand, delta_reserved, reason, ref)
    SELECT t.variant_id, t.location_id, 0, t.quantity, 'reserve', @ref::text FROM taken t
)
SELECT 'short'::text AS kind, s.variant_id::bigint AS variant_id, 0::bigint AS location_id,
       s.quantity::int AS quantity, s.available::int AS available
FROM short s
UNION ALL
SELECT 'reserved'::text, t.variant_id::bigint, t.location_id::bigint, t.quantity::int, 0::int FROM taken t;
