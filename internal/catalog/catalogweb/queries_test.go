package catalogweb_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// statementCounter counts the SQL statements a pool sends.
type statementCounter struct{ n atomic.Int64 }

func (c *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TestNoNPlusOne proves that storefront pages send a fixed number of statements whatever
// the catalog's size: the catalog is served from memory after the first request, and
// only search asks Postgres (full-text search, and at most a spelling correction).
func TestNoNPlusOne(t *testing.T) {
	t.Parallel()

	pages := []struct {
		path string
		max  int64
	}{
		{"/", 0},
		{"/c/clothing", 0},
		{"", 0}, // the product page, filled in per catalog
		{"/search?q=shirt", 3},
	}
	count := func(t *testing.T, products int) []int64 {
		t.Helper()
		counter := &statementCounter{}
		env := newShopEnv(t, shopEnvOptions{products: products, tracer: counter})
		shop := env.serve(t, serveOptions{})
		paths := make([]string, len(pages))
		for i, p := range pages {
			paths[i] = p.path
		}
		paths[2] = "/p/" + env.slugs(t)[products/2]

		before := counter.n.Load()
		for _, p := range paths {
			require.Equal(t, http.StatusOK, shop.get(t, p).status, "warm-up GET %s", p)
		}
		require.Positive(t, counter.n.Load()-before, "the tracer sees the warm-up's snapshot load")
		out := make([]int64, len(paths))
		for i, p := range paths {
			before := counter.n.Load()
			require.Equal(t, http.StatusOK, shop.get(t, p).status, "GET %s", p)
			out[i] = counter.n.Load() - before
			require.LessOrEqual(t, out[i], pages[i].max, "statements for GET %s with %d products", p, products)
		}
		t.Logf("statements per page after warm-up with %d products: %v", products, out)
		return out
	}

	small, large := count(t, 30), count(t, 300)
	for i, p := range pages {
		require.LessOrEqual(t, large[i], small[i], "page %d (%s): statements must not grow with the catalog", i, p.path)
	}
}
