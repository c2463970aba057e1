// Package paymentstest runs the payments module as the shop does, for tests: a service
// with the test gateway on a database of the test's own, a River client working its jobs
// (the gateway's webhooks arrive asynchronously, twice), the paymentsweb routes behind a
// real HTTP server, and hooks that record every call in the transaction that fires them,
// so a test counts only what committed. The tests of payments use it, and those of
// orders may.
package paymentstest

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/payments/paymentsweb"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/jobs"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/web"
	"github.com/monoshop/monoshop/web/webtest"
)

// Secret signs the test gateway's webhooks in tests.
const Secret = "paymentstest-webhook-secret-0123456789"

// ReturnURL is where the test gateway sends the shopper back (a path on the test server).
const ReturnURL = "/orders/return"

// The test cards, by what they do.
const (
	CardSucceeds          = "4242424242424242"
	CardDeclined          = "4000000000000002"
	CardInsufficientFunds = "4000000000009995"
	CardRequiresAction    = "4000002500003155"
)

// Hook kinds recorded by Env.
const (
	HookAuthorized = "authorized"
	HookPaid       = "paid"
	HookFailed     = "failed"
	HookVoided     = "voided"
	HookRefunded   = "refunded"
)

// Options adjusts the environment.
type Options struct {
	// Gateway configures the test gateway; Secret defaults to Secret and DuplicateDelay
	// to 100ms, so duplicates arrive within the test.
	Gateway payments.TestGatewayConfig
	// InstallationKey leaves the gateway without a configured secret, as the shop runs
	// it: webhooks are signed with the installation's key from the database.
	InstallationKey bool
	// ReconcileAfter is passed to the service (default: the service's).
	ReconcileAfter time.Duration
	// NoWorkers queues jobs without running them (webhooks are never delivered).
	NoWorkers bool
	// Log receives the service's and the handlers' logs; nil discards them.
	Log *slog.Logger
}

// Env is the payments module running on a database of the test's own.
type Env struct {
	Ctx     context.Context
	Pool    *pgxpool.Pool
	Service *payments.Service
	Gateway *payments.TestGateway
	Jobs    *jobs.Client
	// URL is the base URL of a server with the paymentsweb routes.
	URL string
	// HTTP follows no redirects, so tests see each step.
	HTTP *http.Client

	mu      sync.Mutex
	failing map[string]bool
}

// New starts the environment on pool (a dbtest.DB database).
func New(t testing.TB, pool *pgxpool.Pool, opts Options) *Env {
	t.Helper()
	ctx := t.Context()
	if opts.Gateway.Secret == "" && !opts.InstallationKey {
		opts.Gateway.Secret = Secret
	}
	if opts.Gateway.DuplicateDelay == 0 {
		opts.Gateway.DuplicateDelay = 100 * time.Millisecond
	}
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	svc, err := payments.NewService(pool, log, payments.Config{
		TestGateway:    &opts.Gateway,
		ReconcileAfter: opts.ReconcileAfter,
	})
	require.NoError(t, err)
	e := &Env{Ctx: ctx, Pool: pool, Service: svc, Gateway: svc.TestGateway(), failing: map[string]bool{}}

	// Hook calls are rows written in the hook's own transaction: a call whose
	// transaction rolled back leaves nothing, so counting rows counts what committed.
	_, err = pool.Exec(ctx, `CREATE TABLE public.paymentstest_hook_calls (
		id bigint GENERATED ALWAYS AS IDENTITY, kind text NOT NULL, payment_id bigint NOT NULL,
		state text NOT NULL, refund_minor bigint NOT NULL DEFAULT 0)`)
	require.NoError(t, err)
	record := func(kind string) payments.Hook {
		return func(ctx context.Context, tx pgx.Tx, p payments.Payment) error {
			return e.recordHook(ctx, tx, kind, p, 0)
		}
	}
	svc.OnAuthorized(record(HookAuthorized))
	svc.OnPaid(record(HookPaid))
	svc.OnFailed(record(HookFailed))
	svc.OnVoided(record(HookVoided))
	svc.OnRefunded(func(ctx context.Context, tx pgx.Tx, p payments.Payment, r payments.Refund) error {
		return e.recordHook(ctx, tx, HookRefunded, p, r.Amount.Minor)
	})

	reg := jobs.NewRegistry()
	svc.RegisterJobs(reg)
	e.Jobs, err = jobs.NewClient(pool, reg, log, jobs.Options{Work: !opts.NoWorkers, PollInterval: 100 * time.Millisecond})
	require.NoError(t, err)
	svc.UseJobs(e.Jobs)
	if !opts.NoWorkers {
		require.NoError(t, e.Jobs.Start(ctx))
		t.Cleanup(func() {
			stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			require.NoError(t, e.Jobs.Stop(stopCtx))
		})
	}

	assets, err := web.NewAssets()
	require.NoError(t, err)
	rr := web.NewRenderer(web.Site{Name: "Test Shop", Assets: assets, Env: "dev"}, log)
	r := chi.NewRouter()
	paymentsweb.NewHandler(svc, rr, log).Routes(r)
	r.NotFound(rr.NotFound)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	e.URL = srv.URL
	e.HTTP = &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return e
}

// FailHooks makes every hook of kind fail (true) or work again (false): a crash between
// the provider's answer and our commit, as far as the database can tell.
func (e *Env) FailHooks(kind string, fail bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.failing[kind] = fail
}

func (e *Env) recordHook(ctx context.Context, tx pgx.Tx, kind string, p payments.Payment, refund int64) error {
	e.mu.Lock()
	fail := e.failing[kind]
	e.mu.Unlock()
	if fail {
		return errors.New("paymentstest: hook failed on purpose")
	}
	_, err := tx.Exec(ctx, `INSERT INTO public.paymentstest_hook_calls (kind, payment_id, state, refund_minor) VALUES ($1, $2, $3, $4)`,
		kind, int64(p.ID), string(p.State), refund)
	return err
}

