package payments_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/payments/paymentstest"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
)

// sharedOldKey is the key every installation's test gateway used to sign with, written
// in the code: anyone could forge a "paid" event for any development server with it.
const sharedOldKey = "monoshop-test-gateway-webhook-signing-key"

// signTestWebhook signs body at t with key, as the test gateway does.
func signTestWebhook(key string, body []byte, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(ts + "."))
	m.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(m.Sum(nil))
}

// TestTestGatewayInstallationKey: without a configured secret (as the shop runs it) the
// test gateway signs with a random key of the installation's own, made by the first
// replica that needs it and shared through the database by all the others, even when
// they all start at once on a new database. The key once written in the code opens
// nothing.
func TestTestGatewayInstallationKey(t *testing.T) {
	t.Parallel()
	pool := dbtest.DB(t)
	ctx := t.Context()
	gateway := func() *payments.TestGateway {
		svc, err := payments.NewService(pool, nil, payments.Config{TestGateway: &payments.TestGatewayConfig{}})
		require.NoError(t, err)
		return svc.TestGateway()
	}

	// Replicas starting together on a database that has no key yet.
	body := []byte(`{"id":"evt_probe"}`)
	at := time.Now()
	const replicas = 8
	gateways := make([]*payments.TestGateway, replicas)
	for i := range gateways {
		gateways[i] = gateway()
	}
	signatures := make([]string, replicas)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, g := range gateways {
		wg.Go(func() {
			<-start
			var err error
			signatures[i], err = g.Sign(ctx, body, at)
			assert.NoError(t, err)
		})
	}
	close(start)
	wg.Wait()
	for i, s := range signatures {
		require.Equal(t, signatures[0], s, "replica %d signs with the same key", i)
	}
	require.NotEqual(t, signTestWebhook(sharedOldKey, body, at), signatures[0])
	var keys int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM payments.test_gateway_keys`).Scan(&keys))
	require.Equal(t, 1, keys)
	later, err := gateway().Sign(ctx, body, at)
	require.NoError(t, err)
	require.Equal(t, signatures[0], later, "a replica started later finds the key")

	e := paymentstest.New(t, pool, paymentstest.Options{InstallationKey: true, NoWorkers: true})
	p := e.Create(t, payments.ProviderTest, eur(1250))
	e.Begin(t, p.ID)
	p, err = e.Service.FindPayment(ctx, p.ID)
	require.NoError(t, err)

	t.Run("ErrOldSharedKey", func(t *testing.T) {
		b, err := json.Marshal(event("evt_forged", "payment.succeeded", p, "paid"))
		require.NoError(t, err)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL+"/webhooks/payments/test", bytes.NewReader(b))
		require.NoError(t, err)
		req.Header.Set(payments.TestSignatureHeader, signTestWebhook(sharedOldKey, b, time.Now()))
		res := e.Do(t, req)
		require.Equal(t, http.StatusBadRequest, res.Status, res.Body)
		require.Contains(t, res.Body, "The webhook signature is not valid.")
		after, err := e.Service.FindPayment(ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, payments.StatePending, after.State)
		require.Empty(t, e.AllHookCalls(t, p.ID))
	})

	t.Run("OKSignedByAnotherReplica", func(t *testing.T) {
		// Another replica's gateway queued the event; this one's endpoint receives it.
		req, err := gateways[replicas-1].WebhookRequest(ctx, e.URL+"/webhooks/payments/test",
			event("evt_genuine", "payment.succeeded", p, "paid"))
		require.NoError(t, err)
		res := e.Do(t, req)
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		after, err := e.Service.FindPayment(ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, payments.StatePaid, after.State)
		require.Equal(t, map[string]int{paymentstest.HookPaid: 1}, e.AllHookCalls(t, p.ID))
	})
}

// TestTestGatewaySecretTooShort: a configured secret must still be long enough to be one.
func TestTestGatewaySecretTooShort(t *testing.T) {
	t.Parallel()
	_, err := payments.NewService(nil, nil, payments.Config{TestGateway: &payments.TestGatewayConfig{Secret: "short"}})
	require.ErrorContains(t, err, "at least 16 bytes")
}
