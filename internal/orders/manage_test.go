package orders_test

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/notify"
	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/payments/paymentstest"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/internal/platform/jobs"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/internal/users"
)

// The two variants every shop below sells, 10 of each in stock.
const (
	teeID int64 = 501
	capID int64 = 502
)

var ann = audit.Actor{Email: "ann@shop.test", IP: "192.0.2.1"}

// shop runs orders as cmd/shop wires it: real inventory, payments (the test gateway and
// the manual provider), notify's outbox, the users audit log, and a River client, on a
// database of the test's own.
type shop struct {
	ctx    context.Context
	pool   *pgxpool.Pool
	inv    *inventory.Service
	pay    *payments.Service
	notify *notify.Service
	users  *users.Service
	svc    *orders.Service
	clock  atomic.Int64 // unix nanoseconds

	hooksMu sync.Mutex
	hooks   map[string]int // committed hook calls by kind
}

type shopOptions struct {
	// captureManually makes card payments only authorized until captured.
	captureManually bool
	// work runs the jobs (expired orders' voids); otherwise they are only queued.
	work bool
	mode orders.TaxMode
}

func newShop(t *testing.T, opts shopOptions) *shop {
	t.Helper()
	s := &shop{ctx: t.Context(), hooks: map[string]int{}}
	pool, err := db.Open(t.Context(), dbtest.URL(t), db.PoolOptions{MaxConns: 32})
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	s.pool = pool
	s.clock.Store(time.Now().UnixNano())
	s.inv = inventory.NewService(pool, nil)
	s.pay, err = payments.NewService(pool, nil, payments.Config{
		DefaultProvider: payments.ProviderTest,
		TestGateway:     &payments.TestGatewayConfig{Secret: paymentstest.Secret, CaptureManually: opts.captureManually, DuplicateDelay: 50 * time.Millisecond},
	})
	require.NoError(t, err)
	s.notify, err = notify.NewService(pool, nil, notify.Config{})
	require.NoError(t, err)
	s.users = users.NewService(pool, nil, users.Options{Outbox: s.notify})
	s.svc = orders.NewService(pool, nil, s.inv, s.pay, orders.Config{
		Now:     func() time.Time { return time.Unix(0, s.clock.Load()) },
		BaseURL: "https://shop.test/", Store: orders.StoreDefaults{Name: "Test Shop"},
	})
	s.svc.UseAudit(s.users)
	s.svc.UseOutbox(s.notify)
	s.pay.OnPaid(s.svc.MarkPaidTx)
	s.pay.OnFailed(s.svc.MarkPaymentFailedTx)
	s.pay.OnAuthorized(s.svc.MarkAuthorizedTx)
	s.pay.OnVoided(s.svc.MarkVoidedTx)
	s.pay.OnRefunded(s.svc.RecordRefundTx)
	count := func(kind string) orders.Hook {
		return func(ctx context.Context, tx pgx.Tx, o orders.Order) error { return s.recordHook(ctx, tx, kind, o) }
	}
	s.svc.OnPlaced(count("placed"))
	s.svc.OnPaid(count("paid"))
	s.svc.OnCancelled(count("cancelled"))
	s.svc.OnShipped(func(ctx context.Context, tx pgx.Tx, o orders.Order, _ orders.Fulfillment) error {
		return s.recordHook(ctx, tx, "shipped", o)
	})

	reg := jobs.NewRegistry()
	s.pay.RegisterJobs(reg)
	s.notify.RegisterJobs(reg)
	s.svc.RegisterJobs(reg, time.Hour)
	client, err := jobs.NewClient(pool, reg, slog.New(slog.DiscardHandler), jobs.Options{Work: opts.work, PollInterval: 100 * time.Millisecond})
	require.NoError(t, err)
	s.pay.UseJobs(client)
	s.notify.UseJobs(client)
	s.svc.UseJobs(client)
	if opts.work {
		require.NoError(t, client.Start(s.ctx))
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			require.NoError(t, client.Stop(ctx))
		})
	}

	var loc int64
	require.NoError(t, pool.QueryRow(s.ctx, `INSERT INTO inventory.locations (name, priority) VALUES ('Main', 100) RETURNING id`).Scan(&loc))
	for _, v := range []int64{teeID, capID} {
		require.NoError(t, s.inv.Adjust(s.ctx, audit.Actor{}, v, loc, 0, 10, "initial count"))
	}
	_, err = pool.Exec(s.ctx, `CREATE TABLE public.orders_test_hooks (kind text NOT NULL, number bigint NOT NULL)`)
	require.NoError(t, err)
	return s
}

// recordHook writes a row in the hook's transaction, so only calls that committed count.
func (s *shop) recordHook(ctx context.Context, tx pgx.Tx, kind string, o orders.Order) error {
	_, err := tx.Exec(ctx, `INSERT INTO public.orders_test_hooks (kind, number) VALUES ($1, $2)`, kind, o.Number)
	return err
}

func (s *shop) hookCalls(t *testing.T, kind string, number int64) int {
	t.Helper()
	return s.count(t, `SELECT count(*) FROM public.orders_test_hooks WHERE kind = $1 AND number = $2`, kind, number)
}

func (s *shop) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, s.pool.QueryRow(s.ctx, sql, args...).Scan(&n))
	return n
}

