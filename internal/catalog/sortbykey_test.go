package catalog

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSortByKeyFirst: sorting only as far as a page needs gives that page exactly as a
// full stable sort does (ties in their original order), and keeps every product.
func TestSortByKeyFirst(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for range 300 {
		n := rng.IntN(2000)
		pis := make([]int32, n)
		keys := map[int32]int64{}
		for i := range pis {
			pis[i] = int32(i*3 + 1)
			keys[pis[i]] = rng.Int64N(1 + int64(rng.IntN(50))) // many ties
		}
		rng.Shuffle(n, func(a, b int) { pis[a], pis[b] = pis[b], pis[a] })
		want := slices.Clone(pis)
		slices.SortStableFunc(want, func(a, b int32) int { return cmp.Compare(keys[a], keys[b]) })
		first := rng.IntN(n + 1)
		got := slices.Clone(pis)
		sortByKey(got, func(pi int32) int64 { return keys[pi] }, cmp.Compare[int64], first)
		require.Equal(t, want[:first], got[:first], "n=%d first=%d", n, first)
		require.ElementsMatch(t, pis, got)
	}
}
