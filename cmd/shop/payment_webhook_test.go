package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/web/webtest"
)

// TestTestGatewayWebhookForgery posts webhooks to a development shop's endpoint the way
// someone who read the code would: signed with the key the test gateway once shared with
// every installation, or with the shop's own key but not for the order's amount. The
// order stays unpaid through all of them; the gateway's genuine event pays it.
func TestTestGatewayWebhookForgery(t *testing.T) {
	t.Parallel()
	f := checkoutSetup(t)
	ctx := t.Context()
	b := f.a.browser(t)
	require.Equal(t, http.StatusSeeOther, b.addFromProductPage(t, f.items[0], 1).status)
	res := b.submitCheckout(t, b.filledCheckout(t, guestAddress), "place")
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	payPage := res.header.Get("Location")
	require.True(t, strings.HasPrefix(payPage, "/pay/test/"), payPage)
	ref := strings.TrimPrefix(payPage, "/pay/test/")
	gateway := f.a.m.payments.TestGateway()
	session, err := gateway.Session(ctx, ref)
	require.NoError(t, err)
	orderPage := session.CancelURL
	require.True(t, strings.HasPrefix(orderPage, "/orders/"), orderPage)

	paymentStatus := func(t *testing.T) string {
		t.Helper()
		page := b.send(t, http.MethodGet, orderPage, nil)
		require.Equal(t, http.StatusOK, page.status)
		return webtest.Text(parsePage(t, page.body).one("payment-status"))
	}
	require.Equal(t, "Awaiting payment", paymentStatus(t))

	event := func(id string, amount int64, currency string) []byte {
		body, err := json.Marshal(payments.TestWebhook{ID: id, Type: "payment.succeeded", Created: time.Now().Unix(),
			Data: payments.TestWebhookData{Payment: ref, PaymentID: int64(session.PaymentID), State: "paid",
				AmountMinor: amount, Currency: currency}})
		require.NoError(t, err)
		return body
	}
	post := func(t *testing.T, body []byte, signature string) response {
		t.Helper()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.a.base+"/webhooks/payments/test", bytes.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(payments.TestSignatureHeader, signature)
		return f.a.do(t, req)
	}
	shopKey := func(t *testing.T, body []byte) string {
		t.Helper()
		signature, err := gateway.Sign(ctx, body, time.Now())
		require.NoError(t, err)
		return signature
	}
	amount, currency := session.Amount.Minor, session.Amount.Currency
	otherCurrency := "USD"
	if currency == otherCurrency {
		otherCurrency = "JPY"
	}

	t.Run("ErrKeyFromTheCode", func(t *testing.T) {
		body := event("evt_forged", amount, currency)
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		m := hmac.New(sha256.New, []byte("monoshop-test-gateway-webhook-signing-key"))
		m.Write([]byte(ts + "."))
		m.Write(body)
		res := post(t, body, "t="+ts+",v1="+hex.EncodeToString(m.Sum(nil)))
		require.Equal(t, http.StatusBadRequest, res.status, res.body)
		require.Equal(t, "Awaiting payment", paymentStatus(t))
	})

	t.Run("ErrNotTheOrdersAmount", func(t *testing.T) {
		for _, tc := range []struct {
			name     string
			amount   int64
			currency string
		}{
			{"Missing", 0, ""},
			{"Zero", 0, currency},
			{"Less", amount - 1, currency},
			{"NoCurrency", amount, ""},
			{"OtherCurrency", amount, otherCurrency},
		} {
			body := event("evt_"+tc.name, tc.amount, tc.currency)
			res := post(t, body, shopKey(t, body))
			// Acknowledged: the same event sent again would say the same. Staff see it
			// among the payment's events.
			require.Equal(t, http.StatusOK, res.status, "%s: %s", tc.name, res.body)
			require.Equal(t, "Awaiting payment", paymentStatus(t), tc.name)
		}
	})

	t.Run("OKGenuine", func(t *testing.T) {
		body := event("evt_genuine", amount, currency)
		res := post(t, body, shopKey(t, body))
		require.Equal(t, http.StatusOK, res.status, res.body)
		require.Equal(t, "Paid", paymentStatus(t))
	})
}
