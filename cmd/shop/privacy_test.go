package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/notify"
	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web/webtest"
)

// gretaAddress is what the customer of TestAccountDeletion types at checkout: every
// piece of it must be gone from the back office once she deletes her account, except the
// invoice of the order she paid.
var gretaAddress = map[string]string{
	"ship_name":        "Greta Gundersen",
	"ship_line1":       "Geheimweg 7",
	"ship_city":        "Berlin",
	"ship_postal_code": "10115",
	"ship_country":     "DE",
	"ship_phone":       "+49 30 1234567",
}

// gretaTraces are the pieces of Greta's identity a page must not show after the deletion.
var gretaTraces = []string{"greta@example.com", "Greta", "Gundersen", "Geheimweg", "1234567"}

// requireNoTrace fails when body shows any of traces (case-insensitively).
func requireNoTrace(t *testing.T, body, where string, traces ...string) {
	t.Helper()
	lower := strings.ToLower(body)
	for _, s := range traces {
		require.NotContains(t, lower, strings.ToLower(s), "%s still shows %q", where, s)
	}
}

// TestAccountDeletion: a customer with a paid order, an unpaid one and emails in the log
// deletes her account. Her data export listed both orders first; afterwards no back-office
// page (orders, order list and search, customers, emails, audit log) shows her email address, name,
// street or phone, except the invoice of the paid order, which keeps her name and billing
// address for the tax retention period; the daily job clears those once it is over. Sales
// figures do not move. An order still on its way stops the deletion.
func TestAccountDeletion(t *testing.T) {
	t.Parallel()
	f := checkoutSetup(t)
	ctx := t.Context()
	x, y := f.items[0], f.items[1]
	_, err := f.a.m.users.CreateStaff(ctx, users.Actor{}, users.RoleOwner, users.RegisterInput{
		Email: "olga@shop.test", Name: "Olga Owner", Password: adminTestPassword}, users.RoleOwner)
	require.NoError(t, err)
	owner := f.a.signIn(t, "olga@shop.test")
	staff := audit.Actor{Email: "olga@shop.test"}

	// Before Greta has an account, a guest order with her address: not hers to erase.
	guest := f.a.browser(t)
	require.Equal(t, http.StatusSeeOther, guest.addFromProductPage(t, y, 1).status)
	guestFill := map[string]string{"email": "greta@example.com", "ship_name": "Greta Guestorder", "ship_line1": "1 Gaststraße",
		"ship_city": "Berlin", "ship_postal_code": "10117", "ship_country": "DE"}
	guestToken := strings.TrimPrefix(guest.paidOrder(t, guestFill), "/orders/")
	guestNumber := orderNumberOf(t, f, guestToken)

	greta := f.customer(t, "greta@example.com", "Greta Gundersen")
	b := f.a.signIn(t, "greta@example.com")
	require.Equal(t, http.StatusSeeOther, b.addFromProductPage(t, x, 2).status)
	paidToken := strings.TrimPrefix(b.paidOrder(t, gretaAddress), "/orders/")
	paid := orderNumberOf(t, f, paidToken)
	require.Equal(t, http.StatusSeeOther, b.addFromProductPage(t, y, 1).status)
	res := b.submitCheckout(t, b.filledCheckout(t, gretaAddress), "place")
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	var unpaid int64
	require.NoError(t, f.a.pool.QueryRow(ctx, `SELECT number FROM orders.orders WHERE account_id = $1 AND payment_status = 'pending'`,
		int64(greta.ID)).Scan(&unpaid))
	require.NoError(t, f.a.m.orders.AddNote(ctx, staff, paid, "Greta Gundersen asked for gift wrap, call +49 30 1234567"))
	paidPath, unpaidPath := "/admin/orders/"+strconv.FormatInt(paid, 10), "/admin/orders/"+strconv.FormatInt(unpaid, 10)

	// The emails sent to her, as staff see them now.
	emailList := parsePage(t, owner.send(t, http.MethodGet, "/admin/emails?to=greta%40example.com", nil).body)
	var gretaEmails []string
	for _, n := range emailList.byTestID("email-subject") {
		gretaEmails = append(gretaEmails, webtest.Attr(n, "href"))
	}
	require.Len(t, gretaEmails, 2, "the guest order's confirmation and the paid order's")

	type sales struct {
		orders, lines, units int
		total                int64
	}
	salesNow := func() sales {
		var s sales
		require.NoError(t, f.a.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM orders.orders),
			(SELECT count(*) FROM orders.order_lines), (SELECT sum(quantity) FROM orders.order_lines),
			(SELECT sum(grand_total) FROM orders.orders WHERE paid_at IS NOT NULL)`).Scan(&s.orders, &s.lines, &s.units, &s.total))
		return s
	}
	orderLinks := func() []string {
		var out []string
		for _, n := range parsePage(t, owner.send(t, http.MethodGet, "/admin/orders", nil).body).byTestID("order-link") {
			out = append(out, webtest.Text(n))
		}
		return out
	}
	salesBefore, linksBefore := salesNow(), orderLinks()
	paidTotal := webtest.Text(parsePage(t, owner.send(t, http.MethodGet, paidPath, nil).body).one("total-grand"))

	t.Run("OKExportListsOrders", func(t *testing.T) {
		res := b.send(t, http.MethodPost, "/account/export", nil)
		require.Equal(t, http.StatusOK, res.status)
		var doc struct {
			Orders []struct {
				Number          int64             `json:"number"`
				PlacedAt        time.Time         `json:"placed_at"`
				Status          string            `json:"status"`
				PaymentStatus   string            `json:"payment_status"`
				Email           string            `json:"email"`
				ShippingAddress map[string]string `json:"shipping_address"`
				BillingAddress  map[string]string `json:"billing_address"`
				Lines           []struct {
					SKU      string `json:"sku"`
					Name     string `json:"name"`
					Quantity int    `json:"quantity"`
					Total    string `json:"total"`
				} `json:"lines"`
				Totals struct {
					Subtotal, Shipping, Tax, Total string
				} `json:"totals"`
				Currency string `json:"currency"`
			} `json:"orders"`
		}
		require.NoError(t, json.Unmarshal([]byte(res.body), &doc))
		require.Len(t, doc.Orders, 2, "her two orders, not the guest order placed with her address")
		first, second := doc.Orders[0], doc.Orders[1]
		require.Equal(t, paid, first.Number, "oldest first")
		require.Equal(t, unpaid, second.Number)
		require.Equal(t, "paid", first.PaymentStatus)
		require.Equal(t, "pending", second.PaymentStatus)
		require.Equal(t, "open", first.Status)
		require.WithinDuration(t, time.Now(), first.PlacedAt, time.Minute)
		require.Equal(t, "greta@example.com", first.Email)
		require.Equal(t, "Greta Gundersen", first.ShippingAddress["name"])
		require.Equal(t, "+49 30 1234567", first.ShippingAddress["phone"])
		require.Equal(t, "Geheimweg 7", first.BillingAddress["line1"])
		require.Len(t, first.Lines, 1)
		require.Equal(t, x.v.SKU, first.Lines[0].SKU)
		require.Equal(t, 2, first.Lines[0].Quantity)
		require.Equal(t, x.v.Price.Mul(2).Decimal(), first.Lines[0].Total)
		require.Equal(t, "5.90", first.Totals.Shipping)
		o, err := f.a.m.orders.Order(ctx, paid)
		require.NoError(t, err)
		require.Equal(t, o.GrandTotal.Decimal(), first.Totals.Total)
		require.Equal(t, o.GrandTotal.Currency, first.Currency)
	})

	t.Run("ErrOrderOnItsWay", func(t *testing.T) {
		res := b.send(t, http.MethodPost, "/account/delete", url.Values{"current_password": {adminTestPassword}})
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		p := parsePage(t, res.body)
		require.Equal(t, "Your order #"+strconv.FormatInt(paid, 10)+
			" is still in progress. You can delete your account once it has shipped, or ask us to cancel it first.",
			webtest.Text(p.one("form-error")))
		require.Contains(t, webtest.Text(parsePage(t, owner.send(t, http.MethodGet, paidPath, nil).body).one("customer-email")),
			"greta@example.com", "nothing was erased")
		require.Equal(t, http.StatusOK, b.send(t, http.MethodGet, "/account", nil).status, "still signed in")
	})

	_, err = f.a.m.orders.Fulfil(ctx, staff, paid, orders.FulfilInput{Carrier: "DHL", TrackingNumber: "00340434161094042557"})
	require.NoError(t, err)
	res = b.send(t, http.MethodPost, "/account/delete", url.Values{"current_password": {adminTestPassword}})
	require.Equal(t, http.StatusSeeOther, res.status, res.body)

	t.Run("OKOrderPagesForgetHer", func(t *testing.T) {
		res := owner.send(t, http.MethodGet, paidPath, nil)
		require.Equal(t, http.StatusOK, res.status)
		requireNoTrace(t, res.body, "the paid order's page", gretaTraces...)
		p := parsePage(t, res.body)
		require.Equal(t, orders.DeletedCustomer, webtest.Text(p.one("customer-email")))
		require.Equal(t, "DE", webtest.Text(p.one("shipping-address")), "the country stays: the sale's tax depends on it")
		require.Equal(t, strconv.Itoa(time.Now().Year()+orders.InvoiceRetentionYears+1), strings.Fields(webtest.Text(p.one("invoice-kept-until")))[2])
		require.Contains(t, res.body, orders.RemovedText, "the note staff typed is gone")
		require.Equal(t, paidTotal, webtest.Text(p.one("total-grand")))
		require.Len(t, p.byTestID("order-line"), 1)

		res = owner.send(t, http.MethodGet, unpaidPath, nil)
		requireNoTrace(t, res.body, "the unpaid order's page", gretaTraces...)
		p = parsePage(t, res.body)
		require.Equal(t, "Cancelled", webtest.Text(p.one("order-status")), "an unpaid order is cancelled")
		require.Equal(t, orders.DeletedCustomer, webtest.Text(p.one("customer-email")))

		for _, path := range []string{unpaidPath + "/invoice", paidPath + "/packing-slip", unpaidPath + "/packing-slip"} {
			res := owner.send(t, http.MethodGet, path, nil)
			require.Equal(t, http.StatusOK, res.status, path)
			requireNoTrace(t, res.body, path, gretaTraces...)
		}

		// Her old links lead nowhere.
		for _, path := range []string{"/orders/" + paidToken, "/orders/" + paidToken + "/invoice"} {
			require.Equal(t, http.StatusNotFound, f.a.browser(t).send(t, http.MethodGet, path, nil).status, path)
		}
	})

	t.Run("OKInvoiceKeepsTheBuyer", func(t *testing.T) {
		res := owner.send(t, http.MethodGet, paidPath+"/invoice", nil)
		require.Equal(t, http.StatusOK, res.status)
		p := parsePage(t, res.body)
		require.Equal(t, "Greta Gundersen Geheimweg 7 10115 Berlin DE", webtest.Text(p.one("invoice-billing")))
		require.False(t, p.has("invoice-email"))
		requireNoTrace(t, res.body, "the invoice", "greta@example.com", "1234567")
	})

	t.Run("OKListsForgetHer", func(t *testing.T) {
		res := owner.send(t, http.MethodGet, "/admin/orders", nil)
		require.Equal(t, http.StatusOK, res.status)
		// The guest order placed before her account existed keeps its own details.
		requireNoTrace(t, strings.ReplaceAll(strings.ReplaceAll(res.body, "greta@example.com", ""), "Greta Guestorder", ""),
			"the order list", gretaTraces...)
		res = owner.send(t, http.MethodGet, "/admin/customers", nil)
		require.Equal(t, http.StatusOK, res.status)
		requireNoTrace(t, res.body, "the customer list", gretaTraces...)
		res = owner.send(t, http.MethodGet, "/admin/audit", nil)
		require.Equal(t, http.StatusOK, res.status)
		requireNoTrace(t, res.body, "the audit log", gretaTraces...)
		require.Contains(t, res.body, orders.RemovedText, "the note's entry stays, without the note")

		found := func(path, testID string) []string {
			var out []string
			for _, n := range parsePage(t, owner.send(t, http.MethodGet, path, nil).body).byTestID(testID) {
				out = append(out, webtest.Text(n))
			}
			return out
		}
		require.Equal(t, []string{"#" + strconv.FormatInt(guestNumber, 10)}, found("/admin/orders?q=greta", "order-link"),
			"a search by her address finds only the guest order")
		require.Empty(t, found("/admin/orders?q=Gundersen", "order-link"))
		require.Empty(t, found("/admin/orders?q=Geheimweg", "order-link"))
		require.Empty(t, found("/admin/customers?q=greta", "customer-row"))
		require.Equal(t, linksBefore, orderLinks(), "every order is still listed")
		require.Equal(t, salesBefore, salesNow(), "orders, lines, units and paid totals are what they were")
	})

	t.Run("OKEmailLogForgetsHer", func(t *testing.T) {
		res := owner.send(t, http.MethodGet, "/admin/emails", nil)
		require.Equal(t, http.StatusOK, res.status)
		p := parsePage(t, res.body)
		var to []string
		for _, n := range p.byTestID("email-to") {
			to = append(to, webtest.Text(n))
		}
		require.Contains(t, to, notify.RedactedRecipient, "her messages are listed, without her address")
		require.Equal(t, 1, strings.Count(strings.ToLower(res.body), "greta@example.com"), "only the guest order's confirmation, sent before the account existed")
		requireNoTrace(t, res.body, "the email log", "Gundersen", "Geheimweg", "1234567")

		var redacted int
		for _, link := range gretaEmails {
			res := owner.send(t, http.MethodGet, link, nil)
			require.Equal(t, http.StatusOK, res.status)
			p := parsePage(t, res.body)
			if webtest.Text(p.one("email-to")) == "greta@example.com" {
				require.True(t, p.has("email-text"), "the guest order's email is as it was")
				continue
			}
			redacted++
			require.Equal(t, notify.RedactedRecipient, webtest.Text(p.one("email-to")))
			require.True(t, p.has("email-redacted"))
			requireNoTrace(t, res.body, link, gretaTraces...)
			require.Equal(t, http.StatusNotFound, owner.send(t, http.MethodGet, link+"/html", nil).status)
		}
		require.Equal(t, 1, redacted)
	})

	t.Run("OKGuestOrderBeforeTheAccountStays", func(t *testing.T) {
		p := parsePage(t, owner.send(t, http.MethodGet, "/admin/orders/"+strconv.FormatInt(guestNumber, 10), nil).body)
		require.Equal(t, "greta@example.com", webtest.Text(p.one("customer-email")))
		require.Equal(t, http.StatusOK, f.a.browser(t).send(t, http.MethodGet, "/orders/"+guestToken, nil).status, "its link still works")
	})

	t.Run("OKInvoiceBuyerClearedAfterRetention", func(t *testing.T) {
		// The job ran when the shop started; a payment this year is kept.
		p := parsePage(t, owner.send(t, http.MethodGet, paidPath+"/invoice", nil).body)
		require.Contains(t, webtest.Text(p.one("invoice-billing")), "Greta Gundersen")

		// Paid eleven years ago: the period ended on the first of January.
		_, err := f.a.pool.Exec(ctx, `UPDATE orders.orders SET paid_at = now() - interval '11 years' WHERE number = $1`, paid)
		require.NoError(t, err)
		_, err = f.a.m.river.Insert(ctx, orders.ClearInvoiceBuyersArgs{}, nil)
		require.NoError(t, err)
		require.Eventually(t, func() bool {
			p := parsePage(t, owner.send(t, http.MethodGet, paidPath+"/invoice", nil).body)
			return webtest.Text(p.one("invoice-billing")) == orders.DeletedCustomer
		}, 10*time.Second, 50*time.Millisecond, "the daily job clears the buyer")
		res := owner.send(t, http.MethodGet, paidPath, nil)
		requireNoTrace(t, res.body, "the order page after the period", gretaTraces...)
		require.False(t, parsePage(t, res.body).has("invoice-kept-until"))
		require.Equal(t, paidTotal, webtest.Text(parsePage(t, res.body).one("total-grand")), "the sale itself stays")
	})

	t.Run("OKPrivacyPageSaysSo", func(t *testing.T) {
		f.customer(t, "ivo@example.com", "Ivo")
		p := parsePage(t, f.a.signIn(t, "ivo@example.com").send(t, http.MethodGet, "/account/privacy", nil).body)
		keeps := webtest.Text(p.one("delete-keeps"))
		require.Contains(t, keeps, strconv.Itoa(orders.InvoiceRetentionYears)+" years", "the period the shop really keeps invoices for")
		require.Contains(t, keeps, "name and billing address")
		require.Contains(t, keeps, "tax law")
	})
}
