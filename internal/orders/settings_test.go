package orders_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/internal/users"
)

// settingsStaff is the staff member every settings change is made by.
var settingsStaff = audit.Actor{ID: 42, Email: "grace@shop.test", IP: "203.0.113.9"}

// settingsVariant is the variant the orders of these tests are made of.
const settingsVariant int64 = 777

// settingsEnv is the orders service on a fresh database, wired as cmd/shop wires it: the
// users service keeps its audit log, inventory holds stock, payments are manual.
type settingsEnv struct {
	ctx   context.Context
	pool  *pgxpool.Pool
	svc   *orders.Service
	users *users.Service
}

func settingsSetup(t *testing.T) *settingsEnv {
	t.Helper()
	pool := dbtest.DB(t)
	e := &settingsEnv{ctx: t.Context(), pool: pool, users: users.NewService(pool, nil, users.Options{})}
	inv := inventory.NewService(pool, nil)
	pay, err := payments.NewService(pool, nil, payments.Config{DefaultProvider: payments.ProviderManual})
	require.NoError(t, err)
	e.svc = orders.NewService(pool, nil, inv, pay, orders.Config{})
	e.svc.UseAudit(e.users)
	loc, err := inv.CreateLocation(e.ctx, "Main", 10)
	require.NoError(t, err)
	require.NoError(t, inv.Adjust(e.ctx, audit.Actor{}, settingsVariant, loc.ID, 0, 100, "delivery"))
	return e
}

// audit returns the audit log's entries for action, newest first.
func (e *settingsEnv) audit(t *testing.T, action string) []users.AuditEvent {
	t.Helper()
	events, err := e.users.ListAudit(e.ctx, users.AuditFilter{Action: action})
	require.NoError(t, err)
	var out []users.AuditEvent
	for _, ev := range events {
		if ev.Action == action {
			out = append(out, ev)
		}
	}
	return out
}

func (e *settingsEnv) zone(t *testing.T, name, countries string) int64 {
	t.Helper()
	id, err := e.svc.SaveShippingZone(e.ctx, settingsStaff, 0, orders.ShippingZoneInput{Name: name, Countries: countries})
	require.NoError(t, err)
	return id
}

func (e *settingsEnv) method(t *testing.T, in orders.ShippingMethodInput) int64 {
	t.Helper()
	if in.Currency == "" {
		in.Currency = "EUR"
	}
	id, err := e.svc.SaveShippingMethod(e.ctx, settingsStaff, 0, in)
	require.NoError(t, err)
	return id
}

// pricedZone is the zone named name as checkout reads it.
func (e *settingsEnv) pricedZone(t *testing.T, name string) (orders.ShippingZone, bool) {
	t.Helper()
	ps, err := e.svc.PricingSettings(e.ctx)
	require.NoError(t, err)
	for _, z := range ps.Zones {
		if z.Name == name {
			return z, true
		}
	}
	return orders.ShippingZone{}, false
}

// requireSettingsRefusal checks that err refuses the form with msg on field.
func requireSettingsRefusal(t *testing.T, err error, field, msg string) {
	t.Helper()
	require.Error(t, err)
	require.True(t, apperr.Is(err, apperr.Invalid), "%v", err)
	require.Equal(t, msg, apperr.FieldsOf(err)[field], "fields: %v", apperr.FieldsOf(err))
}

func settingsEUR(minor int64) money.Amount { return money.New(minor, "EUR") }

// settingsCart is a cart of qty tees at €20.00 weighing 500 g each.
func settingsCart(qty int) []orders.Line {
	return []orders.Line{{VariantID: settingsVariant, SKU: "TEE", Name: "Tee", Quantity: qty, UnitPrice: settingsEUR(2000), WeightGrams: 500}}
}

// fixedCurrency is a shop whose catalog sells in one currency.
type fixedCurrency string

func (c fixedCurrency) Currency(context.Context) (string, error) { return string(c), nil }

