package ordersweb_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/web/webtest"
)

func TestAdminTaxMode(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		p := e.open(t, "/admin/settings")
		require.True(t, webtest.HasAttr(p.one(t, "tax-mode-include"), "checked"), "a new shop's prices include tax")

		to, msg := e.followed(t, settingsSubmit(t, e, p, "tax-mode-form", url.Values{"tax_mode": {"exclude"}}))
		require.Equal(t, "/admin/settings", to)
		require.Equal(t, "Tax is now added to catalog prices at checkout.", msg)
		p = e.open(t, "/admin/settings")
		require.True(t, webtest.HasAttr(p.one(t, "tax-mode-exclude"), "checked"))
		require.False(t, webtest.HasAttr(p.one(t, "tax-mode-include"), "checked"))
		require.Equal(t, orders.PricesExcludeTax, e.priced(t).Mode, "checkout prices with the new mode")
		require.Equal(t, 1, e.auditCount(t, "settings.tax_mode"))
	})

	t.Run("ErrNoChoice", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		p := e.refused(t, "/admin/settings/tax-mode", url.Values{"tax_mode": {"sometimes"}})
		require.Equal(t, "Choose whether catalog prices include tax.", settingsFieldError(t, p, "tax_mode"))
		require.Equal(t, orders.PricesIncludeTax, e.priced(t).Mode)
	})
}

