package orders_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/payments/paymentstest"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// checkoutVariant is the variant the checkout tests sell, €20.00 and 250 g a unit.
const checkoutVariant = 701

// checkoutEnv is the orders service with the payments module's test gateway (webhooks
// delivered by River), stock of one variant, and the store's pricing: prices include
// tax, France and Germany served by two methods, the United States by one.
type checkoutEnv struct {
	ctx      context.Context
	pool     *pgxpool.Pool
	pay      *paymentstest.Env
	svc      *orders.Service
	colis    int64 // Colissimo, €4.90, Europe
	express  int64 // Express, €15.00, Europe
	usGround int64 // Ground, USD, United States
	key      int
}

func checkoutSetup(t *testing.T) *checkoutEnv {
	t.Helper()
	pool := dbtest.DB(t)
	e := &checkoutEnv{ctx: t.Context(), pool: pool}
	e.pay = paymentstest.New(t, pool, paymentstest.Options{})
	inv := inventory.NewService(pool, nil)
	e.svc = orders.NewService(pool, nil, inv, e.pay.Service, orders.Config{})
	e.pay.Service.OnPaid(e.svc.MarkPaidTx)
	e.pay.Service.OnFailed(e.svc.MarkPaymentFailedTx)
	loc, err := inv.CreateLocation(e.ctx, "Main", 10)
	require.NoError(t, err)
	require.NoError(t, inv.Adjust(e.ctx, audit.Actor{}, checkoutVariant, loc.ID, 0, 100, "delivery"))

	var europe, us int64
	require.NoError(t, pool.QueryRow(e.ctx, `INSERT INTO orders.shipping_zones (name, countries, position) VALUES ('Europe', '{FR,DE}', 1) RETURNING id`).Scan(&europe))
	require.NoError(t, pool.QueryRow(e.ctx, `INSERT INTO orders.shipping_zones (name, countries, position) VALUES ('United States', '{US}', 2) RETURNING id`).Scan(&us))
	method := func(zone int64, name string, price int64, currency string, pos int) int64 {
		var id int64
		require.NoError(t, pool.QueryRow(e.ctx, `INSERT INTO orders.shipping_methods (zone_id, name, kind, currency, price_minor, position)
			VALUES ($1, $2, 'flat', $3, $4, $5) RETURNING id`, zone, name, currency, price, pos).Scan(&id))
		return id
	}
	e.colis = method(europe, "Colissimo", 490, "EUR", 1)
	e.express = method(europe, "Express", 1500, "EUR", 2)
	e.usGround = method(us, "Ground", 700, "USD", 1)
	_, err = pool.Exec(e.ctx, `INSERT INTO orders.tax_rates (country, basis_points, name) VALUES ('FR', 2000, 'VAT'), ('DE', 1900, 'VAT')`)
	require.NoError(t, err)
	return e
}

func checkoutLines(qty int) []orders.Line {
	return []orders.Line{{VariantID: checkoutVariant, SKU: "MUG-BLUE", Name: "Blue mug", Quantity: qty,
		UnitPrice: money.New(2000, "EUR"), WeightGrams: 250}}
}

// code stores a discount code (amount is basis points for a percent code); columns
// beyond the basics are set by the extra SET clause.
func (e *checkoutEnv) code(t *testing.T, code, kind string, amount int64, currency, extra string, args ...any) {
	t.Helper()
	basis := int64(0)
	if kind == "percent" {
		basis, amount = amount, 0
	}
	_, err := e.pool.Exec(e.ctx, `INSERT INTO orders.discount_codes (code, kind, basis_points, amount_minor, currency)
		VALUES ($1, $2, $3, $4, $5)`, code, kind, basis, amount, currency)
	require.NoError(t, err)
	if extra != "" {
		_, err = e.pool.Exec(e.ctx, `UPDATE orders.discount_codes SET `+extra+` WHERE code = $1`, append([]any{code}, args...)...)
		require.NoError(t, err)
	}
}