// order is 3 tees at 20.00 and 2 caps at 15.00 with 5.00 shipping to France, prices
// including 20 % VAT: 95.00 in all.
func order(key, provider string) orders.PlaceOrderInput {
	return orders.PlaceOrderInput{
		IdempotencyKey: key,
		Lines: []orders.Line{
			{VariantID: teeID, SKU: "TEE-M", Name: "Blue tee", Quantity: 3, UnitPrice: eur(2000), WeightGrams: 200},
			{VariantID: capID, SKU: "CAP", Name: "Red cap", Quantity: 2, UnitPrice: eur(1500), WeightGrams: 100},
		},
		Options:         []string{"Size: M", ""},
		Email:           "shopper@example.com",
		Shipping:        orders.Address{Country: "FR"},
		ShippingAddress: orders.AddressDetails{"name": "Ada", "line1": "1 rue X", "city": "Paris", "postal_code": "75001", "country": "FR"},
		Method:          orders.ShippingMethod{ID: 1, Name: "Colissimo", Kind: orders.MethodFlat, Price: eur(500)},
		Rates:           []orders.TaxRate{{Country: "FR", Rate: 2000, Name: "TVA"}},
		Mode:            orders.PricesIncludeTax,
		PaymentProvider: provider,
	}
}

func (s *shop) place(t *testing.T, in orders.PlaceOrderInput) orders.Order {
	t.Helper()
	o, err := s.svc.PlaceOrder(s.ctx, in)
	require.NoError(t, err)
	return o
}

// paidOrder places an order paid by card through the test gateway.
func (s *shop) paidOrder(t *testing.T, key string) orders.Order {
	t.Helper()
	o := s.place(t, order(key, payments.ProviderTest))
	s.payByCard(t, o, paymentstest.CardSucceeds)
	o = s.order(t, o.Number)
	require.Equal(t, orders.PaymentPaid, o.PaymentStatus)
	return o
}

// payByCard walks the test gateway as a shopper would and then has payments ask the
// gateway where the payment stands, as its recovery job does (no waiting for webhooks).
func (s *shop) payByCard(t *testing.T, o orders.Order, card string) {
	t.Helper()
	s.beginCard(t, o)
	p, err := s.pay.FindPayment(s.ctx, payments.PaymentID(o.PaymentID))
	require.NoError(t, err)
	_, err = s.pay.TestGateway().SubmitCard(s.ctx, p.ProviderRef, card)
	require.NoError(t, err)
	_, err = s.pay.Reconcile(s.ctx, p.ID)
	require.NoError(t, err)
}

// beginCard opens the gateway's payment page, as the shopper's redirect does.
func (s *shop) beginCard(t *testing.T, o orders.Order) {
	t.Helper()
	_, err := s.pay.Begin(s.ctx, payments.PaymentID(o.PaymentID), "https://shop.test/orders/return", "")
	require.NoError(t, err)
}

func (s *shop) order(t *testing.T, number int64) orders.Order {
	t.Helper()
	o, err := s.svc.Order(s.ctx, number)
	require.NoError(t, err)
	return o
}

// lines returns the order's lines by variant.
func (s *shop) lines(t *testing.T, o orders.Order) map[int64]orders.OrderLine {
	t.Helper()
	ls, err := s.svc.Lines(s.ctx, o)
	require.NoError(t, err)
	out := map[int64]orders.OrderLine{}
	for _, l := range ls {
		out[l.VariantID] = l
	}
	return out
}

func (s *shop) stock(t *testing.T, variant int64) inventory.Stock {
	t.Helper()
	st, err := s.inv.Availability(s.ctx, []int64{variant})
	require.NoError(t, err)
	return st[variant]
}

