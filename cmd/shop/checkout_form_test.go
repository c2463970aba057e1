package main

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/web/webtest"
)

// checkoutFormSetup is checkoutSetup plus the United Kingdom, served by one method and
// charged no tax, and Italy in a zone whose only method is switched off: the shop lists
// it among its zones but does not ship there.
func checkoutFormSetup(t *testing.T) (*checkoutFixture, int64) {
	t.Helper()
	f := checkoutSetup(t)
	ctx := t.Context()
	currency := f.items[0].v.Price.Currency
	uk, err := f.a.m.orders.SaveShippingZone(ctx, audit.Actor{}, 0, orders.ShippingZoneInput{Name: "United Kingdom", Countries: "GB", Position: "3"})
	require.NoError(t, err)
	royalMail, err := f.a.m.orders.SaveShippingMethod(ctx, audit.Actor{}, 0, orders.ShippingMethodInput{
		ZoneID: uk, Name: "Royal Mail", Kind: "flat", Price: "12.00", Active: true, Position: "1", Currency: currency,
	})
	require.NoError(t, err)
	italy, err := f.a.m.orders.SaveShippingZone(ctx, audit.Actor{}, 0, orders.ShippingZoneInput{Name: "Italy", Countries: "IT", Position: "4"})
	require.NoError(t, err)
	_, err = f.a.m.orders.SaveShippingMethod(ctx, audit.Actor{}, 0, orders.ShippingMethodInput{
		ZoneID: italy, Name: "Poste Italiane", Kind: "flat", Price: "9.00", Active: false, Position: "1", Currency: currency,
	})
	require.NoError(t, err)
	return f, royalMail
}

// fieldLabel is the text of the label of the field named name.
func fieldLabel(t *testing.T, p page, name string) string {
	t.Helper()
	labels := webtest.All(p.one("field-"+name), func(n *html.Node) bool { return n.Data == "label" })
	require.NotEmpty(t, labels, "the field %s has a label", name)
	return webtest.Text(labels[0])
}

// selectOptions are the options of the select named name: their values, their labels
// and whether they can be chosen.
func selectOptions(t *testing.T, p page, name string) (values, labels []string, disabled map[string]bool) {
	t.Helper()
	sel := webtest.Control(t, p.one("checkout-form"), name)
	disabled = map[string]bool{}
	for _, o := range webtest.All(sel, func(n *html.Node) bool { return n.Data == "option" }) {
		values = append(values, webtest.Attr(o, "value"))
		labels = append(labels, webtest.Text(o))
		if webtest.HasAttr(o, "disabled") {
			disabled[webtest.Attr(o, "value")] = true
		}
	}
	return values, labels, disabled
}

