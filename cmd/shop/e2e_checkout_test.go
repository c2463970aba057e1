package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/internal/users"
)

// TestBrowserCheckoutCountry changes the country on the checkout page in a real browser:
// the shipping options and totals follow at once, with no button to press and nothing
// typed lost, and the tax line is there only where the destination charges tax. A
// customer choosing a saved address gets its fields filled and its options priced.
func TestBrowserCheckoutCountry(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	f, _ := checkoutFormSetup(t)
	x := f.items[0]
	c := startChrome(t, exe, f.a.base)
	const form = `[data-testid="checkout-form"] `
	methodsFor := func(country string) string {
		return `[data-testid="shipping-methods"][data-country="` + country + `"]`
	}

	c.step("open_checkout", func(t *testing.T, b *tab) {
		b.open("/p/"+x.p.Slug+"?variant="+x.id(), `[data-testid="add-to-cart"]`)
		b.click(`[data-testid="add-to-cart-submit"]`, `[data-testid="flash"]`)
		b.open("/checkout", `[data-testid="checkout-form"]`)
		require.Equal(t, 0, b.count(`[data-testid="checkout-update"]:not([hidden])`), "no button to press with scripts on")
		require.Equal(t, 1, b.count(methodsFor("FR")))
		require.Equal(t, 2, b.count(form+`[data-testid="shipping-method"]`), "Colissimo and Express")
		require.Contains(t, b.text(`[data-testid="summary-tax"]`), "incl. VAT")
		// Gone if the page reloads: the changes below must happen in place.
		b.do("mark the page", chromedp.Evaluate[chromedp.Void](`window.checkoutNotReloaded = true`))
	})

	c.step("change_to_united_states", func(t *testing.T, b *tab) {
		b.fill(form+`[name="email"]`, "ada@example.com")
		b.fill(form+`[name="ship_name"]`, "Ada Lovelace")
		b.fill(form+`[name="ship_line1"]`, "1 Main St")
		b.fill(form+`[name="ship_city"]`, "Albany")
		b.choose(form+`select[name="ship_country"]`, "US")
		b.wait(methodsFor("US"))
		require.Equal(t, []string{"Ground " + money.New(800, x.v.Price.Currency).String()}, b.texts(form+`[data-testid="shipping-method-label"]`))
		require.Equal(t, "Shipping (Ground) "+money.New(800, x.v.Price.Currency).String(), b.text(`[data-testid="summary-shipping"]`))
		total := money.New(x.v.Price.Minor+800, x.v.Price.Currency).String()
		require.Contains(t, b.text(`[data-testid="summary-total"]`), total)
		require.Contains(t, b.text(`[data-testid="summary-tax"]`), "incl. Sales tax")
		require.Contains(t, b.text(`[data-testid="field-ship_region"] label`), "(required)", "a state is needed in the United States")
		for name, typed := range map[string]string{"email": "ada@example.com", "ship_name": "Ada Lovelace", "ship_line1": "1 Main St", "ship_city": "Albany"} {
			require.Equal(t, typed, b.value(form+`[name="`+name+`"]`), "%s is kept", name)
		}
		require.Equal(t, "US", b.value(form+`select[name="ship_country"]`))
	})

	c.step("change_to_united_kingdom", func(t *testing.T, b *tab) {
		b.choose(form+`select[name="ship_country"]`, "GB")
		b.wait(methodsFor("GB"))
		require.Equal(t, "Shipping (Royal Mail) "+money.New(1200, x.v.Price.Currency).String(), b.text(`[data-testid="summary-shipping"]`))
		require.Equal(t, 0, b.count(`[data-testid="summary-tax"]`), "no tax where none is charged")
		require.NotContains(t, b.text(`[data-testid="checkout-summary"]`), "VAT")
		require.Contains(t, b.text(`[data-testid="field-ship_region"] label`), "(optional)")
		require.Equal(t, "Ada Lovelace", b.value(form+`[name="ship_name"]`))
		require.Contains(t, strings.Join(b.texts(`[data-checkout-status]`), " "), "United Kingdom", "the change is announced")
		stayed, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.checkoutNotReloaded === true`))
		require.NoError(t, err)
		require.True(t, stayed, "the page was updated in place, not reloaded")
	})

	acc := f.customer(t, "cora@example.com", "Cora")
	_, err := f.a.m.users.SaveAddress(t.Context(), acc.ID, users.Address{Name: "Cora Home", Line1: "1 Torstraße",
		City: "Berlin", PostalCode: "10115", Country: "DE"})
	require.NoError(t, err)
	office, err := f.a.m.users.SaveAddress(t.Context(), acc.ID, users.Address{Name: "Cora Office", Line1: "350 Fifth Avenue",
		City: "New York", Region: "NY", PostalCode: "10118", Country: "US"})
	require.NoError(t, err)

	c.step("choose_saved_address", func(t *testing.T, b *tab) {
		b.open("/login", `[data-testid="login-form"]`)
		b.fill(`[data-testid="login-form"] [name="email"]`, "cora@example.com")
		b.fill(`[data-testid="login-form"] [name="password"]`, adminTestPassword)
		b.click(`[data-testid="login-submit"]`, `[data-testid="account-page"]`)
		b.open("/checkout", `[data-testid="saved-addresses"]`)
		require.Equal(t, "Cora Home", b.value(form+`[name="ship_name"]`), "the default address is filled in")
		require.Equal(t, 1, b.count(methodsFor("DE")))

		b.do("choose the office", chromedp.Click(css(`label[for="ship-address-`+strconv.FormatInt(office.ID, 10)+`"]`)))
		b.wait(methodsFor("US"))
		for name, want := range map[string]string{"ship_name": "Cora Office", "ship_line1": "350 Fifth Avenue",
			"ship_city": "New York", "ship_region": "NY", "ship_postal_code": "10118", "ship_country": "US"} {
			require.Equal(t, want, b.value(form+`[name="`+name+`"]`), "%s filled from the saved address", name)
		}
		require.Equal(t, "Shipping (Ground) "+money.New(800, x.v.Price.Currency).String(), b.text(`[data-testid="summary-shipping"]`))
		require.Equal(t, strconv.FormatInt(office.ID, 10), b.value(form+`[name="ship_address_applied"]`))
	})
}
