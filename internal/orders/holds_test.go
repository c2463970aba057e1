package orders_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// An audit reserved all 81 units of a variant with one unpaid order, for 30 minutes, and
// could repeat it 30 times a minute. Now one client may hold only so many units unpaid
// (5 here), only for a short while (15 minutes, renewed on the payment page up to an
// hour), and everyone else is told the item is reserved and when to look again, not that
// it is sold out.
func TestStockHoarding(t *testing.T) {
	t.Parallel()
	e := setup(t, 81)
	svc := orders.NewService(e.pool, nil, e.inv, e.pay, orders.Config{
		HoldMaxUnits: 5, Now: func() time.Time { return time.Unix(0, e.clock.Load()) },
	})
	n := 0
	place := func(client string, qty int) (orders.Order, error) {
		n++
		in := input(fmt.Sprintf("hoard-%d", n))
		in.Lines[0].Quantity = qty
		in.Client = client
		return svc.PlaceOrder(e.ctx, in)
	}
	const hoarder, neighbour = "198.51.100.7", "2001:db8:1:2::"

	t.Run("ErrOneOrderOverTheCap", func(t *testing.T) {
		_, err := place(hoarder, 81)
		require.True(t, apperr.Is(err, apperr.Conflict))
		require.Equal(t, "This order has 81 items; at most 5 can wait for payment at once. Please order fewer, or contact us for a larger order.",
			apperr.MessageOf(err))
		require.Zero(t, e.reserved(t), "nothing held")
	})

	var held []orders.Order
	t.Run("ErrOneClientOverTheCap", func(t *testing.T) {
		for _, qty := range []int{3, 2} {
			o, err := place(hoarder, qty)
			require.NoError(t, err)
			held = append(held, o)
		}
		_, err := place(hoarder, 1)
		require.True(t, apperr.Is(err, apperr.Conflict))
		require.Equal(t, "You already have 5 items waiting for payment in other orders, and at most 5 can wait at once. "+
			"Pay for those orders, or place this one when they are released (15 minutes after they were placed).", apperr.MessageOf(err))
		require.Equal(t, 5, e.reserved(t))

		// Another client is not affected, and neither is staff's own order (no client).
		o, err := place(neighbour, 5)
		require.NoError(t, err)
		held = append(held, o)
		_, err = place("", 6)
		require.NoError(t, err)
	})

	t.Run("OKPaidOrdersDoNotCount", func(t *testing.T) {
		p, err := e.pay.FindPayment(e.ctx, payments.PaymentID(held[0].PaymentID))
		require.NoError(t, err)
		require.NoError(t, db.InTx(e.ctx, e.pool, func(tx pgx.Tx) error { return svc.MarkPaidTx(e.ctx, tx, p) }))
		_, err = place(hoarder, 3)
		require.NoError(t, err, "3 of the 5 were paid for: 3 more may wait")
	})

	t.Run("OKRacingOrdersOfOneClientCountEachOther", func(t *testing.T) {
		const racer = "203.0.113.99"
		var ok, refused atomic.Int32
		race(12, func(i int) {
			in := input(fmt.Sprintf("racer-%d", i))
			in.Client = racer
			_, err := svc.PlaceOrder(e.ctx, in)
			switch {
			case err == nil:
				ok.Add(1)
			case apperr.Is(err, apperr.Conflict):
				refused.Add(1)
			default:
				t.Errorf("order %d: %v", i, err)
			}
		})
		require.EqualValues(t, 5, ok.Load(), "exactly the cap, however the orders interleave")
		require.EqualValues(t, 7, refused.Load())
	})
}

// What other shoppers are told while unpaid orders hold the last units, and how long a
// shopper on the payment page keeps them.
func TestHeldStockMessages(t *testing.T) {
	t.Parallel()
	e := setup(t, 2)
	holder, err := e.svc.PlaceOrder(e.ctx, input("holder"))
	require.NoError(t, err)
	in := input("holder-2")
	in.Lines[0].Quantity = 1
	second, err := e.svc.PlaceOrder(e.ctx, in)
	require.NoError(t, err)

	t.Run("ErrReservedNotSoldOut", func(t *testing.T) {
		e.clock.Add(int64(4 * time.Minute))
		_, err := e.svc.PlaceOrder(e.ctx, input("latecomer"))
		require.True(t, apperr.Is(err, apperr.Conflict))
		require.Equal(t, "Sorry, Blue tee is reserved by other shoppers who have not paid yet. Check back in 11 minutes: what they do not buy goes back on sale.",
			apperr.MessageOf(err))
		until, err := e.svc.HeldByUnpaid(e.ctx, []int64{variantID, 9999})
		require.NoError(t, err)
		require.Len(t, until, 1)
		require.WithinDuration(t, holder.CreatedAt.Add(orders.DefaultExpireAfter), until[variantID], time.Second)
	})

	t.Run("OKPaymentPageHoldsLongerUpToAnHour", func(t *testing.T) {
		// Back on the payment page 10 minutes in: held 15 minutes from now.
		e.clock.Add(int64(6 * time.Minute))
		_, err := e.svc.RetryPayment(e.ctx, holder.Number)
		require.NoError(t, err)
		got, err := e.svc.Order(e.ctx, holder.Number)
		require.NoError(t, err)
		require.WithinDuration(t, time.Unix(0, e.clock.Load()).Add(15*time.Minute), *got.ExpiresAt, time.Second)
		// Coming back again and again holds it at most an hour after it was placed.
		for range 6 {
			e.clock.Add(int64(9 * time.Minute))
			_, err = e.svc.RetryPayment(e.ctx, holder.Number)
			if err != nil {
				break
			}
		}
		got, err = e.svc.Order(e.ctx, holder.Number)
		require.NoError(t, err)
		require.WithinDuration(t, holder.CreatedAt.Add(time.Hour), *got.ExpiresAt, time.Second)
		e.clock.Store(holder.CreatedAt.Add(time.Hour).UnixNano())
		_, err = e.svc.RetryPayment(e.ctx, holder.Number)
		require.True(t, apperr.Is(err, apperr.Conflict))
		require.Equal(t, "This order waited too long for its payment, so its items are going back on sale. Please place it again from your cart.",
			apperr.MessageOf(err))
	})

	t.Run("ErrSoldOutOncePaid", func(t *testing.T) {
		for _, o := range []orders.Order{holder, second} {
			p, err := e.pay.FindPayment(e.ctx, payments.PaymentID(o.PaymentID))
			require.NoError(t, err)
			require.NoError(t, db.InTx(e.ctx, e.pool, func(tx pgx.Tx) error { return e.svc.MarkPaidTx(e.ctx, tx, p) }))
		}
		_, err := e.svc.PlaceOrder(e.ctx, input("too-late"))
		require.Equal(t, "Sorry, Blue tee is sold out", apperr.MessageOf(err))
	})
}
