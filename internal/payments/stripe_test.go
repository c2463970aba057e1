package payments_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/payments/paymentsweb"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/web"
)

const (
	stripeSecretKey     = "sk_test_monoshop"
	stripeWebhookSecret = "whsec_monoshop_test_0123456789"
	stripeShopURL       = "https://shop.example"
	stripeMockVersion   = "v0.203.0"
)

// stripeCall is one API request as it left the shop.
type stripeCall struct {
	Method, Path   string
	Query, Form    url.Values
	IdempotencyKey string
	Authorization  string
}

// stripeRecorder is the HTTP client's transport: it records every API request and passes
// it on unchanged, so tests see what reached the API without replacing it.
type stripeRecorder struct {
	mu    sync.Mutex
	calls []stripeCall
}

func (r *stripeRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	var form url.Values
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("stripe recorder: read body: %w", err)
		}
		if form, err = url.ParseQuery(string(body)); err != nil {
			return nil, fmt.Errorf("stripe recorder: parse body: %w", err)
		}
		out.Body = io.NopCloser(bytes.NewReader(body))
	}
	r.mu.Lock()
	r.calls = append(r.calls, stripeCall{
		Method: req.Method, Path: req.URL.Path, Query: req.URL.Query(), Form: form,
		IdempotencyKey: req.Header.Get("Idempotency-Key"), Authorization: req.Header.Get("Authorization"),
	})
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(out)
}

func (r *stripeRecorder) Calls() []stripeCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]stripeCall(nil), r.calls...)
}

// onlyCallSince returns the one call made after the first n.
func (r *stripeRecorder) onlyCallSince(t *testing.T, n int) stripeCall {
	t.Helper()
	calls := r.Calls()[n:]
	require.Len(t, calls, 1, "%+v", calls)
	return calls[0]
}

// stripeConfig points the provider at apiBase through a recorder.
func stripeConfig(apiBase string) (*payments.StripeConfig, *stripeRecorder) {
	rec := &stripeRecorder{}
	return &payments.StripeConfig{
		SecretKey:     stripeSecretKey,
		WebhookSecret: stripeWebhookSecret,
		APIBase:       apiBase,
		BaseURL:       stripeShopURL,
		HTTPClient:    &http.Client{Transport: rec, Timeout: 20 * time.Second},
	}, rec
}

// startStripeMock runs stripe-mock for the calling test and its subtests and stops it
// when they are done. Without the binary the test is skipped, unless CI=true or
// STRIPE_MOCK_REQUIRED=1, where that is a failure (.ci/run installs it).
func startStripeMock(t *testing.T) string {
	t.Helper()
	bin := findStripeMock()
	if bin == "" {
		msg := "stripe-mock not found on PATH or in $(go env GOPATH)/bin; install it with: go install github.com/stripe/stripe-mock@" + stripeMockVersion
		if os.Getenv("CI") == "true" || os.Getenv("STRIPE_MOCK_REQUIRED") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	// Port 0 on both listeners: parallel test binaries never fight over a port (HTTPS
	// is not used, but would otherwise take its fixed default).
	cmd := exec.Command(bin, "-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start(), "start %s", bin)
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})

	addr := make(chan string, 1)
	go func() {
		// Reads to the end, so stripe-mock never blocks on a full pipe.
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "Listening for HTTP at address: "); ok {
				addr <- a
			}
		}
	}()
	select {
	case a := <-addr:
		return "http://" + a
	case <-time.After(60 * time.Second):
		t.Fatalf("stripe-mock did not say where it listens within 60s; stderr: %s", stderr.String())
		return ""
	}
}

