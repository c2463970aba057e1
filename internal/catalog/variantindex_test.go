package catalog

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/platform/money"
)

// TestVariantIndex: through random rounds of edits (products leave the storefront and come
// back in other slots, lose variants, gain variants with new ids) every variant a product
// on the storefront has is found in that product, and no other id is found, whether the
// index answers from its runs, from the variants added since, or was laid out again.
func TestVariantIndex(t *testing.T) {
	for _, slack := range []int{0, 40, variantIndexSlack} {
		t.Run(fmt.Sprint("slack", slack), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(slack), 3))
			cats := benchCategories()
			const n = 300
			loaded := benchProducts(n, cats)
			changed := make([]ProductID, n)
			for i := range loaded {
				changed[i] = loaded[i].id
			}
			s := emptySnapshot(cats, n)
			s.variants = newVariantIndex(slack)
			s = s.applyProducts(changed, loaded, nil, newSearchCache(), 1)
			nextID := VariantID(1_000_000)
			everSeen := map[VariantID]bool{}
			for round := range 60 {
				var edits []loadedProduct
				for range 1 + rng.IntN(12) {
					lp := loaded[rng.IntN(n)]
					p := *lp.p
					p.Variants = nil
					if e := s.entryOf(lp.id); e != nil {
						p.Variants = e.vars.all(lp.id)
					}
					switch rng.IntN(4) {
					case 0: // leaves the storefront
						lp.active = false
					case 1: // loses some variants
						rng.Shuffle(len(p.Variants), func(a, b int) { p.Variants[a], p.Variants[b] = p.Variants[b], p.Variants[a] })
						p.Variants = p.Variants[:rng.IntN(len(p.Variants)+1)]
						lp.active = true
					default: // gains variants (and comes back if it had left)
						for range 1 + rng.IntN(4) {
							nextID += VariantID(1 + rng.IntN(3))
							p.Variants = append(p.Variants, Variant{ID: nextID, ProductID: lp.id, SKU: fmt.Sprint("NEW-", nextID),
								Price: money.New(1000, "USD")})
						}
						lp.active = true
					}
					lp.p = &p
					lp.vars, lp.entry, lp.claims = packedVariants{}, nil, nil
					edits = append(edits, lp)
				}
				ids := make([]ProductID, len(edits))
				for i, e := range edits {
					ids[i] = e.id
				}
				// The last edit of a product wins, as a read of the database would say.
				last := map[ProductID]loadedProduct{}
				for _, e := range edits {
					last[e.id] = e
				}
				edits = edits[:0]
				for _, e := range last {
					edits = append(edits, e)
				}
				s = s.applyProducts(ids, edits, nil, s.search, int64(round+2))

				want := map[VariantID]ProductID{}
				for pi := range int32(s.entries.len()) {
					if e := s.entries.get(pi); e != nil {
						for i := range e.vars.recs {
							want[e.vars.id(i)] = e.p.ID
							everSeen[e.vars.id(i)] = true
						}
					}
				}
				require.Equal(t, len(want), s.variants.count, "round %d: variants counted", round)
				for id := range everSeen {
					pi, index, ok := s.variant(id)
					owner, active := want[id]
					require.Equal(t, active, ok, "round %d: variant %d found", round, id)
					if ok {
						e := s.entry(pi)
						require.Equal(t, owner, e.p.ID, "round %d: variant %d's product", round, id)
						require.Equal(t, id, e.vars.id(index))
					}
				}
				_, _, ok := s.variant(nextID + 1)
				require.False(t, ok, "an id no product has")
			}
			if slack == 0 {
				require.Zero(t, s.variants.added.len(), "every change laid out again")
			}
		})
	}
}

// entryOf is the entry of product id, or nil when it is not on the storefront.
func (s *snapshot) entryOf(id ProductID) *productEntry {
	pi, ok := s.byID.get(id)
	if !ok {
		return nil
	}
	return s.entry(pi)
}
