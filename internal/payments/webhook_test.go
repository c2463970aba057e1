package payments_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/payments/paymentstest"
)

// event is a test gateway event about p reporting state.
func event(id, typ string, p payments.Payment, state string) payments.TestWebhook {
	return payments.TestWebhook{ID: id, Type: typ, Created: time.Now().Unix(), Data: payments.TestWebhookData{
		Payment: p.ProviderRef, PaymentID: int64(p.ID), State: state, AmountMinor: p.Amount.Minor, Currency: p.Amount.Currency,
	}}
}

func TestWebhookDuplicatesAndOutOfOrder(t *testing.T) {
	t.Parallel()
	e := setup(t, paymentstest.Options{})
	p := e.Create(t, payments.ProviderTest, eur(1250))
	e.PayWithCard(t, p.ID, paymentstest.CardSucceeds, false)
	p = e.WaitState(t, p.ID, payments.StatePaid)
	e.WaitWebhooks(t)
	events, err := e.Service.Events(e.Ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, events, 1)

	for _, ev := range []payments.TestWebhook{
		// The gateway's own event, a third time.
		event(events[0].ProviderEventID, "payment.succeeded", p, "paid"),
		// Late: a failure, an authorization and another success after the payment.
		event("evt_late_failed", "payment.failed", p, "failed"),
		event("evt_late_authorized", "payment.authorized", p, "authorized"),
		event("evt_second_success", "payment.succeeded", p, "paid"),
		// And each late one again.
		event("evt_late_failed", "payment.failed", p, "failed"),
		event("evt_late_authorized", "payment.authorized", p, "authorized"),
	} {
		res := e.SendWebhook(t, ev)
		require.Equal(t, http.StatusOK, res.Status, "%s: %s", ev.ID, res.Body)
	}

	after, err := e.Service.FindPayment(e.Ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, payments.StatePaid, after.State)
	require.Empty(t, after.FailureReason)
	require.Equal(t, map[string]int{paymentstest.HookPaid: 1}, e.AllHookCalls(t, p.ID))

	events, err = e.Service.Events(e.Ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, events, 4, "each distinct event is recorded once")
	for _, ev := range events[1:] {
		require.False(t, ev.Applied, "%s changed nothing", ev.ProviderEventID)
		require.NotEmpty(t, ev.Note)
	}
}

// syncBuffer collects logs written from several goroutines (handlers, River).
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestWebhookRefused(t *testing.T) {
	t.Parallel()
	logs := &syncBuffer{}
	e := setup(t, paymentstest.Options{Log: slog.New(slog.NewTextHandler(logs, nil))})
	p := e.Create(t, payments.ProviderTest, eur(1250))
	e.Begin(t, p.ID)
	p, err := e.Service.FindPayment(e.Ctx, p.ID)
	require.NoError(t, err)

	body, err := json.Marshal(event("evt_forged", "payment.succeeded", p, "paid"))
	require.NoError(t, err)
	now := time.Now()
	otherSecret := func(b []byte) string {
		ts := strconv.FormatInt(now.Unix(), 10)
		m := hmac.New(sha256.New, []byte("not-the-shops-secret-at-all"))
		m.Write([]byte(ts + "."))
		m.Write(b)
		return "t=" + ts + ",v1=" + hex.EncodeToString(m.Sum(nil))
	}
	tampered := bytes.Replace(body, []byte(`"amount_minor":1250`), []byte(`"amount_minor":1`), 1)
	require.NotEqual(t, body, tampered)
	sign := func(b []byte, at time.Time) string {
		signature, err := e.Gateway.Sign(e.Ctx, b, at)
		require.NoError(t, err)
		return signature
	}

	post := func(t *testing.T, path string, b []byte, signature string) paymentstest.Response {
		req, err := http.NewRequestWithContext(e.Ctx, http.MethodPost, e.URL+path, bytes.NewReader(b))
		require.NoError(t, err)
		if signature != "" {
			req.Header.Set(payments.TestSignatureHeader, signature)
		}
		return e.Do(t, req)
	}
	for _, tc := range []struct {
		name      string
		path      string
		body      []byte
		signature string
	}{
		{"NoSignature", "/webhooks/payments/test", body, ""},
		{"GarbageSignature", "/webhooks/payments/test", body, "t=" + strconv.FormatInt(now.Unix(), 10) + ",v1=" + strings.Repeat("0", 64)},
		{"OtherSecret", "/webhooks/payments/test", body, otherSecret(body)},
		{"TamperedBody", "/webhooks/payments/test", tampered, sign(body, now)},
		{"Replayed", "/webhooks/payments/test", body, sign(body, now.Add(-10*time.Minute))},
		{"NotJSON", "/webhooks/payments/test", []byte("{"), sign([]byte("{"), now)},
		{"UnknownProvider", "/webhooks/payments/paypal", body, sign(body, now)},
		{"ManualProvider", "/webhooks/payments/manual", body, sign(body, now)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := post(t, tc.path, tc.body, tc.signature)
			require.Equal(t, http.StatusBadRequest, res.Status, res.Body)
		})
	}
	// Every refusal is logged: a wrong secret in the configuration, or someone forging.
	require.Equal(t, 8, strings.Count(logs.String(), `msg="payment webhook refused"`), logs.String())
	for _, want := range []string{"no signature header", "signature does not match", "signature timestamp", "Unknown payment provider"} {
		require.Contains(t, logs.String(), want)
	}

	t.Run("UnknownReference", func(t *testing.T) {
		ghost := p
		ghost.ProviderRef = "tgs_" + strings.Repeat("x", 32)
		res := e.SendWebhook(t, event("evt_ghost", "payment.succeeded", ghost, "paid"))
		require.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	})

	t.Run("NoReference", func(t *testing.T) {
		res := e.SendWebhook(t, payments.TestWebhook{ID: "evt_anonymous", Type: "payment.succeeded", Data: payments.TestWebhookData{State: "paid"}})
		require.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	})

	t.Run("UnknownTypeAcknowledged", func(t *testing.T) {
		// Providers send many event types; one we do not act on is acknowledged so it is
		// not redelivered, and changes nothing.
		res := e.SendWebhook(t, payments.TestWebhook{ID: "evt_other", Type: "account.updated"})
		require.Equal(t, http.StatusOK, res.Status, res.Body)
	})

	after, err := e.Service.FindPayment(e.Ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, payments.StatePending, after.State, "nothing changes")
	events, err := e.Service.Events(e.Ctx, p.ID)
	require.NoError(t, err)
	require.Empty(t, events)
	require.Empty(t, e.AllHookCalls(t, p.ID))

	t.Run("AmountMismatchIgnored", func(t *testing.T) {
		// Properly signed, but for another amount: acknowledged (resending cannot fix
		// it), recorded for staff, and the payment stays pending.
		ev := event("evt_wrong_amount", "payment.succeeded", p, "paid")
		ev.Data.AmountMinor = 1
		res := e.SendWebhook(t, ev)
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		after, err := e.Service.FindPayment(e.Ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, payments.StatePending, after.State)
		events, err := e.Service.Events(e.Ctx, p.ID)
		require.NoError(t, err)
		require.Len(t, events, 1)
		require.False(t, events[0].Applied)
		require.Contains(t, events[0].Note, "amount mismatch")
		require.Empty(t, e.AllHookCalls(t, p.ID))
	})
}

