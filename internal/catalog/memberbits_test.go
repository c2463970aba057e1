package catalog

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMemberBits: filtering and counting a category's members with its bitsets gives the
// same products and the same counts as reading every member's facet values, for random
// catalogs and random selections (values of one facet or several, values no member has,
// categories of one member and of thousands).
func TestMemberBits(t *testing.T) {
	for seed := range uint64(5) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 99))
			cats := benchCategories()
			n := 50 + rng.IntN(3000)
			loaded := benchProducts(n, cats)
			for i := range loaded {
				p := loaded[i].p
				// Each product keeps a random part of its variants, so sizes and colours vary.
				keep := 1 + rng.IntN(len(p.Variants))
				rng.Shuffle(len(p.Variants), func(a, b int) { p.Variants[a], p.Variants[b] = p.Variants[b], p.Variants[a] })
				p.Variants = p.Variants[:keep]
				p.Attributes[0].Value = []string{"Regular", "Slim", "Relaxed"}[rng.IntN(3)]
			}
			changed := make([]ProductID, n)
			for i := range loaded {
				changed[i] = loaded[i].id
			}
			s := emptySnapshot(cats, n).applyProducts(changed, loaded, nil, newSearchCache(), 1)

			facets := s.facets.defs
			narrowed := 0 // selections that kept some members but not all
			for c, members := range s.members {
				refs := s.memberRefs[c]
				require.NotNil(t, refs)
				for range 20 {
					selected := make([][]bool, len(facets))
					var active []int32
					for range rng.IntN(4) {
						f := rng.IntN(len(facets))
						if len(facets[f].values) == 0 {
							continue
						}
						if selected[f] == nil {
							selected[f] = make([]bool, len(facets[f].values))
							active = append(active, int32(f))
						}
						selected[f][rng.IntN(len(facets[f].values))] = true
					}
					newCounts := func() [][]int {
						out := make([][]int, len(facets))
						for i, f := range facets {
							out[i] = make([]int, len(f.values))
						}
						return out
					}
					wantCounts, gotCounts := newCounts(), newCounts()
					// Half the time "In stock only" leaves out some members first.
					base, allowed := members, []uint64(nil)
					if rng.IntN(2) == 0 {
						base = nil
						allowed = make([]uint64, (len(members)+63)/64)
						for i, pi := range members {
							if rng.IntN(3) > 0 {
								base = append(base, pi)
								allowed[i/64] |= 1 << (i % 64)
							}
						}
					}
					want := countRefs(base, func(pi int32) []facetRef { return s.entry(pi).refs }, active, selected, wantCounts)
					got := refs.bitsets().filter(members, allowed, active, selected, gotCounts)
					if want == nil {
						want = []int32{}
					}
					require.Equal(t, want, got, "category %d, facets %v", c, active)
					require.Equal(t, wantCounts, gotCounts, "category %d, facets %v", c, active)
					if len(want) > 0 && len(want) < len(base) {
						narrowed++
					}
				}
			}
			require.Greater(t, narrowed, 20, "the selections exercise filtering")
		})
	}
}
