package catalog

import (
	"slices"
	"strings"

	"github.com/monoshop/monoshop/internal/platform/money"
)

// Variants are most of a catalog: a shop of 100,000 products carries about 1.5 million.
// Kept as []Variant they cost ~200 bytes each plus a few small allocations (SKU, barcode,
// option values, sale price), all of which the garbage collector scans. Inside the read
// model a product keeps them as one array of fixed-size records without pointers (the
// collector skips it), their text in one string and their option values in one array;
// the storefront gets ordinary Variants, made when a page asks for a product.

// variantRec is one variant, packed. Its strings are spans of the product's text.
type variantRec struct {
	id         VariantID
	price      int64
	compareAt  int64
	sku        span
	barcode    span
	title      span
	grams      int32
	values     uint32 // first of its option values in packedVariants.values
	nValues    uint16
	currency   uint16 // index in packedVariants.currencies
	hasCompare bool
}

type span struct{ off, len uint32 }

func (s span) of(text string) string { return text[s.off : s.off+s.len] }

// packedVariants is a product's variants, packed.
type packedVariants struct {
	recs       []variantRec
	text       string
	values     []int64
	currencies []string
}

func packVariants(vs []Variant) packedVariants {
	var pv packedVariants
	var b strings.Builder
	put := func(s string) span {
		sp := span{uint32(b.Len()), uint32(len(s))}
		b.WriteString(s)
		return sp
	}
	// Sized up front: a growing builder would keep up to twice the text.
	size := 0
	for _, v := range vs {
		size += len(v.SKU) + len(v.Barcode) + len(v.Title)
	}
	b.Grow(size)
	titles := map[string]span{}
	pv.recs = make([]variantRec, len(vs))
	for i, v := range vs {
		r := variantRec{id: v.ID, price: v.Price.Minor, sku: put(v.SKU), barcode: put(v.Barcode), grams: int32(v.WeightGrams)}
		// Titles repeat ("M / Navy" in every colour of a range rarely, but often within
		// a product when options are renamed): store each once.
		if sp, ok := titles[v.Title]; ok {
			r.title = sp
		} else {
			r.title = put(v.Title)
			titles[v.Title] = r.title
		}
		if v.CompareAt != nil {
			r.compareAt, r.hasCompare = v.CompareAt.Minor, true
		}
		ci := slices.Index(pv.currencies, v.Price.Currency)
		if ci < 0 {
			ci = len(pv.currencies)
			pv.currencies = append(pv.currencies, v.Price.Currency)
		}
		r.currency = uint16(ci)
		r.values, r.nValues = uint32(len(pv.values)), uint16(len(v.OptionValueIDs))
		pv.values = append(pv.values, v.OptionValueIDs...)
		pv.recs[i] = r
	}
	pv.text = b.String()
	pv.values = slices.Clip(pv.values)
	return pv
}

func (pv *packedVariants) len() int { return len(pv.recs) }

// variant makes the storefront's Variant of record i. Its OptionValueIDs share the
// packed array: read them, never modify them.
func (pv *packedVariants) variant(i int, product ProductID) Variant {
	r := &pv.recs[i]
	cur := pv.currencies[r.currency]
	v := Variant{
		ID: r.id, ProductID: product, SKU: r.sku.of(pv.text), Title: r.title.of(pv.text),
		Price: money.New(r.price, cur), WeightGrams: int(r.grams), Barcode: r.barcode.of(pv.text),
		OptionValueIDs: pv.values[r.values : r.values+uint32(r.nValues) : r.values+uint32(r.nValues)],
	}
	if r.hasCompare {
		c := money.New(r.compareAt, cur)
		v.CompareAt = &c
	}
	return v
}

func (pv *packedVariants) all(product ProductID) []Variant {
	if len(pv.recs) == 0 {
		return nil
	}
	out := make([]Variant, len(pv.recs))
	for i := range pv.recs {
		out[i] = pv.variant(i, product)
	}
	return out
}

// cheapest is the index of the first variant with the lowest price, or -1.
func (pv *packedVariants) cheapest() int {
	best := -1
	for i := range pv.recs {
		if best < 0 || pv.recs[i].price < pv.recs[best].price {
			best = i
		}
	}
	return best
}