// HookCalls counts the committed calls of kind's hooks for a payment.
func (e *Env) HookCalls(t testing.TB, kind string, id payments.PaymentID) int {
	t.Helper()
	var n int
	require.NoError(t, e.Pool.QueryRow(e.Ctx, `SELECT count(*) FROM public.paymentstest_hook_calls WHERE kind = $1 AND payment_id = $2`,
		kind, int64(id)).Scan(&n))
	return n
}

// AllHookCalls counts the committed hook calls of a payment by kind.
func (e *Env) AllHookCalls(t testing.TB, id payments.PaymentID) map[string]int {
	t.Helper()
	rows, err := e.Pool.Query(e.Ctx, `SELECT kind, count(*) FROM public.paymentstest_hook_calls WHERE payment_id = $1 GROUP BY kind`, int64(id))
	require.NoError(t, err)
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		require.NoError(t, rows.Scan(&k, &n))
		out[k] = n
	}
	require.NoError(t, rows.Err())
	return out
}

// Create makes a payment in a committed transaction, as placing an order would.
func (e *Env) Create(t testing.TB, provider string, amount money.Amount) payments.Payment {
	t.Helper()
	var p payments.Payment
	require.NoError(t, db.InTx(e.Ctx, e.Pool, func(tx pgx.Tx) error {
		var err error
		p, err = e.Service.Create(e.Ctx, tx, payments.CreateInput{
			OrderRef: nextOrderRef(), Amount: amount, Provider: provider,
		})
		return err
	}))
	return p
}

// Begin begins a payment with ReturnURL and returns the redirect.
func (e *Env) Begin(t testing.TB, id payments.PaymentID) string {
	t.Helper()
	redirect, err := e.Service.Begin(e.Ctx, id, ReturnURL, ReturnURL+"?cancelled=1")
	require.NoError(t, err)
	return redirect
}

// Response is an HTTP answer, read.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// Location is the redirect target.
func (r Response) Location() string { return r.Header.Get("Location") }

// Doc parses the body as HTML.
func (r Response) Doc(t testing.TB) *html.Node {
	t.Helper()
	return webtest.Parse(t, r.Body)
}

// Do sends req and reads the answer.
func (e *Env) Do(t testing.TB, req *http.Request) Response {
	t.Helper()
	res, err := e.HTTP.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return Response{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

// Get fetches a path of the test server.
func (e *Env) Get(t testing.TB, path string) Response {
	t.Helper()
	req, err := http.NewRequestWithContext(e.Ctx, http.MethodGet, e.URL+path, nil)
	require.NoError(t, err)
	return e.Do(t, req)
}

// PostForm posts a form to a path of the test server.
func (e *Env) PostForm(t testing.TB, path string, form url.Values) Response {
	t.Helper()
	req, err := http.NewRequestWithContext(e.Ctx, http.MethodPost, e.URL+path, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.Do(t, req)
}

// SendWebhook posts ev, signed with the gateway's secret, to the webhook endpoint.
func (e *Env) SendWebhook(t testing.TB, ev payments.TestWebhook) Response {
	t.Helper()
	req, err := e.Gateway.WebhookRequest(e.Ctx, e.URL+"/webhooks/payments/test", ev)
	require.NoError(t, err)
	return e.Do(t, req)
}

// PayWithCard walks the hosted page as a shopper: it begins the payment, opens the page,
// submits card, and answers the confirmation step with complete when the card asks for
// one. It returns the final redirect, which leads back to the shop.
func (e *Env) PayWithCard(t testing.TB, id payments.PaymentID, card string, complete bool) Response {
	t.Helper()
	page := e.Begin(t, id)
	require.Equal(t, http.StatusOK, e.Get(t, page).Status)
	res := e.PostForm(t, page, url.Values{"card_number": {card}})
	require.Equal(t, http.StatusSeeOther, res.Status, res.Body)
	if res.Location() == page {
		action := "fail"
		if complete {
			action = "complete"
		}
		res = e.PostForm(t, page+"/confirm", url.Values{"action": {action}})
		require.Equal(t, http.StatusSeeOther, res.Status, res.Body)
	}
	return res
}

// WaitState waits until the payment is in state.
func (e *Env) WaitState(t testing.TB, id payments.PaymentID, state payments.State) payments.Payment {
	t.Helper()
	var p payments.Payment
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		var err error
		p, err = e.Service.FindPayment(e.Ctx, id)
		require.NoError(c, err)
		require.Equal(c, state, p.State)
	}, 10*time.Second, 20*time.Millisecond)
	return p
}

// WaitWebhooks waits until every queued test gateway delivery has run (duplicates
// included) and returns the final job states.
func (e *Env) WaitWebhooks(t testing.TB) []string {
	t.Helper()
	var states []string
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		rows, err := e.Pool.Query(e.Ctx, `SELECT state::text FROM river.river_job WHERE kind = 'payments.test_webhook' ORDER BY id`)
		require.NoError(c, err)
		states = states[:0]
		for rows.Next() {
			var s string
			require.NoError(c, rows.Scan(&s))
			states = append(states, s)
		}
		require.NoError(c, rows.Err())
		for _, s := range states {
			require.Contains(c, []string{"completed", "cancelled", "discarded"}, s)
		}
	}, 15*time.Second, 20*time.Millisecond)
	return states
}

// orderNumbers gives order references unique within the test binary, like the orders
// module's sequential numbers.
var orderNumbers atomic.Int64

func nextOrderRef() string { return "#" + strconv.FormatInt(1000+orderNumbers.Add(1), 10) }