func TestSetTaxMode(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		ps, err := e.svc.PricingSettings(e.ctx)
		require.NoError(t, err)
		require.Equal(t, orders.PricesIncludeTax, ps.Mode, "a new shop's prices include tax")

		require.NoError(t, e.svc.SetTaxMode(e.ctx, settingsStaff, orders.PricesExcludeTax))
		ps, err = e.svc.PricingSettings(e.ctx)
		require.NoError(t, err)
		require.Equal(t, orders.PricesExcludeTax, ps.Mode)

		entries := e.audit(t, "settings.tax_mode")
		require.Len(t, entries, 1)
		require.Equal(t, "grace@shop.test", entries[0].ActorEmail)
		require.Equal(t, users.Change{Before: "include", After: "exclude"}, entries[0].Changes["tax_mode"])

		require.NoError(t, e.svc.SetTaxMode(e.ctx, settingsStaff, orders.PricesExcludeTax))
		require.Len(t, e.audit(t, "settings.tax_mode"), 1, "saving the same mode again changes nothing")
	})

	t.Run("ErrUnknownMode", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		err := e.svc.SetTaxMode(e.ctx, settingsStaff, "sometimes")
		requireSettingsRefusal(t, err, "tax_mode", "Choose whether catalog prices include tax.")
	})
}