func (s *shop) events(t *testing.T, o orders.Order, typ string) []orders.OrderEvent {
	t.Helper()
	all, err := s.svc.Events(s.ctx, o.ID)
	require.NoError(t, err)
	var out []orders.OrderEvent
	for _, e := range all {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

// emails returns the outbox's messages of kind about order o.
func (s *shop) emails(t *testing.T, kind string, o orders.Order) []notify.Message {
	t.Helper()
	msgs, _, err := s.notify.ListMessages(s.ctx, notify.MessageFilter{Kind: kind, PerPage: notify.MaxPerPage})
	require.NoError(t, err)
	var out []notify.Message
	for _, m := range msgs {
		if strings.Contains(m.Subject, fmt.Sprintf("#%d", o.Number)) {
			out = append(out, m)
		}
	}
	return out
}

func (s *shop) audits(t *testing.T, action string, o orders.Order) int {
	t.Helper()
	evs, err := s.users.ListAudit(s.ctx, users.AuditFilter{ObjectType: "order", ObjectID: strconv.FormatInt(o.Number, 10), Action: action})
	require.NoError(t, err)
	for _, e := range evs {
		require.Equal(t, ann.Email, e.ActorEmail)
	}
	return len(evs)
}

// snapshot is everything a refused action must leave alone.
type snapshot struct {
	Order      orders.Order
	Lines      map[int64]orders.OrderLine
	Events     int
	Emails     int
	Tee, Cap   inventory.Stock
	Refunds    int
	Fulfilment int
}

func (s *shop) snapshot(t *testing.T, o orders.Order) snapshot {
	t.Helper()
	o = s.order(t, o.Number)
	all, err := s.svc.Events(s.ctx, o.ID)
	require.NoError(t, err)
	return snapshot{
		Order: o, Lines: s.lines(t, o), Events: len(all),
		Emails:     s.count(t, `SELECT count(*) FROM notify.messages`),
		Tee:        s.stock(t, teeID),
		Cap:        s.stock(t, capID),
		Refunds:    s.count(t, `SELECT count(*) FROM payments.refunds`),
		Fulfilment: s.count(t, `SELECT count(*) FROM orders.fulfillments WHERE order_id = $1`, o.ID),
	}
}

func requireField(t *testing.T, err error, field, message string) {
	t.Helper()
	require.True(t, apperr.Is(err, apperr.Invalid), "want Invalid, got %v", err)
	require.Equal(t, message, apperr.FieldsOf(err)[field], "fields: %v", apperr.FieldsOf(err))
}

func requireConflict(t *testing.T, err error, message string) {
	t.Helper()
	require.True(t, apperr.Is(err, apperr.Conflict), "want Conflict, got %v", err)
	require.Equal(t, message, apperr.MessageOf(err))
}

func TestFulfil(t *testing.T) {
	t.Parallel()

	t.Run("OKPartThenRest", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.paidOrder(t, "ship-me")
		lines := s.lines(t, o)
		tee, cap := lines[teeID], lines[capID]

		f, err := s.svc.Fulfil(s.ctx, ann, o.Number, orders.FulfilInput{
			Quantities: map[int64]int{tee.ID: 2, cap.ID: 0},
			Carrier:    "  Colissimo ", TrackingNumber: " 6A12345 ", TrackingURL: "https://track.test/6A12345",
		})
		require.NoError(t, err)
		require.Equal(t, map[int64]int{tee.ID: 2}, f.Lines)
		require.Equal(t, "Colissimo", f.Carrier, "trimmed")
		require.Equal(t, "6A12345", f.TrackingNumber)
		require.Equal(t, "staff:ann@shop.test", f.Actor)

		require.Equal(t, 8, s.stock(t, teeID).OnHand, "exactly the shipped units left the shelf")
		require.Equal(t, 1, s.stock(t, teeID).Reserved, "the third tee is still held")
		require.Equal(t, 10, s.stock(t, capID).OnHand)
		require.Equal(t, 2, s.stock(t, capID).Reserved)
		got := s.order(t, o.Number)
		require.Equal(t, orders.FulfillmentPartial, got.FulfillmentStatus)
		require.Equal(t, orders.StatusOpen, got.Status)
		require.Equal(t, 1, s.lines(t, got)[teeID].Remaining())

		shipped := s.emails(t, orders.EmailOrderShipped, o)
		require.Len(t, shipped, 1)
		require.Equal(t, fmt.Sprintf("Order #%d has shipped", o.Number), shipped[0].Subject)
		require.Contains(t, shipped[0].Text, "Carrier: Colissimo")
		require.Contains(t, shipped[0].Text, "Tracking number: 6A12345")
		require.Contains(t, shipped[0].Text, "https://track.test/6A12345")
		require.Contains(t, shipped[0].Text, "part of order")
		require.Contains(t, shipped[0].HTML, `href="https://track.test/6A12345"`)

		// Nothing asked: everything that remains ships.
		f2, err := s.svc.Fulfil(s.ctx, ann, o.Number, orders.FulfilInput{})
		require.NoError(t, err)
		require.Equal(t, map[int64]int{tee.ID: 1, cap.ID: 2}, f2.Lines)
		require.Equal(t, 7, s.stock(t, teeID).OnHand)
		require.Equal(t, 8, s.stock(t, capID).OnHand)
		require.Zero(t, s.stock(t, teeID).Reserved+s.stock(t, capID).Reserved, "the reservation is used up")
		got = s.order(t, o.Number)
		require.Equal(t, orders.FulfillmentFulfilled, got.FulfillmentStatus)
		require.Equal(t, orders.StatusCompleted, got.Status, "shipped and paid")

		fs, err := s.svc.Fulfillments(s.ctx, o.ID)
		require.NoError(t, err)
		require.Len(t, fs, 2)
		events := s.events(t, got, orders.EventFulfilled)
		require.Len(t, events, 2)
		for _, e := range events {
			require.Equal(t, "staff:ann@shop.test", e.Actor)
		}
		require.Equal(t, map[string]any{strconv.FormatInt(tee.ID, 10): float64(2)}, events[0].Data["lines"])
		require.Len(t, s.events(t, got, orders.EventCompleted), 1)
		require.Len(t, s.emails(t, orders.EmailOrderShipped, o), 2)
		require.Equal(t, 2, s.audits(t, "order.fulfil", o))
		require.Equal(t, 2, s.hookCalls(t, "shipped", o.Number))

		_, err = s.svc.Fulfil(s.ctx, ann, o.Number, orders.FulfilInput{})
		requireConflict(t, err, "Only an open order can ship; this one is completed.")
	})

	t.Run("ErrMoreThanRemaining", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.paidOrder(t, "too-many")
		tee := s.lines(t, o)[teeID]
		before := s.snapshot(t, o)

		_, err := s.svc.Fulfil(s.ctx, ann, o.Number, orders.FulfilInput{Quantities: map[int64]int{tee.ID: 4}, Carrier: "DHL"})
		requireField(t, err, orders.QuantityField(tee.ID), "Only 3 left to ship.")
		_, err = s.svc.Fulfil(s.ctx, ann, o.Number, orders.FulfilInput{Quantities: map[int64]int{tee.ID: 0}})
		requireField(t, err, "quantities", "Enter how many units of at least one item ship now.")
		_, err = s.svc.Fulfil(s.ctx, ann, o.Number, orders.FulfilInput{Quantities: map[int64]int{999999: 1}})
		requireField(t, err, orders.QuantityField(999999), "This item is not part of the order.")
		require.Equal(t, before, s.snapshot(t, o), "nothing changed")
	})

	t.Run("ErrBadTracking", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.paidOrder(t, "bad-tracking")
		before := s.snapshot(t, o)
		_, err := s.svc.Fulfil(s.ctx, ann, o.Number, orders.FulfilInput{
			Carrier: strings.Repeat("x", 101), TrackingNumber: strings.Repeat("1", 101), TrackingURL: "javascript:alert(1)",
		})
		requireField(t, err, "carrier", "Use at most 100 characters.")
		requireField(t, err, "tracking_number", "Use at most 100 characters.")
		requireField(t, err, "tracking_url", "Enter a web address starting with https:// (or http://).")
		require.Equal(t, before, s.snapshot(t, o))
	})

	t.Run("ErrCardNotPaid", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.place(t, order("unpaid-card", payments.ProviderTest))
		before := s.snapshot(t, o)
		_, err := s.svc.Fulfil(s.ctx, ann, o.Number, orders.FulfilInput{})
		requireConflict(t, err, "This order is not paid yet; it can ship once the payment arrives.")
		s.payByCard(t, o, paymentstest.CardDeclined)
		require.Equal(t, orders.PaymentFailed, s.order(t, o.Number).PaymentStatus)
		_, err = s.svc.Fulfil(s.ctx, ann, o.Number, orders.FulfilInput{})
		requireConflict(t, err, "This order's payment failed, so it cannot ship.")
		after := s.snapshot(t, o)
		require.Equal(t, before.Tee, after.Tee)
		require.Zero(t, after.Fulfilment)
	})

	t.Run("OKCashOnDelivery", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.place(t, order("cod", payments.ProviderManual))
		acts, err := s.svc.AllowedActions(s.ctx, o)
		require.NoError(t, err)
		require.Equal(t, orders.Actions{MarkPaid: true, Fulfil: true, Cancel: true}, acts)

		_, err = s.svc.Fulfil(s.ctx, ann, o.Number, orders.FulfilInput{Carrier: "La Poste"})
		require.NoError(t, err)
		got := s.order(t, o.Number)
		require.Equal(t, orders.FulfillmentFulfilled, got.FulfillmentStatus)
		require.Equal(t, orders.StatusOpen, got.Status, "open until the courier's cash is in")

		got, err = s.svc.MarkPaid(s.ctx, ann, o.Number)
		require.NoError(t, err)
		require.Equal(t, orders.StatusCompleted, got.Status)
		require.Equal(t, orders.PaymentPaid, got.PaymentStatus)
	})

	t.Run("ErrCancelled", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.paidOrder(t, "cancelled")
		_, err := s.svc.Cancel(s.ctx, ann, o.Number, "")
		require.NoError(t, err)
		before := s.snapshot(t, o)
		_, err = s.svc.Fulfil(s.ctx, ann, o.Number, orders.FulfilInput{})
		requireConflict(t, err, "Only an open order can ship; this one is cancelled.")
		require.Equal(t, before, s.snapshot(t, o))
	})

	t.Run("RaceShipsOnce", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.paidOrder(t, "race")
		var ok atomic.Int32
		var mu sync.Mutex
		var other []error
		race(5, func(int) {
			_, err := s.svc.Fulfil(s.ctx, ann, o.Number, orders.FulfilInput{})
			switch {
			case err == nil:
				ok.Add(1)
			case apperr.Is(err, apperr.Conflict):
			default:
				mu.Lock()
				other = append(other, err)
				mu.Unlock()
			}
		})
		require.Empty(t, other)
		require.EqualValues(t, 1, ok.Load(), "one shipment")
		require.Equal(t, 7, s.stock(t, teeID).OnHand, "stock left once")
		require.Equal(t, 8, s.stock(t, capID).OnHand)
		require.Equal(t, 1, s.count(t, `SELECT count(*) FROM orders.fulfillments`))
		require.Len(t, s.emails(t, orders.EmailOrderShipped, o), 1)
	})
}