// TestWebhookAmountMustMatch: a properly signed event moves a payment only when it states
// the payment's own amount and currency. One that leaves them out, says zero, or names
// another amount or currency is acknowledged (the provider would only send it again, and
// it would say the same), recorded for staff, and changes nothing: the order is not told
// it was paid. The right event still pays it afterwards.
func TestWebhookAmountMustMatch(t *testing.T) {
	t.Parallel()
	e := setup(t, paymentstest.Options{NoWorkers: true})
	p := e.Create(t, payments.ProviderTest, eur(1250))
	e.Begin(t, p.ID)
	p, err := e.Service.FindPayment(e.Ctx, p.ID)
	require.NoError(t, err)

	post := func(t *testing.T, body []byte) paymentstest.Response {
		t.Helper()
		signature, err := e.Gateway.Sign(e.Ctx, body, time.Now())
		require.NoError(t, err)
		req, err := http.NewRequestWithContext(e.Ctx, http.MethodPost, e.URL+"/webhooks/payments/test", bytes.NewReader(body))
		require.NoError(t, err)
		req.Header.Set(payments.TestSignatureHeader, signature)
		return e.Do(t, req)
	}
	recorded := 0
	for _, state := range []string{"paid", "authorized"} {
		for _, tc := range []struct {
			name string
			data map[string]any // replaces the amount and currency of a correct event
		}{
			{"Missing", map[string]any{}},
			{"Zero", map[string]any{"amount_minor": 0, "currency": "EUR"}},
			{"ZeroWithoutCurrency", map[string]any{"amount_minor": 0}},
			{"Less", map[string]any{"amount_minor": 1249, "currency": "EUR"}},
			{"More", map[string]any{"amount_minor": 1251, "currency": "EUR"}},
			{"NoCurrency", map[string]any{"amount_minor": 1250}},
			{"OtherCurrency", map[string]any{"amount_minor": 1250, "currency": "USD"}},
			{"LowerCaseCurrency", map[string]any{"amount_minor": 1250, "currency": "eur"}},
		} {
			t.Run(state+"/"+tc.name, func(t *testing.T) {
				data := map[string]any{"payment": p.ProviderRef, "payment_id": int64(p.ID), "state": state}
				for k, v := range tc.data {
					data[k] = v
				}
				body, err := json.Marshal(map[string]any{
					"id": "evt_" + state + "_" + tc.name, "type": "payment.succeeded", "created": time.Now().Unix(), "data": data,
				})
				require.NoError(t, err)
				res := post(t, body)
				require.Equal(t, http.StatusOK, res.Status, res.Body)
				recorded++

				after, err := e.Service.FindPayment(e.Ctx, p.ID)
				require.NoError(t, err)
				require.Equal(t, payments.StatePending, after.State)
				require.Empty(t, e.AllHookCalls(t, p.ID), "the order hears nothing")
				events, err := e.Service.Events(e.Ctx, p.ID)
				require.NoError(t, err)
				require.Len(t, events, recorded)
				last := events[len(events)-1]
				require.False(t, last.Applied)
				require.Contains(t, last.Note, "amount mismatch")
			})
		}
	}

	res := e.SendWebhook(t, event("evt_right", "payment.succeeded", p, "paid"))
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	after, err := e.Service.FindPayment(e.Ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, payments.StatePaid, after.State)
	require.Equal(t, map[string]int{paymentstest.HookPaid: 1}, e.AllHookCalls(t, p.ID))
}
