package ordersweb_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/web/webtest"
)

func orderPath(o orders.Order) string { return "/admin/orders/" + strconv.FormatInt(o.Number, 10) }

func label(o orders.Order) string { return "#" + strconv.FormatInt(o.Number, 10) }

func lineField(prefix string, l orders.OrderLine) string {
	return prefix + strconv.FormatInt(l.ID, 10)
}

// addressLines are the lines of a rendered address, as printed on a label.
func addressLines(n *htmlNode) []string {
	return webtest.TextContents(webtest.All(n, func(c *htmlNode) bool { return c.Data == "span" }))
}

// rowNumbers are the order numbers the list shows, top to bottom.
func rowNumbers(p page) []string { return webtest.TextContents(p.byTestID("order-link")) }

func TestAdminOrderList(t *testing.T) {
	t.Parallel()
	e := adminSetup(t)
	ada := e.place(t, orderSpec{Key: "ada", Email: "ada@example.com", Name: "Ada Lovelace", Tees: 3, Mugs: 1})
	bob := e.place(t, orderSpec{Key: "bob", Email: "bob@example.org", Name: "Bob Stone", Tees: 1})
	cy := e.place(t, orderSpec{Key: "cy", Email: "cy@example.com", Name: "Cyrille Martin", Tees: 2})
	for i, o := range []orders.Order{ada, bob, cy} {
		_, err := e.pool.Exec(e.ctx, `UPDATE orders.orders SET created_at = $1 WHERE number = $2`,
			time.Date(2026, 3, i+1, 10, 0, 0, 0, time.UTC), o.Number)
		require.NoError(t, err)
	}
	e.paid(t, bob)

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		p := e.open(t, "/admin/orders")
		require.True(t, p.has("orders-table"))
		require.Equal(t, []string{label(cy), label(bob), label(ada)}, rowNumbers(p), "newest first")
		require.Equal(t, "3 orders", p.text(t, "order-count"))

		row := p.byTestID("order-row")[2]
		link := webtest.ByTestID(row, "order-link")[0]
		require.Equal(t, orderPath(ada), webtest.Attr(link, "href"))
		require.Equal(t, "ada@example.com", webtest.TextContent(webtest.ByTestID(row, "order-row-email")[0]))
		require.Equal(t, "Ada Lovelace", webtest.TextContent(webtest.ByTestID(row, "order-row-name")[0]))
		require.Equal(t, "Payment pending", webtest.TextContent(webtest.ByTestID(row, "order-row-payment")[0]))
		require.Equal(t, "Unfulfilled", webtest.TextContent(webtest.ByTestID(row, "order-row-fulfillment")[0]))
		require.Equal(t, "€77.00", webtest.TextContent(webtest.ByTestID(row, "order-row-total")[0]), "3 × €20 + €12 + €5 shipping")
		require.Contains(t, webtest.TextContent(row), "2026-03-01")
		require.Equal(t, "Paid", webtest.TextContent(webtest.ByTestID(p.byTestID("order-row")[1], "order-row-payment")[0]))

		tabs := map[string]string{}
		for _, tab := range p.byTestID("status-tab") {
			tabs[webtest.Attr(tab, "data-status")] = webtest.TextContent(tab)
		}
		require.Equal(t, "All (3)", tabs[""])
		require.Equal(t, "Open (3)", tabs[orders.StatusOpen])
		require.Equal(t, "Cancelled (0)", tabs[orders.StatusCancelled])
	})

	t.Run("OKFilters", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			query string
			want  []string
		}{
			{"payment=paid", []string{label(bob)}},
			{"payment=pending", []string{label(cy), label(ada)}},
			{"status=open&fulfillment=unfulfilled", []string{label(cy), label(bob), label(ada)}},
			{"fulfillment=fulfilled", nil},
			{"status=cancelled", nil},
			{"from=2026-03-02&to=2026-03-02", []string{label(bob)}},
			{"from=2026-03-02", []string{label(cy), label(bob)}},
			{"to=2026-03-01", []string{label(ada)}},
			{"q=" + url.QueryEscape(label(bob)), []string{label(bob)}},
			{"q=" + strconv.FormatInt(cy.Number, 10), []string{label(cy)}},
			{"q=ADA%40EXAMPLE.COM", []string{label(ada)}},
			{"q=example.com", []string{label(cy), label(ada)}},
			{"q=stone", []string{label(bob)}},
			{"q=STONE", []string{label(bob)}},
			// The end of Bob's email then the start of his name: no field holds it.
			{"q=org%0ABob", nil},
			{"q=nobody+at+all", nil},
			{"q=stone&payment=pending", nil},
		} {
			p := e.open(t, "/admin/orders?"+tc.query)
			if tc.want == nil {
				require.False(t, p.has("orders-table"), tc.query)
				require.True(t, p.has("orders-empty"), tc.query)
				require.Equal(t, "No order matches these filters.", p.text(t, "order-count"), tc.query)
				continue
			}
			require.Equal(t, tc.want, rowNumbers(p), tc.query)
		}
	})

	t.Run("OKFilterFormKeepsChoices", func(t *testing.T) {
		t.Parallel()
		p := e.open(t, "/admin/orders?payment=paid&q=stone&from=2026-03-01")
		form := p.one(t, "order-filters")
		require.Equal(t, "stone", webtest.Attr(webtest.Control(t, form, "q"), "value"))
		require.Equal(t, "2026-03-01", webtest.Attr(webtest.Control(t, form, "from"), "value"))
		selected := webtest.All(webtest.Control(t, form, "payment"), func(n *htmlNode) bool { return webtest.HasAttr(n, "selected") })
		require.Equal(t, []string{"Paid"}, webtest.TextContents(selected))
		for _, tab := range p.byTestID("status-tab") {
			require.Contains(t, webtest.Attr(tab, "href"), "payment=paid", "a tab keeps the other filters")
			require.Contains(t, webtest.Attr(tab, "href"), "q=stone")
		}
	})

	t.Run("OKUnknownFilterValuesIgnored", func(t *testing.T) {
		t.Parallel()
		p := e.open(t, "/admin/orders?status=shipped&payment=%27%3B+DROP&fulfillment=x&page=-3")
		require.Len(t, p.byTestID("order-row"), 3)
	})

	t.Run("ErrBadDate", func(t *testing.T) {
		t.Parallel()
		res := e.get(t, "/admin/orders?from=03%2F02%2F2026&payment=pending")
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		p := parse(t, res.body)
		require.Contains(t, p.text(t, "field-error-from"), "Enter a date like 2026-01-31")
		require.Equal(t, "03/02/2026", webtest.Attr(webtest.Control(t, p.one(t, "order-filters"), "from"), "value"), "what was typed is kept")
		require.Equal(t, []string{label(cy), label(ada)}, rowNumbers(p), "the other filters still apply")

		res = e.get(t, "/admin/orders?from=2026-03-03&to=2026-03-01")
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		require.Contains(t, parse(t, res.body).text(t, "field-error-to"), "before the start date")
	})
}