func TestCancel(t *testing.T) {
	t.Parallel()

	t.Run("OKPaidRefundedStockReleasedCodeReturned", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		one := 1
		_, err := s.svc.CreateDiscountCode(s.ctx, orders.CreateDiscountCodeInput{Code: "ONCE", Kind: orders.DiscountPercent, BasisPoints: 1000, UsageLimit: &one})
		require.NoError(t, err)
		in := order("cancel-paid", payments.ProviderTest)
		in.DiscountCode = "once"
		o := s.place(t, in)
		s.payByCard(t, o, paymentstest.CardSucceeds)
		require.Equal(t, 3, s.stock(t, teeID).Reserved)

		got, err := s.svc.Cancel(s.ctx, ann, o.Number, "  Customer changed their mind ")
		require.NoError(t, err)
		require.Equal(t, orders.StatusCancelled, got.Status)
		require.Equal(t, "Customer changed their mind", got.CancelReason)
		require.NotNil(t, got.CancelledAt)
		require.Equal(t, orders.PaymentRefunded, got.PaymentStatus)
		require.Equal(t, o.GrandTotal, got.RefundedTotal)
		p, err := s.pay.FindPayment(s.ctx, payments.PaymentID(o.PaymentID))
		require.NoError(t, err)
		require.Equal(t, payments.StateRefunded, p.State, "the money went back")

		require.Equal(t, inventory.Stock{VariantID: teeID, OnHand: 10, LowStockThreshold: 5, Tracked: true}, s.stock(t, teeID), "stock released, nothing shipped")
		require.Zero(t, s.stock(t, capID).Reserved)
		for _, l := range s.lines(t, got) {
			require.Equal(t, l.Quantity, l.RestockedQuantity)
		}
		require.Zero(t, s.count(t, `SELECT used_count FROM orders.discount_codes WHERE code = 'ONCE'`), "the code's use is returned")
		require.Zero(t, s.count(t, `SELECT count(*) FROM orders.discount_redemptions`))
		again := order("uses-code-again", payments.ProviderManual)
		again.DiscountCode = "ONCE"
		s.place(t, again)

		cancelled := s.emails(t, orders.EmailOrderCancelled, o)
		require.Len(t, cancelled, 1)
		require.Equal(t, fmt.Sprintf("Order #%d cancelled", o.Number), cancelled[0].Subject)
		require.Contains(t, cancelled[0].Text, "We refunded €86.00")
		require.Empty(t, s.emails(t, orders.EmailOrderRefunded, o), "one email tells of the cancellation and its refund")
		events := s.events(t, got, orders.EventCancelled)
		require.Len(t, events, 1)
		require.Equal(t, "staff:ann@shop.test", events[0].Actor)
		require.Equal(t, "Customer changed their mind", events[0].Data["reason"])
		require.Len(t, s.events(t, got, orders.EventRefunded), 1)
		require.Equal(t, 1, s.audits(t, "order.cancel", o))
		require.Equal(t, 1, s.hookCalls(t, "cancelled", o.Number))

		acts, err := s.svc.AllowedActions(s.ctx, got)
		require.NoError(t, err)
		require.Equal(t, orders.Actions{}, acts, "nothing is left to do")
	})

	t.Run("OKPendingCardVoided", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.place(t, order("cancel-pending", payments.ProviderTest))
		s.beginCard(t, o)
		got, err := s.svc.Cancel(s.ctx, ann, o.Number, "")
		require.NoError(t, err)
		require.Equal(t, orders.StatusCancelled, got.Status)
		require.Equal(t, orders.PaymentVoided, got.PaymentStatus)
		p, err := s.pay.FindPayment(s.ctx, payments.PaymentID(o.PaymentID))
		require.NoError(t, err)
		require.Equal(t, payments.StateVoided, p.State)
		sess, err := s.pay.TestGateway().Session(s.ctx, p.ProviderRef)
		require.NoError(t, err)
		require.Equal(t, payments.TestSessionCanceled, sess.State, "the provider cancelled it too")
		require.Zero(t, s.stock(t, teeID).Reserved)
		cancelled := s.emails(t, orders.EmailOrderCancelled, o)
		require.Len(t, cancelled, 1)
		require.Contains(t, cancelled[0].Text, "Nothing was charged.")
	})

	t.Run("OKManualPendingVoided", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.place(t, order("cancel-manual", payments.ProviderManual))
		got, err := s.svc.Cancel(s.ctx, ann, o.Number, "")
		require.NoError(t, err)
		require.Equal(t, orders.PaymentVoided, got.PaymentStatus)
	})

	t.Run("ErrShipped", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.paidOrder(t, "cancel-shipped")
		_, err := s.svc.Fulfil(s.ctx, ann, o.Number, orders.FulfilInput{Quantities: map[int64]int{s.lines(t, o)[teeID].ID: 1}})
		require.NoError(t, err)
		before := s.snapshot(t, o)
		_, err = s.svc.Cancel(s.ctx, ann, o.Number, "")
		requireConflict(t, err, "Some items of this order have shipped, so it cannot be cancelled; refund it instead.")
		require.Equal(t, before, s.snapshot(t, o))
		p, err := s.pay.FindPayment(s.ctx, payments.PaymentID(o.PaymentID))
		require.NoError(t, err)
		require.Equal(t, payments.StatePaid, p.State, "no money moved")
	})

	t.Run("ErrReasonTooLong", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.place(t, order("cancel-long", payments.ProviderManual))
		_, err := s.svc.Cancel(s.ctx, ann, o.Number, strings.Repeat("é", 501))
		requireField(t, err, "reason", "Use at most 500 characters.")
		require.Equal(t, orders.StatusOpen, s.order(t, o.Number).Status)
	})
}

