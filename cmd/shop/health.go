package main

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/migrations"
)

// healthz says the process is alive; it checks nothing else, so an orchestrator restarts
// only a process that is truly stuck, not one whose database blipped.
func healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n"))
}

// readyz says whether this replica should get traffic: the database answers, its schema is
// current, the catalog and the stock copy have been read, and the process is not shutting
// down.
type readyz struct {
	pool     *pgxpool.Pool
	draining *atomic.Bool
	// catalogRead reports whether the storefront's catalog is in memory. Until it is,
	// every page would wait for it (about ten seconds at 100,000 products), so a load
	// balancer should send this replica's share elsewhere a little longer.
	catalogRead func() bool
	// stockRead reports whether the copy of stock levels that product and listing pages
	// read has been made. Pages wait for it too: at a million products (15 million
	// variants) the first read takes over a minute, and shoppers sent here before it ends
	// would wait that long on their first page and their first add to cart.
	stockRead func() bool
	// migrated caches a positive migration check: migrations only move forward, so once
	// current this binary's schema stays current.
	migrated atomic.Bool
}

func (h *readyz) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if reason := h.check(r.Context()); reason != "" {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("not ready: " + reason + "\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

func (h *readyz) check(ctx context.Context) string {
	if h.draining.Load() {
		return "shutting down"
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := h.pool.Ping(ctx); err != nil {
		return "database unreachable"
	}
	if !h.migrated.Load() {
		st, err := db.Status(ctx, h.pool, migrations.FS)
		if err != nil {
			return "migration status unknown"
		}
		if st.Pending() {
			return "migrations pending"
		}
		h.migrated.Store(true)
	}
	if h.catalogRead != nil && !h.catalogRead() {
		return "reading the catalog"
	}
	if h.stockRead != nil && !h.stockRead() {
		return "reading stock levels"
	}
	return ""
}
