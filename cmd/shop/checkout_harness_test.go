package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web/webtest"
)

// checkoutFixture is the whole shop with cartSetup's three products (priced in euros, 10 of
// each in stock), shipping to Europe by two methods and to the United States by one,
// with French VAT. Prices include tax until a test switches the store's tax mode.
type checkoutFixture struct {
	*cartFixture
	colissimo int64 // Europe, €5.90
	express   int64 // Europe, €15.00
	usGround  int64 // United States, €8.00
}

func checkoutSetup(t *testing.T) *checkoutFixture { return checkoutSetupWith(t, appOptions{}) }

// checkoutSetupWith is checkoutSetup on an app started with opts.
func checkoutSetupWith(t *testing.T, opts appOptions) *checkoutFixture {
	t.Helper()
	f := &checkoutFixture{cartFixture: cartSetupWith(t, opts)}
	ctx := t.Context()
	currency := f.items[0].v.Price.Currency
	zone := func(name, countries string, pos int) int64 {
		var id int64
		require.NoError(t, f.a.pool.QueryRow(ctx, `INSERT INTO orders.shipping_zones (name, countries, position)
			VALUES ($1, $2::text[], $3) RETURNING id`, name, countries, pos).Scan(&id))
		return id
	}
	method := func(zone int64, name string, price int64, pos int) int64 {
		var id int64
		require.NoError(t, f.a.pool.QueryRow(ctx, `INSERT INTO orders.shipping_methods (zone_id, name, kind, currency, price_minor, position)
			VALUES ($1, $2, 'flat', $3, $4, $5) RETURNING id`, zone, name, currency, price, pos).Scan(&id))
		return id
	}
	europe := zone("Europe", "{FR,DE}", 1)
	us := zone("United States", "{US}", 2)
	f.colissimo = method(europe, "Colissimo", 590, 1)
	f.express = method(europe, "Express", 1500, 2)
	f.usGround = method(us, "Ground", 800, 1)
	_, err := f.a.pool.Exec(ctx, `INSERT INTO orders.tax_rates (country, basis_points, name)
		VALUES ('FR', 2000, 'VAT'), ('DE', 1900, 'VAT'), ('US', 800, 'Sales tax')`)
	require.NoError(t, err)
	return f
}

// count runs a counting query.
func (f *checkoutFixture) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, f.a.pool.QueryRow(t.Context(), sql, args...).Scan(&n))
	return n
}

// placed counts what a checkout creates: orders, payments and stock reservations.
type placed struct{ orders, payments, reservations int }

func (f *checkoutFixture) placed(t *testing.T) placed {
	t.Helper()
	return placed{
		orders:       f.count(t, `SELECT count(*) FROM orders.orders`),
		payments:     f.count(t, `SELECT count(*) FROM payments.payments`),
		reservations: f.count(t, `SELECT count(*) FROM inventory.reservations`),
	}
}

// customer registers a customer whose password is adminTestPassword.
func (f *checkoutFixture) customer(t *testing.T, email, name string) users.Account {
	t.Helper()
	acc, err := f.a.m.users.Register(t.Context(), users.RegisterInput{Email: email, Name: name, Password: adminTestPassword})
	require.NoError(t, err)
	return acc
}

// guestAddress is a valid French delivery, as a shopper types it.
var guestAddress = map[string]string{
	"email":            "ada@example.com",
	"ship_name":        "Ada Lovelace",
	"ship_line1":       "12 rue de Rivoli",
	"ship_city":        "Paris",
	"ship_postal_code": "75001",
	"ship_country":     "FR",
	"ship_phone":       "+33 1 23 45 67 89",
}

// checkout opens the checkout page, which must answer 200, and returns it with the
// form's fields as a browser would submit them.
func (b *browser) checkout(t *testing.T) (page, url.Values) {
	t.Helper()
	res := b.send(t, http.MethodGet, "/checkout", nil)
	require.Equal(t, http.StatusOK, res.status, res.body)
	p := parsePage(t, res.body)
	return p, webtest.FormValues(t, p.one("checkout-form"))
}

// filledCheckout is the checkout form filled in with fill over what the page offered.
func (b *browser) filledCheckout(t *testing.T, fill map[string]string) url.Values {
	t.Helper()
	_, form := b.checkout(t)
	for k, v := range fill {
		form.Set(k, v)
	}
	return form
}

// submitCheckout posts the checkout form with the button named action.
func (b *browser) submitCheckout(t *testing.T, form url.Values, action string) response {
	t.Helper()
	form = cloneValues(form)
	form.Set("action", action)
	return b.send(t, http.MethodPost, "/checkout", form)
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// fieldError is the message shown beside a field, "" when there is none.
func fieldError(p page, name string) string {
	nodes := p.byTestID("field-error-" + name)
	if len(nodes) == 0 {
		return ""
	}
	return webtest.Text(nodes[0])
}

// inputValue is the value a re-rendered form shows in the named input or select.
func inputValue(t *testing.T, p page, name string) string {
	t.Helper()
	fields := webtest.FormValues(t, p.one("checkout-form"))
	require.Contains(t, fields, name)
	return fields.Get(name)
}

// flashes are the one-time messages on a page.
func flashes(p page) []string {
	var out []string
	for _, n := range p.byTestID("flash") {
		out = append(out, webtest.Text(n))
	}
	return out
}

// payOnTestPage pays on the test gateway's hosted page the way a shopper does, starting
// at the page checkout redirected to, and returns where the gateway sends them back.
func (b *browser) payOnTestPage(t *testing.T, payPage, card string) string {
	t.Helper()
	require.True(t, strings.HasPrefix(payPage, "/pay/test/"), "payment page %q", payPage)
	require.Equal(t, http.StatusOK, b.send(t, http.MethodGet, payPage, nil).status)
	res := b.send(t, http.MethodPost, payPage, url.Values{"card_number": {card}})
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	return res.header.Get("Location")
}

// follow GETs a redirect's target, which must answer want.
func (b *browser) follow(t *testing.T, res response, want int) response {
	t.Helper()
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	next := b.send(t, http.MethodGet, res.header.Get("Location"), nil)
	require.Equal(t, want, next.status, "GET %s: %s", res.header.Get("Location"), next.body)
	return next
}

// orderPageAfterPaying follows the gateway's return to the order page, marked as the
// view right after checkout. It returns the page and the order's own URL.
func (b *browser) orderPageAfterPaying(t *testing.T, returnTo string) (page, string) {
	t.Helper()
	require.True(t, strings.HasPrefix(returnTo, "/checkout/return/"), "return URL %q", returnTo)
	res := b.send(t, http.MethodGet, returnTo, nil)
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	orderURL := "/orders/" + strings.TrimPrefix(returnTo, "/checkout/return/")
	require.Equal(t, orderURL+"?from=checkout", res.header.Get("Location"))
	page := b.send(t, http.MethodGet, res.header.Get("Location"), nil)
	require.Equal(t, http.StatusOK, page.status)
	return parsePage(t, page.body), orderURL
}

// postNoFail posts a form for a goroutine of a race: it reports errors instead of failing
// the test from a goroutine that is not the test's.
func (b *browser) postNoFail(ctx context.Context, path string, form url.Values) (response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.a.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return response{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := b.client.Do(req)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return response{}, err
	}
	return response{status: res.StatusCode, header: res.Header, body: string(body)}, nil
}