func TestAdminOrderListEmptyAndPages(t *testing.T) {
	t.Parallel()
	e := adminSetup(t)

	p := e.open(t, "/admin/orders")
	require.False(t, p.has("orders-table"))
	require.True(t, p.has("orders-empty"))
	require.Contains(t, p.text(t, "order-count"), "No orders yet")

	for i := range orders.DefaultPerPage + 1 {
		e.place(t, orderSpec{Key: fmt.Sprintf("k%d", i), Email: fmt.Sprintf("s%d@example.com", i), Name: "Shopper", Tees: 1})
	}
	p = e.open(t, "/admin/orders")
	require.Len(t, p.byTestID("order-row"), orders.DefaultPerPage)
	next := webtest.Attr(p.one(t, "pagination-next"), "href")
	require.Equal(t, "/admin/orders?page=2", next)
	p = e.open(t, next)
	require.Len(t, p.byTestID("order-row"), 1)
	require.Equal(t, "2", strings.TrimPrefix(p.text(t, "pagination-current"), "Page "))
}

func TestAdminOrderShow(t *testing.T) {
	t.Parallel()
	e := adminSetup(t)
	o := e.place(t, orderSpec{Key: "show", Email: "ada@example.com", Name: "Ada Lovelace", Tees: 3, Mugs: 1})
	lines := e.lines(t, o)

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		p := e.open(t, orderPath(o))
		require.Equal(t, "Order "+label(o), p.text(t, "order-number"))
		require.Equal(t, "Open", p.text(t, "order-status"))
		require.Equal(t, "Payment pending", p.text(t, "payment-status"))
		require.Equal(t, "Unfulfilled", p.text(t, "fulfillment-status"))

		rows := p.byTestID("order-line")
		require.Len(t, rows, 2)
		tee := rows[0]
		require.Equal(t, strconv.FormatInt(lines[0].ID, 10), webtest.Attr(tee, "data-line-id"))
		require.Equal(t, "TEE-M", webtest.TextContent(webtest.ByTestID(tee, "line-sku")[0]))
		require.Equal(t, "Blue tee", webtest.TextContent(webtest.ByTestID(tee, "line-name")[0]))
		require.Equal(t, "Size: M", webtest.TextContent(webtest.ByTestID(tee, "line-options")[0]))
		require.Equal(t, "3", webtest.TextContent(webtest.ByTestID(tee, "line-qty")[0]))
		require.Equal(t, "0", webtest.TextContent(webtest.ByTestID(tee, "line-fulfilled")[0]))
		require.Equal(t, "€20.00", webtest.TextContent(webtest.ByTestID(tee, "line-unit")[0]))
		require.Equal(t, "€60.00", webtest.TextContent(webtest.ByTestID(tee, "line-total")[0]))

		require.Equal(t, "€72.00", p.text(t, "total-subtotal"))
		require.Equal(t, "€5.00", p.text(t, "total-shipping"))
		require.Equal(t, "Colissimo", p.text(t, "total-shipping-method"))
		require.Equal(t, o.TaxTotal.String(), p.text(t, "total-tax"))
		require.Equal(t, "€77.00", p.text(t, "total-grand"))
		require.False(t, p.has("total-refunded"), "nothing refunded yet")

		require.Equal(t, "ada@example.com", p.text(t, "customer-email"))
		require.Equal(t, "Ada Lovelace", p.text(t, "customer-name"))
		require.Equal(t, []string{"Ada Lovelace", "1 rue de Rivoli", "75001 Paris", "FR"}, addressLines(p.one(t, "shipping-address")))
		require.Equal(t, []string{"Ada Lovelace", "9 quai Voltaire", "75007 Paris", "FR"}, addressLines(p.one(t, "billing-address")))

		require.Equal(t, "manual", p.text(t, "payment-provider"))
		require.Equal(t, "Payment pending", p.text(t, "payment-state"))
		require.Equal(t, "€77.00", p.text(t, "payment-amount"))
		require.True(t, p.has("no-fulfillments"))

		timeline := p.one(t, "order-timeline")
		require.Equal(t, []string{"Order placed"}, webtest.TextContents(webtest.ByTestID(timeline, "timeline-title")))
		require.Equal(t, []string{"€77.00"}, webtest.TextContents(webtest.ByTestID(timeline, "timeline-detail")))

		require.True(t, p.has("mark-paid-form"), "a manual payment still pending can be marked paid")
		require.True(t, p.has("cancel-form"))
		require.True(t, p.has("note-form"))
		require.False(t, p.has("refund-form"), "nothing was paid, so nothing can be refunded")
		require.False(t, p.has("capture-form"), "a manual payment has nothing to capture")
	})

	t.Run("OKPackingSlip", func(t *testing.T) {
		t.Parallel()
		res := e.get(t, orderPath(o)+"/packing-slip")
		require.Equal(t, http.StatusOK, res.status)
		p := parse(t, res.body)
		var sheets []string
		for _, l := range webtest.All(p.root, func(n *htmlNode) bool { return n.Data == "link" && webtest.Attr(n, "rel") == "stylesheet" }) {
			sheets = append(sheets, webtest.Attr(l, "href"))
			require.Equal(t, http.StatusOK, e.get(t, webtest.Attr(l, "href")).status, "the stylesheet is served")
		}
		require.Len(t, sheets, 2)
		require.Contains(t, sheets[1], "order-print", "the print stylesheet is linked")
		require.Equal(t, label(o), p.text(t, "slip-number"))
		require.Equal(t, []string{"Ada Lovelace", "1 rue de Rivoli", "75001 Paris", "FR"}, addressLines(p.one(t, "slip-address")))
		require.Equal(t, []string{"TEE-M", "MUG-1"}, webtest.TextContents(p.byTestID("slip-sku")))
		require.Equal(t, []string{"3", "1"}, webtest.TextContents(p.byTestID("slip-qty")))
		require.NotContains(t, webtest.TextContent(p.one(t, "packing-slip")), "€", "a packing slip shows no prices")
		require.Equal(t, orderPath(o), webtest.Attr(p.one(t, "print-back"), "href"))
	})

	t.Run("OKInvoice", func(t *testing.T) {
		t.Parallel()
		p := e.open(t, orderPath(o)+"/invoice")
		require.Equal(t, "Test Shop", p.text(t, "invoice-seller"), "no legal name yet: the store's name")
		require.Empty(t, p.byTestID("seller-address"))
		require.Empty(t, p.byTestID("seller-tax-id"))
		require.Empty(t, p.byTestID("invoice-note"))
		require.Equal(t, label(o), p.text(t, "invoice-order"))
		require.Empty(t, p.byTestID("invoice-number"), "unpaid: no invoice number yet")
		require.Contains(t, p.text(t, "invoice-pro-forma"), "Not a tax invoice")
		require.Equal(t, o.CreatedAt.UTC().Format("2 January 2006"), p.text(t, "invoice-date"))
		require.Equal(t, []string{"Ada Lovelace", "9 quai Voltaire", "75007 Paris", "FR"}, addressLines(p.one(t, "invoice-billing")))
		require.Equal(t, []string{"Blue tee (Size: M)", "Enamel mug"}, webtest.TextContents(p.byTestID("invoice-line-name")))
		require.Equal(t, []string{"20%", "20%"}, webtest.TextContents(p.byTestID("invoice-line-tax-rate")))
		require.Equal(t, []string{"€60.00", "€12.00"}, webtest.TextContents(p.byTestID("invoice-line-amount")))
		require.Equal(t, []string{"€10.00", "€2.00"}, webtest.TextContents(p.byTestID("invoice-line-tax")), "20 % contained in the price")
		require.Equal(t, []string{"Tax at 20% (included)", "Tax on shipping (included)"}, webtest.TextContents(p.byTestID("invoice-tax-label")))
		require.Equal(t, []string{"€12.00", "€0.83"}, webtest.TextContents(p.byTestID("invoice-tax-amount")))
		require.Equal(t, "€12.83", p.text(t, "invoice-tax"), "the rows add up to the total tax")
		require.Equal(t, "€77.00", p.text(t, "invoice-total"))
	})
}

