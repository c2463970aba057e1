package catalog_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/internal/platform/jobs"
	"github.com/monoshop/monoshop/internal/platform/obs"
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

// seedWithPictures seeds a demo catalog the way `shop seed` does as far as pictures go:
// with a job client that only inserts, every product gets its picture and the picture's
// rendering is queued, not done.
func seedWithPictures(t *testing.T, tb *testBundle, opts catalog.SeedOptions) {
	t.Helper()
	reg := jobs.NewRegistry()
	tb.svc.RegisterJobs(reg)
	queue, err := jobs.NewClient(tb.pool, reg, obs.Discard(), jobs.Options{})
	require.NoError(t, err)
	tb.svc.UseJobs(queue)
	require.NoError(t, tb.svc.SeedDemo(tb.ctx, opts))
}

// seededProduct is a demo product as a shopper meets it.
type seededProduct struct {
	slug, brand, title, description string
	category, colour, picture       string // the picture shows the product in its first colour
	currencies                      string
}

func seededProducts(t *testing.T, tb *testBundle) []seededProduct {
	t.Helper()
	rows, err := tb.pool.Query(tb.ctx, `
		SELECT p.slug, p.brand, p.title, p.description,
			(SELECT c.slug FROM catalog.product_categories pc JOIN catalog.categories c ON c.id = pc.category_id
			 WHERE pc.product_id = p.id AND c.slug <> 'sale' ORDER BY pc.position LIMIT 1),
			(SELECT ov.value FROM catalog.options o JOIN catalog.option_values ov ON ov.option_id = o.id
			 WHERE o.product_id = p.id AND o.name = 'Color' ORDER BY ov.position LIMIT 1),
			coalesce((SELECT i.hash FROM catalog.images i WHERE i.product_id = p.id ORDER BY i.position LIMIT 1), ''),
			(SELECT string_agg(DISTINCT v.currency, ',') FROM catalog.variants v WHERE v.product_id = p.id)
		FROM catalog.products p ORDER BY p.id`)
	require.NoError(t, err)
	var out []seededProduct
	for rows.Next() {
		var p seededProduct
		require.NoError(t, rows.Scan(&p.slug, &p.brand, &p.title, &p.description, &p.category, &p.colour, &p.picture, &p.currencies))
		out = append(out, p)
	}
	require.NoError(t, rows.Err())
	return out
}

// sentences splits a description into its sentences. "Dr. Martens" is a brand, not the
// end of a sentence.
func sentences(s string) []string {
	s = strings.ReplaceAll(s, "Dr. ", "Dr\u00a0")
	var out []string
	for _, part := range strings.SplitAfter(s, ". ") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// TestSeedDemoLooksLikeAShop: a few thousand demo products read like a real shop's
// range: titles that never say a word twice, descriptions that never repeat a sentence
// and differ from product to product, euro prices to go with the demo seller's French
// VAT, and pictures that differ between products of the same colour and category.
func TestSeedDemoLooksLikeAShop(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	const products = 2000
	seedWithPictures(t, tb, catalog.SeedOptions{Products: products, Seed: 11})
	seeded := seededProducts(t, tb)
	require.Len(t, seeded, products)

	t.Run("OKTitlesSayEachWordOnce", func(t *testing.T) {
		var doubled []string
		for _, p := range seeded {
			seen := map[string]bool{}
			for _, w := range strings.FieldsFunc(strings.ToLower(p.title), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
				if seen[w] {
					doubled = append(doubled, p.title)
					break
				}
				seen[w] = true
			}
		}
		require.Empty(t, doubled, "titles that repeat a word")
	})

	t.Run("OKDescriptionsSayEachSentenceOnce", func(t *testing.T) {
		var repeated []string
		for _, p := range seeded {
			ss := sentences(p.description)
			require.GreaterOrEqual(t, len(ss), 3, "%s: %q says too little", p.slug, p.description)
			seen := map[string]bool{}
			for _, s := range ss {
				if seen[s] {
					repeated = append(repeated, p.description)
					break
				}
				seen[s] = true
			}
		}
		require.Empty(t, repeated, "descriptions that repeat a sentence")
	})

	t.Run("OKDescriptionsVary", func(t *testing.T) {
		distinct := map[string]bool{}
		uses := map[string]int{}
		for _, p := range seeded {
			distinct[p.description] = true
			for _, s := range sentences(p.description) {
				uses[s]++
			}
		}
		require.GreaterOrEqual(t, len(distinct), products*99/100, "descriptions differ from product to product")
		for s, n := range uses {
			require.LessOrEqual(t, n, products/3, "%q is in %d of %d descriptions", s, n, products)
		}
	})

	t.Run("OKPricedInEuros", func(t *testing.T) {
		for _, p := range seeded {
			require.Equal(t, "EUR", p.currencies, "%s is priced in euros, like the demo seller's invoices", p.slug)
		}
		currency, err := tb.svc.Currency(tb.ctx)
		require.NoError(t, err)
		require.Equal(t, "EUR", currency, "the shop's currency, which shipping and discounts follow")
	})

	t.Run("OKPicturesVaryWithinAColour", func(t *testing.T) {
		pictures := map[string]bool{}
		type group struct{ category, colour string }
		byGroup := map[group]map[string]int{}
		for _, p := range seeded {
			require.NotEmpty(t, p.picture, "%s has a picture", p.slug)
			pictures[p.picture] = true
			g := group{p.category, p.colour}
			if byGroup[g] == nil {
				byGroup[g] = map[string]int{}
			}
			byGroup[g][p.picture]++
		}
		checked := 0
		for g, shown := range byGroup {
			n := 0
			for _, k := range shown {
				n += k
			}
			if n < 3 {
				continue
			}
			checked++
			require.Greater(t, len(shown), 1, "the %d %s %s all show the same picture", n, g.colour, g.category)
		}
		require.Greater(t, checked, 100, "enough products share a colour and category to tell")
		require.LessOrEqual(t, len(pictures), 400, "pictures are shared: a few hundred at most, whatever the catalog's size")
	})
}

// TestSeedDemoDeterministic: the same seed gives the same shop, words and pictures alike.
func TestSeedDemoDeterministic(t *testing.T) {
	t.Parallel()
	a, b := setup(t), setup(t)
	seedWithPictures(t, a, catalog.SeedOptions{Products: 60, Seed: 5})
	seedWithPictures(t, b, catalog.SeedOptions{Products: 60, Seed: 5})
	pa, pb := seededProducts(t, a), seededProducts(t, b)
	require.Len(t, pa, 60)
	require.Equal(t, pa, pb)
}