func findStripeMock() string {
	if p, err := exec.LookPath("stripe-mock"); err == nil {
		return p
	}
	out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output()
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var dirs []string
	if len(lines) > 0 && lines[0] != "" {
		dirs = append(dirs, lines[0])
	}
	if len(lines) > 1 {
		for _, gp := range filepath.SplitList(lines[1]) {
			dirs = append(dirs, filepath.Join(gp, "bin"))
		}
	}
	for _, d := range dirs {
		p := filepath.Join(d, "stripe-mock")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}

// TestStripeMock checks the provider against stripe-mock, which validates every request
// against Stripe's OpenAPI spec and answers from fixtures: it keeps no state, so its
// answers describe one open session whatever was asked before.
func TestStripeMock(t *testing.T) {
	t.Parallel()
	api := startStripeMock(t)

	provider := func(t *testing.T) (payments.Provider, *stripeRecorder) {
		cfg, rec := stripeConfig(api)
		p, err := payments.NewStripeProvider(*cfg, nil)
		require.NoError(t, err)
		return p, rec
	}

	t.Run("OKBegin", func(t *testing.T) {
		t.Parallel()
		p, rec := provider(t)
		redirect, ref, err := p.Begin(t.Context(), payments.BeginRequest{
			PaymentID: 42, Amount: eur(1250), Reference: "#1042", Description: "Order #1042",
			ReturnURL: "/orders/return", CancelURL: "/orders/return?cancelled=1", IdempotencyKey: "begin:key-42",
		})
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(redirect, "https://checkout.stripe.com/"), redirect)
		require.True(t, strings.HasPrefix(ref, "cs_"), ref)

		c := rec.onlyCallSince(t, 0)
		require.Equal(t, http.MethodPost, c.Method)
		require.Equal(t, "/v1/checkout/sessions", c.Path)
		require.Equal(t, "begin:key-42", c.IdempotencyKey)
		require.Equal(t, "Bearer "+stripeSecretKey, c.Authorization, "the service's own key, not a global one")
		for k, v := range map[string]string{
			"mode":                                          "payment",
			"line_items[0][quantity]":                       "1",
			"line_items[0][price_data][currency]":           "eur",
			"line_items[0][price_data][unit_amount]":        "1250",
			"line_items[0][price_data][product_data][name]": "Order #1042",
			"success_url":                                   stripeShopURL + "/orders/return",
			"cancel_url":                                    stripeShopURL + "/orders/return?cancelled=1",
			"client_reference_id":                           "42",
			"metadata[payment_id]":                          "42",
			"metadata[reference]":                           "#1042",
			"payment_intent_data[metadata][payment_id]":     "42",
			"payment_intent_data[metadata][reference]":      "#1042",
			"adaptive_pricing[enabled]":                     "false",
		} {
			require.Equal(t, v, c.Form.Get(k), k)
		}
	})

	t.Run("OKStatus", func(t *testing.T) {
		t.Parallel()
		p, rec := provider(t)
		st, err := p.Status(t.Context(), "cs_test_status")
		require.NoError(t, err)
		// The fixture: an open session whose payment intent awaits a payment method.
		require.Equal(t, payments.StatePending, st.State)
		require.Positive(t, st.Amount.Minor)
		require.Len(t, st.Amount.Currency, 3)
		require.Zero(t, st.Refunded.Minor)

		c := rec.onlyCallSince(t, 0)
		require.Equal(t, http.MethodGet, c.Method)
		require.Equal(t, "/v1/checkout/sessions/cs_test_status", c.Path)
		require.Equal(t, "payment_intent.latest_charge", c.Query.Get("expand[0]"), c.Query)
	})

	t.Run("OKCapture", func(t *testing.T) {
		t.Parallel()
		p, rec := provider(t)
		st, err := p.Capture(t.Context(), "cs_test_capture", eur(1250), "capture:tok")
		require.NoError(t, err)
		// stripe-mock answers the fixture intent (still awaiting a payment method), and
		// that is what the shop is told: not paid.
		require.Equal(t, payments.StatePending, st.State)

		calls := rec.Calls()
		require.Len(t, calls, 2)
		require.Equal(t, "/v1/checkout/sessions/cs_test_capture", calls[0].Path)
		c := calls[1]
		require.Equal(t, http.MethodPost, c.Method)
		require.Regexp(t, `^/v1/payment_intents/pi_\w+/capture$`, c.Path)
		require.Equal(t, "capture:tok", c.IdempotencyKey)
		require.Equal(t, "1250", c.Form.Get("amount_to_capture"))
	})

	t.Run("OKRefund", func(t *testing.T) {
		t.Parallel()
		p, rec := provider(t)
		r, err := p.Refund(t.Context(), "cs_test_refund", eur(500), "refund:r-1")
		require.NoError(t, err)
		require.Equal(t, payments.RefundSucceeded, r.State)
		require.True(t, strings.HasPrefix(r.Ref, "re_"), r.Ref)

		calls := rec.Calls()
		require.Len(t, calls, 3)
		// First the intent's refunds are searched for one made with this key (the
		// fixture's has none), then the refund is made.
		require.Equal(t, http.MethodGet, calls[1].Method)
		require.Equal(t, "/v1/refunds", calls[1].Path)
		require.True(t, strings.HasPrefix(calls[1].Query.Get("payment_intent"), "pi_"), calls[1].Query)
		c := calls[2]
		require.Equal(t, http.MethodPost, c.Method)
		require.Equal(t, "/v1/refunds", c.Path)
		require.Equal(t, "refund:r-1", c.IdempotencyKey)
		require.Equal(t, "refund:r-1", c.Form.Get("metadata[refund_key]"))
		require.Equal(t, "500", c.Form.Get("amount"))
		require.Equal(t, calls[1].Query.Get("payment_intent"), c.Form.Get("payment_intent"))
	})

	t.Run("OKVoidExpiresOpenSession", func(t *testing.T) {
		t.Parallel()
		p, rec := provider(t)
		st, err := p.Void(t.Context(), "cs_test_void", "void:tok")
		require.NoError(t, err)
		// Stripe answers an expired session (voided); stripe-mock answers its open fixture.
		require.Equal(t, payments.StatePending, st.State)

		calls := rec.Calls()
		require.Len(t, calls, 2)
		c := calls[1]
		require.Equal(t, http.MethodPost, c.Method)
		require.Equal(t, "/v1/checkout/sessions/cs_test_void/expire", c.Path)
		require.Equal(t, "void:tok", c.IdempotencyKey)
	})

	t.Run("OKWebhookAboutIntentFindsSession", func(t *testing.T) {
		t.Parallel()
		p, rec := provider(t)
		body := stripeEvent(t, "evt_pi_1", "payment_intent.succeeded", map[string]any{
			"id": "pi_ours", "object": "payment_intent", "status": "succeeded", "amount": 1250, "currency": "eur",
			"metadata": map[string]string{"payment_id": "42"},
		})
		ev, err := p.ParseWebhook(signedRequest(t, body, stripeWebhookSecret, time.Now()))
		require.NoError(t, err)
		require.Equal(t, "evt_pi_1", ev.ID)
		require.Equal(t, "payment_intent.succeeded", ev.Type)
		require.True(t, strings.HasPrefix(ev.ProviderRef, "cs_"), "the session that made the intent: %q", ev.ProviderRef)
		require.Equal(t, payments.StatePending, ev.Status.State, "the fixture session, as it is now")
		require.Equal(t, body, ev.Payload)

		c := rec.onlyCallSince(t, 0)
		require.Equal(t, http.MethodGet, c.Method)
		require.Equal(t, "/v1/checkout/sessions", c.Path)
		require.Equal(t, "pi_ours", c.Query.Get("payment_intent"))
		require.Equal(t, "data.payment_intent.latest_charge", c.Query.Get("expand[0]"), c.Query)
	})

	t.Run("OKServiceCreateBegin", func(t *testing.T) {
		t.Parallel()
		e := setupStripe(t, api)
		p := e.create(t, "", eur(1999))
		require.Equal(t, payments.ProviderStripe, p.Provider, "stripe is the default provider")
		redirect, err := e.svc.Begin(e.ctx, p.ID, "/orders/return", "")
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(redirect, "https://checkout.stripe.com/"), redirect)

		p, err = e.svc.FindPayment(e.ctx, p.ID)
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(p.ProviderRef, "cs_"), p.ProviderRef)
		require.Equal(t, payments.StatePending, p.State)
		c := e.api.Calls()[0]
		require.Equal(t, "begin:"+paymentKey(t, e, p.ID), c.IdempotencyKey)
		require.Equal(t, strconv.FormatInt(int64(p.ID), 10), c.Form.Get("metadata[payment_id]"))
		require.Equal(t, stripeShopURL+"/orders/return", c.Form.Get("cancel_url"), "cancel leads back too")

		// Asking Stripe about it changes nothing while the session is open.
		p, err = e.svc.Reconcile(e.ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, payments.StatePending, p.State)
		require.Empty(t, e.hookCalls(t, p.ID))
	})
}