// place places an order as checkout would, from a quote, paid with the test gateway.
func (e *checkoutEnv) place(t *testing.T, email string, account *int64, code string) orders.Order {
	t.Helper()
	q, err := e.svc.Quote(e.ctx, orders.QuoteInput{Lines: checkoutLines(1), Destination: orders.Address{Country: "FR"},
		DiscountCode: code, Email: email, AccountID: account})
	require.NoError(t, err)
	require.NoError(t, q.Err())
	e.key++
	o, err := e.svc.PlaceOrder(e.ctx, orders.PlaceOrderInput{
		IdempotencyKey: "checkout-test-" + strconv.Itoa(e.key), Lines: checkoutLines(1), Email: email, AccountID: account,
		Shipping: orders.Address{Country: "FR"}, Method: q.Method.Method, DiscountCode: q.DiscountCode,
		Rates: q.Settings.Rates, Mode: q.Settings.Mode,
		ShippingAddress: orders.AddressDetails{"name": "Ada", "line1": "1 rue X", "city": "Paris", "postal_code": "75001", "country": "FR"},
	})
	require.NoError(t, err)
	return o
}

func TestQuote(t *testing.T) {
	t.Parallel()
	e := checkoutSetup(t)
	fr := orders.Address{Country: "FR"}

	t.Run("OK", func(t *testing.T) {
		q, err := e.svc.Quote(e.ctx, orders.QuoteInput{Lines: checkoutLines(2), Destination: fr})
		require.NoError(t, err)
		require.NoError(t, q.Err())
		require.Len(t, q.Methods, 2)
		require.Equal(t, e.colis, q.Method.Method.ID, "the first method offered is chosen by default")
		require.Equal(t, money.New(4000, "EUR"), q.Totals.Subtotal)
		require.Equal(t, money.New(490, "EUR"), q.Totals.Shipping)
		require.Equal(t, money.New(4490, "EUR"), q.Totals.GrandTotal)
		require.True(t, q.Totals.TaxIncluded)
		// 4000 × 2000/12000 = 666.67 → 667, shipping 490 × 2000/12000 = 81.67 → 82.
		require.Equal(t, money.New(749, "EUR"), q.Totals.TaxTotal)
	})

	t.Run("OKChosenMethod", func(t *testing.T) {
		q, err := e.svc.Quote(e.ctx, orders.QuoteInput{Lines: checkoutLines(1), Destination: fr, MethodID: e.express})
		require.NoError(t, err)
		require.NoError(t, q.Err())
		require.Equal(t, "Express", q.Method.Method.Name)
		require.Equal(t, money.New(3500, "EUR"), q.Totals.GrandTotal)
	})

	t.Run("ErrMethodNotOfferedForCountry", func(t *testing.T) {
		q, err := e.svc.Quote(e.ctx, orders.QuoteInput{Lines: checkoutLines(1), Destination: fr, MethodID: e.usGround})
		require.NoError(t, err)
		require.Nil(t, q.Method)
		require.Equal(t, map[string]string{orders.FieldShippingMethod: "This shipping method is not available for France."}, q.Fields)
		require.True(t, apperr.Is(q.Err(), apperr.Invalid))
		require.Equal(t, money.New(2000, "EUR"), q.Totals.GrandTotal, "the summary shows the goods without a method")

		// Pressing "Update" after changing country quotes that country's first method.
		q, err = e.svc.Quote(e.ctx, orders.QuoteInput{Lines: checkoutLines(1), Destination: fr, MethodID: e.usGround, FallbackToFirst: true})
		require.NoError(t, err)
		require.Empty(t, q.Fields)
		require.Equal(t, e.colis, q.Method.Method.ID)
	})

	t.Run("ErrCountryNotServed", func(t *testing.T) {
		q, err := e.svc.Quote(e.ctx, orders.QuoteInput{Lines: checkoutLines(1), Destination: orders.Address{Country: "IT"}})
		require.NoError(t, err)
		require.Empty(t, q.Methods)
		require.Equal(t, map[string]string{orders.FieldShipCountry: "Sorry, we do not ship to Italy."}, q.Fields)
	})

	t.Run("ErrEmptyCart", func(t *testing.T) {
		_, err := e.svc.Quote(e.ctx, orders.QuoteInput{Destination: fr})
		require.True(t, apperr.Is(err, apperr.Invalid))
		require.Equal(t, "Your cart is empty.", apperr.MessageOf(err))
	})

	t.Run("Discounts", func(t *testing.T) {
		now := time.Now()
		e.code(t, "TENOFF", "percent", 1000, "", "")
		e.code(t, "SOON", "percent", 1000, "", "starts_at = $2", now.Add(time.Hour))
		e.code(t, "OLD", "percent", 1000, "", "ends_at = $2", now.Add(-time.Hour))
		e.code(t, "GONE", "percent", 1000, "", "usage_limit = 1, used_count = 1")
		e.code(t, "OFF", "percent", 1000, "", "active = false")
		e.code(t, "DOLLARS", "fixed", 500, "USD", "")
		e.code(t, "BIGSPEND", "fixed", 500, "EUR", "min_subtotal_minor = 10000")
		e.code(t, "ONCE", "percent", 500, "", "per_customer_limit = 1")
		account := int64(42)
		e.place(t, "ada@example.com", &account, "ONCE")

		for _, tc := range []struct {
			code, email string
			account     *int64
			problem     string
		}{
			{code: "NOPE", problem: "The code NOPE does not exist."},
			{code: "NO\x00PE", problem: "This code does not exist."},
			{code: "soon", problem: "The code SOON is not valid yet."},
			{code: "OLD", problem: "The code OLD has expired."},
			{code: "GONE", problem: "The code GONE has been used up."},
			{code: "OFF", problem: "The code OFF is not valid now."},
			{code: "DOLLARS", problem: "The code DOLLARS is for orders in USD; your cart is in EUR."},
			{code: "BIGSPEND", problem: "The code BIGSPEND needs a subtotal of at least €100.00; your subtotal is €20.00."},
			{code: "ONCE", email: "ADA@example.com", problem: "You have already used the code ONCE."},
			{code: "ONCE", email: "other@example.com", account: &account, problem: "You have already used the code ONCE."},
		} {
			t.Run("Err"+strings.ToValidUTF8(strings.ReplaceAll(tc.code, "\x00", "NUL"), "?"), func(t *testing.T) {
				q, err := e.svc.Quote(e.ctx, orders.QuoteInput{Lines: checkoutLines(1), Destination: fr,
					DiscountCode: tc.code, Email: tc.email, AccountID: tc.account})
				require.NoError(t, err)
				require.Equal(t, map[string]string{orders.FieldDiscountCode: tc.problem}, q.Fields)
				require.Empty(t, q.DiscountCode)
				require.Zero(t, q.Totals.DiscountTotal.Minor, "a refused code takes nothing off")
				require.Equal(t, money.New(2490, "EUR"), q.Totals.GrandTotal)
			})
		}

		t.Run("OK", func(t *testing.T) {
			q, err := e.svc.Quote(e.ctx, orders.QuoteInput{Lines: checkoutLines(1), Destination: fr, DiscountCode: " tenoff "})
			require.NoError(t, err)
			require.Empty(t, q.Fields)
			require.Equal(t, "TENOFF", q.DiscountCode)
			require.Equal(t, money.New(200, "EUR"), q.Totals.DiscountTotal)
			require.Equal(t, money.New(2290, "EUR"), q.Totals.GrandTotal)

			q, err = e.svc.Quote(e.ctx, orders.QuoteInput{Lines: checkoutLines(1), Destination: fr, DiscountCode: "ONCE", Email: "newcomer@example.com"})
			require.NoError(t, err)
			require.Empty(t, q.Fields, "another customer may still use a once-per-customer code")
		})
	})
}

