package orders_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// The zones of the test store. France is listed in two zones: the first one wins.
var zones = []orders.ShippingZone{
	{Name: "France", Countries: []string{"FR"}, Methods: []orders.ShippingMethod{
		{ID: 10, Name: "Colissimo", Kind: orders.MethodFlat, Price: eur(490)},
		{ID: 11, Name: "Chronopost", Kind: orders.MethodFreeOver, Price: eur(990), FreeOver: eur(5000)},
		tiered(),
	}},
	{Name: "EU", Countries: []string{"FR", "de", "ES"}, Methods: []orders.ShippingMethod{
		{ID: 20, Name: "DHL", Kind: orders.MethodFlat, Price: eur(890)},
	}},
	{Name: "Nowhere yet", Countries: []string{"IS"}},
}

func TestAvailableShippingMethods(t *testing.T) {
	t.Parallel()

	cart := []orders.Line{{SKU: "TEE", Quantity: 2, UnitPrice: eur(1999), WeightGrams: 300}} // 39.98, 600 g

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		got := orders.AvailableShippingMethods(zones, orders.Address{Country: "FR"}, cart)
		require.Len(t, got, 3)
		require.Equal(t, "France", got[0].Zone, "the first zone containing the country wins")
		require.Equal(t, "Colissimo", got[0].Method.Name)
		require.Equal(t, eur(490), got[0].Price)
		require.Equal(t, eur(990), got[1].Price, "39.98 < 50.00: Chronopost charged")
		require.Equal(t, eur(500), got[2].Price, "600 g ≤ 1000 g tier")
	})

	t.Run("OKCountryCaseInsensitive", func(t *testing.T) {
		t.Parallel()
		got := orders.AvailableShippingMethods(zones, orders.Address{Country: "DE"}, cart)
		require.Len(t, got, 1)
		require.Equal(t, "DHL", got[0].Method.Name)
		require.Equal(t, eur(890), got[0].Price)
	})

	t.Run("NoZoneNoMethods", func(t *testing.T) {
		t.Parallel()
		require.Empty(t, orders.AvailableShippingMethods(zones, orders.Address{Country: "US"}, cart))
		_, ok := orders.ZoneFor(zones, "US")
		require.False(t, ok, "checkout says: we don't ship to the United States")
	})

	t.Run("ZoneWithoutMethods", func(t *testing.T) {
		t.Parallel()
		require.Empty(t, orders.AvailableShippingMethods(zones, orders.Address{Country: "IS"}, cart))
	})

	t.Run("EmptyCartNoMethods", func(t *testing.T) {
		t.Parallel()
		require.Empty(t, orders.AvailableShippingMethods(zones, orders.Address{Country: "FR"}, nil))
	})

	t.Run("TooHeavyForEveryTierLeftOut", func(t *testing.T) {
		t.Parallel()
		letterOnly := []orders.ShippingZone{{Name: "UK", Countries: []string{"GB"}, Methods: []orders.ShippingMethod{
			{ID: 1, Name: "Large letter", Kind: orders.MethodWeightTiers, Tiers: []orders.WeightTier{{UpToGrams: 750, Price: money.New(155, "GBP")}}},
			{ID: 2, Name: "Parcel", Kind: orders.MethodFlat, Price: money.New(399, "GBP")},
		}}}
		heavy := []orders.Line{{SKU: "BOOK", Quantity: 2, UnitPrice: money.New(1000, "GBP"), WeightGrams: 400}} // 800 g
		got := orders.AvailableShippingMethods(letterOnly, orders.Address{Country: "GB"}, heavy)
		require.Len(t, got, 1)
		require.Equal(t, "Parcel", got[0].Method.Name)
	})

	t.Run("OtherCurrencyLeftOut", func(t *testing.T) {
		t.Parallel()
		got := orders.AvailableShippingMethods(zones, orders.Address{Country: "FR"},
			[]orders.Line{{SKU: "X", Quantity: 1, UnitPrice: usd(100)}})
		require.Empty(t, got, "EUR methods must not be offered at a USD price")
	})
}