func TestRefund(t *testing.T) {
	t.Parallel()

	t.Run("OKPartThenRest", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.paidOrder(t, "refund-me")
		require.Equal(t, eur(9500), o.GrandTotal)

		got, err := s.svc.Refund(s.ctx, ann, o.Number, orders.RefundInput{Amount: eur(1000), Reason: "Late delivery", IdempotencyKey: "form-1"})
		require.NoError(t, err)
		require.Equal(t, orders.PaymentPartiallyRefunded, got.PaymentStatus)
		require.Equal(t, eur(1000), got.RefundedTotal)
		refunded := s.emails(t, orders.EmailOrderRefunded, o)
		require.Len(t, refunded, 1)
		require.Contains(t, refunded[0].Text, "We refunded €10.00")

		_, err = s.svc.Refund(s.ctx, ann, o.Number, orders.RefundInput{Amount: eur(8501), IdempotencyKey: "form-2"})
		requireField(t, err, "amount", "At most €85.00 can be refunded (€95.00 paid, €10.00 refunded already).")
		_, err = s.svc.Refund(s.ctx, ann, o.Number, orders.RefundInput{Amount: eur(0), IdempotencyKey: "form-2"})
		requireField(t, err, "amount", "Enter an amount greater than zero.")
		_, err = s.svc.Refund(s.ctx, ann, o.Number, orders.RefundInput{Amount: money.New(100, "USD"), IdempotencyKey: "form-2"})
		requireField(t, err, "amount", "Refund in EUR.")

		got, err = s.svc.Refund(s.ctx, ann, o.Number, orders.RefundInput{Amount: eur(8500), IdempotencyKey: "form-3"})
		require.NoError(t, err)
		require.Equal(t, orders.PaymentRefunded, got.PaymentStatus)
		require.Equal(t, eur(9500), got.RefundedTotal)
		require.Len(t, s.emails(t, orders.EmailOrderRefunded, o), 2)
		issued := s.events(t, got, orders.EventRefundIssued)
		require.Len(t, issued, 2)
		require.Equal(t, "staff:ann@shop.test", issued[0].Actor)
		require.Equal(t, "Late delivery", issued[0].Data["reason"])
		require.Len(t, s.events(t, got, orders.EventRefunded), 2)
		require.Equal(t, 2, s.audits(t, "order.refund", o))

		_, err = s.svc.Refund(s.ctx, ann, o.Number, orders.RefundInput{Amount: eur(1), IdempotencyKey: "form-4"})
		requireConflict(t, err, "This order has been refunded in full already.")
	})

	t.Run("OKSameFormTwiceRefundsOnce", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.paidOrder(t, "double-refund")
		in := orders.RefundInput{Amount: eur(2000), IdempotencyKey: "form-x", Restock: map[int64]int{s.lines(t, o)[capID].ID: 1}}
		var errs [4]error
		race(4, func(i int) { _, errs[i] = s.svc.Refund(s.ctx, ann, o.Number, in) })
		for _, err := range errs {
			require.NoError(t, err)
		}
		_, err := s.svc.Refund(s.ctx, ann, o.Number, in)
		require.NoError(t, err, "submitted again later")
		got := s.order(t, o.Number)
		require.Equal(t, eur(2000), got.RefundedTotal)
		refunds, err := s.pay.Refunds(s.ctx, payments.PaymentID(o.PaymentID))
		require.NoError(t, err)
		require.Len(t, refunds, 1)
		require.Len(t, s.events(t, got, orders.EventRefundIssued), 1)
		require.Len(t, s.emails(t, orders.EmailOrderRefunded, o), 1)
		require.Equal(t, 1, s.lines(t, got)[capID].RestockedQuantity, "restocked once")
		require.Equal(t, 1, s.stock(t, capID).Reserved)
	})

	t.Run("OKRestock", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.paidOrder(t, "restock")
		lines := s.lines(t, o)
		tee, cap := lines[teeID], lines[capID]
		_, err := s.svc.Fulfil(s.ctx, ann, o.Number, orders.FulfilInput{Quantities: map[int64]int{tee.ID: 2}})
		require.NoError(t, err)
		require.Equal(t, 8, s.stock(t, teeID).OnHand)
		require.Equal(t, 1, s.stock(t, teeID).Reserved)

		// Two tees back: the unshipped one is released, one shipped one returns to the shelf.
		_, err = s.svc.Refund(s.ctx, ann, o.Number, orders.RefundInput{Amount: eur(4000), IdempotencyKey: "r1", Restock: map[int64]int{tee.ID: 2}})
		require.NoError(t, err)
		require.Equal(t, inventory.Stock{VariantID: teeID, OnHand: 9, LowStockThreshold: 5, Tracked: true}, s.stock(t, teeID))
		got := s.order(t, o.Number)
		tee = s.lines(t, got)[teeID]
		require.Equal(t, 2, tee.RestockedQuantity)
		require.Zero(t, tee.Remaining(), "the released tee will not ship")
		require.Len(t, s.events(t, got, orders.EventRestocked), 1)

		_, err = s.svc.Refund(s.ctx, ann, o.Number, orders.RefundInput{Amount: eur(100), IdempotencyKey: "r2", Restock: map[int64]int{tee.ID: 2, cap.ID: 3}})
		requireField(t, err, orders.RestockField(tee.ID), "At most 1 can go back into stock.")
		requireField(t, err, orders.RestockField(cap.ID), "At most 2 can go back into stock.")
		require.Equal(t, eur(4000), s.order(t, o.Number).RefundedTotal, "nothing refunded")

		// The caps ship; the order is complete.
		_, err = s.svc.Fulfil(s.ctx, ann, o.Number, orders.FulfilInput{})
		require.NoError(t, err)
		got = s.order(t, o.Number)
		require.Equal(t, orders.FulfillmentFulfilled, got.FulfillmentStatus)
		require.Equal(t, orders.StatusCompleted, got.Status)
		require.Equal(t, 8, s.stock(t, capID).OnHand)
		require.Zero(t, s.stock(t, capID).Reserved+s.stock(t, teeID).Reserved)
	})

	t.Run("ErrNotPaid", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.place(t, order("refund-unpaid", payments.ProviderManual))
		before := s.snapshot(t, o)
		_, err := s.svc.Refund(s.ctx, ann, o.Number, orders.RefundInput{Amount: eur(100), IdempotencyKey: "k"})
		requireConflict(t, err, "This order is not paid, so it cannot be refunded.")
		_, err = s.svc.Refund(s.ctx, ann, o.Number, orders.RefundInput{Amount: eur(100)})
		require.True(t, apperr.Is(err, apperr.Invalid), "a form without its key is refused")
		require.Equal(t, before, s.snapshot(t, o))
	})

	t.Run("OKHookOncePerRefund", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.paidOrder(t, "hook-twice")
		_, err := s.svc.Refund(s.ctx, ann, o.Number, orders.RefundInput{Amount: eur(500), IdempotencyKey: "once"})
		require.NoError(t, err)
		p, err := s.pay.FindPayment(s.ctx, payments.PaymentID(o.PaymentID))
		require.NoError(t, err)
		refunds, err := s.pay.Refunds(s.ctx, p.ID)
		require.NoError(t, err)
		require.NoError(t, db.InTx(s.ctx, s.pool, func(tx pgx.Tx) error { return s.svc.RecordRefundTx(s.ctx, tx, p, refunds[0]) }))
		got := s.order(t, o.Number)
		require.Equal(t, eur(500), got.RefundedTotal, "a redelivered refund counts once")
		require.Len(t, s.events(t, got, orders.EventRefunded), 1)
	})
}

