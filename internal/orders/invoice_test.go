package orders_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// EU invoices must be numbered without gaps, and order numbers are not: a refused
// checkout takes one. Invoices get their own series: payments and invoicing runs racing
// each other, a payment whose transaction rolls back, a payment recorded twice and an
// order never paid leave the series 1, 2, 3 … unbroken, each number used once.
func TestInvoiceNumbersUnbroken(t *testing.T) {
	t.Parallel()
	e := setup(t, 50)

	var placed []orders.Order
	for i := range 12 {
		if i == 3 {
			// Sold out: refused, yet it takes an order number.
			in := input("too-many")
			in.Lines[0].Quantity = 1000
			_, err := e.svc.PlaceOrder(e.ctx, in)
			require.Error(t, err)
		}
		o, err := e.svc.PlaceOrder(e.ctx, input(fmt.Sprintf("invoice-%d", i)))
		require.NoError(t, err)
		placed = append(placed, o)
	}
	require.Equal(t, placed[2].Number+2, placed[3].Number, "the refused checkout left a gap in order numbers")

	payment := func(o orders.Order) payments.Payment {
		p, err := e.pay.FindPayment(e.ctx, payments.PaymentID(o.PaymentID))
		require.NoError(t, err)
		return p
	}
	paid, rolledBack, neverPaid := placed[:10], placed[10], placed[11]

	// A payment recorded, then its transaction fails: the order is not paid, not invoiced.
	errLater := errors.New("the payment's transaction failed after the order was marked paid")
	err := db.InTx(e.ctx, e.pool, func(tx pgx.Tx) error {
		if err := e.svc.MarkPaidTx(e.ctx, tx, payment(rolledBack)); err != nil {
			return err
		}
		return errLater
	})
	require.ErrorIs(t, err, errLater)

	// Ten payments recorded at once, each twice (a provider's webhook and the return
	// page), while four invoicing runs go on beside them.
	pays := make([]payments.Payment, len(paid))
	for i, o := range paid {
		pays[i] = payment(o)
	}
	const issuers = 4
	errs := make([]error, 2*len(paid)+issuers)
	race(len(errs), func(i int) {
		if i < issuers {
			_, errs[i] = e.svc.IssueInvoices(e.ctx)
			return
		}
		errs[i] = db.InTx(e.ctx, e.pool, func(tx pgx.Tx) error { return e.svc.MarkPaidTx(e.ctx, tx, pays[i%len(paid)]) })
	})
	for _, err := range errs {
		require.NoError(t, err)
	}
	_, err = e.svc.IssueInvoices(e.ctx) // what the periodic job does next
	require.NoError(t, err)

	var numbers []int64
	for _, o := range paid {
		got, err := e.svc.Order(e.ctx, o.Number)
		require.NoError(t, err)
		require.NotZero(t, got.InvoiceNumber, "order %d is paid", o.Number)
		require.NotNil(t, got.InvoicedAt)
		numbers = append(numbers, got.InvoiceNumber)
	}
	slices.Sort(numbers)
	require.Equal(t, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, numbers, "one number each, none skipped, none shared")
	for _, o := range []orders.Order{rolledBack, neverPaid} {
		got, err := e.svc.Order(e.ctx, o.Number)
		require.NoError(t, err)
		require.Zero(t, got.InvoiceNumber, "order %d was never paid", o.Number)
		got, err = e.svc.Invoice(e.ctx, got)
		require.NoError(t, err)
		require.Zero(t, got.InvoiceNumber, "opening an unpaid order's invoice numbers nothing")
	}

	// The rolled-back order paid for real later: opening its invoice numbers it at once.
	require.NoError(t, db.InTx(e.ctx, e.pool, func(tx pgx.Tx) error { return e.svc.MarkPaidTx(e.ctx, tx, payment(rolledBack)) }))
	got, err := e.svc.Order(e.ctx, rolledBack.Number)
	require.NoError(t, err)
	got, err = e.svc.Invoice(e.ctx, got)
	require.NoError(t, err)
	require.Equal(t, int64(11), got.InvoiceNumber)
	require.Equal(t, "INV-000011", orders.InvoiceLabel(got.InvoiceNumber))
	n, err := e.svc.IssueInvoices(e.ctx)
	require.NoError(t, err)
	require.Zero(t, n, "nothing left to number")
}
