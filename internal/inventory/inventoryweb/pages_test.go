package inventoryweb_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/web/webtest"
)

func TestStockTransfer(t *testing.T) {
	t.Parallel()
	transfer := func(e *env, from, to int64, qty string) url.Values {
		return url.Values{"from": {strconv.FormatInt(from, 10)}, "to": {strconv.FormatInt(to, 10)}, "quantity": {qty}, "note": {"restock the shop"}}
	}

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		e.give(t, teeS, e.main, 10)
		p := parse(t, e.get(t, "/admin/inventory/variants/101").body)
		require.True(t, p.has("transfer-form"))

		res := e.post(t, "/admin/inventory/variants/101/transfer", transfer(e, e.main, e.store, "3"))
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		require.Equal(t, 7, e.onHand(t, teeS, e.main))
		require.Equal(t, 3, e.onHand(t, teeS, e.store))

		p = parse(t, e.get(t, "/admin/inventory/variants/101").body)
		require.Equal(t, "7", webtest.TextContent(webtest.ByTestID(p.levelRow(t, "Main warehouse"), "level-on-hand")[0]))
		require.Equal(t, "3", webtest.TextContent(webtest.ByTestID(p.levelRow(t, "City store"), "level-on-hand")[0]))
		require.Equal(t, "10", webtest.TextContent(p.one(t, "variant-on-hand")), "a transfer moves stock, it does not make any")
		reasons := webtest.TextContents(p.byTestID("movement-reason"))
		require.Contains(t, reasons, "Transfer in")
		require.Contains(t, reasons, "Transfer out")
	})

	t.Run("ErrMoreThanAvailable", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		e.give(t, teeS, e.main, 5)
		require.NoError(t, db.InTx(e.ctx, e.pool, func(tx pgx.Tx) error {
			return e.inv.ReserveTx(e.ctx, tx, "order:1", []inventory.Line{{VariantID: teeS, Quantity: 4}})
		}))
		res := e.post(t, "/admin/inventory/variants/101/transfer", transfer(e, e.main, e.store, "2"))
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		p := parse(t, res.body)
		require.Equal(t, "Only 1 available at that location.", webtest.TextContent(p.one(t, "field-error-quantity")), "what orders hold cannot move")
		require.Equal(t, 5, e.onHand(t, teeS, e.main))
		require.Equal(t, "2", webtest.Attr(webtest.All(p.one(t, "transfer-form"), func(n *htmlNodeT) bool { return webtest.Attr(n, "name") == "quantity" })[0], "value"),
			"what was typed is kept")
	})

	t.Run("ErrBadInput", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		e.give(t, teeS, e.main, 5)
		for _, tc := range []struct {
			name  string
			form  url.Values
			field string
		}{
			{"SameLocation", transfer(e, e.main, e.main, "1"), "to"},
			{"ZeroQuantity", transfer(e, e.main, e.store, "0"), "quantity"},
			{"NotANumber", transfer(e, e.main, e.store, "two"), "quantity"},
			{"UnknownLocation", transfer(e, e.main, 999999, "1"), "to"},
			{"NoStockThere", transfer(e, e.store, e.main, "1"), "from"},
		} {
			res := e.post(t, "/admin/inventory/variants/101/transfer", tc.form)
			require.Equal(t, http.StatusUnprocessableEntity, res.status, tc.name)
			require.True(t, parse(t, res.body).has("field-error-"+tc.field), "%s: %s", tc.name, res.body)
		}
		require.Equal(t, 5, e.onHand(t, teeS, e.main))
	})
}

