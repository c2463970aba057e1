package main

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// TestRecoveryAfterCrash kills a real shop process at the worst moment of a payment
// (the provider has the money, our transaction recording it has not committed) and
// proves that the next process finishes the job: the order is paid exactly once. It
// also proves that an order nobody pays gives its stock back after the timeout.
func TestRecoveryAfterCrash(t *testing.T) {
	t.Parallel()
	bin := buildShop(t, t.TempDir())
	dbURL := dbtest.URL(t)
	ctx := t.Context()

	pool, err := db.Open(ctx, dbURL, db.PoolOptions{MaxConns: 4})
	require.NoError(t, err)
	t.Cleanup(pool.Close)

	// The shopper's side of checkout runs here, on the same database the processes use:
	// the order, its reservation and its payment, begun at the test gateway.
	inv := inventory.NewService(pool, nil)
	pay, err := payments.NewService(pool, nil, payments.Config{
		DefaultProvider: payments.ProviderTest, TestGateway: &payments.TestGatewayConfig{},
	})
	require.NoError(t, err)
	var loc int64
	require.NoError(t, pool.QueryRow(ctx, `INSERT INTO inventory.locations (name, priority) VALUES ('Main', 100) RETURNING id`).Scan(&loc))
	const paidVariant, abandonedVariant = 9101, 9102
	for _, v := range []int64{paidVariant, abandonedVariant} {
		require.NoError(t, inv.Adjust(ctx, audit.Actor{}, v, loc, 0, 1, "initial count"))
	}
	place := func(svc *orders.Service, key string, variant int64) orders.Order {
		t.Helper()
		o, err := svc.PlaceOrder(ctx, orders.PlaceOrderInput{
			IdempotencyKey: key,
			Lines: []orders.Line{{VariantID: variant, SKU: "LAST-ONE", Name: "The last one", Quantity: 1,
				UnitPrice: money.New(2500, "EUR")}},
			Email:           "shopper@example.com",
			Shipping:        orders.Address{Country: "FR"},
			ShippingAddress: orders.AddressDetails{"name": "Ada", "line1": "1 rue X", "city": "Paris", "postal_code": "75001", "country": "FR"},
			Method:          orders.ShippingMethod{ID: 1, Name: "Standard", Kind: orders.MethodFlat, Price: money.New(490, "EUR")},
			Mode:            orders.PricesIncludeTax,
			PaymentProvider: payments.ProviderTest,
		})
		require.NoError(t, err)
		return o
	}
	paid := place(orders.NewService(pool, nil, inv, pay, orders.Config{}), "crash-paid", paidVariant)
	abandoned := place(orders.NewService(pool, nil, inv, pay, orders.Config{ExpireAfter: time.Second}), "crash-abandoned", abandonedVariant)

	vars := func(crash string) map[string]string {
		v := map[string]string{
			"DATABASE_URL":           dbURL,
			"SHOP_ADDR":              freeAddr(t),
			"SHOP_INTERNAL_ADDR":     "",
			"SHOP_DRAIN_DELAY":       "0s",
			"SHOP_LOG_FORMAT":        "json",
			"SHOP_DATA_DIR":          t.TempDir(),
			"SHOP_PAYMENT_PROVIDER":  "test",
			"SHOP_RECOVERY_INTERVAL": "200ms",
		}
		if crash != "" {
			v["SHOP_CRASH_POINT"] = crash
			// The first process must die on the webhook, not settle the payment by asking.
			v["SHOP_PAYMENT_RECONCILE_AFTER"] = "1h"
		} else {
			v["SHOP_PAYMENT_RECONCILE_AFTER"] = "100ms"
		}
		return v
	}

	first := startShop(t, bin, vars(crashPaymentPaid), "serve")
	first.waitReady(t, 30*time.Second)

	// The shopper pays on the hosted test page with the card that always succeeds. The
	// gateway records the money and sends its webhook; the process handling it dies
	// before its transaction commits.
	target, err := pay.Begin(ctx, payments.PaymentID(paid.PaymentID), "http://shop.test/return", "http://shop.test/cancel")
	require.NoError(t, err)
	u, err := url.Parse(target)
	require.NoError(t, err)
	noRedirect := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(first.base+u.Path, url.Values{"card_number": {"4242 4242 4242 4242"}})
	if err == nil {
		resp.Body.Close()
		require.Less(t, resp.StatusCode, 400, "the test gateway accepts the card")
	}
	// Otherwise the webhook's job ran before the page answered and the process died at
	// the crash point first, as a real process may: the gateway recorded the card in the
	// page's own transaction, which the check of its session below proves.

	select {
	case <-first.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("the process did not reach the crash point; stderr:\n%s", first.stderr.String())
	}
	var exit *exec.ExitError
	require.True(t, errors.As(first.waitErr, &exit), "the process was killed: %v", first.waitErr)
	status, ok := exit.Sys().(syscall.WaitStatus)
	require.True(t, ok)
	require.True(t, status.Signaled() && status.Signal() == syscall.SIGKILL, "killed by SIGKILL, not a clean exit")
	require.Contains(t, first.stderr.String(), "crash point reached")

	// The provider has the money, we do not know it: the crash rolled our side back.
	require.Equal(t, "paid", scalar[string](t, pool, `SELECT state FROM payments.test_gateway_sessions WHERE payment_id = $1`, paid.PaymentID))
	require.Equal(t, "pending", scalar[string](t, pool, `SELECT state FROM payments.payments WHERE id = $1`, paid.PaymentID))
	require.Equal(t, "pending", scalar[string](t, pool, `SELECT payment_status FROM orders.orders WHERE id = $1`, paid.ID))
	// Its webhook is lost for good (the provider gave up, or the network ate it): the
	// next process has only its own question to the provider to go on.
	_, err = pool.Exec(ctx, `DELETE FROM river.river_job WHERE kind = 'payments.test_webhook'`)
	require.NoError(t, err)

	second := startShop(t, bin, vars(""), "serve")
	second.waitReady(t, 30*time.Second)

	waitFor(t, 30*time.Second, "the reconciliation job marks the order paid", func() bool {
		return scalar[string](t, pool, `SELECT payment_status FROM orders.orders WHERE id = $1`, paid.ID) == "paid"
	})
	waitFor(t, 30*time.Second, "the abandoned order expires", func() bool {
		return scalar[string](t, pool, `SELECT status FROM orders.orders WHERE id = $1`, abandoned.ID) == "cancelled"
	})
	// Let the recovery jobs run a few more times: asking again changes nothing.
	runs := scalar[int64](t, pool, `SELECT count(*) FROM river.river_job WHERE kind = 'payments.reconcile' AND state = 'completed'`)
	waitFor(t, 30*time.Second, "three more reconciliation runs", func() bool {
		return scalar[int64](t, pool, `SELECT count(*) FROM river.river_job WHERE kind = 'payments.reconcile' AND state = 'completed'`) >= runs+3
	})

	require.Equal(t, "paid", scalar[string](t, pool, `SELECT state FROM payments.payments WHERE id = $1`, paid.PaymentID))
	require.Equal(t, int64(1), scalar[int64](t, pool, `SELECT count(*) FROM orders.order_events WHERE order_id = $1 AND type = 'paid'`, paid.ID),
		"the order is marked paid exactly once")
	require.Equal(t, int64(1), scalar[int64](t, pool, `SELECT count(*) FROM payments.events WHERE payment_id = $1 AND applied AND reported_state = 'paid'`, paid.PaymentID),
		"one applied event moved the payment to paid")
	require.Equal(t, "open", scalar[string](t, pool, `SELECT status FROM orders.orders WHERE id = $1`, paid.ID), "the paid order is not expired")
	require.Equal(t, int64(1), scalar[int64](t, pool, `SELECT reserved FROM inventory.levels WHERE variant_id = $1`, paidVariant),
		"the paid order keeps its unit")

	require.Equal(t, int64(0), scalar[int64](t, pool, `SELECT reserved FROM inventory.levels WHERE variant_id = $1`, abandonedVariant),
		"the abandoned order's unit is back on sale")
	require.Equal(t, int64(1), scalar[int64](t, pool, `SELECT count(*) FROM orders.order_events WHERE order_id = $1 AND type = 'expired'`, abandoned.ID),
		"expired once")
	require.False(t, strings.Contains(second.stderr.String(), `"level":"ERROR"`), "the second process logs no error:\n%s", second.stderr.String())
}

func scalar[T any](t *testing.T, pool *pgxpool.Pool, sql string, args ...any) T {
	t.Helper()
	var v T
	require.NoError(t, pool.QueryRow(context.WithoutCancel(t.Context()), sql, args...).Scan(&v))
	return v
}

// waitFor polls cond until it holds; the processes work on their own clock.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting until %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
