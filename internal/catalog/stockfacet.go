package catalog

import (
	"context"
	"fmt"
	"slices"
)

// InStockFacet is the listing filter key of "In stock only": ?in_stock=1 on a category or
// search URL, carried in ListingQuery.Filters like every other facet so that links, chips
// and the sort form keep it without knowing it is special.
const InStockFacet = "in_stock"

// inStockValue is the facet's only value.
const inStockValue = "1"

// FacetNotCounted is the Count of a facet value whose count was not computed: the
// in-stock facet is counted only while it is selected (see listWithStock).
const FacetNotCounted = -1

// InStock tells which variants a shopper can buy now. The catalog imports no other
// module (DESIGN.md §2), so cmd/shop implements it over inventory and passes it to
// UseInStock; the catalog declares only what it needs.
type InStock interface {
	// InStockNow returns a test of whether a variant is in stock (or on backorder) as of
	// this call. A predicate rather than a set: a top-level category holds tens of
	// thousands of variants, and building a set of them per request cost more than the
	// listing itself.
	InStockNow(ctx context.Context) (func(VariantID) bool, error)
}

// UseInStock turns on the listings' "In stock only" filter. Without it the filter is
// neither offered nor applied.
func (s *Service) UseInStock(p InStock) { s.inStock = p }

// listWithStock runs a listing with the in-stock facet added.
//
// Stock changes with every order, so it is not part of the snapshot (which is rebuilt only
// when the catalog changes): when the filter is selected, inventory is asked once about
// the variants of the products the listing chooses from, and the answer is used for this
// request only. A listing without the filter asks nothing, so category pages keep their
// zero-query cost; the price is that the facet shows a count only once it is selected.
func (s *Service) listWithStock(ctx context.Context, snap *snapshot, q ListingQuery) (Listing, error) {
	if s.inStock == nil {
		return snap.list(q), nil
	}
	selected := slices.Contains(q.Filters[InStockFacet], inStockValue)
	if selected {
		inStock, err := s.inStock.InStockNow(ctx)
		if err != nil {
			return Listing{}, fmt.Errorf("catalog: in-stock filter: %w", err)
		}
		q.inStock = func(pi int32) bool {
			// A product is in stock when any of its variants is: its page lets the
			// shopper pick that one.
			for _, r := range snap.entry(pi).vars.recs {
				if inStock(r.id) {
					return true
				}
			}
			return false
		}
	}
	l := snap.list(q)
	if l.Total == 0 && !selected {
		return l, nil
	}
	value := FacetValue{Value: inStockValue, Label: "In stock only", Count: FacetNotCounted, Selected: selected}
	if selected {
		value.Count = l.Total
	}
	// First in the filter column: availability is what a shopper narrows by first.
	l.Facets = append([]Facet{{Key: InStockFacet, Label: "Availability", Values: []FacetValue{value}}}, l.Facets...)
	return l, nil
}
