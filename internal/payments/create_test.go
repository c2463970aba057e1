package payments_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/payments/paymentstest"
	"github.com/monoshop/monoshop/internal/platform/apperr"
)

func TestCreate(t *testing.T) {
	t.Parallel()

	t.Run("OKInCallersTransaction", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{})
		tx, err := e.Pool.Begin(e.Ctx)
		require.NoError(t, err)
		p, err := e.Service.Create(e.Ctx, tx, payments.CreateInput{OrderRef: "#1001", Amount: eur(1250)})
		require.NoError(t, err)
		require.Equal(t, payments.StatePending, p.State)
		require.Equal(t, payments.ProviderTest, p.Provider, "the test gateway is the default when enabled")
		require.Equal(t, eur(1250), p.Amount)
		require.Equal(t, "Order #1001", p.Description)
		require.Len(t, p.Token, 43)
		require.Empty(t, p.ProviderRef)

		// The order's transaction rolls back: its payment goes with it.
		require.NoError(t, tx.Rollback(e.Ctx))
		_, err = e.Service.FindPayment(e.Ctx, p.ID)
		require.True(t, apperr.Is(err, apperr.NotFound), "got %v", err)
	})

	t.Run("OKIdempotencyKey", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{})
		in := payments.CreateInput{OrderRef: "#1002", Amount: eur(500), Provider: payments.ProviderManual, IdempotencyKey: "order-1002-1"}
		var ids []payments.PaymentID
		for range 2 {
			tx, err := e.Pool.Begin(e.Ctx)
			require.NoError(t, err)
			p, err := e.Service.Create(e.Ctx, tx, in)
			require.NoError(t, err)
			require.NoError(t, tx.Commit(e.Ctx))
			ids = append(ids, p.ID)
		}
		require.Equal(t, ids[0], ids[1], "a retried Create returns the first payment")

		in.Amount = eur(600)
		tx, err := e.Pool.Begin(e.Ctx)
		require.NoError(t, err)
		defer tx.Rollback(e.Ctx) //nolint:errcheck // rolled back on purpose
		_, err = e.Service.Create(e.Ctx, tx, in)
		require.True(t, apperr.Is(err, apperr.Conflict), "the same key for another payment: %v", err)
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{})
		for _, tc := range []struct {
			in    payments.CreateInput
			field string
		}{
			{payments.CreateInput{OrderRef: " ", Amount: eur(100)}, "order_ref"},
			{payments.CreateInput{OrderRef: strings.Repeat("x", 101), Amount: eur(100)}, "order_ref"},
			{payments.CreateInput{OrderRef: "#1", Amount: eur(0)}, "amount"},
			{payments.CreateInput{OrderRef: "#1", Amount: eur(-5)}, "amount"},
			{payments.CreateInput{OrderRef: "#1", Amount: payments.Payment{}.Amount}, "currency"},
			{payments.CreateInput{OrderRef: "#1", Amount: eur(100), Provider: "stripe"}, "provider"},
		} {
			tx, err := e.Pool.Begin(e.Ctx)
			require.NoError(t, err)
			_, err = e.Service.Create(e.Ctx, tx, tc.in)
			require.NoError(t, tx.Rollback(e.Ctx))
			require.True(t, apperr.Is(err, apperr.Invalid), "%+v: %v", tc.in, err)
			require.Contains(t, apperr.FieldsOf(err), tc.field, "%+v", tc.in)
		}
	})
}

func TestBegin(t *testing.T) {
	t.Parallel()

	t.Run("OKSamePageTwice", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{})
		p := e.Create(t, payments.ProviderTest, eur(1999))
		first := e.Begin(t, p.ID)
		require.True(t, strings.HasPrefix(first, "/pay/test/tgs_"), first)
		require.Equal(t, first, e.Begin(t, p.ID), "a repeated Begin reuses the provider's first answer")
		p, err := e.Service.FindPayment(e.Ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, strings.TrimPrefix(first, "/pay/test/"), p.ProviderRef)
	})

	t.Run("ErrBadReturnURL", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{})
		p := e.Create(t, payments.ProviderTest, eur(1999))
		for _, u := range []string{"//evil.example/x", "javascript:alert(1)", "ftp://x/y", "/ok\r\nSet-Cookie: x"} {
			_, err := e.Service.Begin(e.Ctx, p.ID, u, "")
			require.True(t, apperr.Is(err, apperr.Invalid), "%q: %v", u, err)
		}
	})

	t.Run("ErrNotPending", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{})
		p := e.Create(t, payments.ProviderManual, eur(1999))
		_, err := e.Service.Void(e.Ctx, p.ID)
		require.NoError(t, err)
		_, err = e.Service.Begin(e.Ctx, p.ID, paymentstest.ReturnURL, "")
		require.True(t, apperr.Is(err, apperr.Conflict), "got %v", err)
	})
}
