package catalog_test

import (
	"context"
	"errors"
	"maps"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/catalog"
)

// fakeInStock stands in for inventory (the catalog may not import it): it knows which
// variants are in stock and counts how often it is asked.
// Like inventory's copy, each change makes a new version; live marks variants read
// live, as those the process itself just changed.
type fakeInStock struct {
	mu      sync.Mutex
	in      map[catalog.VariantID]bool
	live    map[catalog.VariantID]bool
	version uint64
	calls   int
	fail    error
}

func (f *fakeInStock) InStockNow(_ context.Context) (catalog.StockView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.fail != nil {
		return catalog.StockView{}, f.fail
	}
	in := maps.Clone(f.in)
	return catalog.StockView{Version: f.version + 1, InStock: func(id catalog.VariantID) bool { return in[id] }, Live: maps.Clone(f.live)}, nil
}

func (f *fakeInStock) set(id catalog.VariantID, in bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.in[id] = in
	f.version++
}

func (f *fakeInStock) stats() (calls int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

var inStockOnly = map[string][]string{catalog.InStockFacet: {"1"}}

func TestInStockFacet(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	require.NoError(t, tb.svc.SeedDemo(tb.ctx, catalog.SeedOptions{Products: 24, Seed: 5}))
	all, err := tb.svc.ListProducts(tb.ctx, catalog.ListingQuery{PerPage: catalog.MaxPerPage})
	require.NoError(t, err)
	require.Equal(t, 24, all.Total)
	require.NotEqual(t, catalog.InStockFacet, all.Facets[0].Key, "without a stock source there is no in-stock filter")

	// Every variant is in stock except all of the first product's and all but the last
	// of the second product's.
	stock := &fakeInStock{in: map[catalog.VariantID]bool{}}
	products := make([]catalog.Product, len(all.Products))
	for i, s := range all.Products {
		p, err := tb.svc.FindProductBySlug(tb.ctx, s.Slug)
		require.NoError(t, err)
		require.NotEmpty(t, p.Variants)
		products[i] = p
		for j, v := range p.Variants {
			stock.in[v.ID] = i > 1 || (i == 1 && j == len(p.Variants)-1)
		}
	}
	tb.svc.UseInStock(stock)
	slugs := func(l catalog.Listing) []string {
		var out []string
		for _, p := range l.Products {
			out = append(out, p.Slug)
		}
		return out
	}

	t.Run("OKOfferedWithoutAQuery", func(t *testing.T) {
		l, err := tb.svc.ListProducts(tb.ctx, catalog.ListingQuery{PerPage: catalog.MaxPerPage})
		require.NoError(t, err)
		calls := stock.stats()
		require.Zero(t, calls, "a listing without the filter does not ask inventory")
		require.Equal(t, 24, l.Total)
		f := l.Facets[0]
		require.Equal(t, catalog.InStockFacet, f.Key, "availability leads the filter column")
		require.Equal(t, []catalog.FacetValue{{Value: "1", Label: "In stock only", Count: catalog.FacetNotCounted}}, f.Values)
	})

	t.Run("OKFilters", func(t *testing.T) {
		l, err := tb.svc.ListProducts(tb.ctx, catalog.ListingQuery{Filters: inStockOnly, PerPage: catalog.MaxPerPage})
		require.NoError(t, err)
		require.Equal(t, 1, stock.stats(), "one question to inventory per listing")
		require.Equal(t, 23, l.Total, "the product with nothing in stock drops out; one variant in stock is enough")
		require.NotContains(t, slugs(l), products[0].Slug)
		require.Contains(t, slugs(l), products[1].Slug)
		f := l.Facets[0]
		require.Equal(t, []catalog.FacetValue{{Value: "1", Label: "In stock only", Count: 23, Selected: true}}, f.Values)
		brands := 0
		for _, f := range l.Facets {
			if f.Key == "brand" {
				for _, v := range f.Values {
					brands += v.Count
				}
			}
		}
		require.Equal(t, 23, brands, "the other facets count in-stock products only")
	})

	t.Run("OKStockChangesShowAtOnce", func(t *testing.T) {
		last := products[1].Variants[len(products[1].Variants)-1]
		stock.set(last.ID, false) // its last unit was reserved
		t.Cleanup(func() { stock.set(last.ID, true) })
		l, err := tb.svc.ListProducts(tb.ctx, catalog.ListingQuery{Filters: inStockOnly, PerPage: catalog.MaxPerPage})
		require.NoError(t, err)
		require.Equal(t, 22, l.Total)
		require.NotContains(t, slugs(l), products[1].Slug, "no snapshot or cache hides a change of stock")
		l, err = tb.svc.ListProducts(tb.ctx, catalog.ListingQuery{Category: products[1].CategoryIDs[0], Filters: inStockOnly, PerPage: catalog.MaxPerPage})
		require.NoError(t, err)
		require.NotContains(t, slugs(l), products[1].Slug, "nor in its category")
	})

	t.Run("OKLiveStockOverridesTheCopy", func(t *testing.T) {
		// The listing has remembered, for this version of the copy, that the first product
		// is sold out; this process then restocks it, which it reads live until the copy
		// catches up.
		l, err := tb.svc.ListProducts(tb.ctx, catalog.ListingQuery{Filters: inStockOnly, PerPage: catalog.MaxPerPage})
		require.NoError(t, err)
		require.NotContains(t, slugs(l), products[0].Slug)
		stock.mu.Lock()
		stock.live = map[catalog.VariantID]bool{products[0].Variants[0].ID: true, products[5].Variants[0].ID: true}
		stock.mu.Unlock()
		t.Cleanup(func() { stock.mu.Lock(); stock.live = nil; stock.mu.Unlock() })
		l, err = tb.svc.ListProducts(tb.ctx, catalog.ListingQuery{Filters: inStockOnly, PerPage: catalog.MaxPerPage})
		require.NoError(t, err)
		require.Equal(t, 24, l.Total)
		require.Contains(t, slugs(l), products[0].Slug, "a variant read live wins over the remembered answer")
		l, err = tb.svc.ListProducts(tb.ctx, catalog.ListingQuery{Category: products[0].CategoryIDs[0], Filters: inStockOnly, PerPage: catalog.MaxPerPage})
		require.NoError(t, err)
		require.Contains(t, slugs(l), products[0].Slug, "in its category too")
	})

	t.Run("OKInACategory", func(t *testing.T) {
		cid := products[0].CategoryIDs[0]
		base, err := tb.svc.ListProducts(tb.ctx, catalog.ListingQuery{Category: cid, PerPage: catalog.MaxPerPage})
		require.NoError(t, err)
		l, err := tb.svc.ListProducts(tb.ctx, catalog.ListingQuery{Category: cid, Filters: inStockOnly, PerPage: catalog.MaxPerPage})
		require.NoError(t, err)
		require.Equal(t, base.Total-1, l.Total)
		require.NotContains(t, slugs(l), products[0].Slug)
		again, err := tb.svc.ListProducts(tb.ctx, catalog.ListingQuery{Category: cid, PerPage: catalog.MaxPerPage})
		require.NoError(t, err)
		require.Equal(t, slugs(base), slugs(again), "filtering never changes the category's shared member list")
	})

	t.Run("OKSearch", func(t *testing.T) {
		res, err := tb.svc.Search(tb.ctx, catalog.SearchQuery{Text: products[0].Title, PerPage: catalog.MaxPerPage})
		require.NoError(t, err)
		require.Contains(t, slugs(res.Listing), products[0].Slug)
		res, err = tb.svc.Search(tb.ctx, catalog.SearchQuery{Text: products[0].Title, Filters: inStockOnly, PerPage: catalog.MaxPerPage})
		require.NoError(t, err)
		require.NotContains(t, slugs(res.Listing), products[0].Slug)
	})

	t.Run("ErrSourceFails", func(t *testing.T) {
		broken := &fakeInStock{fail: errors.New("inventory down")}
		tb2 := catalog.NewService(tb.pool, nil)
		tb2.UseInStock(broken)
		_, err := tb2.ListProducts(tb.ctx, catalog.ListingQuery{Filters: inStockOnly})
		require.ErrorContains(t, err, "inventory down", "the shopper asked for in-stock only: no unfiltered page pretends otherwise")
		_, err = tb2.ListProducts(tb.ctx, catalog.ListingQuery{})
		require.NoError(t, err, "listings without the filter do not depend on inventory")
	})
}