func TestShippingZones(t *testing.T) {
	t.Parallel()

	t.Run("OKRoundTrip", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		id, err := e.svc.SaveShippingZone(e.ctx, settingsStaff, 0, orders.ShippingZoneInput{
			Name: "  Europe ", Countries: "de, fr\nbe;DE", Position: "2"})
		require.NoError(t, err)

		z, err := e.svc.FindShippingZone(e.ctx, id)
		require.NoError(t, err)
		require.Equal(t, "Europe", z.Name)
		require.Equal(t, []string{"DE", "FR", "BE"}, z.Countries, "codes are upper-cased and repeats dropped, in the order typed")
		require.Equal(t, 2, z.Position)

		_, err = e.svc.SaveShippingZone(e.ctx, settingsStaff, id, orders.ShippingZoneInput{Name: "EU", Countries: "DE FR BE LU", Position: "1"})
		require.NoError(t, err)
		zones, err := e.svc.ListShippingZones(e.ctx)
		require.NoError(t, err)
		require.Len(t, zones, 1)
		require.Equal(t, "EU", zones[0].Name)
		require.Equal(t, []string{"DE", "FR", "BE", "LU"}, zones[0].Countries)

		priced, ok := e.pricedZone(t, "EU")
		require.True(t, ok, "checkout reads the saved zone")
		require.Equal(t, []string{"DE", "FR", "BE", "LU"}, priced.Countries)

		created := e.audit(t, "shipping_zone.create")
		require.Len(t, created, 1)
		require.Equal(t, "Europe", created[0].Changes["name"].After)
		updated := e.audit(t, "shipping_zone.update")
		require.Len(t, updated, 1)
		require.Equal(t, users.Change{Before: "Europe", After: "EU"}, updated[0].Changes["name"])
	})

	t.Run("OKPositionDecidesWhichZoneServesACountry", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		broad := e.zone(t, "Europe", "FR DE")
		e.method(t, orders.ShippingMethodInput{ZoneID: broad, Name: "Europe post", Kind: "flat", Price: "9.90", Active: true})
		narrow, err := e.svc.SaveShippingZone(e.ctx, settingsStaff, 0, orders.ShippingZoneInput{Name: "France", Countries: "FR", Position: "0"})
		require.NoError(t, err)
		e.method(t, orders.ShippingMethodInput{ZoneID: narrow, Name: "Colissimo", Kind: "flat", Price: "4.90", Active: true})
		_, err = e.svc.SaveShippingZone(e.ctx, settingsStaff, broad, orders.ShippingZoneInput{Name: "Europe", Countries: "FR DE", Position: "5"})
		require.NoError(t, err)

		ps, err := e.svc.PricingSettings(e.ctx)
		require.NoError(t, err)
		offered := orders.AvailableShippingMethods(ps.Zones, orders.Address{Country: "FR"}, settingsCart(1))
		require.Len(t, offered, 1)
		require.Equal(t, "Colissimo", offered[0].Method.Name, "the zone with the lowest position wins")
	})

	t.Run("ErrFields", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		for _, tc := range []struct {
			name       string
			in         orders.ShippingZoneInput
			field, msg string
		}{
			{"NoName", orders.ShippingZoneInput{Name: " ", Countries: "FR"}, "name", "Enter a name, like Europe."},
			{"LongName", orders.ShippingZoneInput{Name: strings.Repeat("z", 101), Countries: "FR"}, "name", "Use at most 100 characters."},
			{"NoCountry", orders.ShippingZoneInput{Name: "A", Countries: " , "}, "countries", "Enter at least one country code, like FR."},
			{"UnknownCode", orders.ShippingZoneInput{Name: "A", Countries: "FR, XX"}, "countries", "“XX” is not a country code. Use two-letter ISO codes, like FR or DE."},
			{"CountryName", orders.ShippingZoneInput{Name: "A", Countries: "France"}, "countries", "“FRANCE” is not a country code. Use two-letter ISO codes, like FR or DE."},
			{"UK", orders.ShippingZoneInput{Name: "A", Countries: "uk"}, "countries", "Use GB for the United Kingdom."},
			{"NegativePosition", orders.ShippingZoneInput{Name: "A", Countries: "FR", Position: "-1"}, "position", "Enter a whole number from 0 to 100000."},
			{"WordPosition", orders.ShippingZoneInput{Name: "A", Countries: "FR", Position: "first"}, "position", "Enter a whole number from 0 to 100000."},
		} {
			_, err := e.svc.SaveShippingZone(e.ctx, settingsStaff, 0, tc.in)
			requireSettingsRefusal(t, err, tc.field, tc.msg)
		}
		zones, err := e.svc.ListShippingZones(e.ctx)
		require.NoError(t, err)
		require.Empty(t, zones)
	})

	t.Run("ErrDuplicateName", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		e.zone(t, "Europe", "FR")
		other := e.zone(t, "World", "US")
		_, err := e.svc.SaveShippingZone(e.ctx, settingsStaff, 0, orders.ShippingZoneInput{Name: "Europe", Countries: "DE"})
		requireSettingsRefusal(t, err, "name", "A zone with this name exists.")
		_, err = e.svc.SaveShippingZone(e.ctx, settingsStaff, other, orders.ShippingZoneInput{Name: "Europe", Countries: "US"})
		requireSettingsRefusal(t, err, "name", "A zone with this name exists.")
	})

	t.Run("OKDeleteRemovesItsMethods", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		id := e.zone(t, "Europe", "DE")
		keep := e.zone(t, "France", "FR")
		m1 := e.method(t, orders.ShippingMethodInput{ZoneID: id, Name: "Standard", Kind: "flat", Price: "9.90", Active: true})
		m2 := e.method(t, orders.ShippingMethodInput{ZoneID: id, Name: "Express", Kind: "flat", Price: "19.90"})
		e.method(t, orders.ShippingMethodInput{ZoneID: keep, Name: "Colissimo", Kind: "flat", Price: "4.90", Active: true})

		gone, err := e.svc.DeleteShippingZone(e.ctx, settingsStaff, id)
		require.NoError(t, err)
		require.Equal(t, "Europe", gone.Name)
		require.Len(t, gone.Methods, 2)
		for _, m := range []int64{m1, m2} {
			_, err := e.svc.FindShippingMethod(e.ctx, m)
			require.True(t, apperr.Is(err, apperr.NotFound), "method %d went with its zone: %v", m, err)
		}
		_, ok := e.pricedZone(t, "Europe")
		require.False(t, ok)
		france, ok := e.pricedZone(t, "France")
		require.True(t, ok)
		require.Len(t, france.Methods, 1, "other zones keep their methods")

		entries := e.audit(t, "shipping_zone.delete")
		require.Len(t, entries, 1)
		require.Equal(t, []any{"Standard", "Express"}, entries[0].Changes["methods"].Before)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		_, err := e.svc.SaveShippingZone(e.ctx, settingsStaff, 999, orders.ShippingZoneInput{Name: "A", Countries: "FR"})
		require.True(t, apperr.Is(err, apperr.NotFound), "%v", err)
		_, err = e.svc.DeleteShippingZone(e.ctx, settingsStaff, 999)
		require.True(t, apperr.Is(err, apperr.NotFound), "%v", err)
		_, err = e.svc.SaveShippingMethod(e.ctx, settingsStaff, 0, orders.ShippingMethodInput{
			ZoneID: 999, Name: "Standard", Kind: "flat", Price: "1", Currency: "EUR"})
		require.True(t, apperr.Is(err, apperr.NotFound), "a method needs an existing zone: %v", err)
	})
}

