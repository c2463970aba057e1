package catalog

import (
	"fmt"
	"math"
	"slices"

	"github.com/monoshop/monoshop/internal/platform/money"
)

// Variants are most of a catalog: a shop of 100,000 products carries about 1.5 million.
// Kept as []Variant they cost ~200 bytes each plus a few small allocations (SKU, title,
// option values, sale price), all of which the garbage collector scans. Inside the read
// model a product keeps them as one array of 24-byte records without pointers (the
// collector skips it), their SKUs and titles in one string, and the numbers they share
// (prices, option value ids) once per product; the storefront gets ordinary Variants,
// made when a page asks for a product.
//
// Budget per variant at the demo catalog's sizes: 24 bytes of record, its SKU and title
// (about 26 bytes), 4 bytes of option value indexes; per product about 100 bytes of
// shared numbers and slice headers.

// variantRec is one variant, packed.
type variantRec struct {
	id    uint32 // id - packedVariants.firstID, or its place in the wide ids
	grams int32
	text  uint32 // where its SKU starts in packedVariants.text; the title follows
	sku   uint16 // lengths
	title uint16
	// price and compareAt index packedVariants.nums (compareAt is one more, 0 for none).
	price     uint16
	compareAt uint16
	values    uint16 // first of its option values in packedVariants.values
	nValues   uint8
	currency  uint8 // index in packedVariants.currencies
}

// packedVariants is a product's variants, packed.
type packedVariants struct {
	recs []variantRec
	text string
	// nums holds the distinct prices, then the distinct option value ids values index,
	// then (only when the ids span more than 32 bits) every variant's id.
	nums       []int64
	values     []uint16
	currencies []string
	firstID    VariantID
	nPrices    uint16
	wideIDs    bool
}

func (pv *packedVariants) len() int { return len(pv.recs) }

func (pv *packedVariants) id(i int) VariantID {
	if pv.wideIDs {
		return VariantID(pv.nums[len(pv.nums)-len(pv.recs)+i])
	}
	return pv.firstID + VariantID(pv.recs[i].id)
}

func (pv *packedVariants) price(i int) int64 { return pv.nums[pv.recs[i].price] }

// valueIDs returns variant i's option values in option order.
func (pv *packedVariants) valueIDs(i int, dst []int64) []int64 {
	r := &pv.recs[i]
	for _, vi := range pv.values[r.values : int(r.values)+int(r.nValues)] {
		dst = append(dst, pv.nums[int(pv.nPrices)+int(vi)])
	}
	return dst
}

// distinctValueIDs are the option values any variant uses.
func (pv *packedVariants) distinctValueIDs() []int64 {
	end := len(pv.nums)
	if pv.wideIDs {
		end -= len(pv.recs)
	}
	return pv.nums[pv.nPrices:end]
}

// variant makes the storefront's Variant of record i.
func (pv *packedVariants) variant(i int, product ProductID) Variant {
	return pv.fill(i, product, nil)
}

// fill makes Variant i with its option values appended to values.
func (pv *packedVariants) fill(i int, product ProductID, values []int64) Variant {
	r := &pv.recs[i]
	cur := pv.currencies[r.currency]
	start := len(values)
	values = pv.valueIDs(i, values)
	v := Variant{
		ID: pv.id(i), ProductID: product, SKU: pv.text[r.text : r.text+uint32(r.sku)],
		Title: pv.text[r.text+uint32(r.sku) : r.text+uint32(r.sku)+uint32(r.title)],
		Price: money.New(pv.nums[r.price], cur), WeightGrams: int(r.grams),
		OptionValueIDs: values[start:len(values):len(values)],
	}
	if r.compareAt > 0 {
		c := money.New(pv.nums[r.compareAt-1], cur)
		v.CompareAt = &c
	}
	return v
}

func (pv *packedVariants) all(product ProductID) []Variant {
	if len(pv.recs) == 0 {
		return nil
	}
	out := make([]Variant, len(pv.recs))
	// One array for every variant's option values.
	values := make([]int64, 0, len(pv.values))
	for i := range pv.recs {
		out[i] = pv.fill(i, product, values)
		values = values[:len(values)+int(pv.recs[i].nValues)]
	}
	return out
}

// cheapest is the index of the first variant with the lowest price, or -1.
func (pv *packedVariants) cheapest() int {
	best := -1
	for i := range pv.recs {
		if best < 0 || pv.price(i) < pv.price(best) {
			best = i
		}
	}
	return best
}

