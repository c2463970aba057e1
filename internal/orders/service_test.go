package orders_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/cart"
	"github.com/monoshop/monoshop/internal/cart/carttest"
	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

const variantID = 501

type env struct {
	ctx   context.Context
	pool  *pgxpool.Pool
	inv   *inventory.Service
	pay   *payments.Service
	svc   *orders.Service
	clock atomic.Int64 // unix nanoseconds
}

// setup runs the real inventory, payments (manual provider) and orders services on a
// fresh database, with stock units of one variant.
func setup(t testing.TB, stock int) *env {
	t.Helper()
	e := &env{ctx: t.Context()}
	pool, err := db.Open(t.Context(), dbtest.URL(t), db.PoolOptions{MaxConns: 32})
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	e.pool = pool
	e.inv = inventory.NewService(pool, nil)
	e.pay, err = payments.NewService(pool, nil, payments.Config{DefaultProvider: payments.ProviderManual})
	require.NoError(t, err)
	e.clock.Store(time.Now().UnixNano())
	e.svc = orders.NewService(pool, nil, e.inv, e.pay, orders.Config{
		Now: func() time.Time { return time.Unix(0, e.clock.Load()) },
	})
	var loc int64
	require.NoError(t, pool.QueryRow(e.ctx, `INSERT INTO inventory.locations (name, priority) VALUES ('Main', 100) RETURNING id`).Scan(&loc))
	require.NoError(t, e.inv.Adjust(e.ctx, audit.Actor{}, variantID, loc, 0, stock, "initial count"))
	return e
}

func input(key string) orders.PlaceOrderInput {
	return orders.PlaceOrderInput{
		IdempotencyKey: key,
		Lines: []orders.Line{{
			VariantID: variantID, SKU: "TEE-M", Name: "Blue tee", Quantity: 1, UnitPrice: eur(2000), WeightGrams: 200,
		}},
		Email:           "shopper@example.com",
		Shipping:        orders.Address{Country: "FR"},
		ShippingAddress: orders.AddressDetails{"name": "Ada", "line1": "1 rue X", "city": "Paris", "postal_code": "75001", "country": "FR"},
		Method:          orders.ShippingMethod{ID: 1, Name: "Colissimo", Kind: orders.MethodFlat, Price: eur(500)},
		Rates:           []orders.TaxRate{{Country: "FR", Rate: 2000, Name: "TVA"}},
		Mode:            orders.PricesIncludeTax,
		PaymentProvider: payments.ProviderManual,
	}
}

func (e *env) reserved(t *testing.T) int {
	t.Helper()
	var n int
	require.NoError(t, e.pool.QueryRow(e.ctx, `SELECT coalesce(sum(reserved), 0) FROM inventory.levels WHERE variant_id = $1`, variantID).Scan(&n))
	return n
}

func (e *env) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, e.pool.QueryRow(e.ctx, sql, args...).Scan(&n))
	return n
}

func race(n int, fn func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			fn(i)
		})
	}
	close(start)
	wg.Wait()
}

func TestPlaceOrderLastUnitRace(t *testing.T) {
	t.Parallel()
	e := setup(t, 1)
	var ok, soldOut atomic.Int32
	var mu sync.Mutex
	var other []error
	race(20, func(i int) {
		_, err := e.svc.PlaceOrder(e.ctx, input(fmt.Sprintf("race-%d", i)))
		var short *inventory.InsufficientStock
		switch {
		case err == nil:
			ok.Add(1)
		// The winner has not paid yet: the others are told when to look again.
		case apperr.Is(err, apperr.Conflict) && errors.As(err, &short) && apperr.MessageOf(err) ==
			"Sorry, Blue tee is reserved by other shoppers who have not paid yet. Check back in 15 minutes: what they do not buy goes back on sale.":
			soldOut.Add(1)
		default:
			mu.Lock()
			other = append(other, err)
			mu.Unlock()
		}
	})
	require.Empty(t, other)
	require.EqualValues(t, 1, ok.Load())
	require.EqualValues(t, 19, soldOut.Load())
	require.Equal(t, 1, e.reserved(t))
	require.Equal(t, 1, e.count(t, `SELECT count(*) FROM orders.orders`))
	require.Equal(t, 1, e.count(t, `SELECT count(*) FROM payments.payments`))
}

