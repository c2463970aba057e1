package inventory

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestStockTableLayouts: whichever layout the ids make (dense from a sequence, or sparse
// after many deletions), every tracked variant reads back exactly and every other id reads
// as untracked.
func TestStockTableLayouts(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 12))
	for _, tc := range []struct {
		name   string
		gap    int64 // ids advance by 1..gap
		sparse bool
	}{{"dense", 2, false}, {"sparse", 40, true}} {
		t.Run(tc.name, func(t *testing.T) {
			want := map[int64]Sellable{}
			var b stockTableBuilder
			id := int64(1_000_000)
			for range 5000 {
				id += 1 + rng.Int64N(tc.gap)
				s := Sellable{Available: rng.IntN(50), Backorder: rng.IntN(4) == 0}
				want[id] = s
				require.NoError(t, b.add(id, s))
			}
			table := b.table()
			require.Equal(t, tc.sparse, table.ids != nil, "layout")
			require.Equal(t, len(want), table.Len())
			for probe := int64(999_000); probe <= id+1000; probe++ {
				got, ok := table.Get(probe)
				w, tracked := want[probe]
				require.Equal(t, tracked, ok, "variant %d tracked", probe)
				require.Equal(t, w, got, "variant %d", probe)
			}
		})
	}
	t.Run("Extremes", func(t *testing.T) {
		var b stockTableBuilder
		require.NoError(t, b.add(5, Sellable{Available: 0}))
		require.NoError(t, b.add(6, Sellable{Available: 1 << 40, Backorder: true}))
		require.NoError(t, b.add(7, Sellable{Available: -3}))
		require.Error(t, b.add(7, Sellable{}), "rows must arrive in id order")
		table := b.table()
		got, ok := table.Get(5)
		require.True(t, ok, "tracked with nothing available is still tracked")
		require.Equal(t, Sellable{}, got)
		got, _ = table.Get(6)
		require.Equal(t, Sellable{Available: stockMaxUnits, Backorder: true}, got, "capped, not wrapped")
		got, _ = table.Get(7)
		require.Equal(t, Sellable{}, got, "nothing available is never negative")
		var empty stockTableBuilder
		_, ok = empty.table().Get(5)
		require.False(t, ok)
		_, ok = (*StockTable)(nil).Get(5)
		require.False(t, ok)
	})
}
