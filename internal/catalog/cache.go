package catalog

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
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

// cache holds the current snapshot and keeps it in step with the database: at start (or
// after a notification may have been missed) it reads the whole catalog; after that it
// applies each change to the products the change names.
type cache struct {
	pool *pgxpool.Pool
	q    *dbsqlc.Queries
	log  *slog.Logger

	current atomic.Pointer[snapshot]
	// invalidations counts requests for a full read; a snapshot remembers the count its
	// full read started at, so a request made during a read is never lost.
	invalidations atomic.Int64
	// loadMu serialises reads and changes, so each starts from the one before.
	loadMu     sync.Mutex
	generation int64 // under loadMu
	interner   *interner

	pendingMu sync.Mutex
	pending   change
	wake      chan struct{}

	// origin tags the notifications of this cache's own writes (change.go).
	origin string
}

func newCache(pool *pgxpool.Pool, q *dbsqlc.Queries, log *slog.Logger) *cache {
	return &cache{pool: pool, q: q, log: log, wake: make(chan struct{}, 1), origin: rand.Text()}
}

// get returns the current snapshot, reading the whole catalog first when none is loaded
// or a full read was asked for since.
func (c *cache) get(ctx context.Context) (*snapshot, error) {
	if s := c.current.Load(); s != nil && s.invalidation == c.invalidations.Load() {
		return s, nil
	}
	return c.reload(ctx)
}

// reload reads the whole catalog unless another goroutine already did since the last
// invalidation. Requests arriving during a reload wait for it rather than each loading.
func (c *cache) reload(ctx context.Context) (*snapshot, error) {
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	inv := c.invalidations.Load()
	if s := c.current.Load(); s != nil && s.invalidation == inv {
		return s, nil
	}
	start := time.Now()
	s, err := c.loadAll(context.WithoutCancel(ctx))
	if err != nil {
		// Serving a slightly stale catalog beats serving an error page.
		if old := c.current.Load(); old != nil {
			c.log.ErrorContext(ctx, "catalog reload failed; serving the previous snapshot", "err", err)
			return old, nil
		}
		return nil, err
	}
	s.invalidation = inv
	c.current.Store(s)
	c.log.InfoContext(ctx, "catalog read", "products", s.productCount(), "variants", s.variants.count, "took", time.Since(start).Round(time.Millisecond))
	return s, nil
}

// loadAll reads the whole active catalog inside one repeatable-read transaction, so every
// query sees one state, a chunk of products at a time. Caller holds loadMu.
func (c *cache) loadAll(ctx context.Context) (*snapshot, error) {
	start := time.Now()
	tx, err := beginRead(ctx, c.pool, "")
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	cats, err := loadCategories(ctx, tx, c.q)
	if err != nil {
		return nil, err
	}
	ids, err := c.q.ReadActiveProductIDs(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("catalog: read catalog: %w", err)
	}
	parts, in, err := c.readChunks(ctx, tx, ids, cats)
	if err != nil {
		return nil, err
	}
	c.interner = in
	n := 0
	for _, part := range parts {
		n += len(part)
	}
	// Sized once: at 100,000 products, growing it by doubling moved and dropped tens of
	// megabytes during the start.
	loaded := make([]loadedProduct, 0, n)
	for _, part := range parts {
		loaded = append(loaded, part...)
	}
	terms, err := c.q.SnapshotSearchTerms(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("catalog: read search terms: %w", err)
	}
	read := time.Since(start)
	defer func() {
		// A whole read leaves several times the catalog's size in garbage (the rows of
		// every chunk); hand it back now rather than letting the heap's high-water mark
		// become the process's size.
		debug.FreeOSMemory()
		c.log.DebugContext(ctx, "catalog read whole", "reading", read, "building", time.Since(start)-read)
	}()
	c.generation++
	s := emptySnapshot(cats, len(ids))
	s.categoriesChanged = c.generation
	s.facetsChanged = c.generation
	changed := make([]ProductID, len(ids))
	for i, id := range ids {
		changed[i] = ProductID(id)
	}
	return s.applyProducts(changed, loaded, terms, newSearchCache(), c.generation), nil
}

// readWorkers is how many connections read a whole catalog at once: the database does
// most of the work, and two keep two cores busy without taking the pool from pages.
const readWorkers = 2

