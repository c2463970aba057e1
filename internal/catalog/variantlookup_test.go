package catalog_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/audit"
)

func TestVariantLookups(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	require.NoError(t, tb.svc.SeedDemo(tb.ctx, catalog.SeedOptions{Products: 6, Seed: 3}))
	list, err := tb.svc.ListProducts(tb.ctx, catalog.ListingQuery{})
	require.NoError(t, err)
	p, err := tb.svc.FindProductBySlug(tb.ctx, list.Products[0].Slug)
	require.NoError(t, err)
	v := p.Variants[0]
	// Staff stock drafts too: the look-ups see every status.
	_, err = tb.svc.SetProductsStatus(tb.ctx, audit.Actor{}, []catalog.ProductID{p.ID}, catalog.StatusDraft)
	require.NoError(t, err)

	t.Run("OKDescribe", func(t *testing.T) {
		t.Parallel()
		labels, err := tb.svc.DescribeVariants(tb.ctx, []catalog.VariantID{v.ID, 987654})
		require.NoError(t, err)
		require.Equal(t, map[catalog.VariantID]catalog.VariantLabel{
			v.ID: {ID: v.ID, ProductID: p.ID, SKU: v.SKU, Title: v.Title, ProductTitle: p.Title},
		}, labels)
	})

	t.Run("OKFindBySKUPrefixOrTitle", func(t *testing.T) {
		t.Parallel()
		ids, err := tb.svc.FindVariants(tb.ctx, strings.ToLower(v.SKU), 10)
		require.NoError(t, err)
		require.Equal(t, []catalog.VariantID{v.ID}, ids)
		ids, err = tb.svc.FindVariants(tb.ctx, strings.ToUpper(p.Title), 100)
		require.NoError(t, err)
		require.Contains(t, ids, v.ID)
		require.GreaterOrEqual(t, len(ids), len(p.Variants))
		ids, err = tb.svc.FindVariants(tb.ctx, "%", 10)
		require.NoError(t, err)
		require.Empty(t, ids, "LIKE wildcards typed by staff match themselves")
		ids, err = tb.svc.FindVariants(tb.ctx, "  ", 10)
		require.NoError(t, err)
		require.Empty(t, ids)
	})

	t.Run("OKBySKUIgnoresCase", func(t *testing.T) {
		t.Parallel()
		found, err := tb.svc.FindVariantsBySKU(tb.ctx, []string{strings.ToLower(v.SKU), "NO-SUCH-SKU"})
		require.NoError(t, err)
		require.Equal(t, map[string]catalog.VariantID{strings.ToLower(v.SKU): v.ID}, found)
	})
}