func TestPlaceOrderDoubleSubmit(t *testing.T) {
	t.Parallel()
	e := setup(t, 5)
	numbers := make([]int64, 10)
	errs := make([]error, 10)
	race(10, func(i int) {
		o, err := e.svc.PlaceOrder(e.ctx, input("same-key"))
		numbers[i], errs[i] = o.Number, err
	})
	for i := range 10 {
		require.NoError(t, errs[i])
		require.Equal(t, numbers[0], numbers[i])
	}
	require.GreaterOrEqual(t, numbers[0], int64(1001))
	again, err := e.svc.PlaceOrder(e.ctx, input("same-key"))
	require.NoError(t, err)
	require.Equal(t, numbers[0], again.Number, "after success too")
	require.Equal(t, 1, e.count(t, `SELECT count(*) FROM orders.orders`))
	require.Equal(t, 1, e.count(t, `SELECT count(*) FROM payments.payments`))
	require.Equal(t, 1, e.reserved(t))
	require.Equal(t, 1, e.count(t, `SELECT count(*) FROM orders.order_events WHERE type = 'placed'`))

	// Snapshot and totals: 20.00 + 5.00 shipping, 20 % VAT included.
	require.Equal(t, eur(2500), again.GrandTotal)
	require.Equal(t, eur(416), again.TaxTotal) // 333.33→333 + 83.33→83
	require.Len(t, again.Token, 43)
	require.Equal(t, "Paris", again.ShippingAddress["city"])
	lines, err := e.svc.Lines(e.ctx, again)
	require.NoError(t, err)
	require.Len(t, lines, 1)
	require.Equal(t, "TEE-M", lines[0].SKU)
}

func TestDiscountCodeUsedOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, 100)
	one := 1
	_, err := e.svc.CreateDiscountCode(e.ctx, orders.CreateDiscountCodeInput{
		Code: "once", Kind: orders.DiscountPercent, BasisPoints: 1000, UsageLimit: &one,
	})
	require.NoError(t, err)
	var ok, usedUp atomic.Int32
	var mu sync.Mutex
	var other []error
	race(20, func(i int) {
		in := input(fmt.Sprintf("code-%d", i))
		in.DiscountCode = "Once"
		in.Email = fmt.Sprintf("s%d@example.com", i)
		_, err := e.svc.PlaceOrder(e.ctx, in)
		switch {
		case err == nil:
			ok.Add(1)
		case apperr.Is(err, apperr.Conflict) && apperr.MessageOf(err) == "This code has been used up":
			usedUp.Add(1)
		default:
			mu.Lock()
			other = append(other, err)
			mu.Unlock()
		}
	})
	require.Empty(t, other)
	require.EqualValues(t, 1, ok.Load())
	require.EqualValues(t, 19, usedUp.Load())
	require.Equal(t, 1, e.count(t, `SELECT used_count FROM orders.discount_codes WHERE code = 'ONCE'`))
	require.Equal(t, 1, e.count(t, `SELECT count(*) FROM orders.discount_redemptions`))
	require.Equal(t, 1, e.count(t, `SELECT count(*) FROM orders.orders WHERE discount_code = 'ONCE' AND discount_total = 200`))
	require.Equal(t, 1, e.reserved(t), "refused checkouts hold no stock")
}

func TestExpiryReleasesStockOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, 3)
	o, err := e.svc.PlaceOrder(e.ctx, input("expire-me"))
	require.NoError(t, err)
	require.Equal(t, 1, e.reserved(t))

	n, err := e.svc.ExpireUnpaid(e.ctx)
	require.NoError(t, err)
	require.Zero(t, n, "not yet expired")

	e.clock.Add(int64(31 * time.Minute))
	var total atomic.Int32
	race(8, func(int) {
		n, err := e.svc.ExpireUnpaid(e.ctx)
		require.NoError(t, err)
		total.Add(int32(n))
	})
	require.EqualValues(t, 1, total.Load())
	require.Zero(t, e.reserved(t))
	got, err := e.svc.Order(e.ctx, o.Number)
	require.NoError(t, err)
	require.Equal(t, orders.StatusCancelled, got.Status)
	events, err := e.svc.Events(e.ctx, o.ID)
	require.NoError(t, err)
	var expired int
	for _, ev := range events {
		if ev.Type == orders.EventExpired {
			expired++
		}
	}
	require.Equal(t, 1, expired)
}

