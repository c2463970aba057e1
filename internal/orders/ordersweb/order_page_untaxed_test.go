package ordersweb_test

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOrderPageUntaxed: an order whose destination charged no tax says nothing about tax
// on its page, as checkout did ("incl. VAT $0.00" would be wrong), while its invoice
// still states the zero.
func TestOrderPageUntaxed(t *testing.T) {
	t.Parallel()
	e := settingsSetup(t, "EUR")
	o, err := e.checkout(t, "untaxed", "")
	require.NoError(t, err)
	require.True(t, o.TaxTotal.IsZero(), "the test shop has no tax rates")
	p := e.open(t, "/orders/"+o.Token)
	require.True(t, p.has("order-total"))
	require.False(t, p.has("order-tax"), "no tax row on the order page")
	inv := e.open(t, "/orders/"+o.Token+"/invoice")
	require.True(t, inv.has("order-tax"), "the invoice states the tax, zero or not")
}
