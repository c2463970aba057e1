package catalogweb_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/web/webtest"
)

// TestListingCacheFollowsTheCatalog asks for the same filtered category URL before and
// after a product in it is archived: the remembered listing must not outlive the change.
func TestListingCacheFollowsTheCatalog(t *testing.T) {
	t.Parallel()
	e := newListingEnv(t)
	url := "/c/jeans?sort=price_asc"
	before := e.page(t, url)
	cards := before.cards()
	require.NotEmpty(t, cards)
	again := e.page(t, url)
	require.Equal(t, slugsOf(cards), slugsOf(again.cards()), "the same URL gives the same page")
	facets := facetCounts(before)
	require.NotEmpty(t, facets)
	require.Equal(t, facets, facetCounts(again), "the remembered filters, kept rendered, say what a fresh render said")

	p, err := e.svc.FindProductBySlug(t.Context(), cards[0].slug)
	require.NoError(t, err)
	n, err := e.svc.SetProductsStatus(t.Context(), audit.Actor{}, []catalog.ProductID{p.ID}, catalog.StatusArchived)
	require.NoError(t, err)
	require.Equal(t, 1, n)

	after := e.page(t, url)
	require.NotContains(t, slugsOf(after.cards()), cards[0].slug, "an archived product leaves the remembered listing")
	require.Equal(t, before.count()-1, after.count())
	require.NotEqual(t, facets, facetCounts(after), "the filters' counts follow the archived product out")
}

// facetCounts is every filter value of the page with its count, as "facet=value (n)".
func facetCounts(d listingDoc) []string {
	var out []string
	for _, f := range d.all("facet") {
		for _, v := range d.within(f).all("facet-value") {
			out = append(out, webtest.Attr(f, "data-facet")+"="+webtest.Attr(v, "data-value")+" "+webtest.TextContent(v))
		}
	}
	return out
}

// TestListingCacheAcrossEdits: a remembered page outlives edits it cannot show (a
// description anywhere, a title under the price sort, a product on another page), and
// never one it can: a title on the page, a name that sorts onto the page, a price that
// does.
func TestListingCacheAcrossEdits(t *testing.T) {
	t.Parallel()
	e := newListingEnv(t)
	ctx := t.Context()
	clothing, err := e.svc.FindCategoryBySlug(ctx, "clothing")
	require.NoError(t, err)
	edit := func(slug string, change func(*catalog.ProductInput)) catalog.ProductID {
		t.Helper()
		p, err := e.svc.FindProductBySlug(ctx, slug)
		require.NoError(t, err)
		full, err := e.svc.AdminGetProduct(ctx, p.ID)
		require.NoError(t, err)
		in := catalog.ProductInput{Title: full.Title, Slug: full.Slug, Description: full.Description, Brand: full.Brand,
			Status: full.Status, Featured: full.Featured, SEOTitle: full.SEOTitle, SEODescription: full.SEODescription,
			Categories: full.CategoryIDs, Attributes: full.Attributes}
		change(&in)
		_, err = e.svc.UpdateProduct(ctx, audit.Actor{}, p.ID, full.Version, in)
		require.NoError(t, err)
		return p.ID
	}
	generations := func() map[catalog.Sort]int64 {
		out := map[catalog.Sort]int64{}
		for _, s := range []catalog.Sort{catalog.SortRelevance, catalog.SortNewest, catalog.SortPriceAsc, catalog.SortName} {
			g, _, err := e.svc.ListingGeneration(ctx, clothing.ID, s)
			require.NoError(t, err)
			out[s] = g
		}
		return out
	}

	byName := e.page(t, "/c/clothing?sort=name")
	first := byName.cards()
	require.Len(t, first, 24, "a full first page")
	all := e.page(t, "/c/clothing?sort=name&page="+strconv.Itoa(byName.count()/24+1)).cards()
	last := all[len(all)-1]
	require.NotContains(t, slugsOf(first), last.slug)

	gens := generations()
	merchandised := slugsOf(e.page(t, "/c/clothing").cards())
	edit(last.slug, func(in *catalog.ProductInput) { in.Description = "Now with deeper pockets." })
	require.Equal(t, gens, generations(), "a description changes no listing")
	require.Equal(t, merchandised, slugsOf(e.page(t, "/c/clothing").cards()),
		"saved, a product keeps its place in the category's own order")

	edit(last.slug, func(in *catalog.ProductInput) { in.Title = "Aardvark Jeans" })
	after := generations()
	require.Greater(t, after[catalog.SortName], gens[catalog.SortName], "a title moves products under the name sort")
	require.Equal(t, gens[catalog.SortPriceAsc], after[catalog.SortPriceAsc], "but not under the price sort")
	require.Equal(t, gens[catalog.SortNewest], after[catalog.SortNewest])
	top := e.page(t, "/c/clothing?sort=name").cards()
	require.Equal(t, last.slug, top[0].slug, "renamed, it leads the name sort")
	require.Equal(t, "Aardvark Jeans", top[0].title)

	// A page under the price sort, remembered, then a title edit of one of its products.
	cheap := e.page(t, "/c/clothing?sort=price_asc").cards()
	edit(cheap[3].slug, func(in *catalog.ProductInput) { in.Title = "Bargain Jeans" })
	again := e.page(t, "/c/clothing?sort=price_asc").cards()
	require.Equal(t, slugsOf(cheap), slugsOf(again), "same order")
	require.Equal(t, "Bargain Jeans", again[3].title, "the edited card shows its new title")

	// The dearest pair, repriced below every other: it leads the remembered price sort.
	dearest := e.page(t, "/c/clothing?sort=price_desc").cards()[0]
	p, err := e.svc.FindProductBySlug(ctx, dearest.slug)
	require.NoError(t, err)
	full, err := e.svc.AdminGetProduct(ctx, p.ID)
	require.NoError(t, err)
	rows := make([]catalog.VariantInput, len(full.Variants))
	for i, v := range full.Variants {
		rows[i] = catalog.VariantInput{ID: v.ID, SKU: v.SKU, Price: "0.50", WeightGrams: strconv.Itoa(v.WeightGrams), Barcode: v.Barcode}
	}
	_, err = e.svc.UpdateVariants(ctx, audit.Actor{}, p.ID, full.Version, rows)
	require.NoError(t, err)
	repriced := e.page(t, "/c/clothing?sort=price_asc").cards()
	require.Equal(t, dearest.slug, repriced[0].slug, "repriced, it leads the price sort")
	require.Equal(t, int64(50), repriced[0].price)
}
