package cart_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/cart"
	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/db"
)

func TestClearTx(t *testing.T) {
	t.Parallel()

	clear := func(b *bundle, ref cart.Ref) error {
		return db.InTx(b.ctx, b.shop.Pool, func(tx pgx.Tx) error { return b.svc.ClearTx(b.ctx, tx, ref) })
	}

	t.Run("OKGuestCartEmptiedOthersKept", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		guest := b.guestWith(t, b.items[0].ID(), 2, b.items[1].ID(), 1)
		other := b.guestWith(t, b.items[0].ID(), 1)
		var heard []cart.CartUpdated
		b.svc.OnCartUpdated(func(_ context.Context, _ pgx.Tx, e cart.CartUpdated) error {
			heard = append(heard, e)
			return nil
		})

		require.NoError(t, clear(b, guest))
		require.Empty(t, b.quantities(t, guest))
		count, err := b.svc.Count(b.ctx, guest)
		require.NoError(t, err)
		require.Zero(t, count, "the header shows an empty cart")
		require.Equal(t, map[catalog.VariantID]int{b.items[0].ID(): 1}, b.quantities(t, other))
		require.Len(t, heard, 1)
		require.Equal(t, "checkout", heard[0].Reason)
		require.ElementsMatch(t, []cart.LineChange{
			{VariantID: b.items[0].ID(), Before: 2}, {VariantID: b.items[1].ID(), Before: 1},
		}, heard[0].Lines)

		// The emptied cart keeps working.
		_, err = b.svc.Add(b.ctx, guest, b.items[2].ID(), 1)
		require.NoError(t, err)
		require.Equal(t, map[catalog.VariantID]int{b.items[2].ID(): 1}, b.quantities(t, guest))
	})

	t.Run("OKCustomerCart", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		customer := cart.Ref{AccountID: 77}
		_, err := b.svc.Add(b.ctx, customer, b.items[0].ID(), 3)
		require.NoError(t, err)
		require.NoError(t, clear(b, customer))
		require.Empty(t, b.quantities(t, customer))
	})

	t.Run("OKNoCartNothingToDo", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		for _, ref := range []cart.Ref{{}, {Token: "not-a-token"}, {AccountID: 99}} {
			require.NoError(t, clear(b, ref))
		}
	})

	t.Run("ErrRolledBackKeepsCart", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		guest := b.guestWith(t, b.items[0].ID(), 2)
		failed := errors.New("checkout failed after the cart was cleared")
		err := db.InTx(b.ctx, b.shop.Pool, func(tx pgx.Tx) error {
			if err := b.svc.ClearTx(b.ctx, tx, guest); err != nil {
				return err
			}
			return failed
		})
		require.ErrorIs(t, err, failed)
		require.Equal(t, map[catalog.VariantID]int{b.items[0].ID(): 2}, b.quantities(t, guest), "a failed checkout leaves the cart intact")
	})
}