func TestAdminShippingZones(t *testing.T) {
	t.Parallel()

	t.Run("OKCreateEditDelete", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		require.True(t, e.open(t, "/admin/settings").has("no-zones"))
		require.Equal(t, "/admin/settings/zones/new", webtest.Attr(e.open(t, "/admin/settings").one(t, "zone-new"), "href"))

		p := e.open(t, "/admin/settings/zones/new")
		require.Equal(t, "1", settingsValue(t, p, "zone-form", "position"), "a new zone goes after the others")
		to, msg := e.followed(t, settingsSubmit(t, e, p, "zone-form", url.Values{"name": {"Europe"}, "countries": {"de, fr\nbe"}}))
		id := e.zoneID(t, "Europe")
		require.Equal(t, "/admin/settings#zone-"+strconv.FormatInt(id, 10), to)
		require.Equal(t, "Shipping zone “Europe” saved.", msg)

		p = e.open(t, "/admin/settings")
		zone := settingsRow(t, p, "shipping-zone", "data-zone", "Europe")
		require.Equal(t, "DE, FR, BE", settingsTextIn(t, zone, "zone-countries"))
		require.Len(t, webtest.ByTestID(zone, "no-methods"), 1, "the page says shoppers there cannot check out yet")

		edit := webtest.Attr(webtest.ByTestID(zone, "zone-edit")[0], "href")
		p = e.open(t, edit)
		require.Equal(t, "DE, FR, BE", settingsValue(t, p, "zone-form", "countries"))
		_, msg = e.followed(t, settingsSubmit(t, e, p, "zone-form", url.Values{"name": {"EU"}, "countries": {"DE FR BE LU"}, "position": {"3"}}))
		require.Equal(t, "Shipping zone “EU” saved.", msg)
		zone = settingsRow(t, e.open(t, "/admin/settings"), "shipping-zone", "data-zone", "EU")
		require.Equal(t, "DE, FR, BE, LU", settingsTextIn(t, zone, "zone-countries"))
		require.Equal(t, "3", settingsTextIn(t, zone, "zone-position"))
		require.Equal(t, []string{"DE", "FR", "BE", "LU"}, e.priced(t).Zones[0].Countries, "checkout reads the saved zone")
		require.Equal(t, 1, e.auditCount(t, "shipping_zone.update"))

		_, _ = e.saved(t, edit+"/methods", url.Values{"name": {"Standard"}, "kind": {"flat"}, "price": {"9.90"}, "active": {"on"}})
		_, _ = e.saved(t, edit+"/methods", url.Values{"name": {"Express"}, "kind": {"flat"}, "price": {"19.90"}, "active": {"on"}})
		p = e.open(t, edit)
		require.Equal(t, []string{"Standard", "Express"}, webtest.TextContents(p.byTestID("method-edit")), "the zone's page lists its methods")
		require.Equal(t, "Delete EU and its 2 shipping methods", webtest.TextContent(webtest.All(p.one(t, "field-confirm"), func(n *htmlNode) bool { return n.Data == "label" })[0]))

		res := settingsSubmit(t, e, p, "zone-delete-form", nil)
		require.Equal(t, http.StatusUnprocessableEntity, res.status, "deleting needs the box ticked")
		require.Equal(t, "Tick the box to confirm that the zone is to be deleted.", settingsFieldError(t, parse(t, res.body), "confirm"))
		require.Len(t, e.priced(t).Zones, 1)

		to, msg = e.followed(t, settingsSubmit(t, e, p, "zone-delete-form", url.Values{"confirm": {"on"}}))
		require.Equal(t, "/admin/settings", to)
		require.Equal(t, "Shipping zone “EU” and its 2 shipping methods deleted.", msg)
		p = e.open(t, "/admin/settings")
		require.True(t, p.has("no-zones"))
		require.False(t, p.has("shipping-method"), "the zone's methods went with it")
		require.Empty(t, e.priced(t).Zones)
		require.Equal(t, http.StatusNotFound, e.get(t, edit).status)
	})

	t.Run("ErrFieldsKeepWhatWasTyped", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		p := e.refused(t, "/admin/settings/zones", url.Values{"name": {""}, "countries": {"FR, XX"}, "position": {"first"}})
		require.Equal(t, "Please correct the highlighted fields.", p.text(t, "form-error"))
		require.Equal(t, "Enter a name, like Europe.", settingsFieldError(t, p, "name"))
		require.Equal(t, "“XX” is not a country code. Use two-letter ISO codes, like FR or DE.", settingsFieldError(t, p, "countries"))
		require.Equal(t, "Enter a whole number from 0 to 100000.", settingsFieldError(t, p, "position"))
		require.Equal(t, "FR, XX", settingsValue(t, p, "zone-form", "countries"))
		require.Equal(t, "first", settingsValue(t, p, "zone-form", "position"))
		require.Empty(t, e.priced(t).Zones)

		e.saved(t, "/admin/settings/zones", url.Values{"name": {"Europe"}, "countries": {"DE"}})
		edit := "/admin/settings/zones/" + strconv.FormatInt(e.zoneID(t, "Europe"), 10)
		p = e.refused(t, edit, url.Values{"name": {"Europe"}, "countries": {"uk"}})
		require.Equal(t, "Use GB for the United Kingdom.", settingsFieldError(t, p, "countries"))
		require.Equal(t, "uk", settingsValue(t, p, "zone-form", "countries"))
		require.Equal(t, []string{"DE"}, e.priced(t).Zones[0].Countries, "a refused edit changes nothing")
	})

	t.Run("ErrDuplicateName", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		e.saved(t, "/admin/settings/zones", url.Values{"name": {"Europe"}, "countries": {"DE"}})
		p := e.refused(t, "/admin/settings/zones", url.Values{"name": {"Europe"}, "countries": {"FR"}})
		require.Equal(t, "A zone with this name exists.", settingsFieldError(t, p, "name"))
		require.Equal(t, "Europe", settingsValue(t, p, "zone-form", "name"))
		require.Equal(t, "FR", settingsValue(t, p, "zone-form", "countries"))
		require.Len(t, e.priced(t).Zones, 1)
	})

	t.Run("OKWarnsOfCountriesCheckoutRefuses", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		e.saved(t, "/admin/settings/zones", url.Values{"name": {"Asia"}, "countries": {"JP, SG"}})
		e.saved(t, "/admin/settings/zones", url.Values{"name": {"Home"}, "countries": {"FR"}})
		p := e.open(t, "/admin/settings")
		asia := settingsRow(t, p, "shipping-zone", "data-zone", "Asia")
		require.Equal(t, "Checkout does not take addresses in SG yet.", settingsTextIn(t, asia, "zone-unshippable"))
		require.Empty(t, webtest.ByTestID(settingsRow(t, p, "shipping-zone", "data-zone", "Home"), "zone-unshippable"))
	})

	t.Run("ErrUnknownZone", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		require.Equal(t, http.StatusNotFound, e.get(t, "/admin/settings/zones/999").status)
		require.Equal(t, http.StatusNotFound, e.get(t, "/admin/settings/zones/abc").status)
		require.Equal(t, http.StatusNotFound, e.get(t, "/admin/settings/zones/999/methods/new").status)
		require.Equal(t, http.StatusNotFound, e.post(t, "/admin/settings/zones/999", url.Values{"name": {"A"}, "countries": {"FR"}}).status)
		require.Equal(t, http.StatusNotFound, e.post(t, "/admin/settings/zones/999/delete", url.Values{"confirm": {"on"}}).status)
	})
}

