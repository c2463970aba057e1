package catalog

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/monoshop/monoshop/internal/platform/money"
)

// Facets are counted, not stored per listing: every product claims the facet values it
// has (its brand, its price range, each option value an active variant uses, each
// attribute), and the model keeps, per value, how many products claim it. A value no
// product claims any more is dead: listings neither show nor accept it. Everything a
// shopper sees (which facets, their order, labels, the order of values) is derived from
// the live claims alone, so a model updated change by change shows exactly what one
// built from scratch would.

// facetClaim is one facet value of one product, decided by the product alone.
type facetClaim struct {
	key, label, value string
	// order sorts values within a facet: an option value's optionValueOrder, a price
	// range's index, 0 otherwise (then alphabetical).
	order int64
	// rank sorts facets: brand, then price, then options by position, then attributes.
	rank int32
}

const (
	rankBrand     = -2
	rankPrice     = -1
	rankAttribute = 100
)

// productClaims lists the facet values of a product with these variants.
func productClaims(p *Product, vars *packedVariants) []facetClaim {
	distinct := vars.distinctValueIDs()
	// Sized once: a whole read makes this for every product.
	out := make([]facetClaim, 0, 2+len(distinct)+len(p.Attributes))
	if p.Brand != "" {
		out = append(out, facetClaim{key: "brand", label: "Brand", value: p.Brand, rank: rankBrand})
	}
	if ci := vars.cheapest(); ci >= 0 {
		major := vars.price(ci) / pow10(money.Digits(vars.currencies[vars.recs[ci].currency]))
		for i, b := range priceBuckets {
			if major >= b.min && (b.max == 0 || major < b.max) {
				out = append(out, facetClaim{key: "price", label: "Price", value: priceBucketKey(i), order: int64(i), rank: rankPrice})
				break
			}
		}
	}
	// An option value counts only if an active variant has it. A product has a handful
	// of values: looking through them beats building a map for each product.
	var used map[int64]struct{}
	if len(distinct) > 32 {
		used = make(map[int64]struct{}, len(distinct))
		for _, id := range distinct {
			used[id] = struct{}{}
		}
	}
	has := func(id int64) bool {
		if used != nil {
			_, ok := used[id]
			return ok
		}
		return slices.Contains(distinct, id)
	}
	for oi, o := range p.Options {
		key := facetKey(o.Name)
		for pos, ov := range o.Values {
			if has(ov.ID) {
				out = append(out, facetClaim{key: key, label: o.Name, value: ov.Value, order: optionValueOrder(ov.Value, pos), rank: int32(oi)})
			}
		}
	}
	for ai, a := range p.Attributes {
		out = append(out, facetClaim{key: facetKey(a.Name), label: a.Name, value: a.Value, rank: rankAttribute + int32(ai)})
	}
	return out
}

// Option values sort by what they mean where they have a known order (clothing sizes,
// then numbers: shoe sizes, waists, volumes), else by their position in the product's
// option. Positions alone tie across products: one product's sizes start at XS, another's
// at S, and both put theirs first.
const (
	orderNumeric  = 1 << 20
	orderPosition = 1 << 40
)

// letterSizes ranks clothing sizes, smallest first; spellings that mean the same size
// share a rank.
var letterSizes = map[string]int64{
	"XXXS": 1, "3XS": 1, "XXS": 2, "2XS": 2, "XS": 3, "S": 4, "M": 5, "L": 6, "XL": 7,
	"XXL": 8, "2XL": 8, "XXXL": 9, "3XL": 9, "XXXXL": 10, "4XL": 10, "5XL": 11, "6XL": 12,
}

func optionValueOrder(value string, pos int) int64 {
	v := strings.ToUpper(strings.TrimSpace(value))
	if r, ok := letterSizes[v]; ok {
		return r
	}
	end := 0
	for end < len(v) && (v[end] >= '0' && v[end] <= '9' || v[end] == '.' && end > 0) {
		end++
	}
	if end > 0 {
		if n, err := strconv.ParseFloat(strings.TrimSuffix(v[:end], "."), 64); err == nil && n < 1e6 {
			return orderNumeric + int64(n*1000)
		}
	}
	return orderPosition + int64(pos)
}

// facetRef says that a product has value v of facet f.
type facetRef struct {
	f, v int32
}

type facetDef struct {
	Key, Label string
	// values only grow while the model is updated; dead ones have no claims.
	values     []facetValueDef
	valueIndex map[string]int32
	// display lists the live values in the order shoppers see them.
	display []int32
	claims  int32
	rank    int32
	// labels and ranks count the claims per label and rank, so the facet's label and
	// place follow the products that have it.
	labels map[string]int32
	ranks  map[int32]int32
}

type facetValueDef struct {
	Value  string
	claims int32
	// order is the smallest order among the value's claims (XS before S, however many
	// products list sizes differently); orders counts claims per order.
	order  int64
	orders map[int64]int32
}

func (f *facetDef) live(vi int32) bool { return f.values[vi].claims > 0 }

// facetSet is the model's facets; immutable once published.
type facetSet struct {
	defs  []*facetDef
	byKey map[string]int
	// order lists the facets with live claims in the order listings show them.
	order []int32
}

// emptyFacets starts with the price facet, whose ranges exist whether or not a product
// falls in them: a shopper's chosen range stays chosen (and shows nothing) rather than
// being ignored.
func emptyFacets() *facetSet {
	e := (&facetSet{byKey: map[string]int{}}).edit()
	f := e.facet("price")
	d := e.s.defs[f]
	d.Label, d.rank = "Price", rankPrice
	for i := range priceBuckets {
		e.value(f, priceBucketKey(i))
		d.values[i].order = int64(i)
	}
	return e.done()
}