func TestAdminInvoiceSeller(t *testing.T) {
	t.Parallel()
	e := adminSetup(t)
	o := e.place(t, orderSpec{Key: "seller", Email: "ada@example.com", Name: "Ada"})
	_, err := e.svc.SetSeller(e.ctx, audit.Actor{ID: 1, Email: "grace@shop.test"}, orders.Seller{
		Name: "Atelier Grace SAS", Address: "3 place Bellecour\n69002 Lyon\nFrance", TaxID: "FR40303265045",
		InvoiceNote: "RCS Lyon 303 265 045\nPayment due on receipt.",
	})
	require.NoError(t, err)
	p := e.open(t, orderPath(o)+"/invoice")
	require.Equal(t, "Atelier Grace SAS", p.text(t, "invoice-seller"), "an order placed before the details were set shows them too")
	require.Equal(t, []string{"3 place Bellecour", "69002 Lyon", "France"}, addressLines(p.one(t, "seller-address")))
	require.Equal(t, "FR40303265045", p.text(t, "seller-tax-id"))
	require.Equal(t, []string{"RCS Lyon 303 265 045", "Payment due on receipt."}, addressLines(p.one(t, "invoice-note")))
}

func TestAdminOrderNotFound(t *testing.T) {
	t.Parallel()
	e := adminSetup(t)
	o := e.place(t, orderSpec{Key: "nf", Email: "ada@example.com", Name: "Ada"})
	missing := strconv.FormatInt(o.Number+1000, 10)
	for _, path := range []string{"abc", "0", "-1", "1e3", "99999999999999999999", missing, missing + "/invoice", missing + "/packing-slip", "abc/invoice"} {
		require.Equal(t, http.StatusNotFound, e.get(t, "/admin/orders/"+path).status, path)
	}
	for _, action := range []string{"mark-paid", "capture", "fulfil", "cancel", "refund", "notes"} {
		for _, number := range []string{"abc", missing} {
			res := e.post(t, "/admin/orders/"+number+"/"+action, url.Values{"confirm": {"yes"}, "note": {"x"}, "amount": {"1.00"}, "idempotency_key": {"k"}})
			require.Equal(t, http.StatusNotFound, res.status, "%s %s: %s", action, number, res.body)
		}
	}
}

