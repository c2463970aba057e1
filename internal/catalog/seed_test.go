package catalog_test

import (
	"context"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
)

// copyTracer remembers the largest COPY a connection made.
type copyTracer struct {
	mu      sync.Mutex
	maxRows int64
}

func (*copyTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return ctx
}
func (*copyTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (*copyTracer) TraceCopyFromStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceCopyFromStartData) context.Context {
	return ctx
}
func (c *copyTracer) TraceCopyFromEnd(_ context.Context, _ *pgx.Conn, d pgx.TraceCopyFromEndData) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.maxRows = max(c.maxRows, d.CommandTag.RowsAffected())
}

// TestSeedDemoBoundedStatements seeds through a session with half the default statement
// timeout (the whole suite shares two cores, so not less): the seed writes a chunk of
// products per statement, so its statements stay small whatever the catalog's size, and a
// shop seeded with 100,000 products needs no lifted timeout.
func TestSeedDemoBoundedStatements(t *testing.T) {
	t.Parallel()
	tracer := &copyTracer{}
	pool, err := db.Open(t.Context(), dbtest.URL(t)+"&statement_timeout=15000", db.PoolOptions{Tracer: tracer})
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	var timeout string
	require.NoError(t, pool.QueryRow(t.Context(), "SHOW statement_timeout").Scan(&timeout))
	require.Equal(t, "15s", timeout)

	svc := catalog.NewService(pool, nil)
	require.NoError(t, svc.SeedDemo(t.Context(), catalog.SeedOptions{Products: 2200, Seed: 3}))
	n, err := svc.CountProducts(t.Context())
	require.NoError(t, err)
	require.EqualValues(t, 2200, n)
	require.LessOrEqual(t, tracer.maxRows, int64(50_000),
		"one COPY wrote %d rows: the seed should write a chunk of products at a time", tracer.maxRows)

	var drift int
	require.NoError(t, pool.QueryRow(t.Context(), `
		SELECT count(*) FROM catalog.search_terms k FULL JOIN catalog.count_search_terms() c ON c.term = k.term
		WHERE k.frequency IS DISTINCT FROM c.frequency`).Scan(&drift))
	require.Zero(t, drift, "the vocabulary the chunks add up to is the whole catalog's")
}