func TestMarkPaidAndCapture(t *testing.T) {
	t.Parallel()

	t.Run("OKMarkPaid", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.place(t, order("transfer", payments.ProviderManual))
		got, err := s.svc.MarkPaid(s.ctx, ann, o.Number)
		require.NoError(t, err)
		require.Equal(t, orders.PaymentPaid, got.PaymentStatus)
		require.NotNil(t, got.PaidAt)
		marked := s.events(t, got, orders.EventMarkedPaid)
		require.Len(t, marked, 1)
		require.Equal(t, "staff:ann@shop.test", marked[0].Actor)
		require.Len(t, s.events(t, got, orders.EventPaid), 1)
		require.Equal(t, 1, s.audits(t, "order.mark_paid", o))
		require.Equal(t, 1, s.hookCalls(t, "paid", o.Number))
		require.Len(t, s.emails(t, orders.EmailOrderConfirmation, o), 2, "awaiting payment, then confirmed")

		before := s.snapshot(t, o)
		_, err = s.svc.MarkPaid(s.ctx, ann, o.Number)
		requireConflict(t, err, "This order's payment is paid; it cannot be marked paid.")
		require.Equal(t, before, s.snapshot(t, o))
	})

	t.Run("ErrMarkPaidCard", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.place(t, order("card", payments.ProviderTest))
		before := s.snapshot(t, o)
		_, err := s.svc.MarkPaid(s.ctx, ann, o.Number)
		requireConflict(t, err, "Only manual payments (bank transfer, cash on delivery) can be marked paid; this order is paid through test.")
		require.Equal(t, before, s.snapshot(t, o))
	})

	t.Run("OKCapture", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{captureManually: true})
		o := s.place(t, order("capture", payments.ProviderTest))
		s.payByCard(t, o, paymentstest.CardSucceeds)
		o = s.order(t, o.Number)
		require.Equal(t, orders.PaymentAuthorized, o.PaymentStatus)
		acts, err := s.svc.AllowedActions(s.ctx, o)
		require.NoError(t, err)
		require.Equal(t, orders.Actions{Capture: true, Cancel: true}, acts)
		_, err = s.svc.Fulfil(s.ctx, ann, o.Number, orders.FulfilInput{})
		requireConflict(t, err, "Capture the payment before shipping this order.")

		got, err := s.svc.Capture(s.ctx, ann, o.Number)
		require.NoError(t, err)
		require.Equal(t, orders.PaymentPaid, got.PaymentStatus)
		captured := s.events(t, got, orders.EventCaptured)
		require.Len(t, captured, 1)
		require.Equal(t, "staff:ann@shop.test", captured[0].Actor)
		require.Equal(t, 1, s.audits(t, "order.capture", o))
		require.Len(t, s.emails(t, orders.EmailOrderConfirmation, o), 1)

		_, err = s.svc.Capture(s.ctx, ann, o.Number)
		requireConflict(t, err, "Only an authorized payment can be captured; this order's payment is paid.")
		acts, err = s.svc.AllowedActions(s.ctx, got)
		require.NoError(t, err)
		require.Equal(t, orders.Actions{Fulfil: true, Cancel: true, Refund: true}, acts)
	})
}