func TestAdminOrderMarkPaid(t *testing.T) {
	t.Parallel()
	e := adminSetup(t)
	o := e.place(t, orderSpec{Key: "mp", Email: "ada@example.com", Name: "Ada"})

	res := e.post(t, orderPath(o)+"/mark-paid", url.Values{})
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	require.Equal(t, orderPath(o), res.header.Get("Location"))
	require.Equal(t, "Order "+label(o)+" is marked as paid.", e.lastFlash(t))

	p := e.open(t, orderPath(o))
	require.Equal(t, "Paid", p.text(t, "payment-status"))
	require.Equal(t, "Paid", p.text(t, "payment-state"), "the payments module agrees")
	require.False(t, p.has("mark-paid-form"))
	require.Contains(t, webtest.TextContents(p.byTestID("timeline-title")), "Marked as paid")
	require.Contains(t, webtest.TextContents(p.byTestID("timeline-title")), "Payment received")
	// A paid order's invoice has its own number, the first of this shop, from the moment
	// it is opened (the invoicing job may not have run yet).
	require.Contains(t, []string{"Invoice", "Invoice INV-000001"}, p.text(t, "invoice-link"))
	inv := e.open(t, orderPath(o)+"/invoice")
	require.Equal(t, "INV-000001", inv.text(t, "invoice-number"))
	require.Equal(t, label(o), inv.text(t, "invoice-order"))
	require.Empty(t, inv.byTestID("invoice-pro-forma"))
	require.Equal(t, "Invoice INV-000001", e.open(t, orderPath(o)).text(t, "invoice-link"))
}