func TestImportPage(t *testing.T) {
	t.Parallel()

	t.Run("OKDryRunThenApply", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		e.give(t, teeS, e.main, 5)
		file := "sku,location,on_hand\nTEE-S,Main warehouse,9\nTEE-M,City store,4\n"

		p := parse(t, e.get(t, "/admin/inventory/import").body)
		require.True(t, p.has("import-form"))

		res := e.upload(t, file, true)
		require.Equal(t, http.StatusOK, res.status)
		p = parse(t, res.body)
		require.True(t, p.has("import-dry-run-ok"))
		require.Equal(t, "2", webtest.TextContent(p.one(t, "import-changed")))
		require.Equal(t, []string{"5", "0"}, webtest.TextContents(p.byTestID("import-change-before")))
		require.Equal(t, []string{"9", "4"}, webtest.TextContents(p.byTestID("import-change-after")))
		require.Equal(t, 5, e.onHand(t, teeS, e.main), "a dry run writes nothing")

		res = e.upload(t, file, false)
		require.Equal(t, http.StatusOK, res.status)
		require.True(t, parse(t, res.body).has("import-applied"))
		require.Equal(t, 9, e.onHand(t, teeS, e.main))
		require.Equal(t, 4, e.onHand(t, teeM, e.store))
		require.Equal(t, 1, e.movements(t, teeS, "import"))
		require.Equal(t, 1, e.movements(t, teeM, "import"))
	})

	t.Run("ErrInvalidRowNothingWritten", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		e.give(t, teeS, e.main, 5)
		file := "sku,location,on_hand\nTEE-S,Main warehouse,9\nTEE-M,City store,four\nTEE-X,City store,1\n"
		res := e.upload(t, file, false)
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		p := parse(t, res.body)
		require.Contains(t, webtest.TextContent(p.one(t, "import-nothing-written")), "Nothing was written: 2 problems found")
		require.Equal(t, []string{"3", "4"}, webtest.TextContents(p.byTestID("import-error-line")))
		require.Equal(t, []string{"on_hand", "sku"}, webtest.TextContents(p.byTestID("import-error-column")))
		require.Equal(t, `"four" is not a whole number.`, webtest.TextContents(p.byTestID("import-error-message"))[0])
		require.Equal(t, 5, e.onHand(t, teeS, e.main), "line 2 was valid but nothing was written")
		require.Zero(t, e.movements(t, teeS, "import"))
	})

	t.Run("ErrNoFile", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		req, err := http.NewRequestWithContext(e.ctx, http.MethodPost, e.base+"/admin/inventory/import", nil)
		require.NoError(t, err)
		req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		require.Equal(t, http.StatusBadRequest, e.do(t, req).status, "a body that is not multipart")
		res := e.upload(t, "", false)
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		require.Contains(t, webtest.TextContent(parse(t, res.body).one(t, "import-error-message")), "empty")
	})
}

func TestLowStockPage(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.give(t, teeS, e.main, 2)  // low (threshold 5)
	e.give(t, teeM, e.main, 50) // fine
	e.give(t, mug, e.main, 0)   // out
	require.NoError(t, e.inv.SetPolicy(e.ctx, teeL, false, 3))

	p := parse(t, e.get(t, "/admin/inventory/low-stock").body)
	rows := p.byTestID("low-stock-row")
	var ids []string
	for _, r := range rows {
		ids = append(ids, webtest.Attr(r, "data-id"))
	}
	require.Equal(t, []string{"103", "201", "101"}, ids, "emptiest first; TEE-L has a policy but no stock at all")
	require.Equal(t, []string{"TEE-L", "MUG-1", "TEE-S"}, webtest.TextContents(p.byTestID("low-stock-sku")))
	require.Equal(t, []string{"Organic tee — L", "Enamel mug", "Organic tee — S"}, webtest.TextContents(p.byTestID("low-stock-name")))
	require.Equal(t, []string{"0", "0", "2"}, webtest.TextContents(p.byTestID("low-stock-available")))
	require.Equal(t, []string{"3", "5", "5"}, webtest.TextContents(p.byTestID("low-stock-threshold")))
	require.Equal(t, "/admin/inventory/variants/101", webtest.Attr(p.byTestID("low-stock-name")[2], "href"))

	t.Run("OKEmpty", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		require.True(t, parse(t, e.get(t, "/admin/inventory/low-stock").body).has("low-stock-empty"))
	})
}

