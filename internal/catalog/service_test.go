package catalog_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

type testBundle struct {
	ctx  context.Context
	pool *pgxpool.Pool
	svc  *catalog.Service
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	pool := dbtest.DB(t)
	return &testBundle{ctx: t.Context(), pool: pool, svc: catalog.NewService(pool, nil)}
}

func TestSeedDemo(t *testing.T) {
	t.Parallel()

	t.Run("OKDeterministic", func(t *testing.T) {
		t.Parallel()
		a, b := setup(t), setup(t)
		require.NoError(t, a.svc.SeedDemo(a.ctx, catalog.SeedOptions{Products: 40, Seed: 7}))
		require.NoError(t, b.svc.SeedDemo(b.ctx, catalog.SeedOptions{Products: 40, Seed: 7}))

		titles := func(tb *testBundle) []string {
			var out []string
			rows, err := tb.pool.Query(tb.ctx, `SELECT slug || ' ' || title || ' ' || brand FROM catalog.products ORDER BY id`)
			require.NoError(t, err)
			for rows.Next() {
				var s string
				require.NoError(t, rows.Scan(&s))
				out = append(out, s)
			}
			require.NoError(t, rows.Err())
			return out
		}
		ta, tb := titles(a), titles(b)
		require.Len(t, ta, 40)
		require.Equal(t, ta, tb, "the same seed must give the same catalog")

		n, err := a.svc.CountProducts(a.ctx)
		require.NoError(t, err)
		require.EqualValues(t, 40, n)
	})

	t.Run("OKEveryProductSellable", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		require.NoError(t, tb.svc.SeedDemo(tb.ctx, catalog.SeedOptions{Products: 30, Seed: 1}))
		var withoutVariant, withoutCategory int
		require.NoError(t, tb.pool.QueryRow(tb.ctx, `
			SELECT count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM catalog.variants v WHERE v.product_id = p.id)),
			       count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM catalog.product_categories c WHERE c.product_id = p.id))
			FROM catalog.products p`).Scan(&withoutVariant, &withoutCategory))
		require.Zero(t, withoutVariant, "every demo product has at least one variant with a price")
		require.Zero(t, withoutCategory, "every demo product is filed in a category")
	})
}

func TestListStorefrontProducts(t *testing.T) {
	t.Parallel()

	t.Run("OKActiveOnlyFeaturedFirstLowestPrice", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		_, err := tb.pool.Exec(tb.ctx, `
			WITH p AS (
				INSERT INTO catalog.products (slug, title, status, featured, published_at) VALUES
					('old-plain', 'Old Plain', 'active', false, now() - interval '2 days'),
					('new-plain', 'New Plain', 'active', false, now() - interval '1 day'),
					('featured', 'Featured', 'active', true, now() - interval '3 days'),
					('draft', 'Draft', 'draft', true, now()),
					('archived', 'Archived', 'archived', false, now())
				RETURNING id, slug)
			INSERT INTO catalog.variants (product_id, sku, price_minor, compare_at_minor, currency)
			SELECT id, slug || '-' || n, 1000 * n, CASE WHEN n = 1 THEN 1500 END, 'EUR'
			FROM p, generate_series(1, 3) n`)
		require.NoError(t, err)

		got, err := tb.svc.ListStorefrontProducts(tb.ctx, 10)
		require.NoError(t, err)
		var slugs []string
		for _, p := range got {
			slugs = append(slugs, p.Slug)
		}
		require.Equal(t, []string{"featured", "new-plain", "old-plain"}, slugs,
			"drafts and archived products never reach the storefront; featured first, then newest")
		require.Equal(t, "€10.00", got[0].Price.String(), "a card shows the lowest variant price")
		require.NotNil(t, got[0].CompareAt)
		require.Equal(t, "€15.00", got[0].CompareAt.String())
	})

	t.Run("OKLimitBounded", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		require.NoError(t, tb.svc.SeedDemo(tb.ctx, catalog.SeedOptions{Products: 12, Seed: 3}))
		got, err := tb.svc.ListStorefrontProducts(tb.ctx, 5)
		require.NoError(t, err)
		require.Len(t, got, 5)
		got, err = tb.svc.ListStorefrontProducts(tb.ctx, -1)
		require.NoError(t, err)
		require.Len(t, got, 12, "a nonsensical limit falls back to the maximum, not to an error")
	})
}

func TestListTopCategories(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	require.NoError(t, tb.svc.SeedDemo(tb.ctx, catalog.SeedOptions{Products: 5, Seed: 1}))
	cats, err := tb.svc.ListTopCategories(tb.ctx)
	require.NoError(t, err)
	var names []string
	for _, c := range cats {
		names = append(names, c.Name)
	}
	require.Equal(t, []string{"Clothing", "Footwear", "Accessories", "Sale"}, names)
}