func TestAdminOrderCapture(t *testing.T) {
	t.Parallel()
	e := adminSetup(t)
	o := e.place(t, orderSpec{Key: "cap", Email: "ada@example.com", Name: "Ada", Provider: payments.ProviderTest})
	e.authorized(t, o)

	p := e.open(t, orderPath(o))
	require.Equal(t, "Authorized", p.text(t, "payment-status"))
	require.True(t, p.has("capture-form"), "an authorized card payment can be captured")
	require.False(t, p.has("mark-paid-form"), "only manual payments are marked paid by hand")

	res := e.post(t, orderPath(o)+"/capture", url.Values{})
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	require.Equal(t, orderPath(o), res.header.Get("Location"))
	require.Equal(t, "The payment of order "+label(o)+" is captured.", e.lastFlash(t))

	p = e.open(t, orderPath(o))
	require.Equal(t, "Paid", p.text(t, "payment-status"))
	require.Equal(t, "Paid", p.text(t, "payment-state"), "the payments module agrees")
	require.False(t, p.has("capture-form"), "nothing left to capture")
	require.Contains(t, webtest.TextContents(p.byTestID("timeline-title")), "Payment received")
	require.Equal(t, orders.PaymentPaid, e.order(t, o.Number).PaymentStatus)
}

func TestAdminOrderFulfil(t *testing.T) {
	t.Parallel()

	t.Run("OKSameFormSentTwiceShipsOnce", func(t *testing.T) {
		t.Parallel()
		e := adminSetup(t)
		o := e.place(t, orderSpec{Key: "ful-twice", Email: "ada@example.com", Name: "Ada", Tees: 3, Mugs: 1})
		e.paid(t, o)
		lines := e.lines(t, o)
		tee, mug := lineField("qty_", lines[0]), lineField("qty_", lines[1])
		form := e.open(t, orderPath(o)).formValues(t, "fulfil-form")
		require.NotEmpty(t, form.Get("idempotency_key"))
		form.Set(tee, "1")
		form.Set(mug, "0")

		// A double click and an impatient reload: four submissions of one form, three at once.
		var wg sync.WaitGroup
		statuses := make([]int, 3)
		for i := range statuses {
			wg.Go(func() { statuses[i] = e.post(t, orderPath(o)+"/fulfil", form).status })
		}
		wg.Wait()
		require.Equal(t, []int{http.StatusSeeOther, http.StatusSeeOther, http.StatusSeeOther}, statuses)
		require.Equal(t, http.StatusSeeOther, e.post(t, orderPath(o)+"/fulfil", form).status)

		p := e.open(t, orderPath(o))
		require.Equal(t, []string{"1", "0"}, webtest.TextContents(p.byTestID("line-fulfilled")), "one shipment of one tee")
		require.Len(t, p.byTestID("fulfillment"), 1)
		require.Equal(t, "2", p.formValues(t, "fulfil-form").Get(tee), "two tees are still to ship")
	})

	t.Run("OKPartialThenRest", func(t *testing.T) {
		t.Parallel()
		e := adminSetup(t)
		o := e.place(t, orderSpec{Key: "ful", Email: "ada@example.com", Name: "Ada", Tees: 3, Mugs: 1})
		e.paid(t, o)
		lines := e.lines(t, o)
		tee, mug := lineField("qty_", lines[0]), lineField("qty_", lines[1])

		p := e.open(t, orderPath(o))
		form := p.formValues(t, "fulfil-form")
		require.Equal(t, "3", form.Get(tee), "each line defaults to what is left to ship")
		require.Equal(t, "1", form.Get(mug))

		form.Set(tee, "2")
		form.Set(mug, "0")
		form.Set("carrier", "La Poste")
		form.Set("tracking_number", "LP123456FR")
		form.Set("tracking_url", "https://track.example/LP123456FR")
		res := e.post(t, orderPath(o)+"/fulfil", form)
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		require.Equal(t, orderPath(o), res.header.Get("Location"))
		require.Equal(t, "Shipped 2 units of order "+label(o)+".", e.lastFlash(t))

		p = e.open(t, orderPath(o))
		require.Equal(t, "Partially fulfilled", p.text(t, "fulfillment-status"))
		require.Equal(t, []string{"2", "0"}, webtest.TextContents(p.byTestID("line-fulfilled")))
		shipment := p.one(t, "fulfillment")
		require.Equal(t, "La Poste", webtest.TextContent(webtest.ByTestID(shipment, "fulfillment-carrier")[0]))
		tracking := webtest.ByTestID(shipment, "fulfillment-tracking")[0]
		require.Equal(t, "LP123456FR", webtest.TextContent(tracking))
		require.Equal(t, "https://track.example/LP123456FR", webtest.Attr(tracking, "href"))
		require.Equal(t, []string{"2 × Blue tee (Size: M) · TEE-M"}, webtest.TextContents(webtest.ByTestID(shipment, "fulfillment-item")))
		require.Equal(t, "Shipped", webtest.TextContent(webtest.ByTestID(p.one(t, "order-timeline"), "timeline-title")[0]), "newest first")

		rest := p.formValues(t, "fulfil-form")
		require.Equal(t, "1", rest.Get(tee), "what is left of the tee")
		require.Equal(t, "1", rest.Get(mug))
		res = e.post(t, orderPath(o)+"/fulfil", rest)
		require.Equal(t, http.StatusSeeOther, res.status, res.body)

		p = e.open(t, orderPath(o))
		require.Equal(t, "Fulfilled", p.text(t, "fulfillment-status"))
		require.Equal(t, []string{"3", "1"}, webtest.TextContents(p.byTestID("line-fulfilled")))
		require.Len(t, p.byTestID("fulfillment"), 2)
		require.False(t, p.has("fulfil-form"), "nothing is left to ship")
		shipped := 0
		for _, title := range webtest.TextContents(p.byTestID("timeline-title")) {
			if title == "Shipped" {
				shipped++
			}
		}
		require.Equal(t, 2, shipped)
	})

	t.Run("ErrAboveRemaining", func(t *testing.T) {
		t.Parallel()
		e := adminSetup(t)
		o := e.place(t, orderSpec{Key: "ful-err", Email: "ada@example.com", Name: "Ada", Tees: 3, Mugs: 1})
		e.paid(t, o)
		lines := e.lines(t, o)
		tee := lineField("qty_", lines[0])

		form := e.open(t, orderPath(o)).formValues(t, "fulfil-form")
		form.Set(tee, "4")
		form.Set("carrier", "La Poste")
		res := e.post(t, orderPath(o)+"/fulfil", form)
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		p := parse(t, res.body)
		require.Equal(t, "Only 3 left to ship.", p.text(t, "field-error-"+tee))
		kept := p.formValues(t, "fulfil-form")
		require.Equal(t, "4", kept.Get(tee), "what was typed is kept")
		require.Equal(t, "La Poste", kept.Get("carrier"))
		require.Equal(t, "Unfulfilled", p.text(t, "fulfillment-status"))

		for _, l := range e.lines(t, o) {
			require.Zero(t, l.FulfilledQuantity, "nothing shipped")
		}
		shipments, err := e.svc.Fulfillments(e.ctx, o.ID)
		require.NoError(t, err)
		require.Empty(t, shipments)
	})

	t.Run("ErrTrackingLink", func(t *testing.T) {
		t.Parallel()
		e := adminSetup(t)
		o := e.place(t, orderSpec{Key: "ful-url", Email: "ada@example.com", Name: "Ada", Tees: 2})
		e.paid(t, o)
		form := e.open(t, orderPath(o)).formValues(t, "fulfil-form")
		form.Set("tracking_number", "LP1")
		form.Set("tracking_url", "javascript:alert(1)")
		res := e.post(t, orderPath(o)+"/fulfil", form)
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		p := parse(t, res.body)
		require.Equal(t, "Enter a web address starting with https:// (or http://).", p.text(t, "field-error-tracking_url"))
		require.Equal(t, "javascript:alert(1)", p.formValues(t, "fulfil-form").Get("tracking_url"), "what was typed is kept")
		require.Equal(t, "LP1", p.formValues(t, "fulfil-form").Get("tracking_number"))
		require.Equal(t, orders.FulfillmentUnfulfilled, e.order(t, o.Number).FulfillmentStatus)
	})

	t.Run("ErrNothingToShip", func(t *testing.T) {
		t.Parallel()
		e := adminSetup(t)
		o := e.place(t, orderSpec{Key: "ful-zero", Email: "ada@example.com", Name: "Ada", Tees: 2})
		e.paid(t, o)
		form := e.open(t, orderPath(o)).formValues(t, "fulfil-form")
		form.Set(lineField("qty_", e.lines(t, o)[0]), "0")
		res := e.post(t, orderPath(o)+"/fulfil", form)
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		require.Contains(t, parse(t, res.body).text(t, "form-error"), "at least one item")
		require.Equal(t, orders.FulfillmentUnfulfilled, e.order(t, o.Number).FulfillmentStatus, "zeros never mean everything")

		form.Set(lineField("qty_", e.lines(t, o)[0]), "two")
		res = e.post(t, orderPath(o)+"/fulfil", form)
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		require.True(t, parse(t, res.body).has("field-error-"+lineField("qty_", e.lines(t, o)[0])))
	})
}

