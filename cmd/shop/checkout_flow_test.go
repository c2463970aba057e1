package main

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/orders"

	"github.com/monoshop/monoshop/internal/platform/audit"

	"github.com/monoshop/monoshop/internal/payments/paymentstest"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web/webtest"
)

// TestCheckout walks checkout as shoppers do, through the real router, sessions and the
// test gateway's hosted page: a guest, a customer with an address book, a declined card
// paid again, and the summary's tax rows in both of the store's tax modes.
func TestCheckout(t *testing.T) {
	t.Parallel()
	f := checkoutSetup(t)
	x, y := f.items[0], f.items[1]

	t.Run("OKGuestPaysOnHostedPage", func(t *testing.T) {
		b := f.a.browser(t)
		require.Equal(t, http.StatusSeeOther, b.addFromProductPage(t, x, 2).status)
		before := f.placed(t)

		p, form := b.checkout(t)
		// What the shop fills in: nothing personal for a guest, the first country it ships
		// to, billing to the same address, the first method for that country.
		require.Empty(t, form.Get("email"))
		require.Equal(t, "FR", form.Get("ship_country"))
		require.Equal(t, "on", form.Get("billing_same"))
		require.Equal(t, strconv.FormatInt(f.colissimo, 10), form.Get("shipping_method"))
		require.Len(t, form.Get("idempotency_key"), 44)
		require.Len(t, p.byTestID("shipping-method"), 2, "Colissimo and Express ship to France")
		require.Empty(t, form["quantity"], "the form carries no quantities")
		require.Empty(t, form["price"], "the form carries no prices")

		gross := x.v.Price.Mul(2)
		total := money.New(gross.Minor+590, gross.Currency)
		lines := p.byTestID("summary-line")
		require.Len(t, lines, 1)
		require.Contains(t, webtest.Text(lines[0]), x.p.Title)
		require.Contains(t, webtest.Text(lines[0]), "× 2")
		require.Contains(t, webtest.Text(lines[0]), gross.String())
		require.Contains(t, webtest.Text(p.one("summary-subtotal")), gross.String())
		require.Contains(t, webtest.Text(p.one("summary-shipping")), "Colissimo")
		require.Contains(t, webtest.Text(p.one("summary-shipping")), money.New(590, x.v.Price.Currency).String())
		require.Contains(t, webtest.Text(p.one("summary-total")), total.String())
		tax := p.one("summary-tax")
		require.Equal(t, "true", webtest.Attr(tax, "data-tax-included"))
		require.Contains(t, webtest.Text(tax), "incl. VAT", "prices include tax: the tax is inside the total")

		for k, v := range guestAddress {
			form.Set(k, v)
		}
		res := b.submitCheckout(t, form, "place")
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		payPage := res.header.Get("Location")
		gateway := b.send(t, http.MethodGet, payPage, nil)
		require.Equal(t, http.StatusOK, gateway.status)
		require.Equal(t, total.String(), webtest.Text(parsePage(t, gateway.body).one("test-payment-amount")),
			"the gateway asks for the total checkout showed")

		op, orderURL := b.orderPageAfterPaying(t, b.payOnTestPage(t, payPage, paymentstest.CardSucceeds))
		require.Contains(t, flashes(op), "Thank you for your order! We have received your payment.")
		require.Equal(t, "Paid", webtest.Text(op.one("payment-status")), "the return asked the gateway before its webhook came")
		require.Equal(t, "Not shipped yet", webtest.Text(op.one("fulfillment-status")))
		require.Regexp(t, `^#\d+$`, webtest.Text(op.one("order-number")))
		orderLines := op.byTestID("order-line")
		require.Len(t, orderLines, 1)
		require.Contains(t, webtest.Text(orderLines[0]), x.p.Title)
		require.Equal(t, "2", webtest.Text(op.one("order-line-quantity")))
		require.Contains(t, webtest.Text(op.one("order-total")), total.String())
		require.Equal(t, "Ada Lovelace 12 rue de Rivoli 75001 Paris France +33 1 23 45 67 89", webtest.Text(op.one("shipping-address")))
		require.Equal(t, webtest.Text(op.one("shipping-address")), webtest.Text(op.one("billing-address")), "billing same as shipping")
		require.Equal(t, "Colissimo", webtest.Text(op.one("shipping-method-name")))
		require.False(t, op.has("retry-payment"))
		require.Equal(t, "0", webtest.Text(op.one("cart-count")), "the cart is spent")

		after := f.placed(t)
		require.Equal(t, placed{before.orders + 1, before.payments + 1, before.reservations + 1}, after)
		var email string
		var account *int64
		require.NoError(t, f.a.pool.QueryRow(t.Context(), `SELECT email, account_id FROM orders.orders WHERE token = $1`,
			strings.TrimPrefix(orderURL, "/orders/")).Scan(&email, &account))
		require.Equal(t, "ada@example.com", email)
		require.Nil(t, account, "a guest order belongs to no account")

		// The thanks are said once; the page stays right on every later visit.
		again := parsePage(t, b.send(t, http.MethodGet, orderURL, nil).body)
		require.Empty(t, flashes(again))
		require.Equal(t, "Paid", webtest.Text(again.one("payment-status")))
	})

	t.Run("OKCustomerShipsToSavedAddress", func(t *testing.T) {
		acc := f.customer(t, "cora@example.com", "Cora")
		ctx := t.Context()
		home, err := f.a.m.users.SaveAddress(ctx, acc.ID, users.Address{Name: "Cora Home", Line1: "1 Torstraße",
			City: "Berlin", PostalCode: "10115", Country: "DE"})
		require.NoError(t, err)
		office, err := f.a.m.users.SaveAddress(ctx, acc.ID, users.Address{Name: "Cora Office", Line1: "5 quai Saint-Antoine",
			City: "Lyon", PostalCode: "69002", Country: "FR", Phone: "+33 4 00 00 00 00"})
		require.NoError(t, err)

		b := f.a.signIn(t, "cora@example.com")
		require.Equal(t, http.StatusSeeOther, b.addFromProductPage(t, y, 1).status)
		p, form := b.checkout(t)
		require.Equal(t, "cora@example.com", form.Get("email"), "a customer's email is filled in")
		require.Equal(t, strconv.FormatInt(home.ID, 10), form.Get("ship_address_id"), "the default address is chosen")
		require.Equal(t, "Cora Home", form.Get("ship_name"))
		require.Equal(t, "10115", form.Get("ship_postal_code"))
		require.Equal(t, "DE", form.Get("ship_country"))
		require.Len(t, p.byTestID("saved-address"), 2)

		// Choosing the other address and pressing "Update" fills the fields with it.
		form.Set("ship_address_id", strconv.FormatInt(office.ID, 10))
		res := b.submitCheckout(t, form, "update")
		require.Equal(t, http.StatusOK, res.status, res.body)
		p = parsePage(t, res.body)
		require.False(t, p.has("form-error"))
		form = webtest.FormValues(t, p.one("checkout-form"))
		require.Equal(t, "Cora Office", form.Get("ship_name"))
		require.Equal(t, "Lyon", form.Get("ship_city"))
		require.Equal(t, "FR", form.Get("ship_country"))
		require.Equal(t, form.Get("ship_address_id"), form.Get("ship_address_applied"))

		res = b.submitCheckout(t, form, "place")
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		op, _ := b.orderPageAfterPaying(t, b.payOnTestPage(t, res.header.Get("Location"), paymentstest.CardSucceeds))
		require.Contains(t, webtest.Text(op.one("shipping-address")), "Cora Office 5 quai Saint-Antoine 69002 Lyon France")
		require.Equal(t, "cora@example.com", webtest.Text(op.one("order-email")))
		number := strings.TrimPrefix(webtest.Text(op.one("order-number")), "#")

		// The order is the customer's: on the account page, in the history, on its page.
		acct := b.send(t, http.MethodGet, "/account", nil)
		require.Equal(t, http.StatusOK, acct.status)
		ap := parsePage(t, acct.body)
		rows := ap.byTestID("order-history-row")
		require.Len(t, rows, 1)
		require.Contains(t, webtest.Text(rows[0]), "#"+number)
		require.Contains(t, webtest.Text(rows[0]), "Paid")
		require.Equal(t, "/account/orders/"+number, webtest.Attr(ap.one("order-history-link"), "href"))
		require.Equal(t, "/account/orders", webtest.Attr(ap.one("order-history-all"), "href"))
		require.False(t, ap.has("order-history-empty"))

		mine := b.send(t, http.MethodGet, "/account/orders/"+number, nil)
		require.Equal(t, http.StatusOK, mine.status)
		mp := parsePage(t, mine.body)
		require.Equal(t, "#"+number, webtest.Text(mp.one("order-number")))
		require.Equal(t, "Paid", webtest.Text(mp.one("payment-status")))
	})

	t.Run("OKDeclinedCardThenPayNow", func(t *testing.T) {
		b := f.a.browser(t)
		require.Equal(t, http.StatusSeeOther, b.addFromProductPage(t, y, 1).status)
		res := b.submitCheckout(t, b.filledCheckout(t, guestAddress), "place")
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		firstPage := res.header.Get("Location")

		op, orderURL := b.orderPageAfterPaying(t, b.payOnTestPage(t, firstPage, paymentstest.CardDeclined))
		require.Contains(t, flashes(op), "Your payment did not go through and nothing was charged. You can try again below.")
		require.Equal(t, "Payment failed", webtest.Text(op.one("payment-status")))
		retry := op.one("retry-payment")
		require.Equal(t, orderURL+"/pay", webtest.Attr(retry, "action"))
		require.Equal(t, "post", webtest.Attr(retry, "method"))

		res = b.send(t, http.MethodPost, webtest.Attr(retry, "action"), webtest.FormValues(t, retry))
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		secondPage := res.header.Get("Location")
		require.NotEqual(t, firstPage, secondPage, "a new attempt, since the first was refused")
		op, again := b.orderPageAfterPaying(t, b.payOnTestPage(t, secondPage, paymentstest.CardSucceeds))
		require.Equal(t, orderURL, again)
		require.Equal(t, "Paid", webtest.Text(op.one("payment-status")))
		require.False(t, op.has("retry-payment"))
		token := strings.TrimPrefix(orderURL, "/orders/")
		require.Equal(t, 2, f.count(t, `SELECT count(*) FROM payments.payments p JOIN orders.orders o ON p.order_ref = o.number::text WHERE o.token = $1`, token))
		require.Equal(t, 1, f.count(t, `SELECT count(*) FROM orders.orders WHERE token = $1`, token))
	})

	t.Run("OKDiscountCodeApplied", func(t *testing.T) {
		_, err := f.a.pool.Exec(t.Context(), `INSERT INTO orders.discount_codes (code, kind, basis_points) VALUES ('SAVE10', 'percent', 1000)`)
		require.NoError(t, err)
		b := f.a.browser(t)
		require.Equal(t, http.StatusSeeOther, b.addFromProductPage(t, x, 1).status)
		form := b.filledCheckout(t, guestAddress)
		form.Set("discount_code", "save10")
		res := b.submitCheckout(t, form, "update")
		require.Equal(t, http.StatusOK, res.status, res.body)
		p := parsePage(t, res.body)
		off := money.New((x.v.Price.Minor*1000+5000)/10000, x.v.Price.Currency)
		require.Equal(t, "Discount (SAVE10) −"+off.String(), webtest.Text(p.one("summary-discount")))
		total := money.New(x.v.Price.Minor-off.Minor+590, x.v.Price.Currency)
		require.Contains(t, webtest.Text(p.one("summary-total")), total.String())

		res = b.submitCheckout(t, webtest.FormValues(t, p.one("checkout-form")), "place")
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		op, _ := b.orderPageAfterPaying(t, b.payOnTestPage(t, res.header.Get("Location"), paymentstest.CardSucceeds))
		require.Equal(t, "Discount (SAVE10) −"+off.String(), webtest.Text(op.one("order-discount")))
		require.Contains(t, webtest.Text(op.one("order-total")), total.String())
	})

	t.Run("OKFreeOrderNeedsNoPayment", func(t *testing.T) {
		// A code taking everything and a free method: nothing to pay, so no payment page.
		ctx := t.Context()
		_, err := f.a.pool.Exec(ctx, `INSERT INTO orders.discount_codes (code, kind, basis_points) VALUES ('ALLFREE', 'percent', 10000)`)
		require.NoError(t, err)
		var zone int64
		require.NoError(t, f.a.pool.QueryRow(ctx, `SELECT zone_id FROM orders.shipping_methods WHERE id = $1`, f.colissimo).Scan(&zone))
		// Through the back office's service, as staff would: checkout sees it at once.
		pickup, err := f.a.m.orders.SaveShippingMethod(ctx, audit.Actor{}, 0, orders.ShippingMethodInput{
			ZoneID: zone, Name: "Pick up in store", Kind: "flat", Price: "0", Active: true, Position: "9",
			Currency: x.v.Price.Currency,
		})
		require.NoError(t, err)
		before := f.placed(t)
		b := f.a.browser(t)
		require.Equal(t, http.StatusSeeOther, b.addFromProductPage(t, x, 2).status)
		form := b.filledCheckout(t, guestAddress)
		form.Set("email", "free@example.com")
		form.Set("discount_code", "allfree")
		form.Set("shipping_method", strconv.FormatInt(pickup, 10))
		res := b.submitCheckout(t, form, "update")
		require.Equal(t, http.StatusOK, res.status, res.body)
		p := parsePage(t, res.body)
		zero := money.New(0, x.v.Price.Currency)
		require.Contains(t, webtest.Text(p.one("summary-total")), zero.String())

		res = b.submitCheckout(t, webtest.FormValues(t, p.one("checkout-form")), "place")
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		orderURL := res.header.Get("Location")
		require.True(t, strings.HasPrefix(orderURL, "/orders/"), "straight to the order, no payment page: %s", orderURL)
		op := parsePage(t, b.send(t, http.MethodGet, orderURL, nil).body)
		require.Contains(t, strings.Join(flashes(op), " | "), "Thank you! Your order #")
		require.Equal(t, "Paid", webtest.Text(op.one("payment-status")), "nothing was owed")
		require.Contains(t, webtest.Text(op.one("order-total")), zero.String())
		require.False(t, op.has("retry-payment"))
		require.Equal(t, "0", webtest.Text(op.one("cart-count")), "the cart is spent")

		after := f.placed(t)
		require.Equal(t, placed{before.orders + 1, before.payments, before.reservations + 1}, after,
			"one order, its stock reserved, and no payment")
		require.Equal(t, 1, f.count(t, `SELECT count(*) FROM notify.messages WHERE recipient = 'free@example.com' AND kind = 'order_confirmation'`),
			"the confirmation is sent at once")
	})

	// Last: it switches the whole store to prices without tax.
	t.Run("OKTaxAddedOnTop", func(t *testing.T) {
		require.NoError(t, f.a.m.orders.SetTaxMode(t.Context(), audit.Actor{}, orders.PricesExcludeTax))
		b := f.a.browser(t)
		require.Equal(t, http.StatusSeeOther, b.addFromProductPage(t, x, 1).status)
		form := b.filledCheckout(t, map[string]string{
			"email": "sam@example.com", "ship_name": "Sam", "ship_line1": "1 Main St", "ship_city": "Albany",
			"ship_region": "NY", "ship_postal_code": "12207", "ship_country": "US",
		})
		res := b.submitCheckout(t, form, "update")
		require.Equal(t, http.StatusOK, res.status, res.body)
		p := parsePage(t, res.body)
		methods := p.byTestID("shipping-method")
		require.Len(t, methods, 1, "pressing Update shows the methods for the United States")
		require.Equal(t, strconv.FormatInt(f.usGround, 10), webtest.Attr(methods[0], "value"))
		require.Contains(t, webtest.Text(p.one("summary-shipping")), "Ground")

		cur := x.v.Price.Currency
		lineTax := (x.v.Price.Minor*800 + 5000) / 10000
		shipTax := int64(800 * 800 / 10000)
		tax := p.one("summary-tax")
		require.Equal(t, "false", webtest.Attr(tax, "data-tax-included"))
		require.Equal(t, "Sales tax "+money.New(lineTax+shipTax, cur).String(), webtest.Text(tax), "tax is a row of its own")
		require.Contains(t, webtest.Text(p.one("summary-total")), money.New(x.v.Price.Minor+800+lineTax+shipTax, cur).String())
	})
}