func TestShippingMethods(t *testing.T) {
	t.Parallel()

	t.Run("OKEachKindPricesCheckout", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		zone := e.zone(t, "France", "FR")
		e.method(t, orders.ShippingMethodInput{ZoneID: zone, Name: "Standard", Kind: "free_over", Price: "4.90", FreeOver: "50", Active: true, Position: "1"})
		e.method(t, orders.ShippingMethodInput{ZoneID: zone, Name: "Express", Kind: "weight_tiers", Active: true, Position: "2",
			Tiers: []orders.WeightTierInput{{Price: "39.90"}, {UpToGrams: "5000", Price: "24.90"}, {}, {UpToGrams: "1000", Price: "14.90"}}})
		e.method(t, orders.ShippingMethodInput{ZoneID: zone, Name: "Pickup", Kind: "flat", Price: "0", Active: true, Position: "3"})
		e.method(t, orders.ShippingMethodInput{ZoneID: zone, Name: "Courier", Kind: "flat", Price: "30", Active: false, Position: "4"})

		priced, ok := e.pricedZone(t, "France")
		require.True(t, ok)
		require.Len(t, priced.Methods, 3, "checkout does not see the inactive method")
		express := priced.Methods[1]
		require.Equal(t, []orders.WeightTier{
			{UpToGrams: 1000, Price: settingsEUR(1490)}, {UpToGrams: 5000, Price: settingsEUR(2490)}, {UpToGrams: 0, Price: settingsEUR(3990)},
		}, express.Tiers, "tiers are stored lightest first, the open-ended one last; blank rows are skipped")

		quote := func(qty int) map[string]money.Amount {
			out := map[string]money.Amount{}
			for _, q := range orders.AvailableShippingMethods([]orders.ShippingZone{priced}, orders.Address{Country: "FR"}, settingsCart(qty)) {
				out[q.Method.Name] = q.Price
			}
			return out
		}
		require.Equal(t, map[string]money.Amount{"Standard": settingsEUR(490), "Express": settingsEUR(1490), "Pickup": settingsEUR(0)}, quote(2),
			"€40.00 and 1000 g")
		require.Equal(t, map[string]money.Amount{"Standard": settingsEUR(0), "Express": settingsEUR(2490), "Pickup": settingsEUR(0)}, quote(3),
			"€60.00 ships free by Standard; 1500 g is in the 5000 g tier")
		require.Equal(t, settingsEUR(3990), quote(20)["Express"], "10 kg falls in the open-ended tier")

		zones, err := e.svc.ListShippingZones(e.ctx)
		require.NoError(t, err)
		require.Len(t, zones[0].Methods, 4, "the back office lists inactive methods too")
		require.False(t, zones[0].Methods[3].Active)
		require.Equal(t, "EUR", zones[0].Methods[3].Currency)
	})

	t.Run("OKUpdate", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		zone := e.zone(t, "France", "FR")
		id := e.method(t, orders.ShippingMethodInput{ZoneID: zone, Name: "Standard", Kind: "flat", Price: "4.90", Active: true})
		_, err := e.svc.SaveShippingMethod(e.ctx, settingsStaff, id, orders.ShippingMethodInput{
			Name: "Standard", Kind: "free_over", Price: "5.50", FreeOver: "75.00", Active: true, Currency: "EUR"})
		require.NoError(t, err)
		m, err := e.svc.FindShippingMethod(e.ctx, id)
		require.NoError(t, err)
		require.Equal(t, orders.MethodFreeOver, m.Kind)
		require.Equal(t, settingsEUR(550), m.Price)
		require.Equal(t, settingsEUR(7500), m.FreeOver)
		require.Equal(t, zone, m.ZoneID)

		entries := e.audit(t, "shipping_method.update")
		require.Len(t, entries, 1)
		require.Equal(t, users.Change{Before: float64(490), After: float64(550)}, entries[0].Changes["price_minor"])
		require.Equal(t, users.Change{Before: "flat", After: "free_over"}, entries[0].Changes["kind"])
	})

	t.Run("OKPricedInTheShopCurrency", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		zone := e.zone(t, "France", "FR")
		e.method(t, orders.ShippingMethodInput{ZoneID: zone, Name: "Standard", Kind: "flat", Price: "500", Currency: "JPY", Active: true})
		priced, _ := e.pricedZone(t, "France")
		require.Equal(t, money.New(500, "JPY"), priced.Methods[0].Price, "a currency without decimals reads whole units")
		require.Empty(t, orders.AvailableShippingMethods([]orders.ShippingZone{priced}, orders.Address{Country: "FR"}, settingsCart(1)),
			"checkout never offers a method priced in another currency than the cart's")
	})

	t.Run("ErrFields", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		zone := e.zone(t, "France", "FR")
		flat := func(price string) orders.ShippingMethodInput {
			return orders.ShippingMethodInput{ZoneID: zone, Name: "Standard", Kind: "flat", Price: price}
		}
		tiers := func(rows ...orders.WeightTierInput) orders.ShippingMethodInput {
			return orders.ShippingMethodInput{ZoneID: zone, Name: "Express", Kind: "weight_tiers", Tiers: rows}
		}
		for _, tc := range []struct {
			name       string
			in         orders.ShippingMethodInput
			field, msg string
		}{
			{"NoName", orders.ShippingMethodInput{ZoneID: zone, Kind: "flat", Price: "1"}, "name", "Enter a name, like Standard."},
			{"NoKind", orders.ShippingMethodInput{ZoneID: zone, Name: "A"}, "kind", "Choose how the method is priced."},
			{"NoPrice", flat(""), "price", "Enter an amount, like 4.90."},
			{"NegativePrice", flat("-1"), "price", "Enter an amount of 0 or more."},
			{"Comma", flat("4,90"), "price", "Use a point for decimals and no thousands separator, like 4.90."},
			{"ThreeDecimals", flat("4.905"), "price", "Use at most 2 decimals, like 4.90."},
			{"NotANumber", flat("cheap"), "price", "Enter an amount as a number, like 4.90."},
			{"Huge", flat("99999999"), "price", "Enter an amount below 10000000."},
			{"FreeOverZero", orders.ShippingMethodInput{ZoneID: zone, Name: "A", Kind: "free_over", Price: "4.90", FreeOver: "0"},
				"free_over", "Enter an amount above 0."},
			{"FreeOverMissing", orders.ShippingMethodInput{ZoneID: zone, Name: "A", Kind: "free_over", Price: "4.90"},
				"free_over", "Enter an amount, like 4.90."},
			{"NoTier", tiers(orders.WeightTierInput{}), "tiers", "Enter at least one weight tier: a weight and its price."},
			{"TwoOpenTiers", tiers(orders.WeightTierInput{Price: "10"}, orders.WeightTierInput{Price: "20"}),
				orders.TierUpToField(1), "Row 1 already covers any weight; give this row a weight."},
			{"SameBound", tiers(orders.WeightTierInput{UpToGrams: "1000", Price: "10"}, orders.WeightTierInput{UpToGrams: "1000", Price: "20"}),
				orders.TierUpToField(1), "Row 1 already goes up to 1000 g."},
			{"FractionOfAGram", tiers(orders.WeightTierInput{UpToGrams: "1.5", Price: "10"}),
				orders.TierUpToField(0), "Enter whole grams from 1 to 10000000, or leave it empty for any weight."},
			{"ZeroGrams", tiers(orders.WeightTierInput{UpToGrams: "0", Price: "10"}),
				orders.TierUpToField(0), "Enter whole grams from 1 to 10000000, or leave it empty for any weight."},
			{"TierWithoutPrice", tiers(orders.WeightTierInput{UpToGrams: "500"}), orders.TierPriceField(0), "Enter an amount, like 4.90."},
		} {
			tc.in.Currency = "EUR"
			_, err := e.svc.SaveShippingMethod(e.ctx, settingsStaff, 0, tc.in)
			require.Error(t, err, tc.name)
			requireSettingsRefusal(t, err, tc.field, tc.msg)
		}
		z, err := e.svc.FindShippingZone(e.ctx, zone)
		require.NoError(t, err)
		require.Empty(t, z.Methods)
	})

	t.Run("ErrDuplicateNameInZone", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		france := e.zone(t, "France", "FR")
		europe := e.zone(t, "Europe", "DE")
		e.method(t, orders.ShippingMethodInput{ZoneID: france, Name: "Standard", Kind: "flat", Price: "4.90"})
		_, err := e.svc.SaveShippingMethod(e.ctx, settingsStaff, 0, orders.ShippingMethodInput{
			ZoneID: france, Name: "Standard", Kind: "flat", Price: "5.90", Currency: "EUR"})
		requireSettingsRefusal(t, err, "name", "This zone already has a method with this name.")
		e.method(t, orders.ShippingMethodInput{ZoneID: europe, Name: "Standard", Kind: "flat", Price: "9.90"})
	})

	t.Run("OKDelete", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		zone := e.zone(t, "France", "FR")
		id := e.method(t, orders.ShippingMethodInput{ZoneID: zone, Name: "Standard", Kind: "flat", Price: "4.90", Active: true})
		gone, err := e.svc.DeleteShippingMethod(e.ctx, settingsStaff, id)
		require.NoError(t, err)
		require.Equal(t, "Standard", gone.Name)
		priced, _ := e.pricedZone(t, "France")
		require.Empty(t, priced.Methods)
		require.Len(t, e.audit(t, "shipping_method.delete"), 1)
		_, err = e.svc.DeleteShippingMethod(e.ctx, settingsStaff, id)
		require.True(t, apperr.Is(err, apperr.NotFound), "%v", err)
	})
}

