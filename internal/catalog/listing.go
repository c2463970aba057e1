package catalog

import (
	"cmp"
	"slices"
	"strings"
)

// Sort orders a listing.
type Sort string

const (
	SortRelevance Sort = "relevance" // the category's merchandising order, or search rank
	SortNewest    Sort = "newest"
	SortPriceAsc  Sort = "price_asc"
	SortPriceDesc Sort = "price_desc"
	SortName      Sort = "name"
)

// Sorts lists the orders a shopper can pick, in menu order.
var Sorts = []struct {
	Sort  Sort
	Label string
}{
	{SortRelevance, "Featured"},
	{SortNewest, "Newest"},
	{SortPriceAsc, "Price: low to high"},
	{SortPriceDesc, "Price: high to low"},
	{SortName, "Name"},
}

// ParseSort accepts a known sort and falls back to relevance for anything else, so a
// mangled URL still shows a page.
func ParseSort(s string) Sort {
	for _, o := range Sorts {
		if string(o.Sort) == s {
			return o.Sort
		}
	}
	return SortRelevance
}

// MaxPerPage bounds a page of results whatever the URL asks for.
const MaxPerPage = 96

// ListingQuery selects, filters, sorts and pages products.
type ListingQuery struct {
	// Category restricts to a category's subtree; 0 means the whole catalog.
	Category CategoryID
	// Ranked restricts to these products in this order (search results); nil means no
	// restriction.
	Ranked []ProductID
	// Filters maps a facet key (brand, size, color, material, price) to the values
	// selected; values of one facet are alternatives, facets combine.
	Filters map[string][]string
	Sort    Sort
	Page    int
	PerPage int

	// inStock, when set, keeps only the products it reports true for: the "in stock
	// only" filter, decided per request from inventory (stockfacet.go).
	inStock func(pi int32) bool
	// inStockCopy is inStock as the stock copy of version stockVersion says, before the
	// variants read live (on liveSlots' products) have their say: a category listing
	// remembers its answer per member list and version (memberbits.go).
	inStockCopy  func(pi int32) bool
	stockVersion uint64
	liveSlots    map[int32]bool
}

// Listing is one page of products with the facets to narrow them further.
type Listing struct {
	Products []ProductSummary
	Total    int
	Page     int
	Pages    int
	Facets   []Facet
}

// Facet is one group of filters with a count of matching products per value. Counts of a
// facet take every other facet's selection into account but not its own, so a shopper
// sees how many products each alternative would add.
type Facet struct {
	Key, Label string
	Values     []FacetValue
}

// FacetValue is one filter choice.
type FacetValue struct {
	Value    string
	Label    string
	Count    int
	Selected bool
}

// list runs a listing over the snapshot. It is pure computation over memory: no query.
func (s *snapshot) list(q ListingQuery) Listing {
	base := s.listingBase(q)
	// A plain category listing filters and counts with its members' facet bitsets.
	var side *memberRefs
	if q.Category != 0 && q.Ranked == nil && (q.inStock == nil || q.stockVersion != 0) {
		side = s.memberRefs[q.Category]
	}
	var allowed []uint64 // the members in stock, with the filter on
	if side != nil && q.inStock != nil {
		allowed = side.inStockBits(base, q)
	} else if q.inStock != nil {
		// A copy: base may be the category's member list, shared by every request.
		base = slices.DeleteFunc(slices.Clone(base), func(pi int32) bool { return !q.inStock(pi) })
	}

	// selected[f] marks the chosen values of facet f (nil when none); unknown keys and
	// values are ignored rather than emptying the page. Slices, not maps: this loop runs
	// for every product of the category on every request.
	facets := s.facets.defs
	selected := make([][]bool, len(facets))
	var active []int32
	for key, vals := range q.Filters {
		fi, ok := s.facets.byKey[key]
		if !ok {
			continue
		}
		for _, v := range vals {
			if vi, ok := facets[fi].valueIndex[v]; ok && facets[fi].selectable(vi) {
				if selected[fi] == nil {
					selected[fi] = make([]bool, len(facets[fi].values))
					active = append(active, int32(fi))
				}
				selected[fi][vi] = true
			}
		}
	}

	counts := make([][]int, len(facets))
	for i, f := range facets {
		counts[i] = make([]int, len(f.values))
	}
	var matched []int32
	if side != nil {
		matched = side.bitsets().filter(base, allowed, active, selected, counts)
	} else {
		matched = countRefs(base, func(pi int32) []facetRef { return s.entry(pi).refs }, active, selected, counts)
	}

	per := q.PerPage
	if per <= 0 || per > MaxPerPage {
		per = 24
	}
	pages := max(1, (len(matched)+per-1)/per)
	page := min(max(q.Page, 1), pages)
	from := min((page-1)*per, len(matched))
	to := min(from+per, len(matched))
	s.sortListing(matched, q.Sort, q.Ranked != nil, to)

	out := Listing{Total: len(matched), Page: page, Pages: pages}
	out.Products = make([]ProductSummary, 0, to-from)
	for _, pi := range matched[from:to] {
		out.Products = append(out.Products, s.entry(pi).summary)
	}
	for _, fi := range s.facets.order {
		f := facets[fi]
		var values []FacetValue
		for _, vi := range f.display {
			var sel bool
			if selected[fi] != nil {
				sel = selected[fi][vi]
			}
			if counts[fi][vi] == 0 && !sel {
				continue
			}
			v := f.values[vi]
			values = append(values, FacetValue{Value: v.Value, Label: facetLabel(f.Key, int(vi), v.Value), Count: counts[fi][vi], Selected: sel})
		}
		if len(values) == 0 {
			continue
		}
		out.Facets = append(out.Facets, Facet{Key: f.Key, Label: f.Label, Values: values})
	}
	return out
}