func TestStripeConfig(t *testing.T) {
	t.Parallel()

	t.Run("OKDefaultProvider", func(t *testing.T) {
		t.Parallel()
		cfg, _ := stripeConfig("")
		svc, err := payments.NewService(nil, nil, payments.Config{DefaultProvider: payments.ProviderStripe, Stripe: cfg})
		require.NoError(t, err)
		require.Equal(t, payments.ProviderStripe, svc.DefaultProvider())
	})

	t.Run("ErrNotConfigured", func(t *testing.T) {
		t.Parallel()
		_, err := payments.NewService(nil, nil, payments.Config{DefaultProvider: payments.ProviderStripe})
		require.Error(t, err)
	})

	t.Run("ErrIncomplete", func(t *testing.T) {
		t.Parallel()
		for _, mut := range []func(*payments.StripeConfig){
			func(c *payments.StripeConfig) { c.SecretKey = "" },
			func(c *payments.StripeConfig) { c.WebhookSecret = "" },
			func(c *payments.StripeConfig) { c.APIBase = "localhost:12111" },
			func(c *payments.StripeConfig) { c.BaseURL = "/shop" },
		} {
			cfg, _ := stripeConfig("")
			mut(cfg)
			_, err := payments.NewService(nil, nil, payments.Config{Stripe: cfg})
			require.Error(t, err, "%+v", cfg)
		}
	})
}

