package inventory_test

import (
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
)

func TestLowStock(t *testing.T) {
	t.Parallel()
	b := setup(t)
	svc := b.svcs[0]
	b.stock(t, 31, 50)   // plenty
	b.stock(t, 32, 2)    // low: 2 <= 5
	b.stock(t, 33, 0)    // out
	b.stock(t, 34, 4, 3) // 7 over two locations: not low
	require.NoError(t, svc.SetPolicy(b.ctx, 34, false, 8))

	low, err := svc.LowStock(b.ctx, 0)
	require.NoError(t, err)
	require.Equal(t, []inventory.LowStockItem{
		{VariantID: 33, Available: 0, Threshold: 5},
		{VariantID: 32, Available: 2, Threshold: 5},
		{VariantID: 34, Available: 7, Threshold: 8},
	}, low, "emptiest first; a raised threshold makes 7 low")

	t.Run("OKReservationsCount", func(t *testing.T) {
		t.Parallel()
		// Reserved stock is not available: 50 on hand with 46 held is low.
		require.NoError(t, db.InTx(b.ctx, b.pools[0], func(tx pgx.Tx) error {
			return svc.ReserveTx(b.ctx, tx, "order:low", []inventory.Line{{VariantID: 31, Quantity: 46}})
		}))
		low, err := svc.LowStock(b.ctx, 0)
		require.NoError(t, err)
		require.Contains(t, low, inventory.LowStockItem{VariantID: 31, Available: 4, Threshold: 5})
	})
}

func TestInStockAmong(t *testing.T) {
	t.Parallel()
	b := setup(t)
	svc := b.svcs[0]
	b.stock(t, 41, 3)
	b.stock(t, 42, 0)
	b.stock(t, 43, 1)
	b.stock(t, 44, 0)
	require.NoError(t, svc.SetPolicy(b.ctx, 44, true, 5))

	in, err := svc.InStockAmong(b.ctx, []int64{41, 42, 43, 44, 45})
	require.NoError(t, err)
	require.Equal(t, map[int64]bool{41: true, 43: true, 44: true}, in,
		"stock 0 is out, backorder is buyable, an unknown variant is out")

	t.Run("OKLastUnitReserved", func(t *testing.T) {
		require.NoError(t, db.InTx(b.ctx, b.pools[0], func(tx pgx.Tx) error {
			return svc.ReserveTx(b.ctx, tx, "order:last", []inventory.Line{{VariantID: 43, Quantity: 1}})
		}))
		in, err := svc.InStockAmong(b.ctx, []int64{41, 43})
		require.NoError(t, err)
		require.Equal(t, map[int64]bool{41: true}, in, "the reserved last unit is not for sale")

		require.NoError(t, db.InTx(b.ctx, b.pools[0], func(tx pgx.Tx) error { return svc.ReleaseTx(b.ctx, tx, "order:last") }))
		in, err = svc.InStockAmong(b.ctx, []int64{43})
		require.NoError(t, err)
		require.Equal(t, map[int64]bool{43: true}, in, "released, it is back")
	})

	t.Run("OKInactiveLocationDoesNotCount", func(t *testing.T) {
		locs := b.stock(t, 46, 0, 5) // all of it at the second location
		_, err := b.pools[0].Exec(b.ctx, `UPDATE inventory.locations SET active = false WHERE id = $1`, locs[1])
		require.NoError(t, err)
		t.Cleanup(func() {
			_, _ = b.pools[0].Exec(b.ctx, `UPDATE inventory.locations SET active = true WHERE id = $1`, locs[1])
		})
		in, err := svc.InStockAmong(b.ctx, []int64{46})
		require.NoError(t, err)
		require.Empty(t, in, "stock at an inactive location cannot be reserved, so it is not in stock")
	})

	t.Run("OKEmpty", func(t *testing.T) {
		in, err := svc.InStockAmong(b.ctx, nil)
		require.NoError(t, err)
		require.Empty(t, in)
	})
}

func TestLevelsOfAndListTracked(t *testing.T) {
	t.Parallel()
	b := setup(t)
	svc := b.svcs[0]
	locs := b.stock(t, 51, 4, 6)
	b.stock(t, 52, 1)
	require.NoError(t, svc.Adjust(b.ctx, audit.Actor{}, 53, locs[1], 0, 2, "delivery"))

	levels, err := svc.LevelsOf(b.ctx, []int64{51, 53, 99})
	require.NoError(t, err)
	require.Len(t, levels[51], 2)
	require.Equal(t, 4, levels[51][0].OnHand, "highest priority location first")
	require.Equal(t, "Location 2", levels[53][0].LocationName)
	require.NotContains(t, levels, int64(99))

	ids, total, err := svc.ListTracked(b.ctx, 1, 2)
	require.NoError(t, err)
	require.Equal(t, 3, total)
	require.Equal(t, []int64{51, 52}, ids)
	ids, _, err = svc.ListTracked(b.ctx, 2, 2)
	require.NoError(t, err)
	require.Equal(t, []int64{53}, ids)
	ids, _, err = svc.ListTracked(b.ctx, 1<<40, 2)
	require.NoError(t, err)
	require.Empty(t, ids, "far past the end is empty, not an error")
}