func packVariants(vs []Variant) packedVariants {
	var pk packer
	for _, v := range vs {
		var compareAt *int64
		if v.CompareAt != nil {
			compareAt = &v.CompareAt.Minor
		}
		pk.add(v.ID, []byte(v.SKU), []byte(v.Title), v.Price.Minor, compareAt, []byte(v.Price.Currency), int32(v.WeightGrams), v.OptionValueIDs)
	}
	return pk.take()
}

// packer packs one product's variants at a time, reusing its buffers from product to
// product.
type packer struct {
	ids        []VariantID
	recs       []variantRec
	text       []byte
	prices     []int64
	valueIDs   []int64
	values     []uint16
	currencies []string
	// in makes the currencies' strings (nil: plain conversion).
	in  *interner
	err error
}

func (pk *packer) len() int { return len(pk.recs) }

// add appends a variant. currency is looked up among the product's currencies so far
// (a product has one, nearly always) before a string is made of it.
func (pk *packer) add(id VariantID, sku, title []byte, price int64, compareAt *int64, currency []byte, grams int32, values []int64) {
	r := variantRec{grams: grams, text: uint32(len(pk.text)), nValues: uint8(len(values)), values: uint16(len(pk.values))}
	if len(sku) > math.MaxUint16 || len(title) > math.MaxUint16 || len(values) > math.MaxUint8 {
		pk.fail(fmt.Errorf("variant %d: SKU, title or option values too long to keep", id))
		return
	}
	r.sku, r.title = uint16(len(sku)), uint16(len(title))
	pk.text = append(append(pk.text, sku...), title...)
	r.price = pk.priceIndex(price)
	if compareAt != nil {
		r.compareAt = pk.priceIndex(*compareAt) + 1
	}
	ci := slices.IndexFunc(pk.currencies, func(c string) bool { return c == string(currency) })
	if ci < 0 {
		ci = len(pk.currencies)
		pk.currencies = append(pk.currencies, pk.in.bytes(currency))
	}
	r.currency = uint8(ci)
	for _, v := range values {
		vi := slices.Index(pk.valueIDs, v)
		if vi < 0 {
			vi = len(pk.valueIDs)
			pk.valueIDs = append(pk.valueIDs, v)
		}
		pk.values = append(pk.values, uint16(vi))
	}
	if len(pk.recs) >= math.MaxUint16/2 || len(pk.values) > math.MaxUint16 || len(pk.valueIDs) > math.MaxUint16 || len(pk.currencies) > math.MaxUint8 {
		pk.fail(fmt.Errorf("variant %d: too many variants in one product to keep", id))
		return
	}
	pk.ids = append(pk.ids, id)
	pk.recs = append(pk.recs, r)
}

func (pk *packer) fail(err error) {
	if pk.err == nil {
		pk.err = err
	}
}

func (pk *packer) priceIndex(p int64) uint16 {
	i := slices.Index(pk.prices, p)
	if i < 0 {
		i = len(pk.prices)
		pk.prices = append(pk.prices, p)
	}
	return uint16(i)
}

// take returns the packed product, sized exactly, and empties the packer.
func (pk *packer) take() packedVariants {
	pv := packedVariants{recs: slices.Clone(pk.recs), text: string(pk.text), nPrices: uint16(len(pk.prices))}
	if len(pk.ids) > 0 {
		lo, hi := slices.Min(pk.ids), slices.Max(pk.ids)
		pv.firstID = lo
		pv.wideIDs = uint64(hi-lo) > math.MaxUint32
		for i, id := range pk.ids {
			pv.recs[i].id = uint32(id - lo)
		}
	}
	n := len(pk.prices) + len(pk.valueIDs)
	if pv.wideIDs {
		n += len(pk.ids)
	}
	pv.nums = make([]int64, 0, n)
	pv.nums = append(append(pv.nums, pk.prices...), pk.valueIDs...)
	if pv.wideIDs {
		for _, id := range pk.ids {
			pv.nums = append(pv.nums, int64(id))
		}
	}
	if len(pk.values) > 0 {
		pv.values = slices.Clone(pk.values)
	}
	pv.currencies = slices.Clone(pk.currencies)
	pk.ids, pk.recs, pk.text, pk.prices = pk.ids[:0], pk.recs[:0], pk.text[:0], pk.prices[:0]
	pk.valueIDs, pk.values, pk.currencies = pk.valueIDs[:0], pk.values[:0], pk.currencies[:0]
	return pv
}