// TestTransitionsRefused walks every action the state machine refuses on orders in each
// state: each answers Conflict and changes nothing.
func TestTransitionsRefused(t *testing.T) {
	t.Parallel()
	s := newShop(t, shopOptions{})
	pending := s.place(t, order("pending", payments.ProviderTest))
	cancelled := s.place(t, order("cancelled", payments.ProviderManual))
	_, err := s.svc.Cancel(s.ctx, ann, cancelled.Number, "")
	require.NoError(t, err)
	completed := s.paidOrder(t, "completed")
	_, err = s.svc.Fulfil(s.ctx, ann, completed.Number, orders.FulfilInput{})
	require.NoError(t, err)

	actions := map[string]func(number int64) error{
		"MarkPaid": func(n int64) error { _, err := s.svc.MarkPaid(s.ctx, ann, n); return err },
		"Capture":  func(n int64) error { _, err := s.svc.Capture(s.ctx, ann, n); return err },
		"Fulfil":   func(n int64) error { _, err := s.svc.Fulfil(s.ctx, ann, n, orders.FulfilInput{}); return err },
		"Cancel":   func(n int64) error { _, err := s.svc.Cancel(s.ctx, ann, n, ""); return err },
		"Refund": func(n int64) error {
			_, err := s.svc.Refund(s.ctx, ann, n, orders.RefundInput{Amount: eur(100), IdempotencyKey: "refused"})
			return err
		},
	}
	refused := []struct {
		order   orders.Order
		actions []string
	}{
		{pending, []string{"MarkPaid", "Capture", "Fulfil", "Refund"}},
		{cancelled, []string{"MarkPaid", "Capture", "Fulfil", "Cancel", "Refund"}},
		{completed, []string{"MarkPaid", "Capture", "Fulfil", "Cancel"}},
	}
	for _, r := range refused {
		o, names := r.order, r.actions
		acts, err := s.svc.AllowedActions(s.ctx, s.order(t, o.Number))
		require.NoError(t, err)
		allowed := map[string]bool{"MarkPaid": acts.MarkPaid, "Capture": acts.Capture, "Fulfil": acts.Fulfil, "Cancel": acts.Cancel, "Refund": acts.Refund}
		for _, name := range names {
			before := s.snapshot(t, o)
			err := actions[name](o.Number)
			require.True(t, apperr.Is(err, apperr.Conflict), "%s on order %s: %v", name, o.IdempotencyKey, err)
			require.NotEmpty(t, apperr.MessageOf(err))
			require.Equal(t, before, s.snapshot(t, o), "%s on order %s changed it", name, o.IdempotencyKey)
			require.False(t, allowed[name], "%s is offered on order %s", name, o.IdempotencyKey)
		}
	}
	_, err = s.svc.MarkPaid(s.ctx, ann, 999999)
	require.True(t, apperr.Is(err, apperr.NotFound))
}