func TestStockList(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.give(t, teeS, e.main, 8)
	e.give(t, teeS, e.store, 2)
	e.give(t, mug, e.store, 1)

	p := parse(t, e.get(t, "/admin/inventory").body)
	require.Equal(t, []string{"Main warehouse", "City store"}, webtest.TextContents(p.byTestID("stock-location-column")))
	rows := p.byTestID("stock-row")
	require.Len(t, rows, 2, "without a search: the variants with stock records")
	require.Equal(t, "TEE-S", webtest.TextContent(webtest.ByTestID(rows[0], "stock-sku")[0]))
	require.Equal(t, []string{"8", "2"}, webtest.TextContents(webtest.ByTestID(rows[0], "stock-on-hand")))
	require.Equal(t, "10", webtest.TextContent(webtest.ByTestID(rows[0], "stock-available")[0]))
	require.Equal(t, "in-stock", webtest.Attr(webtest.ByTestID(rows[0], "stock-state")[0].Parent, "data-stock"))
	require.Equal(t, "low", webtest.Attr(webtest.ByTestID(rows[1], "stock-state")[0].Parent, "data-stock"))

	t.Run("OKSearchBySKUFindsUnstockedToo", func(t *testing.T) {
		t.Parallel()
		p := parse(t, e.get(t, "/admin/inventory?q=tee-").body)
		require.Equal(t, []string{"TEE-S", "TEE-M", "TEE-L"}, webtest.TextContents(p.byTestID("stock-sku")))
		require.Equal(t, "untracked", webtest.Attr(webtest.ByTestID(p.byTestID("stock-row")[1], "stock-state")[0].Parent, "data-stock"))
		require.Equal(t, "3 variants matching “tee-”", webtest.TextContent(p.one(t, "stock-count")))
	})

	t.Run("OKSearchByTitle", func(t *testing.T) {
		t.Parallel()
		p := parse(t, e.get(t, "/admin/inventory?q="+url.QueryEscape("enamel")).body)
		require.Equal(t, []string{"MUG-1"}, webtest.TextContents(p.byTestID("stock-sku")))
		require.Equal(t, "/admin/inventory/variants/201", webtest.Attr(p.one(t, "stock-variant-link"), "href"))
	})

	t.Run("OKNoMatch", func(t *testing.T) {
		t.Parallel()
		p := parse(t, e.get(t, "/admin/inventory?q=zzz").body)
		require.False(t, p.has("stock-row"))
		require.Equal(t, "No variant matches “zzz”.", webtest.TextContent(p.one(t, "stock-count")))
	})
}

func TestLocations(t *testing.T) {
	t.Parallel()
	e := setup(t)

	res := e.post(t, "/admin/inventory/locations", url.Values{"name": {"Pop-up stand"}, "priority": {"20"}})
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	p := parse(t, e.get(t, "/admin/inventory/locations").body)
	require.Equal(t, []string{"Pop-up stand", "Main warehouse", "City store"}, webtest.TextContents(p.byTestID("location-name")), "highest priority first")

	res = e.post(t, "/admin/inventory/locations", url.Values{"name": {"Main warehouse"}, "priority": {"1"}})
	require.Equal(t, http.StatusConflict, res.status)
	p = parse(t, res.body)
	require.Equal(t, "Another location has this name.", webtest.TextContent(p.one(t, "field-error-name")))
	require.Equal(t, "Main warehouse", webtest.Attr(webtest.All(p.one(t, "location-form"), func(n *htmlNodeT) bool { return webtest.Attr(n, "name") == "name" })[0], "value"))

	for _, form := range []url.Values{{"name": {""}}, {"name": {"Shed"}, "priority": {"high"}}} {
		require.Equal(t, http.StatusUnprocessableEntity, e.post(t, "/admin/inventory/locations", form).status)
	}
	locs, err := e.inv.Locations(e.ctx)
	require.NoError(t, err)
	require.Len(t, locs, 3)
}