// TestCheckoutRefusals submits checkout with one thing wrong at a time. Each comes back
// with the form as typed, a message beside the field at fault, and nothing placed.
func TestCheckoutRefusals(t *testing.T) {
	t.Parallel()
	f := checkoutSetup(t)
	x, y := f.items[0], f.items[1]
	ctx := t.Context()
	_, err := f.a.pool.Exec(ctx, `INSERT INTO orders.discount_codes (code, kind, basis_points, amount_minor, currency, ends_at, usage_limit, used_count)
		VALUES ('OLD', 'percent', 1000, 0, '', now() - interval '1 day', NULL, 0),
		       ('GONE', 'percent', 1000, 0, '', NULL, 5, 5),
		       ('DOLLAR5', 'fixed', 0, 500, 'USD', NULL, NULL, 0)`)
	require.NoError(t, err)
	require.NotEqual(t, "USD", x.v.Price.Currency, "DOLLAR5 is in another currency than the cart")

	b := f.a.browser(t)
	require.Equal(t, http.StatusSeeOther, b.addFromProductPage(t, x, 1).status)
	before := f.placed(t)

	for _, tc := range []struct {
		name    string
		change  map[string]string
		field   string
		message string
	}{
		{"ErrPostalCodeMissing", map[string]string{"ship_postal_code": ""}, "ship_postal_code", "Enter the postal code."},
		{"ErrPostalCodeWrongForCountry", map[string]string{"ship_postal_code": "7500"}, "ship_postal_code",
			"This postal code does not look right for the chosen country."},
		{"ErrEmailInvalid", map[string]string{"email": "ada@example"}, "email", "Enter a valid email address, like name@example.com."},
		{"ErrEmailMissing", map[string]string{"email": " "}, "email", "Enter your email address."},
		{"ErrNameMissing", map[string]string{"ship_name": ""}, "ship_name", "Enter the recipient's name."},
		{"ErrBillingAddressIncomplete", map[string]string{"billing_same": "", "bill_name": "Ada Lovelace", "bill_country": "FR"},
			"bill_line1", "Enter the street address."},
		{"ErrMethodOfAnotherCountry", map[string]string{"shipping_method": strconv.FormatInt(f.usGround, 10)}, "shipping_method",
			"This shipping method is not available for France."},
		{"ErrMethodTampered", map[string]string{"shipping_method": "999999"}, "shipping_method",
			"This shipping method is not available for France."},
		{"ErrMethodNotANumber", map[string]string{"shipping_method": "5.90"}, "shipping_method",
			"This shipping method is not available for France."},
		{"ErrCountryNotServed", map[string]string{"ship_country": "IT", "ship_postal_code": "00184"}, "ship_country",
			"Sorry, we do not ship to Italy."},
		{"ErrDiscountUnknown", map[string]string{"discount_code": "nope"}, "discount_code", "The code NOPE does not exist."},
		{"ErrDiscountExpired", map[string]string{"discount_code": "OLD"}, "discount_code", "The code OLD has expired."},
		{"ErrDiscountUsedUp", map[string]string{"discount_code": "GONE"}, "discount_code", "The code GONE has been used up."},
		{"ErrDiscountOtherCurrency", map[string]string{"discount_code": "DOLLAR5"}, "discount_code",
			"The code DOLLAR5 is for orders in USD; your cart is in " + x.v.Price.Currency + "."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := b.filledCheckout(t, guestAddress)
			form.Set("ship_line2", "Bâtiment B <3>") // typed text must come back exactly
			for k, v := range tc.change {
				if v == "" && (k == "billing_same") {
					form.Del(k)
					continue
				}
				form.Set(k, v)
			}
			res := b.submitCheckout(t, form, "place")
			require.Equal(t, http.StatusUnprocessableEntity, res.status, res.body)
			p := parsePage(t, res.body)
			require.Equal(t, "Please correct the highlighted fields.", webtest.Text(p.one("form-error")))
			require.Equal(t, tc.message, fieldError(p, tc.field))
			kept := webtest.FormValues(t, p.one("checkout-form"))
			require.Equal(t, "Bâtiment B <3>", kept.Get("ship_line2"))
			for k, v := range tc.change {
				// A country the shop does not ship to is shown but not sent again
				// (TestCheckoutForm).
				if k != "shipping_method" && k != "billing_same" && !(k == "ship_country" && tc.field == "ship_country") {
					require.Equal(t, v, kept.Get(k), "the form keeps %s as typed", k)
				}
			}
			require.Equal(t, form.Get("idempotency_key"), kept.Get("idempotency_key"), "the same submission, resubmitted, places one order")
			require.Equal(t, before, f.placed(t), "nothing is placed")
		})
	}

	t.Run("ErrFormTampered", func(t *testing.T) {
		form := b.filledCheckout(t, guestAddress)
		form.Set("discount_code", "TEN\x00OFF")
		form.Set("idempotency_key", "\xff")
		res := b.submitCheckout(t, form, "place")
		require.Equal(t, http.StatusUnprocessableEntity, res.status, res.body)
		p := parsePage(t, res.body)
		require.Equal(t, "The checkout form is out of date; please review it and place your order again.", webtest.Text(p.one("form-error")))
		require.Equal(t, "This code does not exist.", fieldError(p, "discount_code"))
		require.Equal(t, "TEN\uFFFDOFF", inputValue(t, p, "discount_code"), "shown back, the NUL marked")
		require.Len(t, inputValue(t, p, "idempotency_key"), 44, "a fresh key for the next submission")
		require.Equal(t, before, f.placed(t))
	})

	t.Run("ErrAnotherShoppersKey", func(t *testing.T) {
		// Ada places an order; Bob, with a cart of his own, submits his form with Ada's
		// key. A key names a submission, and the same submission again leads to its
		// order: Bob must get neither Ada's order page nor her name and address.
		ada := f.a.browser(t)
		require.Equal(t, http.StatusSeeOther, ada.addFromProductPage(t, y, 1).status)
		adaForm := ada.filledCheckout(t, map[string]string{"email": "ada.private@example.com", "ship_name": "Ada Private",
			"ship_line1": "7 rue Secrète", "ship_city": "Lyon", "ship_postal_code": "69001", "ship_country": "FR"})
		placed := ada.submitCheckout(t, adaForm, "place")
		require.Equal(t, http.StatusSeeOther, placed.status, placed.body)
		adaOrders := f.placed(t)

		bob := f.a.browser(t)
		require.Equal(t, http.StatusSeeOther, bob.addFromProductPage(t, x, 1).status)
		bobForm := bob.filledCheckout(t, map[string]string{"email": "bob@example.com", "ship_name": "Bob Martin",
			"ship_line1": "1 place Bellecour", "ship_city": "Lyon", "ship_postal_code": "69002", "ship_country": "FR"})
		bobForm.Set("idempotency_key", adaForm.Get("idempotency_key"))
		// Bob's cart as his form saw it, and his cart spent (the resume path): neither
		// leads to Ada's order.
		for _, fingerprint := range []string{bobForm.Get("cart_fingerprint"), "stale"} {
			bobForm.Set("cart_fingerprint", fingerprint)
			res := bob.submitCheckout(t, bobForm, "place")
			require.Equal(t, http.StatusConflict, res.status, res.body)
			for _, secret := range []string{"ada.private@example.com", "Ada Private", "Secrète", placed.header.Get("Location")} {
				require.NotContains(t, res.body, secret, "nothing of Ada's order is shown")
			}
			p := parsePage(t, res.body)
			require.Equal(t, "This checkout form was opened in another browser or session. Please review your details and place your order again.",
				webtest.Text(p.one("form-error")))
			require.Equal(t, "Bob Martin", inputValue(t, p, "ship_name"), "what Bob typed is kept")
			require.NotEqual(t, adaForm.Get("idempotency_key"), inputValue(t, p, "idempotency_key"), "Bob's form gets a key of his own")
			require.Equal(t, adaOrders, f.placed(t), "nothing is placed")
		}
		// Ada's own resubmission (a double click) still leads to her order.
		again := ada.submitCheckout(t, adaForm, "place")
		require.Equal(t, http.StatusSeeOther, again.status, again.body)
		require.Equal(t, placed.header.Get("Location"), again.header.Get("Location"))
		require.Equal(t, adaOrders, f.placed(t))
		before = f.placed(t)
	})

	t.Run("ErrCartChanged", func(t *testing.T) {
		form := b.filledCheckout(t, guestAddress)
		// Another tab adds to the cart after this form was shown.
		require.Equal(t, http.StatusSeeOther, b.addFromProductPage(t, y, 1).status)
		res := b.submitCheckout(t, form, "place")
		require.Equal(t, http.StatusConflict, res.status, res.body)
		p := parsePage(t, res.body)
		require.Equal(t, "Your cart changed; please review your order before placing it.", webtest.Text(p.one("form-error")))
		require.Len(t, p.byTestID("summary-line"), 2, "the summary shows the cart as it is now")
		require.Equal(t, "Ada Lovelace", inputValue(t, p, "ship_name"))
		require.Equal(t, before, f.placed(t))

		// Placing from the page as shown now works.
		res = b.submitCheckout(t, webtest.FormValues(t, p.one("checkout-form")), "place")
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		require.True(t, strings.HasPrefix(res.header.Get("Location"), "/pay/test/"))
		require.Equal(t, before.orders+1, f.placed(t).orders)
		before = f.placed(t)
	})

	t.Run("ErrItemSoldOutSinceAdded", func(t *testing.T) {
		z := f.items[2]
		late := f.a.browser(t)
		require.Equal(t, http.StatusSeeOther, late.addFromProductPage(t, z, 1).status)
		f.setStock(t, z, 0)
		// The storefront reads stock from a copy at most a second old.
		var res response
		require.Eventually(t, func() bool {
			res = late.send(t, http.MethodGet, "/checkout", nil)
			return res.status == http.StatusSeeOther
		}, 5*time.Second, 50*time.Millisecond)
		require.Equal(t, "/cart", res.header.Get("Location"))
		lines, p := late.cartLines(t)
		require.Contains(t, flashes(p), "Sorry, "+z.p.Title+" is sold out")
		require.Equal(t, map[string]string{z.id(): "out_of_stock"}, lines, "the line stays in the cart, flagged")
		require.Equal(t, before, f.placed(t))
	})

	t.Run("ErrEmptyCart", func(t *testing.T) {
		empty := f.a.browser(t)
		res := empty.send(t, http.MethodGet, "/checkout", nil)
		cartPage := empty.follow(t, res, http.StatusOK)
		require.Equal(t, "/cart", res.header.Get("Location"))
		require.Contains(t, flashes(parsePage(t, cartPage.body)), "Your cart is empty.")

		// A form posted with nothing in the cart (another tab checked out) places nothing.
		form := url.Values{}
		for k, v := range guestAddress {
			form.Set(k, v)
		}
		form.Set("idempotency_key", "a-key-no-order-has")
		res = empty.submitCheckout(t, form, "place")
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		require.Equal(t, "/cart", res.header.Get("Location"))
		require.Equal(t, before, f.placed(t))
	})
}