// selectable reports whether a listing accepts value vi of facet f as a filter.
func (f *facetDef) selectable(vi int32) bool { return f.Key == "price" || f.live(vi) }

// facetsEdit changes a facetSet copy-on-write: a facet or value is copied the first time
// the edit touches it.
type facetsEdit struct {
	s       *facetSet
	owned   map[int32]bool
	indexed map[int32]bool // facets whose valueIndex was copied
	values  map[facetRef]bool
	// layout records that something shoppers see outside the counts changed: a facet
	// appeared or went, a label, or the order of facets or values.
	layout bool
}

func (fs *facetSet) edit() *facetsEdit {
	next := &facetSet{defs: slices.Clone(fs.defs), byKey: maps.Clone(fs.byKey), order: fs.order}
	return &facetsEdit{s: next, owned: map[int32]bool{}, indexed: map[int32]bool{}, values: map[facetRef]bool{}}
}

func (e *facetsEdit) facet(key string) int32 {
	if fi, ok := e.s.byKey[key]; ok {
		f := int32(fi)
		if !e.owned[f] {
			d := *e.s.defs[f]
			d.values = slices.Clone(d.values)
			d.labels = maps.Clone(d.labels)
			d.ranks = maps.Clone(d.ranks)
			e.s.defs[f] = &d
			e.owned[f] = true
		}
		return f
	}
	f := int32(len(e.s.defs))
	e.s.defs = append(e.s.defs, &facetDef{Key: key, valueIndex: map[string]int32{}, labels: map[string]int32{}, ranks: map[int32]int32{}})
	e.s.byKey[key] = int(f)
	e.owned[f], e.indexed[f] = true, true
	return f
}

func (e *facetsEdit) value(f int32, value string) int32 {
	d := e.s.defs[f]
	if vi, ok := d.valueIndex[value]; ok {
		ref := facetRef{f, vi}
		if !e.values[ref] {
			d.values[vi].orders = maps.Clone(d.values[vi].orders)
			e.values[ref] = true
		}
		return vi
	}
	if !e.indexed[f] {
		d.valueIndex = maps.Clone(d.valueIndex)
		e.indexed[f] = true
	}
	vi := int32(len(d.values))
	d.values = append(d.values, facetValueDef{Value: value, orders: map[int64]int32{}})
	d.valueIndex[value] = vi
	e.values[facetRef{f, vi}] = true
	return vi
}

// claim adds (delta 1) or withdraws (delta -1) a product's claim and returns its ref.
func (e *facetsEdit) claim(c facetClaim, delta int32) facetRef {
	f := e.facet(c.key)
	d := e.s.defs[f]
	vi := e.value(f, c.value)
	d.claims += delta
	bump(d.labels, c.label, delta)
	bump(d.ranks, c.rank, delta)
	v := &d.values[vi]
	v.claims += delta
	bump(v.orders, c.order, delta)
	return facetRef{f, vi}
}

func bump[K comparable](m map[K]int32, k K, delta int32) {
	if n := m[k] + delta; n > 0 {
		m[k] = n
	} else {
		delete(m, k)
	}
}

// done recomputes what the touched facets show and returns the new set.
func (e *facetsEdit) done() *facetSet {
	for f := range e.owned {
		d := e.s.defs[f]
		label, rank := d.Label, d.rank
		price := d.Key == "price"
		if !price {
			d.Label = minKey(d.labels, strings.Compare)
			d.rank = minKey(d.ranks, cmp.Compare[int32])
		}
		old := d.display
		d.display = d.display[:0:0]
		for vi := range d.values {
			v := &d.values[vi]
			if e.values[facetRef{f, int32(vi)}] && !price {
				v.order = minKey(v.orders, cmp.Compare[int64])
			}
			if v.claims > 0 || price {
				d.display = append(d.display, int32(vi))
			}
		}
		if !price {
			slices.SortStableFunc(d.display, func(a, b int32) int {
				va, vb := &d.values[a], &d.values[b]
				return cmp.Or(cmp.Compare(va.order, vb.order), strings.Compare(fold(va.Value), fold(vb.Value)), strings.Compare(va.Value, vb.Value))
			})
		} else {
			slices.SortFunc(d.display, func(a, b int32) int { return cmp.Compare(d.values[a].order, d.values[b].order) })
		}
		if label != d.Label || rank != d.rank || !slices.Equal(old, d.display) {
			e.layout = true
		}
	}
	order := make([]int32, 0, len(e.s.defs))
	for f, d := range e.s.defs {
		if d.claims > 0 || d.Key == "price" {
			order = append(order, int32(f))
		}
	}
	slices.SortFunc(order, func(a, b int32) int {
		da, db := e.s.defs[a], e.s.defs[b]
		return cmp.Or(cmp.Compare(da.rank, db.rank), strings.Compare(da.Key, db.Key))
	})
	if !slices.Equal(order, e.s.order) {
		e.layout = true
	}
	e.s.order = order
	return e.s
}

// minKey is the smallest key of a count map, or the zero value when it is empty.
func minKey[K comparable](m map[K]int32, compare func(a, b K) int) K {
	var best K
	first := true
	for k := range m {
		if first || compare(k, best) < 0 {
			best, first = k, false
		}
	}
	return best
}