func TestRetryPayment(t *testing.T) {
	t.Parallel()
	e := checkoutSetup(t)
	o := e.place(t, "ada@example.com", nil, "")
	first := payments.PaymentID(o.PaymentID)

	t.Run("OKPendingPaymentIsReused", func(t *testing.T) {
		p, err := e.svc.RetryPayment(e.ctx, o.Number)
		require.NoError(t, err)
		require.Equal(t, first, p.ID, "an abandoned payment page is opened again, not doubled")
	})

	e.pay.PayWithCard(t, first, paymentstest.CardDeclined, false)
	e.pay.WaitState(t, first, payments.StateFailed)
	require.Eventually(t, func() bool {
		got, err := e.svc.Order(e.ctx, o.Number)
		return err == nil && got.PaymentStatus == orders.PaymentFailed
	}, 10*time.Second, 20*time.Millisecond)

	var second payments.PaymentID
	t.Run("OKNewAttemptAfterFailure", func(t *testing.T) {
		p, err := e.svc.RetryPayment(e.ctx, o.Number)
		require.NoError(t, err)
		require.NotEqual(t, first, p.ID)
		require.Equal(t, payments.StatePending, p.State)
		require.Equal(t, o.GrandTotal, p.Amount)
		require.Equal(t, orders.PaymentRef(o.Number), p.OrderRef)
		second = p.ID

		again, err := e.svc.RetryPayment(e.ctx, o.Number)
		require.NoError(t, err)
		require.Equal(t, second, again.ID, "a second click pays the same new attempt")

		got, err := e.svc.Order(e.ctx, o.Number)
		require.NoError(t, err)
		require.Equal(t, orders.PaymentPending, got.PaymentStatus)
		require.Equal(t, int64(second), got.PaymentID)
		list, err := e.pay.Service.PaymentsForOrder(e.ctx, orders.PaymentRef(o.Number))
		require.NoError(t, err)
		require.Len(t, list, 2)

		// A late failure report about the replaced attempt leaves the new one alone.
		var old payments.Payment
		for _, p := range list {
			if p.ID == first {
				old = p
			}
		}
		require.Equal(t, first, old.ID)
		tx, err := e.pool.Begin(e.ctx)
		require.NoError(t, err)
		require.NoError(t, e.svc.MarkPaymentFailedTx(e.ctx, tx, old))
		require.NoError(t, tx.Commit(e.ctx))
		got, err = e.svc.Order(e.ctx, o.Number)
		require.NoError(t, err)
		require.Equal(t, orders.PaymentPending, got.PaymentStatus, "news of the old attempt changes nothing")
	})

	t.Run("ErrAlreadyPaid", func(t *testing.T) {
		e.pay.PayWithCard(t, second, paymentstest.CardSucceeds, false)
		require.Eventually(t, func() bool {
			got, err := e.svc.Order(e.ctx, o.Number)
			return err == nil && got.PaymentStatus == orders.PaymentPaid
		}, 10*time.Second, 20*time.Millisecond)
		_, err := e.svc.RetryPayment(e.ctx, o.Number)
		require.True(t, apperr.Is(err, apperr.Conflict))
		require.Equal(t, "This order is already paid.", apperr.MessageOf(err))
	})

	t.Run("ErrCancelled", func(t *testing.T) {
		cancelled := e.place(t, "bob@example.com", nil, "")
		_, err := e.pool.Exec(e.ctx, `UPDATE orders.orders SET status = 'cancelled' WHERE number = $1`, cancelled.Number)
		require.NoError(t, err)
		_, err = e.svc.RetryPayment(e.ctx, cancelled.Number)
		require.True(t, apperr.Is(err, apperr.Conflict))
		require.Equal(t, "This order was cancelled, so it can no longer be paid.", apperr.MessageOf(err))
	})

	t.Run("ErrUnknownOrder", func(t *testing.T) {
		_, err := e.svc.RetryPayment(e.ctx, 999999)
		require.True(t, apperr.Is(err, apperr.NotFound))
	})
}