func TestExpiry(t *testing.T) {
	t.Parallel()
	s := newShop(t, shopOptions{work: true})
	one := 1
	_, err := s.svc.CreateDiscountCode(s.ctx, orders.CreateDiscountCodeInput{Code: "ONCE", Kind: orders.DiscountPercent, BasisPoints: 1000, UsageLimit: &one})
	require.NoError(t, err)
	in := order("abandoned", payments.ProviderTest)
	in.DiscountCode = "ONCE"
	o := s.place(t, in)
	s.beginCard(t, o)
	require.Equal(t, 1, s.count(t, `SELECT used_count FROM orders.discount_codes`))

	s.clock.Add(int64(31 * time.Minute))
	var total atomic.Int32
	race(4, func(int) {
		n, err := s.svc.ExpireUnpaid(s.ctx)
		assert.NoError(t, err)
		total.Add(int32(n))
	})
	require.EqualValues(t, 1, total.Load(), "expired once")

	got := s.order(t, o.Number)
	require.Equal(t, orders.StatusCancelled, got.Status)
	require.NotNil(t, got.CancelledAt)
	require.Zero(t, s.stock(t, teeID).Reserved+s.stock(t, capID).Reserved, "stock released")
	require.Equal(t, 10, s.stock(t, teeID).OnHand)
	require.Zero(t, s.count(t, `SELECT used_count FROM orders.discount_codes`), "the code's use is returned")
	require.Zero(t, s.count(t, `SELECT count(*) FROM orders.discount_redemptions`))
	require.Len(t, s.events(t, got, orders.EventExpired), 1)
	require.Equal(t, 1, s.hookCalls(t, "cancelled", o.Number))
	mails := s.emails(t, orders.EmailOrderCancelled, o)
	require.Len(t, mails, 1)
	require.Contains(t, mails[0].Text, "released the items")
	require.Equal(t, 1, s.count(t, `SELECT count(*) FROM river.river_job WHERE kind = 'orders.void_payment' AND args->>'payment_id' = $1`,
		strconv.FormatInt(o.PaymentID, 10)), "the void is queued with the expiry")

	// The queued job voids the payment at the provider; the order hears of it.
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		p, err := s.pay.FindPayment(s.ctx, payments.PaymentID(o.PaymentID))
		require.NoError(c, err)
		require.Equal(c, payments.StateVoided, p.State)
		require.Equal(c, orders.PaymentVoided, s.order(t, o.Number).PaymentStatus)
	}, 10*time.Second, 20*time.Millisecond)

	n, err := s.svc.ExpireUnpaid(s.ctx)
	require.NoError(t, err)
	require.Zero(t, n)
	require.Len(t, s.emails(t, orders.EmailOrderCancelled, o), 1)
}

func TestAddNote(t *testing.T) {
	t.Parallel()
	s := newShop(t, shopOptions{})
	o := s.place(t, order("note", payments.ProviderManual))

	t.Run("OK", func(t *testing.T) {
		require.NoError(t, s.svc.AddNote(s.ctx, ann, o.Number, "  Customer called: leave at the door. "))
		notes := s.events(t, o, orders.EventNote)
		require.Len(t, notes, 1)
		require.Equal(t, "Customer called: leave at the door.", notes[0].Data["text"])
		require.Equal(t, "staff:ann@shop.test", notes[0].Actor)
		require.Equal(t, 1, s.audits(t, "order.note", o))
	})

	t.Run("ErrEmptyOrTooLong", func(t *testing.T) {
		requireField(t, s.svc.AddNote(s.ctx, ann, o.Number, "   "), "note", "Write a note.")
		requireField(t, s.svc.AddNote(s.ctx, ann, o.Number, strings.Repeat("a", 2001)), "note", "Use at most 2000 characters.")
		require.True(t, apperr.Is(s.svc.AddNote(s.ctx, ann, 999999, "hello"), apperr.NotFound))
	})
}