// stripeEnv is the payments service with Stripe as its default provider, on a database
// of the test's own, with hooks that record their calls in the transaction that fires
// them.
type stripeEnv struct {
	ctx  context.Context
	pool *pgxpool.Pool
	svc  *payments.Service
	api  *stripeRecorder
	logs *syncBuffer
	// url is a server with the paymentsweb routes.
	url string
}

func setupStripe(t *testing.T, apiBase string) *stripeEnv {
	t.Helper()
	cfg, rec := stripeConfig(apiBase)
	e := &stripeEnv{ctx: t.Context(), pool: dbtest.DB(t), api: rec, logs: &syncBuffer{}}
	log := slog.New(slog.NewTextHandler(e.logs, nil))
	var err error
	e.svc, err = payments.NewService(e.pool, log, payments.Config{DefaultProvider: payments.ProviderStripe, Stripe: cfg})
	require.NoError(t, err)

	_, err = e.pool.Exec(e.ctx, `CREATE TABLE public.stripe_test_hook_calls (kind text NOT NULL, payment_id bigint NOT NULL)`)
	require.NoError(t, err)
	record := func(kind string) payments.Hook {
		return func(ctx context.Context, tx pgx.Tx, p payments.Payment) error {
			_, err := tx.Exec(ctx, `INSERT INTO public.stripe_test_hook_calls (kind, payment_id) VALUES ($1, $2)`, kind, int64(p.ID))
			return err
		}
	}
	e.svc.OnAuthorized(record("authorized"))
	e.svc.OnPaid(record("paid"))
	e.svc.OnFailed(record("failed"))
	e.svc.OnVoided(record("voided"))

	assets, err := web.NewAssets()
	require.NoError(t, err)
	rr := web.NewRenderer(web.Site{Name: "Test Shop", Assets: assets}, log)
	r := chi.NewRouter()
	paymentsweb.NewHandler(e.svc, rr, log).Routes(r)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

// stripeOrders numbers the orders of these tests.
var stripeOrders atomic.Int64

func (e *stripeEnv) create(t *testing.T, provider string, amount money.Amount) payments.Payment {
	t.Helper()
	ref := "#" + strconv.FormatInt(5000+stripeOrders.Add(1), 10)
	var p payments.Payment
	require.NoError(t, db.InTx(e.ctx, e.pool, func(tx pgx.Tx) error {
		var err error
		p, err = e.svc.Create(e.ctx, tx, payments.CreateInput{OrderRef: ref, Amount: amount, Provider: provider})
		return err
	}))
	return p
}

func (e *stripeEnv) hookCalls(t *testing.T, id payments.PaymentID) map[string]int {
	t.Helper()
	rows, err := e.pool.Query(e.ctx, `SELECT kind, count(*) FROM public.stripe_test_hook_calls WHERE payment_id = $1 GROUP BY kind`, int64(id))
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

// paymentKey reads the payment's idempotency key, which Begin's key is made from.
func paymentKey(t *testing.T, e *stripeEnv, id payments.PaymentID) string {
	t.Helper()
	var key string
	require.NoError(t, e.pool.QueryRow(e.ctx, `SELECT idempotency_key FROM payments.payments WHERE id = $1`, int64(id)).Scan(&key))
	return key
}

// stripeEvent is a Stripe event around object, as Stripe sends it.
func stripeEvent(t *testing.T, id, typ string, object map[string]any) []byte {
	t.Helper()
	body, err := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": "2025-03-31.basil", "created": time.Now().Unix(),
		"livemode": false, "pending_webhooks": 1, "type": typ, "data": map[string]any{"object": object},
	})
	require.NoError(t, err)
	return body
}