func TestQuoteMethodWeightTiers(t *testing.T) {
	t.Parallel()
	// Tiers: ≤ 1000 g 5.00, ≤ 5000 g 9.00, unbounded 15.00. Weight is Σ Quantity × WeightGrams.
	cases := []struct {
		name  string
		lines []orders.Line
		want  int64
	}{
		{"BelowFirstBound", []orders.Line{{Quantity: 2, WeightGrams: 400}}, 500},                                     // 800 g
		{"ExactlyAtFirstBound", []orders.Line{{Quantity: 2, WeightGrams: 500}}, 500},                                 // 1000 g: "up to" is inclusive
		{"JustAboveFirstBound", []orders.Line{{Quantity: 1, WeightGrams: 1000}, {Quantity: 1, WeightGrams: 1}}, 900}, // 1001 g
		{"ExactlyAtSecondBound", []orders.Line{{Quantity: 5, WeightGrams: 1000}}, 900},                               // 5000 g
		{"NoUpperBound", []orders.Line{{Quantity: 3, WeightGrams: 2000}}, 1500},                                      // 6000 g
		{"Weightless", []orders.Line{{Quantity: 3}}, 500},                                                            // 0 g (digital goods)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for i := range c.lines {
				c.lines[i].SKU, c.lines[i].UnitPrice = "X", eur(1000)
			}
			got, err := orders.QuoteMethod(tiered(), c.lines)
			require.NoError(t, err)
			require.Equal(t, eur(c.want), got)
		})
	}

	t.Run("ErrHeavierThanEveryBoundedTier", func(t *testing.T) {
		t.Parallel()
		m := tiered()
		m.Tiers = m.Tiers[:1] // only ≤ 5000 g
		_, err := orders.QuoteMethod(m, []orders.Line{{SKU: "X", Quantity: 1, UnitPrice: eur(1), WeightGrams: 5001}})
		require.ErrorIs(t, err, orders.ErrMethodUnavailable)
	})

	t.Run("ErrNoTiers", func(t *testing.T) {
		t.Parallel()
		_, err := orders.QuoteMethod(orders.ShippingMethod{Kind: orders.MethodWeightTiers}, []orders.Line{{SKU: "X", Quantity: 1, UnitPrice: eur(1)}})
		require.ErrorIs(t, err, orders.ErrMethodUnavailable)
	})

	t.Run("ErrNegativeBound", func(t *testing.T) {
		t.Parallel()
		m := orders.ShippingMethod{Kind: orders.MethodWeightTiers, Tiers: []orders.WeightTier{{UpToGrams: -1, Price: eur(1)}}}
		_, err := orders.QuoteMethod(m, []orders.Line{{SKU: "X", Quantity: 1, UnitPrice: eur(1)}})
		require.Error(t, err)
		require.NotErrorIs(t, err, orders.ErrMethodUnavailable)
	})
}

func TestQuoteMethodFreeOver(t *testing.T) {
	t.Parallel()
	// 9.90, free from 50.00 (subtotal before discount, prices as displayed).
	m := orders.ShippingMethod{Name: "Chronopost", Kind: orders.MethodFreeOver, Price: eur(990), FreeOver: eur(5000)}
	cases := []struct {
		name     string
		subtotal int64
		want     int64
	}{
		{"Below", 4999, 990},
		{"AtThreshold", 5000, 0},
		{"Above", 5001, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := orders.QuoteMethod(m, []orders.Line{{SKU: "X", Quantity: 1, UnitPrice: eur(c.subtotal)}})
			require.NoError(t, err)
			require.Equal(t, eur(c.want), got)
		})
	}

	t.Run("SubtotalAcrossLinesAndQuantities", func(t *testing.T) {
		t.Parallel()
		// 2 × 12.50 + 1 × 25.00 = 50.00: exactly at the threshold.
		got, err := orders.QuoteMethod(m, []orders.Line{
			{SKU: "A", Quantity: 2, UnitPrice: eur(1250)}, {SKU: "B", Quantity: 1, UnitPrice: eur(2500)},
		})
		require.NoError(t, err)
		require.Equal(t, eur(0), got)
	})

	t.Run("ZeroPriceWithoutCurrency", func(t *testing.T) {
		t.Parallel()
		// A free pickup method entered without a currency is free in any cart's currency.
		got, err := orders.QuoteMethod(orders.ShippingMethod{Kind: orders.MethodFlat}, []orders.Line{{SKU: "X", Quantity: 1, UnitPrice: jpy(500)}})
		require.NoError(t, err)
		require.Equal(t, jpy(0), got)
	})
}