func TestTaxRates(t *testing.T) {
	t.Parallel()

	t.Run("OKRoundTrip", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		tx, err := e.svc.SaveTaxRate(e.ctx, settingsStaff, 0, orders.TaxRateInput{Country: "us", Region: "tx", Rate: "8.25", Name: "Sales tax"})
		require.NoError(t, err)
		require.Equal(t, 825, tx.Rate, "8.25 % is exactly 825 basis points")
		require.Equal(t, "US", tx.Country)
		require.Equal(t, "TX", tx.Region)
		fr, err := e.svc.SaveTaxRate(e.ctx, settingsStaff, 0, orders.TaxRateInput{Country: "FR", Rate: "20 %", Name: "TVA"})
		require.NoError(t, err)
		reduced, err := e.svc.SaveTaxRate(e.ctx, settingsStaff, 0, orders.TaxRateInput{Country: "FR", Class: "Reduced", Rate: "5.5"})
		require.NoError(t, err)
		require.Equal(t, "reduced", reduced.Class)
		require.Equal(t, 550, reduced.Rate)

		_, err = e.svc.SaveTaxRate(e.ctx, settingsStaff, fr.ID, orders.TaxRateInput{Country: "FR", Rate: "19.6", Name: "TVA"})
		require.NoError(t, err)
		got, err := e.svc.FindTaxRate(e.ctx, fr.ID)
		require.NoError(t, err)
		require.Equal(t, 1960, got.Rate)

		ps, err := e.svc.PricingSettings(e.ctx)
		require.NoError(t, err)
		rate, ok := orders.RateFor(ps.Rates, orders.Address{Country: "US", Region: "TX"}, "")
		require.True(t, ok)
		require.Equal(t, 825, rate.Rate, "checkout taxes Texas at the saved rate")
		rate, _ = orders.RateFor(ps.Rates, orders.Address{Country: "FR"}, "reduced")
		require.Equal(t, 550, rate.Rate)
		rate, _ = orders.RateFor(ps.Rates, orders.Address{Country: "FR"}, "")
		require.Equal(t, 1960, rate.Rate)

		gone, err := e.svc.DeleteTaxRate(e.ctx, settingsStaff, tx.ID)
		require.NoError(t, err)
		require.Equal(t, 825, gone.Rate)
		rates, err := e.svc.ListTaxRates(e.ctx)
		require.NoError(t, err)
		require.Len(t, rates, 2)

		require.Len(t, e.audit(t, "tax_rate.create"), 3)
		updated := e.audit(t, "tax_rate.update")
		require.Len(t, updated, 1)
		require.Equal(t, users.Change{Before: float64(2000), After: float64(1960)}, updated[0].Changes["basis_points"])
		require.Len(t, e.audit(t, "tax_rate.delete"), 1)
	})

	t.Run("ErrFields", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		rate := func(r string) orders.TaxRateInput { return orders.TaxRateInput{Country: "FR", Rate: r} }
		for _, tc := range []struct {
			name       string
			in         orders.TaxRateInput
			field, msg string
		}{
			{"ThreeDecimals", rate("8.255"), "rate", "Use at most 2 decimals, like 8.25."},
			{"Comma", rate("8,25"), "rate", "Use a point for decimals, like 8.25."},
			{"Over100", rate("101"), "rate", "Enter a rate from 0 to 100 %."},
			{"Negative", rate("-5"), "rate", "Enter a percentage as a number, like 20 or 8.25."},
			{"Missing", rate(""), "rate", "Enter a percentage, like 20 or 8.25."},
			{"CountryName", orders.TaxRateInput{Country: "France", Rate: "20"}, "country", "“FRANCE” is not a country code. Use two-letter ISO codes, like FR or DE."},
			{"NoCountry", orders.TaxRateInput{Rate: "20"}, "country", "Enter a country code, like FR."},
			{"Region", orders.TaxRateInput{Country: "US", Region: "Texas!", Rate: "8"}, "region", "Use the region's code, up to 10 letters, digits or hyphens, like TX."},
			{"Class", orders.TaxRateInput{Country: "FR", Class: "reduced rate", Rate: "5.5"}, "class", "Use up to 40 lower-case letters, digits, hyphens or underscores, like reduced."},
			{"Name", orders.TaxRateInput{Country: "FR", Rate: "20", Name: strings.Repeat("n", 61)}, "name", "Use at most 60 characters."},
		} {
			_, err := e.svc.SaveTaxRate(e.ctx, settingsStaff, 0, tc.in)
			require.Error(t, err, tc.name)
			requireSettingsRefusal(t, err, tc.field, tc.msg)
		}
		rates, err := e.svc.ListTaxRates(e.ctx)
		require.NoError(t, err)
		require.Empty(t, rates)
	})

	t.Run("ErrDuplicateDestination", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		_, err := e.svc.SaveTaxRate(e.ctx, settingsStaff, 0, orders.TaxRateInput{Country: "FR", Rate: "20"})
		require.NoError(t, err)
		_, err = e.svc.SaveTaxRate(e.ctx, settingsStaff, 0, orders.TaxRateInput{Country: "fr", Rate: "5.5"})
		requireSettingsRefusal(t, err, "country", "There is already a rate for this country, region and class.")
		_, err = e.svc.SaveTaxRate(e.ctx, settingsStaff, 0, orders.TaxRateInput{Country: "FR", Class: "reduced", Rate: "5.5"})
		require.NoError(t, err, "another class of the same country is another rate")
	})
}

