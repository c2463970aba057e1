package catalog

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSearchResultPatch checks the correction of a remembered search result against the
// result computed from scratch, over random catalogs and changes: whenever the patch says
// it knows the new result, it is exactly the database's (rank descending, then ID, at
// most limit products). Small limits make full results, whose end is the hard case.
func TestSearchResultPatch(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(12, 7))
	top := func(rank map[ProductID]float32, limit int) searchResult {
		var r searchResult
		for id, rk := range rank {
			r = r.insert(id, rk)
		}
		if len(r.ids) > limit {
			r.ids, r.ranks = r.ids[:limit], r.ranks[:limit]
		}
		return r
	}
	known, fullKnown, fullTried := 0, 0, 0
	for range 5000 {
		n, limit := 1+rng.IntN(40), 1+rng.IntN(12)
		// rank holds the products matching the query; ties in rank are common.
		rank := map[ProductID]float32{}
		for id := 1; id <= n; id++ {
			if rng.IntN(3) > 0 {
				rank[ProductID(id)] = float32(rng.IntN(5)) / 4
			}
		}
		before := top(rank, limit)
		changed := map[ProductID]bool{}
		var add searchResult
		for range 1 + rng.IntN(3) {
			id := ProductID(1 + rng.IntN(n+2)) // sometimes a new product
			changed[id] = true
			if rng.IntN(3) == 0 {
				delete(rank, id)
			} else {
				rank[id] = float32(rng.IntN(5)) / 4
			}
		}
		for id := range changed {
			if rk, ok := rank[id]; ok {
				add.ids, add.ranks = append(add.ids, id), append(add.ranks, rk)
			}
		}
		got, ok := before.patch(changed, add, limit)
		if len(before.ids) >= limit {
			fullTried++
		}
		if !ok {
			require.GreaterOrEqual(t, len(before.ids), limit, "only a full result may be in doubt")
			continue
		}
		known++
		if len(before.ids) >= limit {
			fullKnown++
		}
		want := top(rank, limit)
		want.ids, got.ids = append([]ProductID{}, want.ids...), append([]ProductID{}, got.ids...)
		want.ranks, got.ranks = append([]float32{}, want.ranks...), append([]float32{}, got.ranks...)
		require.Equal(t, want.ids, got.ids, "limit %d, before %v, changed %v", limit, before.ids, slices.Collect(func(yield func(ProductID) bool) {
			for id := range changed {
				if !yield(id) {
					return
				}
			}
		}))
		require.Equal(t, want.ranks, got.ranks)
	}
	// The patch must not give up on every full result: that would be no patch at all.
	require.Greater(t, fullKnown, fullTried/4, "full results kept: %d of %d", fullKnown, fullTried)
	require.Greater(t, known, 2500)
}
