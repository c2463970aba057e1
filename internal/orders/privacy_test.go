package orders_test

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// TestEraseCustomer: what a customer's account deletion does to their orders, and when
// the buyer kept for a paid order's invoice goes: on the first of January ten years after
// the end of the year of payment, on the store's clock, not a moment before.
func TestEraseCustomer(t *testing.T) {
	t.Parallel()
	e := setup(t, 10)
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	svc := orders.NewService(e.pool, nil, e.inv, e.pay, orders.Config{
		Now: func() time.Time { return time.Unix(0, e.clock.Load()) }, TimeZone: berlin,
	})
	e.pay.OnPaid(svc.MarkPaidTx)
	staff := audit.Actor{Email: "staff@shop.test"}
	account := int64(77)
	place := func(key string) orders.Order {
		in := input(key)
		in.AccountID = &account
		in.ShippingAddress["phone"] = "+33 6 12 34 56 78"
		in.Client = "192.0.2.77"
		o, err := svc.PlaceOrder(e.ctx, in)
		require.NoError(t, err)
		return o
	}
	erase := func() (orders.ErasedOrders, error) {
		var out orders.ErasedOrders
		err := db.InTx(e.ctx, e.pool, func(tx pgx.Tx) error {
			var err error
			out, err = svc.EraseCustomerTx(e.ctx, tx, account)
			return err
		})
		return out, err
	}

	paid := place("erase-paid")
	_, err = svc.MarkPaid(e.ctx, staff, paid.Number)
	require.NoError(t, err)
	unpaid := place("erase-unpaid")
	require.Equal(t, 2, e.reserved(t))

	t.Run("ErrPaidOrderNotShipped", func(t *testing.T) {
		_, err := erase()
		require.True(t, apperr.Is(err, apperr.Invalid), "%v", err)
		o, err := svc.Order(e.ctx, paid.Number)
		require.NoError(t, err)
		require.Equal(t, "shopper@example.com", o.Email, "nothing changed")
		require.False(t, o.Anonymised())
	})

	_, err = svc.Fulfil(e.ctx, staff, paid.Number, orders.FulfilInput{})
	require.NoError(t, err)
	erased, err := erase()
	require.NoError(t, err)
	require.Equal(t, []string{"shopper@example.com"}, erased.Emails)

	t.Run("OKPaidOrderKeepsInvoiceBuyer", func(t *testing.T) {
		o, err := svc.Order(e.ctx, paid.Number)
		require.NoError(t, err)
		require.True(t, o.Anonymised())
		require.Equal(t, orders.DeletedCustomer, o.Email)
		require.Equal(t, orders.AddressDetails{"country": "FR"}, o.ShippingAddress)
		require.Empty(t, o.BillingAddress, "checkout stored none: the shipping address was the billing address")
		require.Equal(t, orders.AddressDetails{"name": "Ada", "line1": "1 rue X", "city": "Paris", "postal_code": "75001", "country": "FR"},
			o.InvoiceBuyer, "the billing address as an invoice shows it, without the phone")
		require.NotEqual(t, paid.Token, o.Token, "the old link stops working")
		require.Equal(t, paid.GrandTotal, o.GrandTotal)
		require.Equal(t, orders.StatusCompleted, o.Status)
	})

	t.Run("OKUnpaidOrderCancelled", func(t *testing.T) {
		o, err := svc.Order(e.ctx, unpaid.Number)
		require.NoError(t, err)
		require.Equal(t, orders.StatusCancelled, o.Status)
		require.Equal(t, orders.DeletedCustomer, o.Email)
		require.Nil(t, o.InvoiceBuyer, "no invoice was issued")
		require.Zero(t, e.reserved(t), "its stock is back on sale (the paid order's shipped)")
		require.Zero(t, e.count(t, `SELECT count(*) FROM orders.orders WHERE hold_client IS NOT NULL AND account_id = $1`, account),
			"nothing derived from the shopper's address stays either")
	})

	t.Run("OKErasedOnce", func(t *testing.T) {
		again, err := erase()
		require.NoError(t, err)
		require.Empty(t, again.Emails, "nothing left to erase")
	})

	t.Run("OKBuyerClearedWhenPeriodEnds", func(t *testing.T) {
		// Paid half an hour into 2027 in Berlin, still 2026 in UTC: the period runs to the
		// end of 2037 on the store's clock.
		paidAt := time.Date(2027, 1, 1, 0, 30, 0, 0, berlin)
		_, err := e.pool.Exec(e.ctx, `UPDATE orders.orders SET paid_at = $1 WHERE number = $2`, paidAt, paid.Number)
		require.NoError(t, err)
		o, err := svc.Order(e.ctx, paid.Number)
		require.NoError(t, err)
		require.Equal(t, time.Date(2038, 1, 1, 0, 0, 0, 0, berlin), svc.InvoiceBuyerKeptUntil(o))

		for _, now := range []time.Time{
			time.Date(2037, 1, 1, 0, 30, 0, 0, time.UTC), // a year early on a UTC clock
			time.Date(2037, 12, 31, 23, 59, 0, 0, berlin),
		} {
			e.clock.Store(now.UnixNano())
			n, err := svc.ClearExpiredInvoiceBuyers(e.ctx)
			require.NoError(t, err)
			require.Zero(t, n, "at %s", now)
			o, err := svc.Order(e.ctx, paid.Number)
			require.NoError(t, err)
			require.NotNil(t, o.InvoiceBuyer, "at %s", now)
		}

		e.clock.Store(time.Date(2038, 1, 1, 0, 0, 1, 0, berlin).UnixNano())
		n, err := svc.ClearExpiredInvoiceBuyers(e.ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		o, err = svc.Order(e.ctx, paid.Number)
		require.NoError(t, err)
		require.Nil(t, o.InvoiceBuyer)
		require.Equal(t, paid.GrandTotal, o.GrandTotal, "the sale stays")
	})
}
