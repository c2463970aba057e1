package inventory_test

import (
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/db"
)

func TestCommitLines(t *testing.T) {
	t.Parallel()

	// reserved4 stocks variant 41 with 2 + 3 units and reserves 4 of them under
	// "order:1001" (2 at each location: the first is used up first).
	reserved4 := func(t *testing.T) (*bundle, *inventory.Service) {
		b := setup(t)
		b.stock(t, 41, 2, 3)
		svc := b.svcs[0]
		require.NoError(t, db.InTx(b.ctx, b.pools[0], func(tx pgx.Tx) error {
			return svc.ReserveTx(b.ctx, tx, "order:1001", []inventory.Line{{VariantID: 41, Quantity: 4}})
		}))
		return b, svc
	}
	commit := func(b *bundle, svc *inventory.Service, qty int) error {
		return db.InTx(b.ctx, b.pools[0], func(tx pgx.Tx) error {
			return svc.CommitLinesTx(b.ctx, tx, "order:1001", []inventory.Line{{VariantID: 41, Quantity: qty}})
		})
	}
	stock := func(t *testing.T, b *bundle, svc *inventory.Service) inventory.Stock {
		st, err := svc.Availability(b.ctx, []int64{41})
		require.NoError(t, err)
		return st[41]
	}

	t.Run("OKPartThenRest", func(t *testing.T) {
		t.Parallel()
		b, svc := reserved4(t)

		require.NoError(t, commit(b, svc, 3), "a shipment of 3 spans both locations")
		st := stock(t, b, svc)
		require.Equal(t, 2, st.OnHand, "exactly the shipped units left the shelf")
		require.Equal(t, 1, st.Reserved, "the unshipped unit stays held for the order")
		require.Equal(t, 1, st.Available(), "nothing else became sellable")

		require.NoError(t, commit(b, svc, 1))
		st = stock(t, b, svc)
		require.Equal(t, 1, st.OnHand)
		require.Zero(t, st.Reserved)
		var committed, open int
		require.NoError(t, b.pools[0].QueryRow(b.ctx, `
			SELECT coalesce(sum(quantity) FILTER (WHERE state = 'committed'), 0), count(*) FILTER (WHERE state = 'reserved')
			FROM inventory.reservations WHERE ref = 'order:1001'`).Scan(&committed, &open))
		require.Equal(t, 4, committed, "the reservation's history adds up to what shipped")
		require.Zero(t, open)
		b.checkLedger(t)
	})

	t.Run("ErrMoreThanHeld", func(t *testing.T) {
		t.Parallel()
		b, svc := reserved4(t)
		err := commit(b, svc, 5)
		require.True(t, apperr.Is(err, apperr.Conflict), "%v", err)
		st := stock(t, b, svc)
		require.Equal(t, 5, st.OnHand, "nothing changed")
		require.Equal(t, 4, st.Reserved)
		b.checkLedger(t)
	})

	t.Run("ErrBackorderNotInStock", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.stock(t, 42, 1)
		svc := b.svcs[0]
		require.NoError(t, svc.SetPolicy(b.ctx, 42, true, 0))
		require.NoError(t, db.InTx(b.ctx, b.pools[0], func(tx pgx.Tx) error {
			return svc.ReserveTx(b.ctx, tx, "order:7", []inventory.Line{{VariantID: 42, Quantity: 3}})
		}))
		err := db.InTx(b.ctx, b.pools[0], func(tx pgx.Tx) error {
			return svc.CommitLinesTx(b.ctx, tx, "order:7", []inventory.Line{{VariantID: 42, Quantity: 2}})
		})
		require.True(t, apperr.Is(err, apperr.Conflict))
		require.Contains(t, apperr.MessageOf(err), "backorder")
		require.NoError(t, db.InTx(b.ctx, b.pools[0], func(tx pgx.Tx) error {
			return svc.CommitLinesTx(b.ctx, tx, "order:7", []inventory.Line{{VariantID: 42, Quantity: 1}})
		}), "what is on the shelf can ship")
		b.checkLedger(t)
	})

	t.Run("OKReleaseLines", func(t *testing.T) {
		t.Parallel()
		b, svc := reserved4(t)
		require.NoError(t, db.InTx(b.ctx, b.pools[0], func(tx pgx.Tx) error {
			return svc.ReleaseLinesTx(b.ctx, tx, "order:1001", []inventory.Line{{VariantID: 41, Quantity: 3}})
		}))
		st := stock(t, b, svc)
		require.Equal(t, 5, st.OnHand, "released units never left")
		require.Equal(t, 1, st.Reserved)
		require.NoError(t, commit(b, svc, 1), "the rest still ships")
		require.Error(t, commit(b, svc, 1), "released units cannot ship")
		b.checkLedger(t)
	})
}

func TestRestock(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		locs := b.stock(t, 51, 0, 4)
		svc := b.svcs[0]
		require.NoError(t, db.InTx(b.ctx, b.pools[0], func(tx pgx.Tx) error {
			return svc.RestockTx(b.ctx, tx, "order:1002", []inventory.Line{{VariantID: 51, Quantity: 1}, {VariantID: 51, Quantity: 1}}, "Returned: order #1002")
		}))
		levels, err := svc.Levels(b.ctx, 51)
		require.NoError(t, err)
		require.Equal(t, locs[0], levels[0].LocationID)
		require.Equal(t, []int{2, 4}, []int{levels[0].OnHand, levels[1].OnHand}, "returns go to the first location")
		moves, err := svc.Movements(b.ctx, 51, 1)
		require.NoError(t, err)
		require.Equal(t, "order:1002", moves[0].Ref)
		require.Equal(t, "Returned: order #1002", moves[0].Note)
		require.Equal(t, 2, moves[0].DeltaOnHand)
		require.Equal(t, "return", moves[0].Reason, "a return, not a staff correction")
		b.checkLedger(t)
	})

	t.Run("ErrUnknownVariant", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		err := db.InTx(b.ctx, b.pools[0], func(tx pgx.Tx) error {
			return b.svcs[0].RestockTx(b.ctx, tx, "order:1", []inventory.Line{{VariantID: 999, Quantity: 1}}, "")
		})
		require.True(t, apperr.Is(err, apperr.NotFound), "%v", err)
	})
}
