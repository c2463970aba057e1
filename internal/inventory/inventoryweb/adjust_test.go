package inventoryweb_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/web/webtest"
)

// adjustForm is what a staff member's browser holds of one level's adjust form: the
// hidden fields as the page rendered them.
func adjustFormOf(t *testing.T, p page, location string) url.Values {
	t.Helper()
	row := p.levelRow(t, location)
	expected := webtest.ByTestID(row, "adjust-expected")
	require.Len(t, expected, 1)
	return url.Values{"location_id": {webtest.Attr(row, "data-location-id")}, "expected_on_hand": {webtest.Attr(expected[0], "value")}}
}

func TestLevelAdjust(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		e.give(t, teeS, e.main, 10)
		p := parse(t, e.get(t, "/admin/inventory/variants/101").body)
		require.Equal(t, "Organic tee — S", webtest.TextContent(p.one(t, "variant-name")))
		require.Equal(t, "10", webtest.TextContent(webtest.ByTestID(p.levelRow(t, "Main warehouse"), "level-on-hand")[0]))
		form := adjustFormOf(t, p, "Main warehouse")
		require.Equal(t, "10", form.Get("expected_on_hand"))

		form.Set("on_hand", "12")
		form.Set("reason", "Stock count")
		res := e.post(t, "/admin/inventory/variants/101/adjust", form)
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		require.Equal(t, "/admin/inventory/variants/101", res.header.Get("Location"))
		require.Equal(t, 12, e.onHand(t, teeS, e.main))

		p = parse(t, e.get(t, "/admin/inventory/variants/101").body)
		rows := p.byTestID("movement-row")
		require.Len(t, rows, 2, "the delivery and the adjustment")
		require.Equal(t, "Adjusted", webtest.TextContent(webtest.ByTestID(rows[0], "movement-reason")[0]))
		require.Equal(t, "+2", webtest.TextContent(webtest.ByTestID(rows[0], "movement-on-hand")[0]))
		require.Equal(t, "Stock count", webtest.TextContent(webtest.ByTestID(rows[0], "movement-note")[0]))
	})

	t.Run("OKFirstStockAtAnEmptyLocation", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		p := parse(t, e.get(t, "/admin/inventory/variants/201").body)
		require.Equal(t, "untracked", webtest.Attr(p.one(t, "variant-state").Parent, "data-stock"))
		form := adjustFormOf(t, p, "City store")
		require.Equal(t, "0", form.Get("expected_on_hand"), "a location without stock shows and expects 0")
		form.Set("on_hand", "4")
		form.Set("reason", "First delivery")
		require.Equal(t, http.StatusSeeOther, e.post(t, "/admin/inventory/variants/201/adjust", form).status)
		require.Equal(t, 4, e.onHand(t, mug, e.store))
	})

	// Done means 2 of the issue: two staff members edit the same level; the second one's
	// change, based on what they saw before the first saved, is refused with a clear
	// message, and nothing of it is written.
	t.Run("ErrStaleRefusedNothingOverwritten", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		e.give(t, teeM, e.main, 10)
		alice := adjustFormOf(t, parse(t, e.get(t, "/admin/inventory/variants/102").body), "Main warehouse")
		bob := adjustFormOf(t, parse(t, e.get(t, "/admin/inventory/variants/102").body), "Main warehouse")

		alice.Set("on_hand", "8")
		alice.Set("reason", "Two damaged")
		require.Equal(t, http.StatusSeeOther, e.post(t, "/admin/inventory/variants/102/adjust", alice).status)

		bob.Set("on_hand", "15")
		bob.Set("reason", "Delivery of five")
		res := e.post(t, "/admin/inventory/variants/102/adjust", bob)
		require.Equal(t, http.StatusConflict, res.status)
		p := parse(t, res.body)
		notice := webtest.TextContent(p.one(t, "stale-notice"))
		require.Contains(t, notice, "changed since you opened it")
		require.Contains(t, notice, "Nothing was saved")
		require.Contains(t, notice, "It now shows 8 on hand")

		require.Equal(t, 8, e.onHand(t, teeM, e.main), "Alice's count stands; Bob's change was not applied")
		require.Equal(t, 2, e.movements(t, teeM, "adjust"), "the delivery and Alice's adjustment; nothing of Bob's")

		// Bob's page now expects the current quantity and keeps what he typed, so saving
		// again is a decision made knowing Alice's change.
		again := adjustFormOf(t, p, "Main warehouse")
		require.Equal(t, "8", again.Get("expected_on_hand"))
		row := p.levelRow(t, "Main warehouse")
		typed := webtest.All(row, func(n *html.Node) bool { return webtest.Attr(n, "name") == "on_hand" })
		require.Equal(t, "15", webtest.Attr(typed[0], "value"))
		again.Set("on_hand", "13")
		again.Set("reason", "Delivery of five")
		require.Equal(t, http.StatusSeeOther, e.post(t, "/admin/inventory/variants/102/adjust", again).status)
		require.Equal(t, 13, e.onHand(t, teeM, e.main))
	})

	t.Run("ErrStaleAfterAnOrderReserved", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		e.give(t, teeL, e.main, 5)
		form := adjustFormOf(t, parse(t, e.get(t, "/admin/inventory/variants/103").body), "Main warehouse")
		// Meanwhile someone else adjusted through the service directly.
		require.NoError(t, e.inv.Adjust(e.ctx, audit.Actor{ID: 8}, teeL, e.main, 5, 6, "found one"))
		form.Set("on_hand", "4")
		form.Set("reason", "recount")
		require.Equal(t, http.StatusConflict, e.post(t, "/admin/inventory/variants/103/adjust", form).status)
		require.Equal(t, 6, e.onHand(t, teeL, e.main))
	})

	t.Run("ErrMissingExpectedIsStale", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		e.give(t, teeS, e.main, 3)
		res := e.post(t, "/admin/inventory/variants/101/adjust", url.Values{
			"location_id": {strconv.FormatInt(e.main, 10)}, "on_hand": {"0"}, "reason": {"forged"}})
		require.Equal(t, http.StatusConflict, res.status, "a form that does not say what it saw cannot overwrite anything")
		require.Equal(t, 3, e.onHand(t, teeS, e.main))
	})

	t.Run("ErrBadInput", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		e.give(t, teeS, e.main, 3)
		base := adjustFormOf(t, parse(t, e.get(t, "/admin/inventory/variants/101").body), "Main warehouse")
		for _, tc := range []struct {
			name, onHand, reason, field string
		}{
			{"NotANumber", "lots", "count", "on_hand"},
			{"Negative", "-1", "count", "on_hand"},
			{"Huge", "1000000000000", "count", "on_hand"},
			{"NoReason", "4", "  ", "reason"},
		} {
			form := url.Values{}
			for k, v := range base {
				form[k] = v
			}
			form.Set("on_hand", tc.onHand)
			form.Set("reason", tc.reason)
			res := e.post(t, "/admin/inventory/variants/101/adjust", form)
			require.Equal(t, http.StatusUnprocessableEntity, res.status, tc.name)
			p := parse(t, res.body)
			require.True(t, p.has("field-error-"+tc.field), tc.name)
		}
		require.Equal(t, 3, e.onHand(t, teeS, e.main))
		require.Equal(t, 1, e.movements(t, teeS, "adjust"), "only the delivery")

		res := e.post(t, "/admin/inventory/variants/101/adjust", url.Values{"location_id": {"999999"}, "expected_on_hand": {"3"}, "on_hand": {"1"}, "reason": {"x"}})
		require.Equal(t, http.StatusBadRequest, res.status, "a location that does not exist")
	})

	t.Run("ErrUnknownVariant", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		require.Equal(t, http.StatusNotFound, e.get(t, "/admin/inventory/variants/999").status)
		require.Equal(t, http.StatusNotFound, e.get(t, "/admin/inventory/variants/x").status)
		res := e.post(t, "/admin/inventory/variants/999/adjust", url.Values{"location_id": {strconv.FormatInt(e.main, 10)},
			"expected_on_hand": {"0"}, "on_hand": {"5"}, "reason": {"x"}})
		require.Equal(t, http.StatusNotFound, res.status)
		st, err := e.inv.Availability(e.ctx, []int64{999})
		require.NoError(t, err)
		require.False(t, st[999].Tracked, "no stock record is made up for a variant the catalog does not know")
	})

	t.Run("OKReadOnlyHasNoForms", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		e.give(t, teeS, e.main, 3)
		p := parse(t, e.get(t, "/admin/inventory/variants/101", readOnlyHeader, "1").body)
		require.False(t, p.has("adjust-form"))
		require.False(t, p.has("transfer-form"))
		require.False(t, p.has("policy-submit"))
	})
}