func TestOrdersForAccount(t *testing.T) {
	t.Parallel()
	e := checkoutSetup(t)
	ada, bob := int64(7), int64(8)
	var placed []int64
	for range 3 {
		placed = append(placed, e.place(t, "ada@example.com", &ada, "").Number)
	}
	bobs := e.place(t, "bob@example.com", &bob, "")
	guest := e.place(t, "ada@example.com", nil, "")

	t.Run("OKNewestFirst", func(t *testing.T) {
		list, total, err := e.svc.ListOrdersForAccount(e.ctx, ada, 1)
		require.NoError(t, err)
		require.Equal(t, 3, total)
		require.Equal(t, []int64{placed[2], placed[1], placed[0]}, checkoutNumbers(list), "only Ada's account orders, newest first")

		list, total, err = e.svc.ListOrdersForAccount(e.ctx, ada, 2)
		require.NoError(t, err)
		require.Equal(t, 3, total)
		require.Empty(t, list)

		recent, err := e.svc.RecentOrdersForAccount(e.ctx, ada, 2, 0)
		require.NoError(t, err)
		require.Equal(t, []int64{placed[2], placed[1]}, checkoutNumbers(recent))
	})

	t.Run("OKOwnOrder", func(t *testing.T) {
		o, err := e.svc.OrderForAccount(e.ctx, ada, placed[0])
		require.NoError(t, err)
		require.Equal(t, placed[0], o.Number)
	})

	t.Run("ErrOthersOrder", func(t *testing.T) {
		for _, n := range []int64{bobs.Number, guest.Number, 999999} {
			_, err := e.svc.OrderForAccount(e.ctx, ada, n)
			require.True(t, apperr.Is(err, apperr.NotFound), "order %d", n)
			require.Equal(t, "Order not found.", apperr.MessageOf(err))
		}
	})
}

func checkoutNumbers(list []orders.Order) []int64 {
	out := make([]int64, len(list))
	for i, o := range list {
		out[i] = o.Number
	}
	return out
}
