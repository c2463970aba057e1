package catalog

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/platform/money"
)

// TestPackVariants: whatever a product's variants look like (ids close together or far
// apart, shared or distinct prices, sale prices, two currencies, no option values), the
// packed form gives every variant back exactly, one by one and all together.
func TestPackVariants(t *testing.T) {
	require.EqualValues(t, 24, unsafe.Sizeof(variantRec{}), "the documented budget per variant")
	rng := rand.New(rand.NewPCG(5, 8))
	for round := range 300 {
		n := rng.IntN(40)
		base := VariantID(1 + rng.Int64N(1<<40))
		var vs []Variant
		for i := range n {
			id := base + VariantID(i*3)
			if round%7 == 0 && i%2 == 1 {
				id += 1 << 33 // a product whose ids span more than 32 bits
			}
			cur := "USD"
			if round%11 == 0 && i%3 == 0 {
				cur = "JPY"
			}
			v := Variant{ID: id, ProductID: 9, SKU: fmt.Sprintf("SKU-%d-%d", round, i), Title: fmt.Sprintf("Size %d / Colour %d", i%4, i%3),
				Price: money.New(int64(100*rng.IntN(5))+int64(rng.IntN(2)), cur), WeightGrams: rng.IntN(3000) - 5}
			if rng.IntN(3) == 0 {
				c := money.New(v.Price.Minor*2, cur)
				v.CompareAt = &c
			}
			for o := range rng.IntN(4) {
				v.OptionValueIDs = append(v.OptionValueIDs, int64(1000*o+rng.IntN(6)))
			}
			if round%5 == 0 {
				v.SKU, v.Title = "", ""
			}
			vs = append(vs, v)
		}
		pv := packVariants(vs)
		require.Equal(t, n, pv.len())
		got := pv.all(9)
		for i := range vs {
			require.Equal(t, vs[i].OptionValueIDs == nil, len(got[i].OptionValueIDs) == 0)
			if vs[i].OptionValueIDs == nil {
				got[i].OptionValueIDs = nil
			}
			require.Equal(t, vs[i], got[i], "round %d variant %d", round, i)
			one := pv.variant(i, 9)
			if vs[i].OptionValueIDs == nil {
				one.OptionValueIDs = nil
			}
			require.Equal(t, vs[i], one)
		}
		if n > 0 {
			cheapest := pv.cheapest()
			for i := range vs {
				require.LessOrEqual(t, vs[cheapest].Price.Minor, vs[i].Price.Minor)
				if vs[i].Price.Minor == vs[cheapest].Price.Minor {
					require.LessOrEqual(t, cheapest, i, "the first of the cheapest")
					break
				}
			}
		} else {
			require.Equal(t, -1, pv.cheapest())
		}
	}
}
