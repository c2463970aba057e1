package catalog

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/monoshop/monoshop/internal/catalog/internal/dbsqlc"
)

// changeChannel is the Postgres NOTIFY channel every catalog write signals on. Every
// replica listens, so a change made through any of them reaches all of their caches.
const changeChannel = "catalog_changed"

// cache holds the current snapshot and rebuilds it when the catalog changes.
type cache struct {
	pool *pgxpool.Pool
	q    *dbsqlc.Queries
	log  *slog.Logger

	current atomic.Pointer[snapshot]
	// generation counts invalidations; a load records the generation it started at, so a
	// change during a load is never lost.
	generation atomic.Int64
	loadMu     sync.Mutex
}

func newCache(pool *pgxpool.Pool, q *dbsqlc.Queries, log *slog.Logger) *cache {
	return &cache{pool: pool, q: q, log: log}
}

// get returns a snapshot no older than the last invalidation this process has seen.
func (c *cache) get(ctx context.Context) (*snapshot, error) {
	if s := c.current.Load(); s != nil && s.generation == c.generation.Load() {
		return s, nil
	}
	return c.reload(ctx)
}

// reload builds a new snapshot unless another goroutine already did for the current
// generation. Requests arriving during a reload wait for it rather than each loading.
func (c *cache) reload(ctx context.Context) (*snapshot, error) {
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	gen := c.generation.Load()
	if s := c.current.Load(); s != nil && s.generation == gen {
		return s, nil
	}
	start := time.Now()
	s, err := loadSnapshot(context.WithoutCancel(ctx), c.pool, c.q)
	if err != nil {
		// Serving a slightly stale catalog beats serving an error page.
		if old := c.current.Load(); old != nil {
			c.log.ErrorContext(ctx, "catalog reload failed; serving the previous snapshot", "err", err)
			return old, nil
		}
		return nil, err
	}
	s.generation = gen
	c.current.Store(s)
	c.log.DebugContext(ctx, "catalog snapshot loaded", "products", len(s.products), "took", time.Since(start))
	return s, nil
}

// invalidate marks the snapshot stale; the next read rebuilds it.
func (c *cache) invalidate() { c.generation.Add(1) }

// listen follows catalog changes made by any replica until ctx ends, reconnecting after
// failures. After a reconnect it invalidates, since notifications sent while it was away
// are lost.
func (c *cache) listen(ctx context.Context) {
	for ctx.Err() == nil {
		err := c.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		c.log.WarnContext(ctx, "catalog change listener lost its connection; retrying", "err", err)
		c.invalidate()
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

func (c *cache) listenOnce(ctx context.Context) error {
	conn, err := c.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquire: %w", err)
	}
	// The connection stays in LISTEN mode, so it must never go back to the pool.
	raw := conn.Hijack()
	defer raw.Close(context.WithoutCancel(ctx))
	if _, err := raw.Exec(ctx, "LISTEN "+changeChannel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	c.invalidate()
	for {
		if _, err := raw.WaitForNotification(ctx); err != nil {
			return err
		}
		c.invalidate()
	}
}

// notifyProducts is called inside every catalog write transaction that changes products:
// Postgres delivers the notification only if the transaction commits, to every listening
// replica. The payload names the products, so a replica updates only those; a payload is
// at most notifyPayloadLimit bytes, and more products take several notifications.
func notifyProducts(ctx context.Context, tx pgx.Tx, ids ...ProductID) error {
	for _, payload := range encodeChange(ids) {
		if _, err := tx.Exec(ctx, "SELECT pg_notify($1, $2)", changeChannel, payload); err != nil {
			return fmt.Errorf("catalog: notify change: %w", err)
		}
	}
	return nil
}

// notifyCategories announces a change to the category tree, which every listing and
// breadcrumb depends on.
func notifyCategories(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, "SELECT pg_notify($1, $2)", changeChannel, categoriesChanged); err != nil {
		return fmt.Errorf("catalog: notify change: %w", err)
	}
	return nil
}

// notifyEverything asks every replica to reload the whole catalog: for bulk loads into an
// empty shop, where naming every product would cost more than reading them all.
func notifyEverything(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, "SELECT pg_notify($1, $2)", changeChannel, everythingChanged); err != nil {
		return fmt.Errorf("catalog: notify change: %w", err)
	}
	return nil
}