func TestAdminShippingMethods(t *testing.T) {
	t.Parallel()

	// newZone creates a zone through its form and returns its page.
	newZone := func(t *testing.T, e *settingsEnv, name, countries string) string {
		t.Helper()
		e.saved(t, "/admin/settings/zones", url.Values{"name": {name}, "countries": {countries}})
		return "/admin/settings/zones/" + strconv.FormatInt(e.zoneID(t, name), 10)
	}
	// methodRow is what the settings page says of the method called name.
	methodRow := func(t *testing.T, e *settingsEnv, name string) (kind, price, status, edit string) {
		t.Helper()
		row := settingsRow(t, e.open(t, "/admin/settings"), "shipping-method", "data-method", name)
		return settingsTextIn(t, row, "method-kind"), settingsTextIn(t, row, "method-price"), settingsTextIn(t, row, "method-status"),
			webtest.Attr(webtest.ByTestID(row, "method-edit")[0], "href")
	}

	t.Run("OKEachKindThroughTheForm", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		zone := newZone(t, e, "France", "FR")

		p := e.open(t, zone+"/methods/new")
		require.Equal(t, "France", p.text(t, "method-zone"))
		require.Equal(t, "1", settingsValue(t, p, "method-form", "position"))
		require.Equal(t, "Price (EUR)", webtest.TextContent(webtest.All(p.one(t, "field-price"), func(n *htmlNode) bool { return n.Data == "label" })[0]),
			"prices are typed in the catalog's currency")
		require.Len(t, p.byTestID("tier-row"), 3, "blank weight rows are there without JavaScript")
		to, msg := e.followed(t, settingsSubmit(t, e, p, "method-form", url.Values{
			"name": {"Standard"}, "kind": {"free_over"}, "price": {"4.90"}, "free_over": {"50"}}))
		require.Regexp(t, `^/admin/settings#method-\d+$`, to)
		require.Equal(t, "Shipping method “Standard” saved.", msg)

		e.saved(t, zone+"/methods", url.Values{"name": {"Express"}, "kind": {"weight_tiers"}, "active": {"on"}, "position": {"2"},
			"tier_up_to_0": {"5000"}, "tier_price_0": {"24.90"}, "tier_up_to_1": {""}, "tier_price_1": {"39.90"},
			"tier_up_to_2": {"1000"}, "tier_price_2": {"14.90"}, "tier_up_to_3": {""}, "tier_price_3": {""}})
		e.saved(t, zone+"/methods", url.Values{"name": {"Courier"}, "kind": {"flat"}, "price": {"30"}, "position": {"3"}})

		kind, price, status, _ := methodRow(t, e, "Standard")
		require.Equal(t, []string{"Free over a subtotal", "€4.90, free from €50.00", "Active"}, []string{kind, price, status})
		kind, price, status, edit := methodRow(t, e, "Express")
		require.Equal(t, []string{"By weight", "up to 1000 g €14.90 · up to 5000 g €24.90 · heavier €39.90", "Active"}, []string{kind, price, status})
		_, _, status, _ = methodRow(t, e, "Courier")
		require.Equal(t, "Inactive", status, "an unticked box saves an inactive method")

		ps := e.priced(t)
		offered := orders.AvailableShippingMethods(ps.Zones, orders.Address{Country: "FR"},
			[]orders.Line{{SKU: "TEE", Quantity: 3, UnitPrice: money.New(2000, "EUR"), WeightGrams: 500}})
		got := map[string]money.Amount{}
		for _, q := range offered {
			got[q.Method.Name] = q.Price
		}
		require.Equal(t, map[string]money.Amount{"Standard": money.New(0, "EUR"), "Express": money.New(2490, "EUR")}, got,
			"checkout offers the active methods at the saved prices: €60.00 ships free, 1500 g is in the 5000 g tier")

		p = e.open(t, edit)
		require.Equal(t, "weight_tiers", webtest.Attr(webtest.All(webtest.Control(t, p.one(t, "method-form"), "kind"), func(n *htmlNode) bool {
			return n.Data == "option" && webtest.HasAttr(n, "selected")
		})[0], "value"))
		require.Equal(t, []string{"1000", "14.90", "5000", "24.90", "", "39.90", "", "", "", "", "", ""}, []string{
			settingsValue(t, p, "method-form", "tier_up_to_0"), settingsValue(t, p, "method-form", "tier_price_0"),
			settingsValue(t, p, "method-form", "tier_up_to_1"), settingsValue(t, p, "method-form", "tier_price_1"),
			settingsValue(t, p, "method-form", "tier_up_to_2"), settingsValue(t, p, "method-form", "tier_price_2"),
			settingsValue(t, p, "method-form", "tier_up_to_3"), settingsValue(t, p, "method-form", "tier_price_3"),
			settingsValue(t, p, "method-form", "tier_up_to_4"), settingsValue(t, p, "method-form", "tier_price_4"),
			settingsValue(t, p, "method-form", "tier_up_to_5"), settingsValue(t, p, "method-form", "tier_price_5"),
		}, "the stored tiers, lightest first, then three blank rows")

		e.followed(t, settingsSubmit(t, e, p, "method-form", nil))
		_, price, _, _ = methodRow(t, e, "Express")
		require.Equal(t, "up to 1000 g €14.90 · up to 5000 g €24.90 · heavier €39.90", price, "saving the form as shown changes nothing")

		e.followed(t, settingsSubmit(t, e, e.open(t, edit), "method-form", url.Values{"active": nil}))
		_, _, status, _ = methodRow(t, e, "Express")
		require.Equal(t, "Inactive", status)
		require.Len(t, e.priced(t).Zones[0].Methods, 1, "checkout no longer offers it")
		require.Equal(t, 3, e.auditCount(t, "shipping_method.create"))
	})

	t.Run("ErrFieldsKeepWhatWasTyped", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		zone := newZone(t, e, "France", "FR")
		p := e.refused(t, zone+"/methods", url.Values{"name": {"Express"}, "kind": {"weight_tiers"}, "active": {"on"},
			"tier_up_to_0": {"1000"}, "tier_price_0": {"14.90"}, "tier_up_to_1": {"1000"}, "tier_price_1": {"19.90"},
			"tier_up_to_2": {"5000"}, "tier_price_2": {"24,90"}})
		require.Equal(t, "Row 1 already goes up to 1000 g.", settingsFieldError(t, p, "tier_up_to_1"))
		require.Equal(t, "Use a point for decimals and no thousands separator, like 4.90.", settingsFieldError(t, p, "tier_price_2"))
		require.Equal(t, "1000", settingsValue(t, p, "method-form", "tier_up_to_1"))
		require.Equal(t, "24,90", settingsValue(t, p, "method-form", "tier_price_2"))
		require.Equal(t, "Express", settingsValue(t, p, "method-form", "name"))
		require.True(t, webtest.HasAttr(webtest.Control(t, p.one(t, "method-form"), "active"), "checked"))
		require.Len(t, p.byTestID("tier-row"), 6, "the typed rows come back with room for more")

		p = e.refused(t, zone+"/methods", url.Values{"name": {"Standard"}, "kind": {"flat"}, "price": {"4.999"}})
		require.Equal(t, "Use at most 2 decimals, like 4.90.", settingsFieldError(t, p, "price"))
		require.Equal(t, "4.999", settingsValue(t, p, "method-form", "price"))
		require.False(t, webtest.HasAttr(webtest.Control(t, p.one(t, "method-form"), "active"), "checked"), "an unticked box stays unticked")

		p = e.refused(t, zone+"/methods", url.Values{"name": {"Standard"}, "kind": {"free_over"}, "price": {"4.90"}, "free_over": {"0"}})
		require.Equal(t, "Enter an amount above 0.", settingsFieldError(t, p, "free_over"))

		e.saved(t, zone+"/methods", url.Values{"name": {"Standard"}, "kind": {"flat"}, "price": {"4.90"}})
		p = e.refused(t, zone+"/methods", url.Values{"name": {"Standard"}, "kind": {"flat"}, "price": {"5.90"}})
		require.Equal(t, "This zone already has a method with this name.", settingsFieldError(t, p, "name"))
		z, err := e.svc.FindShippingZone(e.ctx, e.zoneID(t, "France"))
		require.NoError(t, err)
		require.Len(t, z.Methods, 1)
	})

	t.Run("OKDelete", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		zone := newZone(t, e, "France", "FR")
		e.saved(t, zone+"/methods", url.Values{"name": {"Standard"}, "kind": {"flat"}, "price": {"4.90"}, "active": {"on"}})
		_, _, _, edit := methodRow(t, e, "Standard")
		to, msg := e.followed(t, settingsSubmit(t, e, e.open(t, edit), "method-delete-form", nil))
		require.Equal(t, "/admin/settings#zone-"+strconv.FormatInt(e.zoneID(t, "France"), 10), to)
		require.Equal(t, "Shipping method “Standard” deleted.", msg)
		require.True(t, e.open(t, "/admin/settings").has("no-methods"))
		require.Empty(t, e.priced(t).Zones[0].Methods)
		require.Equal(t, http.StatusNotFound, e.get(t, edit).status)
	})

	t.Run("OKSavingAgainMovesToTheShopCurrency", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		newZone(t, e, "France", "FR")
		id, err := e.svc.SaveShippingMethod(e.ctx, settingsStaff, 0, orders.ShippingMethodInput{
			ZoneID: e.zoneID(t, "France"), Name: "Old", Kind: "flat", Price: "4.90", Active: true, Currency: "USD"})
		require.NoError(t, err)
		row := settingsRow(t, e.open(t, "/admin/settings"), "shipping-method", "data-method", "Old")
		require.Equal(t, "Priced in USD but the shop sells in EUR: checkout ignores it until it is saved again in EUR.",
			settingsTextIn(t, row, "method-warning"))

		p := e.open(t, "/admin/settings/methods/"+strconv.FormatInt(id, 10))
		require.True(t, p.has("method-warning"))
		e.followed(t, settingsSubmit(t, e, p, "method-form", nil))
		m, err := e.svc.FindShippingMethod(e.ctx, id)
		require.NoError(t, err)
		require.Equal(t, money.New(490, "EUR"), m.Price)
		require.False(t, e.open(t, "/admin/settings").has("method-warning"))
	})
}