func TestMarkPaidTwice(t *testing.T) {
	t.Parallel()
	e := setup(t, 3)
	o, err := e.svc.PlaceOrder(e.ctx, input("pay-me"))
	require.NoError(t, err)
	p, err := e.pay.FindPayment(e.ctx, payments.PaymentID(o.PaymentID))
	require.NoError(t, err)
	require.Equal(t, orders.PaymentRef(o.Number), p.OrderRef)
	for range 2 {
		require.NoError(t, db.InTx(e.ctx, e.pool, func(tx pgx.Tx) error { return e.svc.MarkPaidTx(e.ctx, tx, p) }))
	}
	got, err := e.svc.Order(e.ctx, o.Number)
	require.NoError(t, err)
	require.Equal(t, orders.PaymentPaid, got.PaymentStatus)
	require.Equal(t, 1, e.count(t, `SELECT count(*) FROM orders.order_events WHERE order_id = $1 AND type = 'paid'`, o.ID))

	// A late failure changes nothing; a paid order never expires.
	require.NoError(t, db.InTx(e.ctx, e.pool, func(tx pgx.Tx) error { return e.svc.MarkPaymentFailedTx(e.ctx, tx, p) }))
	e.clock.Add(int64(time.Hour))
	n, err := e.svc.ExpireUnpaid(e.ctx)
	require.NoError(t, err)
	require.Zero(t, n)
	got, err = e.svc.Order(e.ctx, o.Number)
	require.NoError(t, err)
	require.Equal(t, orders.PaymentPaid, got.PaymentStatus)
	require.Equal(t, orders.StatusOpen, got.Status)
}

func TestPlaceOrderEmptiesCart(t *testing.T) {
	t.Parallel()
	pool := dbtest.DB(t)
	ctx := t.Context()
	shop := carttest.NewShop(t, pool, 2)
	items := shop.Items(t, 2)
	shop.Stock(t, items[0].ID(), 5)
	shop.Stock(t, items[1].ID(), 1)
	carts := cart.NewService(pool, shop.Catalog, shop.Inventory, nil)
	pay, err := payments.NewService(pool, nil, payments.Config{DefaultProvider: payments.ProviderManual})
	require.NoError(t, err)
	svc := orders.NewService(pool, nil, shop.Inventory, pay, orders.Config{})
	svc.UseCart(carts)

	guestCart := func(capQty int) cart.Ref {
		res, err := carts.Add(ctx, cart.Ref{}, items[0].ID(), 2)
		require.NoError(t, err)
		ref := cart.Ref{Token: res.Token}
		_, err = carts.Add(ctx, ref, items[1].ID(), capQty)
		require.NoError(t, err)
		return ref
	}
	checkout := func(key string, ref cart.Ref, capQty int) orders.PlaceOrderInput {
		in := input(key)
		in.Lines = []orders.Line{
			{VariantID: int64(items[0].ID()), SKU: "A", Name: items[0].Product.Title, Quantity: 2, UnitPrice: eur(1000)},
			{VariantID: int64(items[1].ID()), SKU: "B", Name: items[1].Product.Title, Quantity: capQty, UnitPrice: eur(1000)},
		}
		in.Cart = ref
		return in
	}
	count := func(ref cart.Ref) int {
		n, err := carts.Count(ctx, ref)
		require.NoError(t, err)
		return n
	}

	// Two shoppers hold the last cap in their carts; the first to check out gets it.
	first, second := guestCart(1), guestCart(1)
	_, err = svc.PlaceOrder(ctx, checkout("with-cart", first, 1))
	require.NoError(t, err)
	require.Zero(t, count(first), "the order took the cart's lines")
	require.Equal(t, 3, count(second), "another shopper's cart is untouched")

	_, err = svc.PlaceOrder(ctx, checkout("sold-out", second, 1))
	require.True(t, apperr.Is(err, apperr.Conflict), "the last cap went to the first order: %v", err)
	require.Equal(t, 3, count(second), "a failed placement leaves the cart as it was")
}
