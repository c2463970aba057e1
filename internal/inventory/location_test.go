package inventory_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// TestUpdateLocation: staff rename a location, reprioritise it and switch it off. Off, its
// stock no longer counts and new orders are not allocated from it; what orders already
// hold there stays held. The other replica's copy of stock learns of every variant kept
// there from StockMovedSince, though no stock moved.
func TestUpdateLocation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staff := audit.Actor{ID: 7, Email: "grace@shop.test"}
	const tee, mug = int64(101), int64(102)
	locs := b.stock(t, tee, 3, 5) // Location 1 (priority 100): 3, Location 2 (99): 5
	b.stock(t, mug, 0, 2)
	reserve := func(ref string, lines ...inventory.Line) error {
		return db.InTx(b.ctx, b.pools[0], func(tx pgx.Tx) error { return b.svcs[0].ReserveTx(b.ctx, tx, ref, lines) })
	}
	held := "order:1"
	require.NoError(t, reserve(held, inventory.Line{VariantID: tee, Quantity: 4}))

	var mu sync.Mutex
	changed := map[int64]bool{}
	b.svcs[0].OnStockChange(func(v int64) { mu.Lock(); changed[v] = true; mu.Unlock() })
	_, mark, err := b.svcs[1].StockAll(b.ctx)
	require.NoError(t, err)
	since := time.Now()

	loc, err := b.svcs[0].UpdateLocationAs(b.ctx, staff, locs[1], inventory.LocationChange{Name: " Back store ", Priority: 5, Active: false})
	require.NoError(t, err)
	require.Equal(t, inventory.Location{ID: locs[1], Name: "Back store", Priority: 5, Active: false}, loc)

	st, err := b.svcs[1].Availability(b.ctx, []int64{tee, mug})
	require.NoError(t, err)
	require.Equal(t, 0, st[tee].Available(), "3 at the active location, all held by order:1")
	require.Equal(t, 0, st[mug].Available(), "the mug was only at the switched-off location")
	require.True(t, changed[tee] && changed[mug], "this process's caches hear of both variants at once")

	moved, _, err := b.svcs[1].StockMovedSince(b.ctx, mark, since)
	require.NoError(t, err)
	require.Contains(t, moved, tee, "another replica finds the variants kept there")
	require.Contains(t, moved, mug)
	require.Zero(t, moved[mug].Available)
	require.True(t, moved[tee].Held, "none left, but order:1 holds some: it may come back")
	require.False(t, moved[mug].Held, "nothing held: gone")

	err = reserve("order:2", inventory.Line{VariantID: mug, Quantity: 1})
	var short *inventory.InsufficientStock
	require.True(t, errors.As(err, &short), "nothing is allocated from a switched-off location: %v", err)

	require.NoError(t, db.InTx(b.ctx, b.pools[0], func(tx pgx.Tx) error { return b.svcs[0].ReleaseTx(b.ctx, tx, held) }),
		"what order:1 held there is released as usual")
	b.checkLedger(t)

	_, err = b.svcs[0].UpdateLocationAs(b.ctx, staff, locs[1], inventory.LocationChange{Name: "Back store", Priority: 5, Active: true})
	require.NoError(t, err)
	require.NoError(t, reserve("order:3", inventory.Line{VariantID: mug, Quantity: 2}), "switched on again, its stock sells")

	t.Run("ErrRefusals", func(t *testing.T) {
		_, err := b.svcs[0].UpdateLocationAs(b.ctx, staff, locs[1], inventory.LocationChange{Name: " ", Priority: 5000, Active: true})
		require.Equal(t, map[string]string{
			"name": "Enter a name of at most 120 characters.", "priority": "Enter a whole number between -1000 and 1000.",
		}, apperr.FieldsOf(err))
		_, err = b.svcs[0].UpdateLocationAs(b.ctx, staff, locs[1], inventory.LocationChange{Name: "Location 1", Active: true})
		require.True(t, apperr.Is(err, apperr.Conflict), "another location's name: %v", err)
		_, err = b.svcs[0].UpdateLocationAs(b.ctx, staff, 999999, inventory.LocationChange{Name: "Nowhere", Active: true})
		require.True(t, apperr.Is(err, apperr.NotFound))
		loc, err := b.svcs[0].Location(b.ctx, locs[1])
		require.NoError(t, err)
		require.Equal(t, "Back store", loc.Name, "refused edits change nothing")
	})
}

// TestStockAllAgreesWithAvailability: the storefront's copy of stock says what a live read
// says, for held, empty, backordered and switched-off stock, and knows nothing of
// variants inventory does not track.
func TestStockAllAgreesWithAvailability(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const held, empty, backorder, elsewhere, untracked = int64(201), int64(202), int64(203), int64(204), int64(205)
	locs := b.stock(t, held, 4, 2)
	b.stock(t, empty, 0)
	b.stock(t, backorder, 1)
	require.NoError(t, b.svcs[0].SetPolicy(b.ctx, backorder, true, 0))
	require.NoError(t, b.svcs[0].Adjust(b.ctx, audit.Actor{}, elsewhere, locs[1], 0, 9, "initial count"))
	require.NoError(t, db.InTx(b.ctx, b.pools[0], func(tx pgx.Tx) error {
		return b.svcs[0].ReserveTx(b.ctx, tx, "order:1", []inventory.Line{{VariantID: held, Quantity: 5}})
	}))
	_, err := b.svcs[0].UpdateLocationAs(b.ctx, audit.Actor{ID: 7}, locs[1], inventory.LocationChange{Name: "Location 2", Priority: 99, Active: false})
	require.NoError(t, err)

	table, _, err := b.svcs[1].StockAll(b.ctx)
	require.NoError(t, err)
	live, err := b.svcs[1].Availability(b.ctx, []int64{held, empty, backorder, elsewhere, untracked})
	require.NoError(t, err)
	want := map[int64]inventory.Sellable{
		held:      {Available: 0, Held: true}, // 4 here, 2 at the switched-off location, 5 held: may come back
		empty:     {Available: 0},
		backorder: {Available: 1, Backorder: true},
		elsewhere: {Available: 0}, // all of it at the switched-off location
	}
	for id, w := range want {
		got, ok := table.Get(id)
		require.True(t, ok, "variant %d tracked", id)
		require.Equal(t, w, got, "variant %d", id)
		require.Equal(t, live[id].CanSell(1), got.CanSell(), "variant %d sellable as a live read says", id)
	}
	_, ok := table.Get(untracked)
	require.False(t, ok, "a variant inventory never heard of")
	require.Equal(t, 4, table.Len())

	// Read two ids per statement, as a catalog of millions is read, it says the same.
	ranged, _, err := inventory.StockAllInRanges(b.svcs[1], b.ctx, 2)
	require.NoError(t, err)
	require.Equal(t, 4, ranged.Len())
	for _, id := range []int64{held, empty, backorder, elsewhere, untracked} {
		got, ok := ranged.Get(id)
		w, wok := table.Get(id)
		require.Equal(t, [2]any{w, wok}, [2]any{got, ok}, "variant %d", id)
	}
}