// readChunks reads the products with the given IDs by ranges of IDs (which Postgres reads
// far faster than lists of IDs), on several connections that share tx's snapshot.
//
// Each worker also makes its products' read model entries (cats being the category tree
// the snapshot will have), so that work runs beside the reading rather than after it.
func (c *cache) readChunks(ctx context.Context, tx pgx.Tx, ids []int64, cats *categoryIndex) ([][]loadedProduct, *interner, error) {
	chunks := slices.Collect(slices.Chunk(ids, loadChunk))
	parts := make([][]loadedProduct, len(chunks))
	if len(chunks) == 0 {
		return parts, newInterner(), nil
	}
	var snapshotID string
	if err := tx.QueryRow(ctx, "SELECT pg_export_snapshot()").Scan(&snapshotID); err != nil {
		return nil, nil, fmt.Errorf("catalog: read catalog: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	interners := make([]*interner, min(readWorkers, len(chunks)))
	for w := range interners {
		interners[w] = newInterner()
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := func() error {
				conn, err := c.pool.Acquire(ctx)
				if err != nil {
					return fmt.Errorf("catalog: read catalog: %w", err)
				}
				defer conn.Release()
				wtx, err := beginRead(ctx, conn, snapshotID)
				if err != nil {
					return err
				}
				defer func() { _ = wtx.Rollback(context.WithoutCancel(ctx)) }()
				for {
					i := int(next.Add(1) - 1)
					if i >= len(chunks) {
						return nil
					}
					chunk := chunks[i]
					if parts[i], err = loadProducts(ctx, wtx, c.q, interners[w], chunk[0], chunk[len(chunk)-1], nil); err != nil {
						return err
					}
					for j := range parts[i] {
						if lp := &parts[i][j]; lp.active {
							lp.entry = newEntry(*lp, cats)
							lp.claims = productClaims(lp.entry.p, &lp.entry.vars)
						}
					}
				}
			}()
			if err != nil {
				errOnce.Do(func() { firstErr = err; cancel() })
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, nil, firstErr
	}
	return parts, interners[0], nil
}

// apply brings the snapshot up to date with a change: the products it names, or
// everything (also when nothing is loaded yet: a replica warms up as soon as it listens).
func (c *cache) apply(ctx context.Context, ch change) error {
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	cur := c.current.Load()
	inv := c.invalidations.Load()
	if ch.empty() || (cur == nil && !ch.all) {
		// Nothing read yet: the first read reads everything anyway.
		return nil
	}
	if cur == nil || cur.invalidation != inv || ch.all || ch.categories {
		// The tree decides every product's breadcrumbs and every category's members;
		// categories change rarely, so they cost a full read.
		start := time.Now()
		s, err := c.loadAll(ctx)
		if err != nil {
			return err
		}
		s.invalidation = inv
		c.current.Store(s)
		c.log.InfoContext(ctx, "catalog read", "products", s.productCount(), "variants", s.variants.count, "took", time.Since(start).Round(time.Millisecond))
		return nil
	}
	start := time.Now()
	ids := make([]int64, 0, len(ch.products))
	changed := make([]ProductID, 0, len(ch.products))
	for id := range ch.products {
		ids = append(ids, int64(id))
		changed = append(changed, id)
	}
	slices.Sort(ids)
	tx, err := beginRead(ctx, c.pool, "")
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	var loaded []loadedProduct
	for chunk := range slices.Chunk(ids, loadChunk) {
		part, err := loadProducts(ctx, tx, c.q, c.interner, chunk[0], chunk[len(chunk)-1], chunk)
		if err != nil {
			return err
		}
		loaded = append(loaded, part...)
	}
	terms, err := c.q.SnapshotSearchTerms(ctx, tx)
	if err != nil {
		return fmt.Errorf("catalog: read search terms: %w", err)
	}
	search, err := cur.search.after(ctx, tx, changed, cur.sameVocabulary(terms))
	if err != nil {
		return err
	}
	c.generation++
	c.current.Store(cur.applyProducts(changed, loaded, terms, search, c.generation))
	c.log.DebugContext(ctx, "catalog change applied", "products", len(changed), "took", time.Since(start))
	return nil
}

// invalidate asks for a full read; the next read does it.
func (c *cache) invalidate() { c.invalidations.Add(1) }

// notice queues a change for the applier (see follow), unless it is the echo of one
// this cache applied when it made it.
func (c *cache) notice(payload string) {
	if origin, rest, ok := strings.Cut(payload, originSep); ok {
		if origin == c.origin {
			return
		}
		payload = rest
	}
	c.pendingMu.Lock()
	c.pending.add(payload)
	c.pendingMu.Unlock()
	c.poke()
}

func (c *cache) poke() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *cache) takePending() change {
	c.pendingMu.Lock()
	defer c.pendingMu.Unlock()
	ch := c.pending
	c.pending = change{}
	return ch
}

// follow applies queued changes until ctx ends. Changes that arrive while one is being
// applied are applied together next, so a burst of edits costs a few applications.
func (c *cache) follow(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.wake:
		}
		ch := c.takePending()
		if err := c.apply(ctx, ch); err != nil {
			if ctx.Err() != nil {
				return
			}
			c.log.ErrorContext(ctx, "catalog change not applied; retrying", "err", err)
			// Put it back and try again shortly: the storefront keeps serving meanwhile.
			c.pendingMu.Lock()
			c.pending.merge(ch)
			c.pendingMu.Unlock()
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
			c.poke()
		}
	}
}

// listen follows catalog changes made by any replica until ctx ends, reconnecting after
// failures. After a reconnect it reads everything again, since notifications sent while
// it was away are lost.
func (c *cache) listen(ctx context.Context) {
	go c.follow(ctx)
	for ctx.Err() == nil {
		err := c.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		c.log.WarnContext(ctx, "catalog change listener lost its connection; retrying", "err", err)
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
	// Whatever changed before LISTEN took effect was not heard: read it all again, in the
	// background (the storefront serves the current snapshot meanwhile).
	c.notice(everythingChanged)
	for {
		n, err := raw.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		c.notice(n.Payload)
	}
}

// notifyProducts is called inside every catalog write transaction that changes products:
// Postgres delivers the notification only if the transaction commits, to every listening
// replica. The payload names the products, so a replica updates only those; a payload is
// at most notifyPayloadLimit bytes, and more products take several notifications. The
// writer applies the change itself once it commits (Service.changed).
func (c *cache) notifyProducts(ctx context.Context, tx pgx.Tx, ids ...ProductID) error {
	for _, payload := range encodeChange(c.origin+originSep, ids) {
		if _, err := tx.Exec(ctx, "SELECT pg_notify($1, $2)", changeChannel, payload); err != nil {
			return fmt.Errorf("catalog: notify change: %w", err)
		}
	}
	return nil
}

// notifyCategories announces a change to the category tree, which every listing and
// breadcrumb depends on. The writer applies it itself (Service.categoriesChanged).
func (c *cache) notifyCategories(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, "SELECT pg_notify($1, $2)", changeChannel, c.origin+originSep+categoriesChanged); err != nil {
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
