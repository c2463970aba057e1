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
	if q.inStock != nil {
		// A copy: base may be the category's member list, shared by every request.
		base = slices.DeleteFunc(slices.Clone(base), func(pi int32) bool { return !q.inStock(pi) })
	}

	// selected[f] marks the chosen values of facet f (nil when none); unknown keys and
	// values are ignored rather than emptying the page. Slices, not maps: this loop runs
	// for every product of the category on every request.
	selected := make([][]bool, len(s.facets))
	var active []int32
	for key, vals := range q.Filters {
		fi, ok := s.facetByKey[key]
		if !ok {
			continue
		}
		for _, v := range vals {
			if vi, ok := s.facets[fi].valueIndex[v]; ok {
				if selected[fi] == nil {
					selected[fi] = make([]bool, len(s.facets[fi].values))
					active = append(active, int32(fi))
				}
				selected[fi][vi] = true
			}
		}
	}

	counts := make([][]int, len(s.facets))
	for i, f := range s.facets {
		counts[i] = make([]int, len(f.values))
	}
	matched := make([]int32, 0, len(base))
	hit := make([]bool, len(s.facets))
	for _, pi := range base {
		refs := s.facetRefs[pi]
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

	s.sortListing(matched, q.Sort, q.Ranked != nil)

	per := q.PerPage
	if per <= 0 || per > MaxPerPage {
		per = 24
	}
	pages := max(1, (len(matched)+per-1)/per)
	page := min(max(q.Page, 1), pages)
	from := min((page-1)*per, len(matched))
	to := min(from+per, len(matched))

	out := Listing{Total: len(matched), Page: page, Pages: pages}
	out.Products = make([]ProductSummary, 0, to-from)
	for _, pi := range matched[from:to] {
		out.Products = append(out.Products, s.summaries[pi])
	}
	for fi, f := range s.facets {
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

// listingBase is the products a listing chooses from before any filter: the search
// results, a category's subtree, or the whole catalog.
func (s *snapshot) listingBase(q ListingQuery) []int32 {
	var base []int32
	switch {
	case q.Ranked != nil:
		base = make([]int32, 0, len(q.Ranked))
		for _, id := range q.Ranked {
			if pi, ok := s.byID[id]; ok {
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
		base = make([]int32, len(s.products))
		for i := range base {
			base[i] = int32(i)
		}
	}
	return base
}

func facetLabel(key string, vi int, value string) string {
	if key == "price" && vi < len(priceBuckets) {
		return priceBuckets[vi].label
	}
	return value
}

func (s *snapshot) sortListing(pis []int32, sort Sort, ranked bool) {
	switch sort {
	case SortNewest:
		slices.SortStableFunc(pis, func(a, b int32) int { return cmp.Compare(s.published[b], s.published[a]) })
	case SortPriceAsc:
		slices.SortStableFunc(pis, func(a, b int32) int { return cmp.Compare(s.minPrice[a], s.minPrice[b]) })
	case SortPriceDesc:
		slices.SortStableFunc(pis, func(a, b int32) int { return cmp.Compare(s.minPrice[b], s.minPrice[a]) })
	case SortName:
		slices.SortStableFunc(pis, func(a, b int32) int { return strings.Compare(s.nameKey[a], s.nameKey[b]) })
	default:
		// Relevance: search rank as given, or the category's order with featured first.
		if !ranked {
			slices.SortStableFunc(pis, func(a, b int32) int {
				fa, fb := s.products[a].Featured, s.products[b].Featured
				if fa != fb {
					if fa {
						return -1
					}
					return 1
				}
				return 0
			})
		}
	}
}
