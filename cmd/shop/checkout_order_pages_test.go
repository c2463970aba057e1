package main

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/payments/paymentstest"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web/webtest"
)

// paidOrder checks out b's cart with fill and pays it; it returns the order page's path.
func (b *browser) paidOrder(t *testing.T, fill map[string]string) string {
	t.Helper()
	res := b.submitCheckout(t, b.filledCheckout(t, fill), "place")
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	_, orderURL := b.orderPageAfterPaying(t, b.payOnTestPage(t, res.header.Get("Location"), paymentstest.CardSucceeds))
	return orderURL
}

// TestOrderPages covers what a shopper reads about an order after checkout: the page by
// its link, shipments with tracking, the invoice, and the account pages, which show a
// customer their own orders and nobody else's.
func TestOrderPages(t *testing.T) {
	t.Parallel()
	f := checkoutSetup(t)
	x := f.items[0]
	ctx := t.Context()

	guest := f.a.browser(t)
	require.Equal(t, http.StatusSeeOther, guest.addFromProductPage(t, x, 2).status)
	orderURL := guest.paidOrder(t, guestAddress)
	token := strings.TrimPrefix(orderURL, "/orders/")

	t.Run("OKByLinkInAnotherBrowser", func(t *testing.T) {
		// The link is the guest's key: it works without their session.
		res := f.a.browser(t).send(t, http.MethodGet, orderURL, nil)
		require.Equal(t, http.StatusOK, res.status)
		require.Equal(t, "no-store", res.header.Get("Cache-Control"))
		p := parsePage(t, res.body)
		require.True(t, p.has("order-confirmation"))
		require.Equal(t, "Paid", webtest.Text(p.one("payment-status")))
		require.Equal(t, "Received", webtest.Text(p.one("order-status")))
		require.Equal(t, orderURL+"/invoice", webtest.Attr(p.one("invoice-link"), "href"))
		tax := p.one("order-tax")
		require.Equal(t, "true", webtest.Attr(tax, "data-tax-included"))
		require.Contains(t, webtest.Text(tax), "incl. VAT", "France charges VAT, inside the prices")
	})

	t.Run("ErrUnknownToken", func(t *testing.T) {
		b := f.a.browser(t)
		other := strings.Repeat("A", len(token))
		for _, path := range []string{"/orders/" + other, "/orders/short", "/orders/" + token[:42] + "%25",
			"/orders/" + other + "/invoice", "/checkout/return/" + other} {
			res := b.send(t, http.MethodGet, path, nil)
			require.Equal(t, http.StatusNotFound, res.status, path)
			require.False(t, parsePage(t, res.body).has("order-confirmation"), path)
		}
		res := b.send(t, http.MethodPost, "/orders/"+other+"/pay", url.Values{})
		require.Equal(t, http.StatusNotFound, res.status)
	})

	t.Run("OKShipmentWithTracking", func(t *testing.T) {
		number := orderNumberOf(t, f, token)
		_, err := f.a.m.orders.Fulfil(ctx, audit.Actor{Email: "staff@shop.test"}, number, orders.FulfilInput{
			Carrier: "La Poste", TrackingNumber: "LP123456789FR", TrackingURL: "https://www.laposte.fr/outils/suivre-vos-envois?code=LP123456789FR",
		})
		require.NoError(t, err)
		p := parsePage(t, guest.send(t, http.MethodGet, orderURL, nil).body)
		require.Equal(t, "Shipped", webtest.Text(p.one("fulfillment-status")))
		require.Equal(t, "La Poste", webtest.Text(p.one("carrier")))
		require.Equal(t, "LP123456789FR", webtest.Text(p.one("tracking-number")))
		require.Equal(t, "https://www.laposte.fr/outils/suivre-vos-envois?code=LP123456789FR", webtest.Attr(p.one("tracking-link"), "href"))
		require.True(t, strings.HasPrefix(webtest.Text(p.one("fulfillment-item")), "2 × "+x.p.Title), webtest.Text(p.one("fulfillment-item")))
		require.Equal(t, "2 shipped", webtest.Text(p.one("order-line-shipped")))
	})

	t.Run("OKInvoice", func(t *testing.T) {
		_, err := f.a.m.orders.SetSeller(ctx, audit.Actor{Email: "staff@shop.test"}, orders.Seller{
			Name: "Atelier Grace SAS", Address: "3 place Bellecour\n69002 Lyon", TaxID: "FR40303265045", InvoiceNote: "RCS Lyon 303 265 045",
		})
		require.NoError(t, err)
		res := guest.send(t, http.MethodGet, orderURL+"/invoice", nil)
		require.Equal(t, http.StatusOK, res.status)
		p := parsePage(t, res.body)
		require.Equal(t, "Atelier Grace SAS", webtest.Text(p.one("invoice-seller")), "the seller's legal name heads the invoice")
		require.Equal(t, "3 place Bellecour 69002 Lyon", webtest.Text(p.one("seller-address")), "one line after the other")
		require.Equal(t, "FR40303265045", webtest.Text(p.one("seller-tax-id")))
		require.Equal(t, "RCS Lyon 303 265 045", webtest.Text(p.one("invoice-note")))
		number := orderNumberOf(t, f, token)
		require.Equal(t, orders.PaymentRef(number), strings.TrimPrefix(webtest.Text(p.one("invoice-order")), "#"))
		require.Regexp(t, `^INV-\d{6}$`, webtest.Text(p.one("invoice-number")), "a paid order's invoice has its own number")
		lines := p.byTestID("invoice-line")
		require.Len(t, lines, 1)
		require.Contains(t, webtest.Text(lines[0]), "20%")
		var taxes []string
		for _, n := range p.byTestID("invoice-tax-line") {
			taxes = append(taxes, webtest.Text(n))
		}
		gross := x.v.Price.Mul(2)
		halfUp := func(a, r, d int64) int64 { return (2*a*r + d) / (2 * d) }
		require.Equal(t, []string{
			"Tax at 20% on goods " + money.New(halfUp(gross.Minor, 2000, 12000), gross.Currency).String(),
			"Tax on shipping " + money.New(98, gross.Currency).String(), // 590 × 20/120 = 98.33
		}, taxes)
		require.Contains(t, res.body, "/static/orders.", "the invoice's print stylesheet")
	})

	t.Run("OKCustomerOrdersInTheBackOffice", func(t *testing.T) {
		erin := f.customer(t, "erin@example.com", "Erin")
		_, err := f.a.m.users.CreateStaff(ctx, users.Actor{}, users.RoleOwner, users.RegisterInput{
			Email: "support-orders@shop.test", Name: "Sam Support", Password: adminTestPassword}, users.RoleSupport)
		require.NoError(t, err)
		support := f.a.signIn(t, "support-orders@shop.test")
		customerPage := "/admin/customers/" + strconv.FormatInt(int64(erin.ID), 10)
		p := parsePage(t, support.send(t, http.MethodGet, customerPage, nil).body)
		require.True(t, p.has("customer-orders-empty"), "no orders yet")

		shopper := f.a.signIn(t, "erin@example.com")
		require.Equal(t, http.StatusSeeOther, shopper.addFromProductPage(t, x, 1).status)
		number := orderNumberOf(t, f, strings.TrimPrefix(shopper.paidOrder(t, guestAddress), "/orders/"))

		res := support.send(t, http.MethodGet, customerPage, nil)
		require.Equal(t, http.StatusOK, res.status)
		p = parsePage(t, res.body)
		require.Equal(t, "1 order.", webtest.Text(p.one("customer-orders-count")))
		link := p.one("order-history-link")
		require.Equal(t, "/admin/orders/"+orders.PaymentRef(number), webtest.Attr(link, "href"), "each order links to its back-office page")
		require.Equal(t, "Paid", webtest.Text(p.one("order-history-payment")))
	})

	t.Run("OKAccountHistory", func(t *testing.T) {
		f.customer(t, "dora@example.com", "Dora")
		dora := f.a.signIn(t, "dora@example.com")
		ap := parsePage(t, dora.send(t, http.MethodGet, "/account", nil).body)
		require.True(t, ap.has("order-history-empty"), "no orders yet")

		require.Equal(t, http.StatusSeeOther, dora.addFromProductPage(t, x, 1).status)
		first := dora.paidOrder(t, guestAddress)
		require.Equal(t, http.StatusSeeOther, dora.addFromProductPage(t, x, 1).status)
		second := dora.paidOrder(t, guestAddress)
		n1, n2 := orderNumberOf(t, f, strings.TrimPrefix(first, "/orders/")), orderNumberOf(t, f, strings.TrimPrefix(second, "/orders/"))

		res := dora.send(t, http.MethodGet, "/account/orders", nil)
		require.Equal(t, http.StatusOK, res.status)
		p := parsePage(t, res.body)
		var links []string
		for _, n := range p.byTestID("order-history-link") {
			links = append(links, webtest.Attr(n, "href"))
		}
		require.Equal(t, []string{"/account/orders/" + orders.PaymentRef(n2), "/account/orders/" + orders.PaymentRef(n1)}, links, "newest first")
		require.Len(t, p.byTestID("order-history-row"), 2, "the guest's order is not Dora's")

		// Someone else's order number, or a guest's, is not found from an account.
		require.Equal(t, http.StatusOK, dora.send(t, http.MethodGet, "/account/orders/"+orders.PaymentRef(n1), nil).status)
		guestNumber := orderNumberOf(t, f, token)
		require.Equal(t, http.StatusNotFound, dora.send(t, http.MethodGet, "/account/orders/"+orders.PaymentRef(guestNumber), nil).status)
		f.customer(t, "eli@example.com", "Eli")
		eli := f.a.signIn(t, "eli@example.com")
		res = eli.send(t, http.MethodGet, "/account/orders/"+orders.PaymentRef(n1), nil)
		require.Equal(t, http.StatusNotFound, res.status)
		require.NotContains(t, res.body, "order-confirmation")
		require.Equal(t, http.StatusNotFound, eli.send(t, http.MethodGet, "/account/orders/not-a-number", nil).status)
		require.Equal(t, http.StatusNotFound, eli.send(t, http.MethodGet, "/account/orders?page=2", nil).status)
		require.True(t, parsePage(t, eli.send(t, http.MethodGet, "/account/orders", nil).body).has("order-history-empty"))
	})

	t.Run("ErrSignedOut", func(t *testing.T) {
		b := f.a.browser(t)
		for path, next := range map[string]string{
			"/account/orders":      "/login?next=%2Faccount%2Forders",
			"/account/orders/1001": "/login?next=%2Faccount%2Forders%2F1001",
		} {
			res := b.send(t, http.MethodGet, path, nil)
			require.Equal(t, http.StatusSeeOther, res.status, path)
			require.Equal(t, next, res.header.Get("Location"))
		}
	})
}

func orderNumberOf(t *testing.T, f *checkoutFixture, token string) int64 {
	t.Helper()
	var n int64
	require.NoError(t, f.a.pool.QueryRow(t.Context(), `SELECT number FROM orders.orders WHERE token = $1`, token).Scan(&n))
	return n
}
