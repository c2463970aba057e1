package ordersweb_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/web/webtest"
)

// TestStoreClock: a store in Paris (SHOP_TIME_ZONE) reads and types dates on its own
// clock. An order placed at 23:30 UTC on 1 March was placed on 2 March in Paris: its
// invoice says so, the list's "2 March" filter finds it, and the back office shows the
// time with its zone. A discount typed to start at 09:00 starts at 09:00 Paris time.
func TestStoreClock(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)

	t.Run("OKOrderDates", func(t *testing.T) {
		t.Parallel()
		e := adminSetupIn(t, paris)
		o := e.place(t, orderSpec{Key: "late", Email: "ada@example.com", Name: "Ada"})
		_, err := e.pool.Exec(e.ctx, `UPDATE orders.orders SET created_at = '2026-03-01 23:30:00+00' WHERE id = $1`, o.ID)
		require.NoError(t, err)

		p := e.open(t, orderPath(o)+"/invoice")
		require.Equal(t, "2 March 2026", p.text(t, "invoice-date"))

		for query, want := range map[string]bool{
			"from=2026-03-02&to=2026-03-02": true,
			"from=2026-03-01&to=2026-03-01": false,
		} {
			p := e.open(t, "/admin/orders?"+query)
			require.Equal(t, want, p.has("orders-table"), query)
		}
		p = e.open(t, orderPath(o))
		times := webtest.TextContents(webtest.All(p.root, func(n *html.Node) bool { return n.Data == "time" }))
		require.Contains(t, times, "2026-03-02 00:30:00 CET", "the order page's time, zone named")
	})

	t.Run("OKDiscountTypedOnTheStoreClock", func(t *testing.T) {
		t.Parallel()
		e := settingsSetupIn(t, "EUR", paris)
		p := e.open(t, "/admin/discounts/new")
		labels := webtest.TextContents(webtest.All(p.one(t, "field-starts_at"), func(n *html.Node) bool { return n.Data == "label" }))
		require.Equal(t, []string{"Starts (Europe/Paris)"}, labels)
		e.followed(t, settingsSubmit(t, e, p, "discount-form", url.Values{
			"code": {"summer"}, "kind": {"free_shipping"}, "starts_at": {"2026-07-01T09:00"}, "ends_at": {"2026-07-31T23:59"},
		}))
		codes, _, err := e.svc.ListDiscountCodes(e.ctx, 1)
		require.NoError(t, err)
		require.Len(t, codes, 1)
		require.Equal(t, time.Date(2026, 7, 1, 7, 0, 0, 0, time.UTC), codes[0].StartsAt.UTC(), "09:00 in Paris in summer is 07:00 UTC")

		row := settingsRow(t, e.open(t, "/admin/discounts"), "discount-row", "data-code", "SUMMER")
		require.Equal(t, "2026-07-01 09:00:00 CEST", settingsTextIn(t, row, "discount-starts"))
		edit := e.open(t, webtest.Attr(webtest.ByTestID(row, "discount-code")[0], "href"))
		require.Equal(t, "2026-07-01T09:00", settingsValue(t, edit, "discount-form", "starts_at"), "the form shows what was typed")
	})
}