func TestAdminOrderRefund(t *testing.T) {
	t.Parallel()

	t.Run("OKPartialOnceWhenResubmitted", func(t *testing.T) {
		t.Parallel()
		e := adminSetup(t)
		o := e.place(t, orderSpec{Key: "ref", Email: "ada@example.com", Name: "Ada", Tees: 3, Mugs: 1})
		e.paid(t, o)

		p := e.open(t, orderPath(o))
		form := p.formValues(t, "refund-form")
		require.Equal(t, "77.00", form.Get("amount"), "the whole refundable amount by default")
		require.NotEmpty(t, form.Get("idempotency_key"))
		form.Set("amount", "10.50")
		form.Set("reason", "Scratched mug")

		for range 2 {
			res := e.post(t, orderPath(o)+"/refund", form)
			require.Equal(t, http.StatusSeeOther, res.status, res.body)
			require.Equal(t, orderPath(o), res.header.Get("Location"))
		}
		require.Equal(t, "Refunded €10.50 on order "+label(o)+".", e.lastFlash(t))
		require.EqualValues(t, 1050, e.order(t, o.Number).RefundedTotal.Minor, "the same form refunds once")
		refunds, err := e.pay.Refunds(e.ctx, payments.PaymentID(o.PaymentID))
		require.NoError(t, err)
		require.Len(t, refunds, 1)

		p = e.open(t, orderPath(o))
		require.Equal(t, "€10.50", p.text(t, "total-refunded"))
		require.Equal(t, "Partially refunded", p.text(t, "payment-status"))
		require.Equal(t, []string{"€10.50"}, webtest.TextContents(p.byTestID("refund-amount")))
		latest := p.byTestID("timeline-entry")[0]
		require.Equal(t, "Refund issued", webtest.TextContent(webtest.ByTestID(latest, "timeline-title")[0]), "newest first")
		require.Equal(t, "€10.50 · Scratched mug", webtest.TextContent(webtest.ByTestID(latest, "timeline-detail")[0]))
		require.Equal(t, staffActor.Email, webtest.TextContent(webtest.ByTestID(latest, "timeline-actor")[0]))
		require.Contains(t, webtest.TextContents(p.byTestID("timeline-title")), "Refunded", "the provider's confirmation is there too")

		again := p.formValues(t, "refund-form")
		require.Equal(t, "66.50", again.Get("amount"), "what is left to refund")
		require.NotEqual(t, form.Get("idempotency_key"), again.Get("idempotency_key"), "a new page is a new refund")
	})

	t.Run("ErrAboveRefundable", func(t *testing.T) {
		t.Parallel()
		e := adminSetup(t)
		o := e.place(t, orderSpec{Key: "ref-over", Email: "ada@example.com", Name: "Ada", Tees: 3, Mugs: 1})
		e.paid(t, o)
		form := e.open(t, orderPath(o)).formValues(t, "refund-form")
		form.Set("amount", "77.01")
		form.Set("reason", "Goodwill")
		res := e.post(t, orderPath(o)+"/refund", form)
		require.Contains(t, []int{http.StatusUnprocessableEntity, http.StatusConflict}, res.status, res.body)
		p := parse(t, res.body)
		require.True(t, p.has("field-error-amount"), "the message is on the amount")
		kept := p.formValues(t, "refund-form")
		require.Equal(t, "77.01", kept.Get("amount"), "what was typed is kept")
		require.Equal(t, "Goodwill", kept.Get("reason"))
		require.Zero(t, e.order(t, o.Number).RefundedTotal.Minor, "nothing refunded")
	})

	t.Run("OKRestock", func(t *testing.T) {
		t.Parallel()
		e := adminSetup(t)
		o := e.place(t, orderSpec{Key: "ref-restock", Email: "ada@example.com", Name: "Ada", Tees: 3, Mugs: 1})
		e.paid(t, o)
		mug := e.lines(t, o)[1]
		form := e.open(t, orderPath(o)).formValues(t, "refund-form")
		require.Equal(t, "0", form.Get(orders.RestockField(mug.ID)), "nothing goes back into stock unless asked")

		form.Set("amount", "12.00")
		form.Set(orders.RestockField(mug.ID), "2")
		res := e.post(t, orderPath(o)+"/refund", form)
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		p := parse(t, res.body)
		require.Equal(t, "At most 1 can go back into stock.", p.text(t, "field-error-"+orders.RestockField(mug.ID)))
		require.Zero(t, e.order(t, o.Number).RefundedTotal.Minor, "nothing refunded")

		form = p.formValues(t, "refund-form")
		form.Set(orders.RestockField(mug.ID), "1")
		res = e.post(t, orderPath(o)+"/refund", form)
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		p = e.open(t, orderPath(o))
		require.Equal(t, "1 restocked", webtest.TextContent(webtest.ByTestID(p.byTestID("order-line")[1], "line-restocked")[0]))
		require.EqualValues(t, 1200, e.order(t, o.Number).RefundedTotal.Minor)
		require.Contains(t, webtest.TextContents(p.byTestID("timeline-title")), "Put back into stock")
	})

	t.Run("ErrAmountFormat", func(t *testing.T) {
		t.Parallel()
		e := adminSetup(t)
		o := e.place(t, orderSpec{Key: "ref-fmt", Email: "ada@example.com", Name: "Ada"})
		e.paid(t, o)
		form := e.open(t, orderPath(o)).formValues(t, "refund-form")
		for amount, want := range map[string]string{
			"12,50":  "Use a point for decimals and no thousands separator, for example 12.50.",
			"12.505": "Use at most 2 decimals.",
			"€12":    "Enter an amount as a number, for example 12.50.",
			"0":      "Enter an amount above zero.",
			"-5.00":  "Enter an amount above zero.",
			"":       "Enter an amount.",
		} {
			form.Set("amount", amount)
			res := e.post(t, orderPath(o)+"/refund", form)
			require.Equal(t, http.StatusUnprocessableEntity, res.status, amount)
			require.Equal(t, want, parse(t, res.body).text(t, "field-error-amount"), amount)
		}
		require.Zero(t, e.order(t, o.Number).RefundedTotal.Minor)
	})

	t.Run("ErrHiddenWithoutPermission", func(t *testing.T) {
		t.Parallel()
		e := adminSetup(t)
		o := e.place(t, orderSpec{Key: "ref-perm", Email: "ada@example.com", Name: "Ada"})
		e.paid(t, o)
		p := e.open(t, orderPath(o), permsHeader, "orders.view,orders.edit")
		require.False(t, p.has("refund-form"), "no orders.refund, no refund form")
		require.True(t, p.has("fulfil-form"), "orders.edit still ships")
		require.True(t, p.has("note-form"))

		p = e.open(t, orderPath(o), permsHeader, "orders.view")
		for _, form := range []string{"refund-form", "fulfil-form", "cancel-form", "note-form", "mark-paid-form"} {
			require.False(t, p.has(form), "a viewer sees no %s", form)
		}
		require.True(t, p.has("order-timeline"), "but reads the whole order")

		require.True(t, e.open(t, orderPath(o)).has("refund-form"), "an order manager may refund")
	})
}