func TestAdminTaxRates(t *testing.T) {
	t.Parallel()

	t.Run("OKCreateEditDelete", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "USD")
		require.True(t, e.open(t, "/admin/settings").has("no-tax-rates"))

		p := e.open(t, "/admin/settings/tax-rates/new")
		to, msg := e.followed(t, settingsSubmit(t, e, p, "tax-rate-form", url.Values{
			"country": {"us"}, "region": {"tx"}, "rate": {"8.25"}, "name": {"Sales tax"}}))
		require.Equal(t, "/admin/settings#tax-rates", to)
		require.Equal(t, "Tax rate of 8.25% for US-TX saved.", msg)
		e.saved(t, "/admin/settings/tax-rates", url.Values{"country": {"US"}, "class": {"food"}, "rate": {"0"}})

		rows := e.open(t, "/admin/settings").byTestID("tax-rate-row")
		require.Len(t, rows, 2)
		require.Equal(t, []string{"US", "Whole country", "food", "0%"}, []string{settingsTextIn(t, rows[0], "tax-rate-country"),
			settingsTextIn(t, rows[0], "tax-rate-region"), settingsTextIn(t, rows[0], "tax-rate-class"), settingsTextIn(t, rows[0], "tax-rate-rate")})
		texas := rows[1]
		require.Equal(t, []string{"US", "TX", "Standard", "8.25%", "Sales tax"}, []string{settingsTextIn(t, texas, "tax-rate-country"),
			settingsTextIn(t, texas, "tax-rate-region"), settingsTextIn(t, texas, "tax-rate-class"), settingsTextIn(t, texas, "tax-rate-rate"),
			settingsTextIn(t, texas, "tax-rate-name")})
		rate, ok := orders.RateFor(e.priced(t).Rates, orders.Address{Country: "US", Region: "TX"}, "")
		require.True(t, ok)
		require.Equal(t, 825, rate.Rate, "8.25 is 825 basis points, exactly")

		edit := webtest.Attr(webtest.ByTestID(texas, "tax-rate-edit")[0], "href")
		p = e.open(t, edit)
		require.Equal(t, "8.25", settingsValue(t, p, "tax-rate-form", "rate"))
		e.followed(t, settingsSubmit(t, e, p, "tax-rate-form", url.Values{"rate": {"8.5"}}))
		rate, _ = orders.RateFor(e.priced(t).Rates, orders.Address{Country: "US", Region: "TX"}, "")
		require.Equal(t, 850, rate.Rate)

		texas = e.open(t, "/admin/settings").byTestID("tax-rate-row")[1]
		to, msg = e.saved(t, webtest.Attr(webtest.ByTestID(texas, "tax-rate-delete")[0], "action"), url.Values{})
		require.Equal(t, "/admin/settings#tax-rates", to)
		require.Equal(t, "Tax rate of 8.5% for US-TX deleted.", msg)
		require.Len(t, e.open(t, "/admin/settings").byTestID("tax-rate-row"), 1)
		require.Equal(t, 2, e.auditCount(t, "tax_rate.create"))
		require.Equal(t, 1, e.auditCount(t, "tax_rate.update"))
		require.Equal(t, 1, e.auditCount(t, "tax_rate.delete"))
	})

	t.Run("ErrFieldsKeepWhatWasTyped", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		p := e.refused(t, "/admin/settings/tax-rates", url.Values{"country": {"France"}, "rate": {"8.255"}, "name": {"TVA"}})
		require.Equal(t, "Use at most 2 decimals, like 8.25.", settingsFieldError(t, p, "rate"))
		require.Equal(t, "“FRANCE” is not a country code. Use two-letter ISO codes, like FR or DE.", settingsFieldError(t, p, "country"))
		require.Equal(t, "8.255", settingsValue(t, p, "tax-rate-form", "rate"))
		require.Equal(t, "France", settingsValue(t, p, "tax-rate-form", "country"))
		require.Equal(t, "TVA", settingsValue(t, p, "tax-rate-form", "name"))
		require.Empty(t, e.priced(t).Rates)

		e.saved(t, "/admin/settings/tax-rates", url.Values{"country": {"FR"}, "rate": {"20"}})
		p = e.refused(t, "/admin/settings/tax-rates", url.Values{"country": {"fr"}, "rate": {"5.5"}})
		require.Equal(t, "There is already a rate for this country, region and class.", settingsFieldError(t, p, "country"))
		require.Equal(t, "5.5", settingsValue(t, p, "tax-rate-form", "rate"))
	})
}

