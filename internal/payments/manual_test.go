package payments_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/payments/paymentstest"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/web/webtest"
)

func TestManual(t *testing.T) {
	t.Parallel()
	staff := audit.Actor{ID: 7, Email: "staff@shop.test", IP: "192.0.2.1"}

	t.Run("OKMarkPaid", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{})
		p := e.Create(t, payments.ProviderManual, eur(2500))
		redirect, err := e.Service.Begin(e.Ctx, p.ID, paymentstest.ReturnURL, "")
		require.NoError(t, err)
		require.Empty(t, redirect, "bank transfer: the shopper is sent nowhere")
		p, err = e.Service.FindPayment(e.Ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, payments.StatePending, p.State, "waits for staff")

		for range 2 {
			p, err = e.Service.MarkPaidManually(e.Ctx, p.ID, staff)
			require.NoError(t, err)
			require.Equal(t, payments.StatePaid, p.State)
		}
		require.Equal(t, map[string]int{paymentstest.HookPaid: 1}, e.AllHookCalls(t, p.ID))
		events, err := e.Service.Events(e.Ctx, p.ID)
		require.NoError(t, err)
		require.Len(t, events, 1)
		require.Equal(t, "manual.mark_paid", events[0].Type)
		var actor string
		require.NoError(t, e.Pool.QueryRow(e.Ctx, `SELECT payload->>'actor_email' FROM payments.events WHERE id = $1`, events[0].ID).Scan(&actor))
		require.Equal(t, staff.Email, actor)

		// Money sent back by staff is recorded as a refund.
		r, err := e.Service.Refund(e.Ctx, p.ID, eur(2500), "manual-refund-1")
		require.NoError(t, err)
		require.Equal(t, payments.RefundSucceeded, r.State)
		p, err = e.Service.FindPayment(e.Ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, payments.StateRefunded, p.State)
	})

	t.Run("OKVoidThenNoMarkPaid", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{})
		p := e.Create(t, payments.ProviderManual, eur(2500))
		for range 2 {
			v, err := e.Service.Void(e.Ctx, p.ID)
			require.NoError(t, err)
			require.Equal(t, payments.StateVoided, v.State)
		}
		require.Equal(t, map[string]int{paymentstest.HookVoided: 1}, e.AllHookCalls(t, p.ID))
		_, err := e.Service.MarkPaidManually(e.Ctx, p.ID, staff)
		require.True(t, apperr.Is(err, apperr.Conflict), "got %v", err)
	})

	t.Run("ErrNotManual", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{})
		p := e.Create(t, payments.ProviderTest, eur(2500))
		_, err := e.Service.MarkPaidManually(e.Ctx, p.ID, staff)
		require.True(t, apperr.Is(err, apperr.Conflict), "got %v", err)
		_, err = e.Service.MarkPaidManually(e.Ctx, 999999, staff)
		require.True(t, apperr.Is(err, apperr.NotFound), "got %v", err)
	})
}

func TestCaptureAndVoid(t *testing.T) {
	t.Parallel()

	t.Run("OKAuthorizeThenCapture", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{Gateway: payments.TestGatewayConfig{CaptureManually: true}})
		p := e.Create(t, payments.ProviderTest, eur(3000))
		e.PayWithCard(t, p.ID, paymentstest.CardSucceeds, false)
		e.WaitState(t, p.ID, payments.StateAuthorized)
		e.WaitWebhooks(t)

		for range 2 {
			c, err := e.Service.Capture(e.Ctx, p.ID)
			require.NoError(t, err)
			require.Equal(t, payments.StatePaid, c.State)
		}
		e.WaitWebhooks(t) // the gateway's "captured" event, twice
		require.Equal(t, map[string]int{paymentstest.HookAuthorized: 1, paymentstest.HookPaid: 1}, e.AllHookCalls(t, p.ID))
	})

	t.Run("OKVoidBeforePayment", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{})
		p := e.Create(t, payments.ProviderTest, eur(3000))
		page := e.Begin(t, p.ID)
		v, err := e.Service.Void(e.Ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, payments.StateVoided, v.State)

		// The shopper still has the page open and pays: the gateway refuses, the shop
		// hears nothing new.
		outcome := webtest.ByTestID(e.Get(t, page).Doc(t), "test-payment-outcome")
		require.Len(t, outcome, 1)
		require.Equal(t, "canceled", webtest.Attr(outcome[0], "data-state"))
		res := e.PostForm(t, page, map[string][]string{"card_number": {paymentstest.CardSucceeds}})
		require.Equal(t, http.StatusSeeOther, res.Status)
		e.WaitWebhooks(t)
		v, err = e.Service.FindPayment(e.Ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, payments.StateVoided, v.State)
		require.Equal(t, map[string]int{paymentstest.HookVoided: 1}, e.AllHookCalls(t, p.ID))
	})

	t.Run("ErrPaidMeanwhile", func(t *testing.T) {
		t.Parallel()
		// The shopper paid but the webhook has not arrived when staff cancel the order:
		// the provider's answer tells the truth, the payment is paid and must be refunded.
		e := setup(t, paymentstest.Options{NoWorkers: true})
		p := e.Create(t, payments.ProviderTest, eur(3000))
		e.PayWithCard(t, p.ID, paymentstest.CardSucceeds, false)
		v, err := e.Service.Void(e.Ctx, p.ID)
		require.True(t, apperr.Is(err, apperr.Conflict), "got %v", err)
		require.Equal(t, payments.StatePaid, v.State)
		require.Equal(t, map[string]int{paymentstest.HookPaid: 1}, e.AllHookCalls(t, p.ID))
		_, err = e.Service.Capture(e.Ctx, e.Create(t, payments.ProviderTest, eur(100)).ID)
		require.True(t, apperr.Is(err, apperr.Conflict), "capture of a pending payment: %v", err)
	})
}