// signStripe signs body as Stripe does: t=<unix>,v1=hex(HMAC-SHA256(secret, "<t>.<body>")).
func signStripe(body []byte, secret string, at time.Time) string {
	ts := strconv.FormatInt(at.Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts + "."))
	m.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(m.Sum(nil))
}

func signedRequest(t *testing.T, body []byte, secret string, at time.Time) *http.Request {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/webhooks/payments/stripe", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("Stripe-Signature", signStripe(body, secret, at))
	}
	return req
}

// checkoutSession is the object of a checkout.session.* event about p.
func checkoutSession(p payments.Payment, status, paymentStatus string) map[string]any {
	id := strconv.FormatInt(int64(p.ID), 10)
	return map[string]any{
		"id": p.ProviderRef, "object": "checkout.session", "mode": "payment",
		"status": status, "payment_status": paymentStatus,
		"amount_total": p.Amount.Minor, "currency": strings.ToLower(p.Amount.Currency),
		"client_reference_id": id, "payment_intent": "pi_for_" + id,
		"metadata": map[string]string{"payment_id": id, "reference": p.OrderRef},
	}
}

// checkoutStandIn answers the one API call webhook tests make, creating a Checkout
// Session, with a new session id each time (stripe-mock answers one fixed id, and the
// shop stores one reference per payment). Any other call is answered 404, so a test
// notices an API call it did not expect.
func checkoutStandIn(t *testing.T) string {
	t.Helper()
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method != http.MethodPost || r.URL.Path != "/v1/checkout/sessions" {
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"error":{"type":"invalid_request_error","message":"not served by the test stand-in"}}`)
			return
		}
		mu.Lock()
		n++
		id := fmt.Sprintf("cs_test_standin_%d", n)
		mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]any{
			"id": id, "object": "checkout.session", "status": "open", "payment_status": "unpaid",
			"url": "https://checkout.stripe.com/c/pay/" + id,
		})
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// begun is a stripe payment created and begun, with its session id stored.
func (e *stripeEnv) begun(t *testing.T, amount money.Amount) payments.Payment {
	t.Helper()
	p := e.create(t, payments.ProviderStripe, amount)
	_, err := e.svc.Begin(e.ctx, p.ID, "/orders/return", "")
	require.NoError(t, err)
	p, err = e.svc.FindPayment(e.ctx, p.ID)
	require.NoError(t, err)
	require.NotEmpty(t, p.ProviderRef)
	return p
}

func TestStripeWebhook(t *testing.T) {
	t.Parallel()

	t.Run("OKPaidOnce", func(t *testing.T) {
		t.Parallel()
		e := setupStripe(t, checkoutStandIn(t))
		p := e.begun(t, eur(1250))
		body := stripeEvent(t, "evt_paid_1", "checkout.session.completed", checkoutSession(p, "complete", "paid"))

		for range 2 {
			// Stripe delivers again when unsure; each delivery is signed anew.
			require.NoError(t, e.svc.HandleWebhook(e.ctx, payments.ProviderStripe, signedRequest(t, body, stripeWebhookSecret, time.Now())))
			after, err := e.svc.FindPayment(e.ctx, p.ID)
			require.NoError(t, err)
			require.Equal(t, payments.StatePaid, after.State)
			require.Equal(t, map[string]int{"paid": 1}, e.hookCalls(t, p.ID))
		}
		events, err := e.svc.Events(e.ctx, p.ID)
		require.NoError(t, err)
		require.Len(t, events, 1)
		require.Equal(t, "evt_paid_1", events[0].ProviderEventID)
		require.Equal(t, "checkout.session.completed", events[0].Type)
		require.True(t, events[0].Applied)
	})

	t.Run("OKSessionOutcomes", func(t *testing.T) {
		t.Parallel()
		e := setupStripe(t, checkoutStandIn(t))
		for _, tc := range []struct {
			name   string
			events []string // types delivered in order, each about the same session
			status string
			paid   string
			want   payments.State
			hooks  map[string]int
		}{
			// A bank debit: the shopper is done, the money is not there yet.
			{"AsyncPending", []string{"checkout.session.completed"}, "complete", "unpaid", payments.StatePending, map[string]int{}},
			{"AsyncSucceeded", []string{"checkout.session.completed", "checkout.session.async_payment_succeeded"}, "complete", "paid", payments.StatePaid, map[string]int{"paid": 1}},
			{"AsyncFailed", []string{"checkout.session.completed", "checkout.session.async_payment_failed"}, "complete", "unpaid", payments.StateFailed, map[string]int{"failed": 1}},
			{"Expired", []string{"checkout.session.expired"}, "expired", "unpaid", payments.StateVoided, map[string]int{"voided": 1}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := e.begun(t, eur(3000))
				for i, typ := range tc.events {
					st, ps := tc.status, tc.paid
					if typ == "checkout.session.completed" && i < len(tc.events)-1 {
						ps = "unpaid"
					}
					body := stripeEvent(t, fmt.Sprintf("evt_%s_%d", tc.name, i), typ, checkoutSession(p, st, ps))
					require.NoError(t, e.svc.HandleWebhook(e.ctx, payments.ProviderStripe, signedRequest(t, body, stripeWebhookSecret, time.Now())))
				}
				after, err := e.svc.FindPayment(e.ctx, p.ID)
				require.NoError(t, err)
				require.Equal(t, tc.want, after.State)
				require.Equal(t, tc.hooks, e.hookCalls(t, p.ID))
				if tc.want == payments.StateFailed {
					require.Equal(t, "async_payment_failed", after.FailureReason)
				}
			})
		}
	})

	t.Run("ErrRefused", func(t *testing.T) {
		t.Parallel()
		e := setupStripe(t, checkoutStandIn(t))
		p := e.begun(t, eur(1250))
		body := stripeEvent(t, "evt_forged", "checkout.session.completed", checkoutSession(p, "complete", "paid"))
		tampered := bytes.Replace(body, []byte(`"amount_total":1250`), []byte(`"amount_total":1`), 1)
		require.NotEqual(t, body, tampered)
		now := time.Now()

		for _, tc := range []struct {
			name  string
			req   *http.Request
			cause error // what stripe-go found wrong; nil: not a signature problem
		}{
			{"NoSignature", signedRequest(t, body, "", now), webhook.ErrNotSigned},
			{"OtherSecret", signedRequest(t, body, "whsec_someone_else", now), webhook.ErrNoValidSignature},
			{"Stale", signedRequest(t, body, stripeWebhookSecret, now.Add(-10*time.Minute)), webhook.ErrTooOld},
			{"TamperedBody", func() *http.Request {
				req := signedRequest(t, tampered, "", now)
				req.Header.Set("Stripe-Signature", signStripe(body, stripeWebhookSecret, now))
				return req
			}(), webhook.ErrNoValidSignature},
			{"GarbageHeader", func() *http.Request {
				req := signedRequest(t, body, "", now)
				req.Header.Set("Stripe-Signature", "v1")
				return req
			}(), webhook.ErrInvalidHeader},
			{"NotJSON", signedRequest(t, []byte("{"), stripeWebhookSecret, now), nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := e.svc.HandleWebhook(e.ctx, payments.ProviderStripe, tc.req)
				require.True(t, apperr.Is(err, apperr.Invalid), "got %v", err)
				if tc.cause != nil {
					require.ErrorIs(t, err, tc.cause)
				}
			})
		}

		after, err := e.svc.FindPayment(e.ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, payments.StatePending, after.State, "nothing changes")
		events, err := e.svc.Events(e.ctx, p.ID)
		require.NoError(t, err)
		require.Empty(t, events)
		require.Empty(t, e.hookCalls(t, p.ID))
	})

	t.Run("ErrAmountNotThePayments", func(t *testing.T) {
		// Signed by Stripe, but the session does not say it is for this payment's amount:
		// acknowledged (Stripe would resend the same), recorded, and the payment stays
		// pending until an event that does.
		t.Parallel()
		e := setupStripe(t, checkoutStandIn(t))
		p := e.begun(t, eur(1250))
		for i, change := range []func(map[string]any){
			func(s map[string]any) { delete(s, "amount_total"); delete(s, "currency") },
			func(s map[string]any) { s["amount_total"] = 0 },
			func(s map[string]any) { s["amount_total"] = 125 },
			func(s map[string]any) { s["currency"] = "usd" },
		} {
			sess := checkoutSession(p, "complete", "paid")
			change(sess)
			body := stripeEvent(t, fmt.Sprintf("evt_wrong_amount_%d", i), "checkout.session.completed", sess)
			require.NoError(t, e.svc.HandleWebhook(e.ctx, payments.ProviderStripe, signedRequest(t, body, stripeWebhookSecret, time.Now())))
			after, err := e.svc.FindPayment(e.ctx, p.ID)
			require.NoError(t, err)
			require.Equal(t, payments.StatePending, after.State, "event %d", i)
			require.Empty(t, e.hookCalls(t, p.ID))
		}
		events, err := e.svc.Events(e.ctx, p.ID)
		require.NoError(t, err)
		require.Len(t, events, 4)
		for _, ev := range events {
			require.False(t, ev.Applied)
			require.Contains(t, ev.Note, "amount mismatch")
		}

		body := stripeEvent(t, "evt_right_amount", "checkout.session.completed", checkoutSession(p, "complete", "paid"))
		require.NoError(t, e.svc.HandleWebhook(e.ctx, payments.ProviderStripe, signedRequest(t, body, stripeWebhookSecret, time.Now())))
		after, err := e.svc.FindPayment(e.ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, payments.StatePaid, after.State)
		require.Equal(t, map[string]int{"paid": 1}, e.hookCalls(t, p.ID))
	})

	t.Run("OKNotOursAcknowledged", func(t *testing.T) {
		t.Parallel()
		e := setupStripe(t, checkoutStandIn(t))
		p := e.begun(t, eur(1250))
		calls := len(e.api.Calls())

		foreign := checkoutSession(p, "complete", "paid")
		delete(foreign, "metadata")
		for _, body := range [][]byte{
			stripeEvent(t, "evt_customer", "customer.created", map[string]any{"id": "cus_1", "object": "customer"}),
			// A session made by another integration on the same account (a payment link).
			stripeEvent(t, "evt_foreign_session", "checkout.session.completed", foreign),
			// An intent of another integration: not looked up at all.
			stripeEvent(t, "evt_foreign_intent", "payment_intent.succeeded", map[string]any{
				"id": "pi_foreign", "object": "payment_intent", "status": "succeeded", "metadata": map[string]string{},
			}),
			stripeEvent(t, "evt_foreign_charge", "charge.refunded", map[string]any{
				"id": "ch_foreign", "object": "charge", "payment_intent": "pi_foreign", "amount_refunded": 1250,
			}),
		} {
			require.NoError(t, e.svc.HandleWebhook(e.ctx, payments.ProviderStripe, signedRequest(t, body, stripeWebhookSecret, time.Now())))
		}
		require.Len(t, e.api.Calls(), calls, "no API call for events that are not ours")
		after, err := e.svc.FindPayment(e.ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, payments.StatePending, after.State)
		events, err := e.svc.Events(e.ctx, p.ID)
		require.NoError(t, err)
		require.Empty(t, events)
	})

	t.Run("OKOverHTTP", func(t *testing.T) {
		t.Parallel()
		e := setupStripe(t, checkoutStandIn(t))
		p := e.begun(t, eur(1250))
		body := stripeEvent(t, "evt_http_1", "checkout.session.completed", checkoutSession(p, "complete", "paid"))
		post := func(t *testing.T, signature string) (int, string) {
			req, err := http.NewRequestWithContext(e.ctx, http.MethodPost, e.url+"/webhooks/payments/stripe", bytes.NewReader(body))
			require.NoError(t, err)
			if signature != "" {
				req.Header.Set("Stripe-Signature", signature)
			}
			res, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer res.Body.Close()
			b, err := io.ReadAll(res.Body)
			require.NoError(t, err)
			return res.StatusCode, string(b)
		}

		status, text := post(t, signStripe(body, "whsec_someone_else", time.Now()))
		require.Equal(t, http.StatusBadRequest, status, text)
		require.Contains(t, text, "The webhook signature is not valid.")
		status, text = post(t, "")
		require.Equal(t, http.StatusBadRequest, status, text)
		// Both refusals are logged: a wrong secret in the configuration, or a forgery.
		logs := e.logs.String()
		require.Equal(t, 2, strings.Count(logs, `msg="payment webhook refused" provider=stripe`), logs)
		require.Contains(t, logs, "webhook had no valid signature")
		require.Contains(t, logs, "webhook has no Stripe-Signature header")

		after, err := e.svc.FindPayment(e.ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, payments.StatePending, after.State)

		status, text = post(t, signStripe(body, stripeWebhookSecret, time.Now()))
		require.Equal(t, http.StatusOK, status, text)
		after, err = e.svc.FindPayment(e.ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, payments.StatePaid, after.State)
		require.Equal(t, map[string]int{"paid": 1}, e.hookCalls(t, p.ID))
	})
}

// TestStripeRefundFoundByKey: a refund asked for again (the recovery job, after a crash
// or a pending answer) is found by the key in its metadata and reported as it is now,
// never made twice, even after Stripe has forgotten the idempotency key. stripe-mock
// cannot show this (its refunds carry no metadata), so a stand-in answers the two reads.
func TestStripeRefundFoundByKey(t *testing.T) {
	t.Parallel()
	var posts int
	var mu sync.Mutex
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/v1/checkout/sessions/cs_test_refunded":
			_, _ = io.WriteString(w, `{"id":"cs_test_refunded","object":"checkout.session","status":"complete",
				"payment_status":"paid","payment_intent":"pi_1","metadata":{"payment_id":"7"}}`)
		case r.Method == http.MethodGet && r.URL.Path == "/v1/refunds" && r.URL.Query().Get("payment_intent") == "pi_1":
			_, _ = io.WriteString(w, `{"object":"list","has_more":false,"url":"/v1/refunds","data":[
				{"id":"re_other","object":"refund","status":"succeeded","amount":100,"metadata":{"refund_key":"refund:other"}},
				{"id":"re_ours","object":"refund","status":"succeeded","amount":500,"metadata":{"refund_key":"refund:r-1"}}]}`)
		default:
			mu.Lock()
			posts++
			mu.Unlock()
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"error":{"type":"invalid_request_error","message":"not served by the test stand-in"}}`)
		}
	}))
	t.Cleanup(api.Close)
	cfg, _ := stripeConfig(api.URL)
	p, err := payments.NewStripeProvider(*cfg, nil)
	require.NoError(t, err)

	r, err := p.Refund(t.Context(), "cs_test_refunded", eur(500), "refund:r-1")
	require.NoError(t, err)
	require.Equal(t, payments.ProviderRefund{Ref: "re_ours", State: payments.RefundSucceeded}, r)
	mu.Lock()
	defer mu.Unlock()
	require.Zero(t, posts, "no second refund")
}
