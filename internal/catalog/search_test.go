package catalog_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/catalog"
)

func TestSearchQuality(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	require.NoError(t, tb.svc.SeedDemo(tb.ctx, catalog.SeedOptions{Products: 2000, Seed: 1}))

	// A SKU that exists in this seed, to search for it exactly.
	var sku, skuSlug string
	require.NoError(t, tb.pool.QueryRow(tb.ctx, `
		SELECT v.sku, p.slug FROM catalog.variants v JOIN catalog.products p ON p.id = v.product_id
		WHERE p.brand = 'Patagonia' ORDER BY v.id LIMIT 1`).Scan(&sku, &skuSlug))

	titleHas := func(words ...string) func(p catalog.Product) bool {
		return func(p catalog.Product) bool {
			for _, w := range words {
				if !strings.Contains(strings.ToLower(p.Title), strings.ToLower(w)) {
					return false
				}
			}
			return true
		}
	}
	brandIs := func(brand string, rest func(catalog.Product) bool) func(p catalog.Product) bool {
		return func(p catalog.Product) bool { return p.Brand == brand && (rest == nil || rest(p)) }
	}
	hasOption := func(value string, rest func(catalog.Product) bool) func(p catalog.Product) bool {
		return func(p catalog.Product) bool {
			for _, o := range p.Options {
				for _, v := range o.Values {
					if v.Value == value {
						return rest(p)
					}
				}
			}
			return false
		}
	}
	cases := []struct {
		query string
		want  func(catalog.Product) bool
	}{
		// Plain words and plurals.
		{"t-shirt", titleHas("t-shirt")},
		{"hoodie", titleHas("hoodie")},
		{"hoodies", titleHas("hoodie")},
		{"sneakers", titleHas("sneakers")},
		{"chelsea boots", titleHas("chelsea boots")},
		{"boot", titleHas("boots")},
		{"rain jacket", titleHas("rain jacket")},
		{"backpacks", titleHas("backpack")},
		{"wool socks", titleHas("wool socks")},
		{"linen shirt", titleHas("linen shirt")},
		// Typos and spacing.
		{"tshrit", titleHas("t-shirt")},
		{"t shirt", titleHas("t-shirt")},
		{"tshirt", titleHas("t-shirt")},
		{"hoodei", titleHas("hoodie")},
		{"sweter", titleHas("sweater")},
		{"backapck", titleHas("backpack")},
		{"snekers", titleHas("sneakers")},
		{"cardigna", titleHas("cardigan")},
		// Brands, with typos and accents.
		{"adidas", brandIs("Adidas", nil)},
		{"addidas", brandIs("Adidas", nil)},
		{"nike running shoes", brandIs("Nike", titleHas("running shoes"))},
		{"levis jeans", brandIs("Levi's", titleHas("jeans"))},
		{"patagonia fleece", brandIs("Patagonia", titleHas("fleece"))},
		{"north face jacket", brandIs("The North Face", titleHas("jacket"))},
		{"bjorn borg", brandIs("Björn Borg", nil)},
		{"fjallraven backpack", brandIs("Fjällräven", titleHas("backpack"))},
		{"fjällräven", brandIs("Fjällräven", nil)},
		{"dr martens boots", brandIs("Dr. Martens", titleHas("boots"))},
		// Accents in product words.
		{"pique polo", titleHas("piqué", "polo")},
		{"cafe", titleHas("café")},
		{"creme", hasOption("Crème", func(catalog.Product) bool { return true })},
		// Multi-word with materials and colours.
		{"merino sweater", titleHas("merino", "sweater")},
		{"black hoodie", hasOption("Black", titleHas("hoodie"))},
		{"organic cotton t-shirt", titleHas("organic cotton t-shirt")},
		// Prefix while typing.
		{"cardig", titleHas("cardigan")},
		// SKU, exact and case-insensitive.
		{sku, func(p catalog.Product) bool { return p.Slug == skuSlug }},
		{strings.ToLower(sku), func(p catalog.Product) bool { return p.Slug == skuSlug }},
	}
	require.GreaterOrEqual(t, len(cases), 30)
	for _, c := range cases {
		res, err := tb.svc.Search(tb.ctx, catalog.SearchQuery{Text: c.query})
		require.NoError(t, err, c.query)
		require.NotEmpty(t, res.Products, "query %q found nothing", c.query)
		found := false
		var top []string
		for _, s := range res.Products[:min(3, len(res.Products))] {
			p, err := tb.svc.FindProductBySlug(tb.ctx, s.Slug)
			require.NoError(t, err)
			top = append(top, p.Brand+" "+p.Title)
			if c.want(p) {
				found = true
			}
		}
		require.True(t, found, "query %q: expected product not in the top 3 %q", c.query, top)
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	require.NoError(t, tb.svc.SeedDemo(tb.ctx, catalog.SeedOptions{Products: 300, Seed: 2}))

	t.Run("OKCorrectionIsReported", func(t *testing.T) {
		res, err := tb.svc.Search(tb.ctx, catalog.SearchQuery{Text: "hoodei"})
		require.NoError(t, err)
		require.Equal(t, "hoodie", res.Corrected)
		require.NotZero(t, res.Total)
	})

	t.Run("OKNoResults", func(t *testing.T) {
		res, err := tb.svc.Search(tb.ctx, catalog.SearchQuery{Text: "zzqqxx wwvvkk"})
		require.NoError(t, err)
		require.Zero(t, res.Total)
		require.Empty(t, res.Products)
	})

	t.Run("OKHostileInput", func(t *testing.T) {
		for _, q := range []string{"'", "a & b | !c", "(((", "foo:*", "\xff\xfe", strings.Repeat("x", 10_000), "<script>", "  ", "-", "!!!"} {
			_, err := tb.svc.Search(tb.ctx, catalog.SearchQuery{Text: q})
			require.NoError(t, err, "query %q", q)
		}
	})

	t.Run("OKFiltersApply", func(t *testing.T) {
		res, err := tb.svc.Search(tb.ctx, catalog.SearchQuery{Text: "shirt", Filters: map[string][]string{"size": {"M"}}})
		require.NoError(t, err)
		require.NotZero(t, res.Total)
		for _, s := range res.Products {
			p, err := tb.svc.FindProductBySlug(tb.ctx, s.Slug)
			require.NoError(t, err)
			var hasM bool
			for _, o := range p.Options {
				for _, v := range o.Values {
					hasM = hasM || (o.Name == "Size" && v.Value == "M")
				}
			}
			require.True(t, hasM, "%s has no size M", p.Title)
		}
	})
}
