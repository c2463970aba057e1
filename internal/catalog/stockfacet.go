package catalog

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
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
	// InStockNow returns which variants are in stock (or on backorder) as of this call.
	InStockNow(ctx context.Context) (StockView, error)
}

// StockView is which variants can be bought at one moment.
type StockView struct {
	// Version names the stock copy InStock answers from: views of one version answer
	// alike. The catalog then works out each product's availability once per version
	// (and again when the product is edited) instead of on every request: a top-level
	// category of 33,000 products asked about half a million variants per page. 0 means
	// unknown: ask every time.
	Version uint64
	// InStock tests one variant. A predicate rather than a set: building a set of tens of
	// thousands of variants per request cost more than the listing itself.
	InStock func(VariantID) bool
	// Live overrides InStock for the variants whose stock this process changed a moment
	// ago, read from the database: a shopper who just bought the last one sees it gone.
	Live map[VariantID]bool
	// Units tells, from the same copy (Live's variants as read live), how many units of a variant can be bought now,
	// whether its stock is kept at all, and whether it can be backordered: product cards
	// say "Only 2 left". Nil: cards say only what InStock tells.
	Units func(VariantID) (units int, tracked, backorder bool)
}

// inStockMemo remembers which products are in stock in one version of the stock copy
// (its Live part aside), filled in as listings ask. Per product slot it keeps the
// generation of the product entry it answered for and the answer (1 in stock, 2 not, 0
// not yet known), so a catalog edit makes only the edited products be worked out again.
type inStockMemo struct {
	version uint64
	state   []atomic.Uint64
}

func (s *Service) inStockMemoFor(snap *snapshot, version uint64) *inStockMemo {
	if version == 0 {
		return nil
	}
	if m := s.stockMemo.Load(); m != nil && m.version == version && len(m.state) >= snap.entries.len() {
		return m
	}
	// Requests holding different views may replace each other's memo for a moment;
	// each still answers from its own.
	m := &inStockMemo{version: version, state: make([]atomic.Uint64, snap.entries.len()+snap.entries.len()/8)}
	s.stockMemo.Store(m)
	return m
}

func (m *inStockMemo) inStock(pi int32, e *productEntry, compute func(int32) bool) bool {
	if int(pi) >= len(m.state) {
		return compute(pi)
	}
	w := &m.state[pi]
	if got := w.Load(); got != 0 && int64(got>>2) == e.generation {
		return got&3 == 1
	}
	in := compute(pi)
	mark := uint64(e.generation)<<2 | 2
	if in {
		mark = uint64(e.generation)<<2 | 1
	}
	w.Store(mark)
	return in
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
		view, err := s.inStock.InStockNow(ctx)
		if err != nil {
			return Listing{}, fmt.Errorf("catalog: in-stock filter: %w", err)
		}
		// A product is in stock when any of its variants is: its page lets the shopper
		// pick that one.
		anyVariant := func(pi int32, canSell func(VariantID) bool) bool {
			vars := &snap.entry(pi).vars
			for i := range vars.recs {
				if canSell(vars.id(i)) {
					return true
				}
			}
			return false
		}
		fromCopy := func(pi int32) bool { return anyVariant(pi, view.InStock) }
		var live map[int32]bool // the products with a variant in view.Live
		for id := range view.Live {
			if pi, _, ok := snap.variant(id); ok {
				if live == nil {
					live = map[int32]bool{}
				}
				live[pi] = true
			}
		}
		memo := s.inStockMemoFor(snap, view.Version)
		q.stockVersion, q.liveSlots = view.Version, live
		q.inStockCopy = func(pi int32) bool {
			if memo == nil {
				return fromCopy(pi)
			}
			return memo.inStock(pi, snap.entry(pi), fromCopy)
		}
		q.inStock = func(pi int32) bool {
			if live != nil && live[pi] {
				return anyVariant(pi, func(id VariantID) bool {
					if in, ok := view.Live[id]; ok {
						return in
					}
					return view.InStock(id)
				})
			}
			return q.inStockCopy(pi)
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