func TestPolicyUpdate(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.give(t, teeS, e.main, 1)

	res := e.post(t, "/admin/inventory/variants/101/policy", url.Values{"allow_backorder": {"1"}, "low_stock_threshold": {"2"}})
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	st, err := e.inv.Availability(e.ctx, []int64{teeS})
	require.NoError(t, err)
	require.True(t, st[teeS].AllowBackorder)
	require.Equal(t, 2, st[teeS].LowStockThreshold)

	// Orders now hold more than there is; backorders cannot be turned off under them.
	require.NoError(t, db.InTx(e.ctx, e.pool, func(tx pgx.Tx) error {
		return e.inv.ReserveTx(e.ctx, tx, "order:9", []inventory.Line{{VariantID: teeS, Quantity: 3}})
	}))
	res = e.post(t, "/admin/inventory/variants/101/policy", url.Values{"low_stock_threshold": {"2"}})
	require.Equal(t, http.StatusConflict, res.status)
	require.Contains(t, webtest.TextContent(parse(t, res.body).one(t, "form-error")), "restock before turning backorders off")

	res = e.post(t, "/admin/inventory/variants/101/policy", url.Values{"low_stock_threshold": {"-3"}})
	require.Equal(t, http.StatusUnprocessableEntity, res.status)
	require.True(t, parse(t, res.body).has("field-error-low_stock_threshold"))
}

func TestLocationEdit(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.give(t, teeS, e.store, 4)
	path := "/admin/inventory/locations/" + strconv.FormatInt(e.store, 10)

	list := parse(t, e.get(t, "/admin/inventory/locations").body)
	var links []string
	for _, a := range list.byTestID("location-link") {
		links = append(links, webtest.Attr(a, "href"))
	}
	require.Contains(t, links, path, "each location links to its page")

	p := parse(t, e.get(t, path).body)
	form := p.one(t, "location-edit-form")
	values := webtest.FormValues(t, form)
	require.Equal(t, "City store", values.Get("name"))
	require.Equal(t, "5", values.Get("priority"))
	require.NotEmpty(t, values.Get("active"), "an active location's box is ticked")

	// Switched off: the form without the box ticked.
	values.Del("active")
	values.Set("name", "City store (closed)")
	res := e.post(t, path, values)
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	st, err := e.inv.Availability(e.ctx, []int64{teeS})
	require.NoError(t, err)
	require.Zero(t, st[teeS].Available(), "its stock no longer counts")
	list = parse(t, e.get(t, "/admin/inventory/locations").body)
	require.Equal(t, []string{"Main warehouse", "City store (closed)"}, webtest.TextContents(list.byTestID("location-name")))
	require.Equal(t, []string{"Active", "Inactive"}, webtest.TextContents(list.byTestID("location-status")))
	require.Equal(t, 4, e.onHand(t, teeS, e.store), "the stock stays where it is")

	t.Run("ErrFieldsKeepWhatWasTyped", func(t *testing.T) {
		res := e.post(t, path, url.Values{"name": {"Main warehouse"}, "priority": {"3"}, "active": {"1"}})
		require.Equal(t, http.StatusConflict, res.status)
		p := parse(t, res.body)
		require.Equal(t, "Another location has this name.", webtest.TextContent(p.one(t, "field-error-name")))
		require.Equal(t, "Main warehouse", webtest.FormValues(t, p.one(t, "location-edit-form")).Get("name"))

		res = e.post(t, path, url.Values{"name": {"Shed"}, "priority": {"first"}})
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		p = parse(t, res.body)
		require.Equal(t, "Enter a whole number between -1000 and 1000.", webtest.TextContent(p.one(t, "field-error-priority")))
		require.Equal(t, "first", webtest.FormValues(t, p.one(t, "location-edit-form")).Get("priority"))

		loc, err := e.inv.Location(e.ctx, e.store)
		require.NoError(t, err)
		require.Equal(t, "City store (closed)", loc.Name, "refused forms change nothing")
		require.False(t, loc.Active)
	})

	t.Run("ErrUnknownOrReadOnly", func(t *testing.T) {
		require.Equal(t, http.StatusNotFound, e.get(t, "/admin/inventory/locations/999999").status)
		require.Equal(t, http.StatusNotFound, e.post(t, "/admin/inventory/locations/999999", url.Values{"name": {"X"}, "priority": {"1"}}).status)
		p := parse(t, e.get(t, path, readOnlyHeader, "1").body)
		require.False(t, p.has("location-edit-form"), "staff who may only view see no form")
	})
}