func TestAdminSettingsShowsTheDemoSettings(t *testing.T) {
	t.Parallel()
	e := settingsSetup(t, "EUR")
	require.NoError(t, e.svc.SeedDemoSettings(e.ctx, e.catalog))
	p := e.open(t, "/admin/settings")
	var zones []string
	for _, z := range p.byTestID("shipping-zone") {
		zones = append(zones, settingsTextIn(t, z, "zone-name"))
	}
	require.Equal(t, []string{"Domestic", "Europe", "Worldwide"}, zones)
	domestic := settingsRow(t, p, "shipping-zone", "data-zone", "Domestic")
	require.Equal(t, []string{"€4.90, free from €50.00"}, webtest.TextContents(webtest.ByTestID(domestic, "method-price")))
	require.Len(t, p.byTestID("tax-rate-row"), 10)
	require.Equal(t, "Monoshop Demo SAS", settingsValue(t, p, "seller-form", "seller_name"), "the demo invoices name a seller")
	require.Equal(t, "FR00123456789", settingsValue(t, p, "seller-form", "seller_tax_id"))
	for _, zone := range []string{"Domestic", "Europe", "Worldwide"} {
		require.Empty(t, webtest.ByTestID(settingsRow(t, p, "shipping-zone", "data-zone", zone), "zone-unshippable"),
			"checkout takes addresses in every country of the demo zone %s", zone)
	}
}