// countRefs keeps the products of base that have a selected value of every active facet,
// and counts facet values into counts: a facet's values count the products that pass
// every other facet's selection (so a shopper sees what each alternative would add).
func countRefs(base []int32, refsOf func(int32) []facetRef, active []int32, selected [][]bool, counts [][]int) []int32 {
	matched := make([]int32, 0, len(base))
	hit := make([]bool, len(selected))
	for _, pi := range base {
		refs := refsOf(pi)
		failed, failedFacet := 0, int32(-1)
		if len(active) > 0 {
			for _, f := range active {
				hit[f] = false
			}
			for _, r := range refs {
				if sel := selected[r.f]; sel != nil && sel[r.v] {
					hit[r.f] = true
				}
			}
			for _, f := range active {
				if !hit[f] {
					failed++
					failedFacet = f
				}
			}
		}
		switch failed {
		case 0:
			matched = append(matched, pi)
			for _, r := range refs {
				counts[r.f][r.v]++
			}
		case 1:
			// It fails only this facet, so it counts for this facet's alternatives.
			for _, r := range refs {
				if r.f == failedFacet {
					counts[r.f][r.v]++
				}
			}
		}
	}
	return matched
}

// listingBase is the products a listing chooses from before any filter: the search
// results, a category's subtree, or the whole catalog.
func (s *snapshot) listingBase(q ListingQuery) []int32 {
	var base []int32
	switch {
	case q.Ranked != nil:
		base = make([]int32, 0, len(q.Ranked))
		for _, id := range q.Ranked {
			if pi, ok := s.byID.get(id); ok {
				base = append(base, pi)
			}
		}
		if q.Category != 0 {
			inCat := make(map[int32]struct{}, len(s.members[q.Category]))
			for _, pi := range s.members[q.Category] {
				inCat[pi] = struct{}{}
			}
			base = slices.DeleteFunc(base, func(pi int32) bool { _, ok := inCat[pi]; return !ok })
		}
	case q.Category != 0:
		base = s.members[q.Category]
	default:
		base = s.all
	}
	return base
}

func facetLabel(key string, vi int, value string) string {
	if key == "price" && vi < len(priceBuckets) {
		return priceBuckets[vi].label
	}
	return value
}

// sortListing puts the first `first` products of pis in the listing's order (the rest
// follow in no particular order: a page needs only its own and those before it).
func (s *snapshot) sortListing(pis []int32, sort Sort, ranked bool, first int) {
	switch sort {
	case SortNewest:
		sortByKey(pis, func(pi int32) int64 { return -s.entry(pi).published }, cmp.Compare[int64], first)
	case SortPriceAsc:
		sortByKey(pis, func(pi int32) int64 { return s.entry(pi).minPrice }, cmp.Compare[int64], first)
	case SortPriceDesc:
		sortByKey(pis, func(pi int32) int64 { return -s.entry(pi).minPrice }, cmp.Compare[int64], first)
	case SortName:
		sortByKey(pis, func(pi int32) string { return s.entry(pi).nameKey }, strings.Compare, first)
	default:
		// Relevance: search rank as given, or the category's order with featured first.
		if !ranked {
			sortByKey(pis, func(pi int32) int {
				if s.product(pi).Featured {
					return 0
				}
				return 1
			}, cmp.Compare[int], first)
		}
	}
}

// sortByKey sorts stably by a key read once per product rather than once per comparison,
// but only as far as the first `first` places: a listing shows one page, and fully
// sorting a category of 33,000 products for its first 24 was most of a listing's time.
// Those are chosen with a bounded heap, in one pass over the rest.
func sortByKey[K any](pis []int32, key func(int32) K, compare func(a, b K) int, first int) {
	type keyed struct {
		k  K
		at int32 // place in pis: ties keep it, so the order is stable
		pi int32
	}
	before := func(a, b keyed) int { return cmp.Or(compare(a.k, b.k), cmp.Compare(a.at, b.at)) }
	ks := make([]keyed, len(pis))
	for i, pi := range pis {
		ks[i] = keyed{key(pi), int32(i), pi}
	}
	if first <= 0 || first*4 >= len(ks) {
		slices.SortFunc(ks, before)
		for i := range ks {
			pis[i] = ks[i].pi
		}
		return
	}
	// heap is a max-heap of the first places seen so far: its top is the one to drop.
	heap := ks[:first:first]
	down := func(i int) {
		for {
			l, largest := 2*i+1, i
			if l < len(heap) && before(heap[l], heap[largest]) > 0 {
				largest = l
			}
			if r := l + 1; r < len(heap) && before(heap[r], heap[largest]) > 0 {
				largest = r
			}
			if largest == i {
				return
			}
			heap[i], heap[largest] = heap[largest], heap[i]
			i = largest
		}
	}
	for i := len(heap)/2 - 1; i >= 0; i-- {
		down(i)
	}
	rest := pis[first:first]
	for _, x := range ks[first:] {
		if before(x, heap[0]) < 0 {
			rest = append(rest, heap[0].pi)
			heap[0] = x
			down(0)
		} else {
			rest = append(rest, x.pi)
		}
	}
	slices.SortFunc(heap, before)
	for i := range heap {
		pis[i] = heap[i].pi
	}
}
