package payments_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/payments/paymentstest"
	"github.com/monoshop/monoshop/internal/platform/apperr"
)

// paid returns a payment of amount paid through the test gateway, its webhooks done.
func paid(t *testing.T, e *paymentstest.Env, minor int64) payments.Payment {
	t.Helper()
	p := e.Create(t, payments.ProviderTest, eur(minor))
	e.PayWithCard(t, p.ID, paymentstest.CardSucceeds, false)
	p = e.WaitState(t, p.ID, payments.StatePaid)
	e.WaitWebhooks(t)
	return p
}

func TestRefund(t *testing.T) {
	t.Parallel()

	t.Run("OKPartialThenFull", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{})
		p := paid(t, e, 1000)

		r1, err := e.Service.Refund(e.Ctx, p.ID, eur(300), "refund-1")
		require.NoError(t, err)
		require.Equal(t, payments.RefundSucceeded, r1.State)
		require.NotEmpty(t, r1.ProviderRef)
		p, err = e.Service.FindPayment(e.Ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, payments.StatePartiallyRefunded, p.State)
		require.Equal(t, eur(300), p.Refunded)
		require.Equal(t, eur(700), p.Refundable())

		// The same request again (a double click, a retry after a timeout): the same
		// refund, no money moves twice.
		again, err := e.Service.Refund(e.Ctx, p.ID, eur(300), "refund-1")
		require.NoError(t, err)
		require.Equal(t, r1.ID, again.ID)
		_, err = e.Service.Refund(e.Ctx, p.ID, eur(400), "refund-1")
		require.True(t, apperr.Is(err, apperr.Conflict), "a key reused for another amount: %v", err)

		_, err = e.Service.Refund(e.Ctx, p.ID, eur(701), "refund-2")
		require.True(t, apperr.Is(err, apperr.Invalid), "more than is left: %v", err)
		require.Contains(t, apperr.FieldsOf(err)["amount"], "€7.00")

		r2, err := e.Service.Refund(e.Ctx, p.ID, eur(700), "refund-2")
		require.NoError(t, err)
		require.Equal(t, payments.RefundSucceeded, r2.State)
		_, err = e.Service.Refund(e.Ctx, p.ID, eur(1), "refund-3")
		require.True(t, apperr.Is(err, apperr.Conflict), "nothing left to refund: %v", err)

		// The gateway announces each refund by webhook too (twice): counted once.
		e.WaitWebhooks(t)
		p, err = e.Service.FindPayment(e.Ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, payments.StateRefunded, p.State)
		require.Equal(t, eur(1000), p.Refunded)
		refunds, err := e.Service.Refunds(e.Ctx, p.ID)
		require.NoError(t, err)
		require.Len(t, refunds, 2)
		require.Equal(t, map[string]int{paymentstest.HookPaid: 1, paymentstest.HookRefunded: 2}, e.AllHookCalls(t, p.ID))
		session, err := e.Gateway.Session(e.Ctx, p.ProviderRef)
		require.NoError(t, err)
		require.Equal(t, eur(1000), session.Refunded, "the gateway gave back exactly what was paid")
	})

	t.Run("OKConcurrentNeverOverRefunds", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{})
		p := paid(t, e, 1000)
		var wg sync.WaitGroup
		results := make(chan error, 10)
		for i := range 10 {
			wg.Go(func() {
				_, err := e.Service.Refund(e.Ctx, p.ID, eur(300), fmt.Sprintf("race-%d", i))
				results <- err
			})
		}
		wg.Wait()
		close(results)
		ok := 0
		for err := range results {
			if err == nil {
				ok++
				continue
			}
			require.True(t, apperr.Is(err, apperr.Invalid), "got %v", err)
		}
		require.Equal(t, 3, ok, "three refunds of 3.00 fit in 10.00")
		p, err := e.Service.FindPayment(e.Ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, eur(900), p.Refunded)
		require.Equal(t, payments.StatePartiallyRefunded, p.State)
		e.WaitWebhooks(t)
		require.Equal(t, 3, e.HookCalls(t, paymentstest.HookRefunded, p.ID))
	})

	t.Run("ErrNotPaid", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{})
		p := e.Create(t, payments.ProviderTest, eur(1000))
		_, err := e.Service.Refund(e.Ctx, p.ID, eur(100), "refund-unpaid")
		require.True(t, apperr.Is(err, apperr.Conflict), "got %v", err)
		_, err = e.Service.Refund(e.Ctx, p.ID, eur(0), "refund-zero")
		require.True(t, apperr.Is(err, apperr.Invalid), "got %v", err)
		_, err = e.Service.Refund(e.Ctx, p.ID, eur(100), "")
		require.True(t, apperr.Is(err, apperr.Invalid), "got %v", err)
	})
}
