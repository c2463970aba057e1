package payments_test

import (
	"testing"

	"github.com/monoshop/monoshop/internal/payments/paymentstest"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/internal/platform/money"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// setup runs the payments module on a fresh database of the test's own, with River
// working its jobs and the paymentsweb routes behind a real server.
func setup(t *testing.T, opts paymentstest.Options) *paymentstest.Env {
	t.Helper()
	return paymentstest.New(t, dbtest.DB(t), opts)
}

func eur(minor int64) money.Amount { return money.New(minor, "EUR") }