func TestAdminOrderCancel(t *testing.T) {
	t.Parallel()
	e := adminSetup(t)
	o := e.place(t, orderSpec{Key: "cancel", Email: "ada@example.com", Name: "Ada"})

	form := e.open(t, orderPath(o)).formValues(t, "cancel-form")
	require.Empty(t, form.Get("confirm"), "the confirmation starts unticked")
	form.Set("reason", "Customer asked")
	res := e.post(t, orderPath(o)+"/cancel", form)
	require.Equal(t, http.StatusUnprocessableEntity, res.status)
	p := parse(t, res.body)
	require.Equal(t, "Tick the box to confirm that the order is to be cancelled.", p.text(t, "field-error-confirm"))
	require.Equal(t, "Customer asked", p.formValues(t, "cancel-form").Get("reason"), "the reason is kept")
	require.Equal(t, orders.StatusOpen, e.order(t, o.Number).Status)

	form.Set("confirm", "yes")
	res = e.post(t, orderPath(o)+"/cancel", form)
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	require.Equal(t, "Order "+label(o)+" is cancelled.", e.lastFlash(t))

	p = e.open(t, orderPath(o))
	require.Equal(t, "Cancelled", p.text(t, "order-status"))
	require.Equal(t, "Customer asked", p.text(t, "cancel-reason"))
	require.False(t, p.has("cancel-form"))
	require.False(t, p.has("mark-paid-form"), "a cancelled order is not marked paid")
	require.Equal(t, "Order cancelled", webtest.TextContent(webtest.ByTestID(p.one(t, "order-timeline"), "timeline-title")[0]))

	res = e.post(t, orderPath(o)+"/cancel", form)
	require.Contains(t, []int{http.StatusConflict, http.StatusUnprocessableEntity}, res.status, "cancelling twice is refused: %s", res.body)
	require.True(t, parse(t, res.body).has("action-error"), "the refusal is said though the form is gone")
}

func TestAdminOrderNote(t *testing.T) {
	t.Parallel()
	e := adminSetup(t)
	o := e.place(t, orderSpec{Key: "note", Email: "ada@example.com", Name: "Ada"})

	res := e.post(t, orderPath(o)+"/notes", url.Values{"note": {"   "}})
	require.Equal(t, http.StatusUnprocessableEntity, res.status)
	require.Equal(t, "Write the note first.", parse(t, res.body).text(t, "field-error-note"))

	res = e.post(t, orderPath(o)+"/notes", url.Values{"note": {"Customer called: leave the parcel next door."}})
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	require.Equal(t, "Note added.", e.lastFlash(t))

	p := e.open(t, orderPath(o))
	entry := p.byTestID("timeline-entry")[0]
	require.Equal(t, orders.EventNote, webtest.Attr(entry, "data-type"))
	require.Equal(t, "Customer called: leave the parcel next door.", webtest.TextContent(webtest.ByTestID(entry, "timeline-detail")[0]))
	require.Contains(t, webtest.TextContent(webtest.ByTestID(entry, "timeline-actor")[0]), staffActor.Email, "the timeline names who wrote it")
}