func TestSeedDemoSettings(t *testing.T) {
	t.Parallel()

	t.Run("OKIdempotent", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		require.NoError(t, e.svc.SetTaxMode(e.ctx, settingsStaff, orders.PricesExcludeTax))
		require.NoError(t, e.svc.SeedDemoSettings(e.ctx, fixedCurrency("EUR")))

		ps, err := e.svc.PricingSettings(e.ctx)
		require.NoError(t, err)
		require.Equal(t, orders.PricesIncludeTax, ps.Mode)
		names := func(ps orders.PricingSettings) []string {
			var out []string
			for _, z := range ps.Zones {
				out = append(out, z.Name)
			}
			return out
		}
		require.Equal(t, []string{"Domestic", "Europe", "Worldwide"}, names(ps))
		require.Equal(t, []string{"FR"}, ps.Zones[0].Countries)
		require.Equal(t, []string{"DE", "ES", "IT", "BE", "NL", "PT", "IE", "AT", "LU"}, ps.Zones[1].Countries)
		require.Equal(t, []string{"US", "GB", "CA", "CH", "JP", "AU"}, ps.Zones[2].Countries)

		domestic := ps.Zones[0].Methods
		require.Len(t, domestic, 1)
		require.Equal(t, orders.MethodFreeOver, domestic[0].Kind)
		require.Equal(t, settingsEUR(490), domestic[0].Price)
		require.Equal(t, settingsEUR(5000), domestic[0].FreeOver)
		europe := ps.Zones[1].Methods
		require.Len(t, europe, 2)
		require.Equal(t, settingsEUR(990), europe[0].Price)
		require.Equal(t, orders.MethodWeightTiers, europe[1].Kind)
		require.Len(t, europe[1].Tiers, 3)
		require.Equal(t, settingsEUR(1990), ps.Zones[2].Methods[0].Price)

		rates := map[string]int{}
		for _, r := range ps.Rates {
			rates[r.Country] = r.Rate
		}
		require.Equal(t, map[string]int{"FR": 2000, "DE": 1900, "ES": 2100, "IT": 2200, "BE": 2100, "NL": 2100,
			"PT": 2300, "IE": 2300, "AT": 2000, "LU": 1700}, rates)

		require.NoError(t, e.svc.SeedDemoSettings(e.ctx, fixedCurrency("EUR")))
		again, err := e.svc.PricingSettings(e.ctx)
		require.NoError(t, err)
		require.Equal(t, ps, again, "a second seed changes nothing")

		_, err = e.svc.DeleteShippingZone(e.ctx, settingsStaff, ps.Zones[2].ID)
		require.NoError(t, err)
		require.NoError(t, e.svc.SeedDemoSettings(e.ctx, fixedCurrency("EUR")))
		after, err := e.svc.PricingSettings(e.ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"Domestic", "Europe"}, names(after), "a shop with any zone is left as staff made it")
	})

	t.Run("OKCatalogCurrency", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		cat := catalog.NewService(e.pool, nil)
		currency, err := cat.Currency(e.ctx)
		require.NoError(t, err)
		require.NoError(t, e.svc.SeedDemoSettings(e.ctx, cat))
		zones, err := e.svc.ListShippingZones(e.ctx)
		require.NoError(t, err)
		for _, z := range zones {
			for _, m := range z.Methods {
				require.Equal(t, currency, m.Currency, "%s %s is priced in the catalog's currency", z.Name, m.Name)
			}
		}
	})

	t.Run("OKAgreesWithTheDemoCatalog", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		cat := catalog.NewService(e.pool, nil)
		require.NoError(t, cat.SeedDemo(e.ctx, catalog.SeedOptions{Products: 20, Seed: 1}))
		require.NoError(t, e.svc.SeedDemoSettings(e.ctx, cat))

		currency, err := cat.Currency(e.ctx)
		require.NoError(t, err)
		require.Equal(t, "EUR", currency, "the demo shop invoices French VAT, so it sells in euros")
		seller, err := e.svc.Seller(e.ctx)
		require.NoError(t, err)
		lines := seller.AddressLines()
		require.Equal(t, "France", lines[len(lines)-1], "the seller on the invoices is in France")
		require.True(t, strings.HasPrefix(seller.TaxID, "FR"), "with a French VAT number: %q", seller.TaxID)

		ps, err := e.svc.PricingSettings(e.ctx)
		require.NoError(t, err)
		require.Equal(t, orders.PricesIncludeTax, ps.Mode, "consumer prices in the EU include VAT")
		require.Equal(t, []string{"FR"}, ps.Zones[0].Countries, "the domestic zone is the seller's country")
		var fr int
		for _, r := range ps.Rates {
			if r.Country == "FR" {
				fr = r.Rate
			}
		}
		require.Equal(t, 2000, fr, "French VAT at 20%")
		zones, err := e.svc.ListShippingZones(e.ctx)
		require.NoError(t, err)
		for _, z := range zones {
			for _, m := range z.Methods {
				require.Equal(t, "EUR", m.Currency, "%s %s is priced in euros", z.Name, m.Name)
			}
		}
	})

	t.Run("OKKeepsExistingTaxRates", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		_, err := e.svc.SaveTaxRate(e.ctx, settingsStaff, 0, orders.TaxRateInput{Country: "FR", Rate: "19.6"})
		require.NoError(t, err)
		require.NoError(t, e.svc.SeedDemoSettings(e.ctx, fixedCurrency("EUR")))
		rates, err := e.svc.ListTaxRates(e.ctx)
		require.NoError(t, err)
		require.Len(t, rates, 1)
		require.Equal(t, 1960, rates[0].Rate)
	})
}

// TestPricingSettingsAcrossReplicas: the replica that saves a setting prices with it at
// once; another replica, which keeps the settings for a second, within about a second.
func TestPricingSettingsAcrossReplicas(t *testing.T) {
	t.Parallel()
	e := settingsSetup(t)
	other := orders.NewService(e.pool, nil, nil, nil, orders.Config{})
	before, err := other.PricingSettings(e.ctx)
	require.NoError(t, err)
	require.Equal(t, orders.PricesIncludeTax, before.Mode)

	require.NoError(t, e.svc.SetTaxMode(e.ctx, settingsStaff, orders.PricesExcludeTax))
	here, err := e.svc.PricingSettings(e.ctx)
	require.NoError(t, err)
	require.Equal(t, orders.PricesExcludeTax, here.Mode, "the saving replica at once")
	require.Eventually(t, func() bool {
		there, err := other.PricingSettings(e.ctx)
		return err == nil && there.Mode == orders.PricesExcludeTax
	}, 3*time.Second, 50*time.Millisecond, "the other replica within about a second")
}