// TestCheckoutForm is the checkout form as a shopper reads it before typing: what must be
// filled in, where the shop ships, and how the shipping options, totals and tax follow
// the country chosen, with "Update totals" as a browser without scripts sends it.
func TestCheckoutForm(t *testing.T) {
	t.Parallel()
	f, royalMail := checkoutFormSetup(t)
	x := f.items[0]
	b := f.a.browser(t)
	require.Equal(t, http.StatusSeeOther, b.addFromProductPage(t, x, 1).status)

	t.Run("OKRequiredFieldsMarked", func(t *testing.T) {
		p, _ := b.checkout(t)
		form := p.one("checkout-form")
		// France has postal codes and no states.
		for _, name := range []string{"email", "ship_country", "ship_name", "ship_line1", "ship_city", "ship_postal_code"} {
			control := webtest.Control(t, form, name)
			require.True(t, webtest.HasAttr(control, "required"), "%s is required", name)
			require.Equal(t, "true", webtest.Attr(control, "aria-required"), name)
			require.Contains(t, fieldLabel(t, p, name), "(required)", name)
			require.NotContains(t, fieldLabel(t, p, name), "(optional)", name)
		}
		for _, name := range []string{"ship_line2", "ship_region", "ship_phone", "discount_code"} {
			control := webtest.Control(t, form, name)
			require.False(t, webtest.HasAttr(control, "required"), "%s is optional", name)
			require.False(t, webtest.HasAttr(control, "aria-required"), name)
			require.Contains(t, fieldLabel(t, p, name), "(optional)", name)
		}
		require.Equal(t, "Street address (required)", fieldLabel(t, p, "ship_line1"))
		require.Equal(t, "Apartment, suite, building (optional)", fieldLabel(t, p, "ship_line2"))
	})

	t.Run("OKStateRequiredWhereTheCountryHasThem", func(t *testing.T) {
		_, form := b.checkout(t)
		form.Set("ship_country", "US")
		res := b.submitCheckout(t, form, "update")
		require.Equal(t, http.StatusOK, res.status, res.body)
		p := parsePage(t, res.body)
		region := webtest.Control(t, p.one("checkout-form"), "ship_region")
		require.True(t, webtest.HasAttr(region, "required"))
		require.Equal(t, "State or province (required)", fieldLabel(t, p, "ship_region"))
	})

	t.Run("OKCountriesShippedToByName", func(t *testing.T) {
		p, _ := b.checkout(t)
		values, labels, disabled := selectOptions(t, p, "ship_country")
		require.Equal(t, []string{"", "FR", "DE", "GB", "US"}, values,
			"the zones' countries by name; not Italy, whose zone has no method on")
		require.Equal(t, []string{"Choose a country", "France", "Germany", "United Kingdom", "United States"}, labels)
		require.Empty(t, disabled)
		// The note under the list says where the shop ships, read with the list.
		require.Equal(t, "field-ship_country-hint", webtest.Attr(webtest.Control(t, p.one("checkout-form"), "ship_country"), "aria-describedby"))
		note := webtest.All(p.one("field-ship_country"), func(n *html.Node) bool { return webtest.Attr(n, "id") == "field-ship_country-hint" })
		require.Len(t, note, 1)
		require.Equal(t, "We ship to France, Germany, United Kingdom and United States.", webtest.Text(note[0]))

		// A billing address may be anywhere: every country, by name.
		values, labels, _ = selectOptions(t, p, "bill_country")
		require.Contains(t, values, "IT")
		require.Greater(t, len(values), 20)
		require.True(t, slices.IsSorted(labels[1:]), "billing countries by name: %v", labels)
	})

	t.Run("ErrCountryNotShippedTo", func(t *testing.T) {
		before := f.placed(t)
		form := b.filledCheckout(t, guestAddress)
		form.Set("ship_country", "IT")
		form.Set("ship_postal_code", "00184")
		form.Set("ship_line2", "Scala B")
		res := b.submitCheckout(t, form, "place")
		require.Equal(t, http.StatusUnprocessableEntity, res.status, res.body)
		p := parsePage(t, res.body)
		require.Equal(t, "Sorry, we do not ship to Italy.", fieldError(p, "ship_country"))
		country := webtest.Control(t, p.one("checkout-form"), "ship_country")
		require.Equal(t, "true", webtest.Attr(country, "aria-invalid"))
		require.Contains(t, webtest.Attr(country, "aria-describedby"), "field-ship_country-error")

		// Italy is shown as sent, but cannot be chosen: the form sends no country until
		// the shopper picks one the shop ships to.
		values, labels, disabled := selectOptions(t, p, "ship_country")
		require.Contains(t, values, "IT")
		require.Contains(t, labels, "Italy (we do not ship there)")
		require.Equal(t, map[string]bool{"IT": true}, disabled)
		kept := webtest.FormValues(t, p.one("checkout-form"))
		require.NotContains(t, kept, "ship_country")
		for _, name := range []string{"email", "ship_name", "ship_line1", "ship_line2", "ship_city", "ship_postal_code", "ship_phone"} {
			require.Equal(t, form.Get(name), kept.Get(name), "the form keeps %s as typed", name)
		}
		require.False(t, p.has("shipping-method"), "no shipping to offer")
		require.Equal(t, before, f.placed(t), "nothing is placed")

		// Choosing France shows its shipping options; the order is placed from there.
		kept.Set("ship_country", "FR")
		kept.Set("ship_postal_code", "75001")
		res = b.submitCheckout(t, kept, "update")
		require.Equal(t, http.StatusOK, res.status, res.body)
		p = parsePage(t, res.body)
		require.Len(t, p.byTestID("shipping-method"), 2)
		require.Equal(t, "Scala B", inputValue(t, p, "ship_line2"))
		res = b.submitCheckout(t, webtest.FormValues(t, p.one("checkout-form")), "place")
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		require.Equal(t, before.orders+1, f.placed(t).orders)
		require.Equal(t, http.StatusSeeOther, b.addFromProductPage(t, x, 1).status)
	})

	t.Run("OKNoTaxWordingWhereNoTaxIsCharged", func(t *testing.T) {
		form := b.filledCheckout(t, guestAddress)
		form.Set("ship_country", "GB")
		form.Set("ship_postal_code", "SW1A 1AA")
		res := b.submitCheckout(t, form, "update")
		require.Equal(t, http.StatusOK, res.status, res.body)
		p := parsePage(t, res.body)
		require.False(t, p.has("summary-tax"), "no tax row for a destination without tax")
		summary := webtest.Text(p.one("checkout-summary"))
		require.NotContains(t, summary, "VAT")
		require.NotContains(t, summary, "incl.")
		require.Contains(t, webtest.Text(p.one("summary-shipping")), "Royal Mail")
		require.Contains(t, webtest.Text(p.one("summary-total")), money.New(x.v.Price.Minor+1200, x.v.Price.Currency).String())

		// France charges VAT, and says so.
		form = webtest.FormValues(t, p.one("checkout-form"))
		form.Set("ship_country", "FR")
		form.Set("ship_postal_code", "75001")
		p = parsePage(t, b.submitCheckout(t, form, "update").body)
		require.Contains(t, webtest.Text(p.one("summary-tax")), "incl. VAT")
	})

	t.Run("OKCountryChangeUpdatesMethodsAndTotals", func(t *testing.T) {
		p, form := b.checkout(t)
		require.Equal(t, "FR", webtest.Attr(p.one("shipping-methods"), "data-country"))
		require.Equal(t, strconv.FormatInt(f.colissimo, 10), form.Get("shipping_method"))
		for k, v := range guestAddress {
			form.Set(k, v)
		}
		// The shopper picks the United States and presses "Update totals": the form still
		// carries France's method.
		form.Set("ship_country", "US")
		form.Set("ship_region", "NY")
		form.Set("ship_postal_code", "12207")
		res := b.submitCheckout(t, form, "update")
		require.Equal(t, http.StatusOK, res.status, res.body)
		p = parsePage(t, res.body)
		require.False(t, p.has("form-error"))
		require.Equal(t, "US", webtest.Attr(p.one("shipping-methods"), "data-country"))
		methods := p.byTestID("shipping-method")
		require.Len(t, methods, 1, "the United States' one method")
		require.Equal(t, strconv.FormatInt(f.usGround, 10), webtest.Attr(methods[0], "value"))
		require.True(t, webtest.HasAttr(methods[0], "checked"))
		require.Equal(t, "Ground "+money.New(800, x.v.Price.Currency).String(), strings.Join(strings.Fields(webtest.Text(p.one("shipping-method-label"))), " "))
		require.Equal(t, "Shipping (Ground) "+money.New(800, x.v.Price.Currency).String(), webtest.Text(p.one("summary-shipping")))
		cur := x.v.Price.Currency
		// Prices include tax: the sales tax is inside the total, named as the rate names it.
		lineTax := (x.v.Price.Minor*800 + 5400) / 10800
		shipTax := int64((800*800 + 5400) / 10800)
		require.Equal(t, "incl. Sales tax "+money.New(lineTax+shipTax, cur).String(), webtest.Text(p.one("summary-tax")))
		require.Contains(t, webtest.Text(p.one("summary-total")), money.New(x.v.Price.Minor+800, cur).String())
		require.Contains(t, webtest.Text(p.one("summary-jump")), money.New(x.v.Price.Minor+800, cur).String(),
			"the total at the top of a phone's page too")
		kept := webtest.FormValues(t, p.one("checkout-form"))
		for _, name := range []string{"email", "ship_name", "ship_line1", "ship_city", "ship_region", "ship_postal_code", "ship_country", "ship_phone"} {
			require.Equal(t, form.Get(name), kept.Get(name), "the form keeps %s as typed", name)
		}

		// And on to the United Kingdom, from the page as it came back.
		kept.Set("ship_country", "GB")
		kept.Set("ship_region", "")
		res = b.submitCheckout(t, kept, "update")
		require.Equal(t, http.StatusOK, res.status, res.body)
		p = parsePage(t, res.body)
		methods = p.byTestID("shipping-method")
		require.Len(t, methods, 1)
		require.Equal(t, strconv.FormatInt(royalMail, 10), webtest.Attr(methods[0], "value"))
		require.Equal(t, "Shipping (Royal Mail) "+money.New(1200, x.v.Price.Currency).String(), webtest.Text(p.one("summary-shipping")))
	})
}
