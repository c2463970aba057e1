package orders_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// Rates of the test stores. ES/CN is the Canary Islands, outside the EU VAT area with its
// own 7 % IGIC: the region rate replaces Spain's 21 %.
var (
	euRates = []orders.TaxRate{
		{Country: "FR", Rate: 2000, Name: "TVA"},
		{Country: "DE", Rate: 1900, Name: "MwSt"},
		{Country: "DE", Class: "reduced", Rate: 700, Name: "MwSt ermäßigt"},
		{Country: "ES", Rate: 2100, Name: "IVA"},
		{Country: "ES", Region: "CN", Rate: 700, Name: "IGIC"},
	}
	usRates = []orders.TaxRate{
		{Country: "US", Region: "TX", Rate: 825, Name: "Texas sales tax"},
		{Country: "US", Region: "OR", Rate: 0, Name: "Oregon (no sales tax)"},
	}
	jpRates = []orders.TaxRate{{Country: "JP", Rate: 1000, Name: "Consumption tax"}}
)

func eur(minor int64) money.Amount { return money.New(minor, "EUR") }
func usd(minor int64) money.Amount { return money.New(minor, "USD") }
func jpy(minor int64) money.Amount { return money.New(minor, "JPY") }

func line(sku string, qty int, unit money.Amount) orders.Line {
	return orders.Line{SKU: sku, Name: sku, Quantity: qty, UnitPrice: unit}
}

func flat(price money.Amount) orders.ShippingMethod {
	return orders.ShippingMethod{ID: 1, Name: "Standard", Kind: orders.MethodFlat, Price: price}
}

// want is a priced order written out by hand: per line {Gross, Discount, Tax}, then the totals.
type want struct {
	lines                                                      [][3]int64
	subtotal, discount, shipping, shippingTax, taxTotal, grand int64
}

// check compares every figure to the cent and the invariants that tie them together.
func (w want) check(t *testing.T, in orders.TotalsInput, got orders.Totals) {
	t.Helper()
	cur := in.Lines[0].UnitPrice.Currency
	a := func(m int64) money.Amount { return money.Amount{Minor: m, Currency: cur} }
	require.Len(t, got.LineTotals, len(w.lines))
	for i, l := range w.lines {
		lt := got.LineTotals[i]
		require.Equal(t, in.Lines[i], lt.Line, "line %d", i)
		require.Equal(t, a(l[0]), lt.Gross, "line %d gross", i)
		require.Equal(t, a(l[1]), lt.Discount, "line %d discount", i)
		require.Equal(t, a(l[0]-l[1]), lt.Net, "line %d net", i)
		require.Equal(t, a(l[2]), lt.Tax, "line %d tax", i)
	}
	require.Equal(t, a(w.subtotal), got.Subtotal, "subtotal")
	require.Equal(t, a(w.discount), got.DiscountTotal, "discount")
	require.Equal(t, a(w.shipping), got.Shipping, "shipping")
	require.Equal(t, a(w.shippingTax), got.ShippingTax, "shipping tax")
	require.Equal(t, a(w.taxTotal), got.TaxTotal, "tax total")
	require.Equal(t, a(w.grand), got.GrandTotal, "grand total")
	require.Equal(t, in.Mode == orders.PricesIncludeTax, got.TaxIncluded)
	checkInvariants(t, got)
}

// checkInvariants holds for every order, whatever the inputs.
func checkInvariants(t *testing.T, got orders.Totals) {
	t.Helper()
	var gross, disc, tax int64
	for i, lt := range got.LineTotals {
		require.Equal(t, lt.Gross.Minor-lt.Discount.Minor, lt.Net.Minor, "line %d: Net = Gross − Discount", i)
		require.GreaterOrEqual(t, lt.Discount.Minor, int64(0), "line %d", i)
		require.LessOrEqual(t, lt.Discount.Minor, lt.Gross.Minor, "line %d: share never exceeds the line", i)
		require.GreaterOrEqual(t, lt.Tax.Minor, int64(0), "line %d", i)
		gross += lt.Gross.Minor
		disc += lt.Discount.Minor
		tax += lt.Tax.Minor
	}
	require.Equal(t, got.Subtotal.Minor, gross, "Σ Gross = Subtotal")
	require.Equal(t, got.DiscountTotal.Minor, disc, "Σ line discounts = DiscountTotal")
	require.Equal(t, got.TaxTotal.Minor-got.ShippingTax.Minor, tax, "Σ line tax = TaxTotal − ShippingTax")
	grand := got.Subtotal.Minor - got.DiscountTotal.Minor + got.Shipping.Minor
	if !got.TaxIncluded {
		grand += got.TaxTotal.Minor
	}
	require.Equal(t, grand, got.GrandTotal.Minor, "GrandTotal = Subtotal − Discount + Shipping (+ tax when excluded)")
}

func TestComputeTotals(t *testing.T) {
	t.Parallel()

	pickup := flat(eur(0))
	pickup.Name = "Pickup"

	// Shared carts. EU: 2 × 19.99 = 39.98 and 1 × 12.50, subtotal 52.48.
	euCart := []orders.Line{line("TEE", 2, eur(1999)), line("MUG", 1, eur(1250))}
	// US: 3 × 9.99 = 29.97 and 1 × 24.50, subtotal 54.47.
	usCart := []orders.Line{line("WIDGET", 3, usd(999)), line("GADGET", 1, usd(2450))}
	manyCents := func(n int, unit money.Amount) []orders.Line {
		var ls []orders.Line
		for i := range n {
			ls = append(ls, line(fmt.Sprintf("CENT-%d", i), 1, unit))
		}
		return ls
	}
	zeroLines := func(n int, gross, tax int64) [][3]int64 {
		var ws [][3]int64
		for range n {
			ws = append(ws, [3]int64{gross, 0, tax})
		}
		return ws
	}

	cases := []struct {
		name string
		in   orders.TotalsInput
		want want
	}{
		{
			// Prices include 20 % TVA, so tax = amount × 2000 / 12000 = amount / 6.
			//   TEE  3998 / 6 = 666.33 → 666
			//   MUG  1250 / 6 = 208.33 → 208
			//   ship  490 / 6 =  81.67 →  82
			// tax 666 + 208 + 82 = 956 (inside the prices); grand 5248 + 490 = 5738.
			name: "InclusiveFrance20",
			in:   orders.TotalsInput{Lines: euCart, Address: orders.Address{Country: "FR"}, Method: flat(eur(490)), Rates: euRates, Mode: orders.PricesIncludeTax},
			want: want{lines: [][3]int64{{3998, 0, 666}, {1250, 0, 208}}, subtotal: 5248, shipping: 490, shippingTax: 82, taxTotal: 956, grand: 5738},
		},
		{
			// Canary Islands: the 7 % region rate replaces Spain's 21 %. Code WELCOME10 = 10 %:
			//   discount 5248 × 1000 / 10000 = 524.8 → 525
			//   allocation over 3998 and 1250 (Σ 5248):
			//     TEE 525 × 3998 / 5248 = 2098950 / 5248 = 399 rem 4998
			//     MUG 525 × 1250 / 5248 =  656250 / 5248 = 125 rem  250
			//     399 + 125 = 524, 1 cent left → largest remainder (TEE) → 400 + 125 = 525
			//   nets 3998 − 400 = 3598, 1250 − 125 = 1125
			//   tax = net × 700 / 10700 = net × 7 / 107:
			//     TEE 25186 / 107 = 235.38 → 235
			//     MUG  7875 / 107 =  73.60 →  74
			//     ship 3430 / 107 =  32.06 →  32
			// tax 235 + 74 + 32 = 341; grand 5248 − 525 + 490 = 5213.
			name: "InclusiveCanaryIslands7PercentCode",
			in: orders.TotalsInput{Lines: euCart, Address: orders.Address{Country: "es", Region: "cn"}, Method: flat(eur(490)),
				Discount: &orders.Discount{Code: "WELCOME10", Kind: orders.DiscountPercent, BasisPoints: 1000},
				Rates:    euRates, Mode: orders.PricesIncludeTax},
			want: want{lines: [][3]int64{{3998, 400, 235}, {1250, 125, 74}}, subtotal: 5248, discount: 525, shipping: 490, shippingTax: 32, taxTotal: 341, grand: 5213},
		},
		{
			// Mainland Spain, same cart: tax = net × 2100 / 12100 = net × 21 / 121:
			//   TEE 83958 / 121 = 693.87 → 694
			//   MUG 26250 / 121 = 216.94 → 217
			//   ship 10290 / 121 = 85.04 →  85
			// tax 694 + 217 + 85 = 996; grand 5248 + 490 = 5738.
			name: "InclusiveSpainMainland21",
			in:   orders.TotalsInput{Lines: euCart, Address: orders.Address{Country: "ES", Region: "MD"}, Method: flat(eur(490)), Rates: euRates, Mode: orders.PricesIncludeTax},
			want: want{lines: [][3]int64{{3998, 0, 694}, {1250, 0, 217}}, subtotal: 5248, shipping: 490, shippingTax: 85, taxTotal: 996, grand: 5738},
		},
		{
			// Germany with a reduced-class book (7 %) and a standard lamp (19 %):
			//   BOOK 2400 × 7 / 107   = 16800 / 107  = 157.01 → 157
			//   LAMP 5950 × 19 / 119  = 113050 / 119 = 950 exactly
			//   ship  490 × 19 / 119  =  9310 / 119  =  78.24 →  78 (standard rate)
			// tax 157 + 950 + 78 = 1185; grand 2400 + 5950 + 490 = 8840.
			name: "InclusiveGermanyReducedClass",
			in: orders.TotalsInput{
				Lines:   []orders.Line{{SKU: "BOOK", Quantity: 1, UnitPrice: eur(2400), TaxClass: "reduced"}, line("LAMP", 1, eur(5950))},
				Address: orders.Address{Country: "DE"}, Method: flat(eur(490)), Rates: euRates, Mode: orders.PricesIncludeTax},
			want: want{lines: [][3]int64{{2400, 0, 157}, {5950, 0, 950}}, subtotal: 8350, shipping: 490, shippingTax: 78, taxTotal: 1185, grand: 8840},
		},
		{
			// Free-shipping code on the French cart: shipping and its tax become 0, goods untouched.
			// tax 666 + 208 = 874; grand 5248.
			name: "InclusiveFreeShippingCode",
			in: orders.TotalsInput{Lines: euCart, Address: orders.Address{Country: "FR"}, Method: flat(eur(490)),
				Discount: &orders.Discount{Code: "SHIPFREE", Kind: orders.DiscountFreeShipping},
				Rates:    euRates, Mode: orders.PricesIncludeTax},
			want: want{lines: [][3]int64{{3998, 0, 666}, {1250, 0, 208}}, subtotal: 5248, taxTotal: 874, grand: 5248},
		},
		{
			// Prices exclude tax; Texas 8.25 %: tax = amount × 825 / 10000.
			//   WIDGET 2997 × 825 = 2472525 → 247.25 → 247
			//   GADGET 2450 × 825 = 2021250 → 202.13 → 202
			//   ship    700 × 825 =  577500 →  57.75 →  58
			// tax 247 + 202 + 58 = 507; grand 5447 + 700 + 507 = 6654.
			name: "ExclusiveTexas825",
			in:   orders.TotalsInput{Lines: usCart, Address: orders.Address{Country: "US", Region: "TX"}, Method: flat(usd(700)), Rates: usRates, Mode: orders.PricesExcludeTax},
			want: want{lines: [][3]int64{{2997, 0, 247}, {2450, 0, 202}}, subtotal: 5447, shipping: 700, shippingTax: 58, taxTotal: 507, grand: 6654},
		},
		{
			// Oregon's configured 0 %: no tax; grand 5447 + 700 = 6147.
			name: "ExclusiveOregonZero",
			in:   orders.TotalsInput{Lines: usCart, Address: orders.Address{Country: "US", Region: "OR"}, Method: flat(usd(700)), Rates: usRates, Mode: orders.PricesExcludeTax},
			want: want{lines: [][3]int64{{2997, 0, 0}, {2450, 0, 0}}, subtotal: 5447, shipping: 700, grand: 6147},
		},
		{
			// A state with no configured rate (and no US-wide rate) is untaxed, like Oregon.
			name: "ExclusiveRegionWithoutRate",
			in:   orders.TotalsInput{Lines: usCart, Address: orders.Address{Country: "US", Region: "NH"}, Method: flat(usd(700)), Rates: usRates, Mode: orders.PricesExcludeTax},
			want: want{lines: [][3]int64{{2997, 0, 0}, {2450, 0, 0}}, subtotal: 5447, shipping: 700, grand: 6147},
		},
		{
			// Fixed $5.00 code in Texas, allocated over 2997 and 2450 (Σ 5447):
			//   WIDGET 500 × 2997 / 5447 = 1498500 / 5447 = 275 rem  575
			//   GADGET 500 × 2450 / 5447 = 1225000 / 5447 = 224 rem 4872
			//   275 + 224 = 499, 1 cent left → GADGET (larger remainder) → 275 + 225 = 500
			//   nets 2722 and 2225
			//   WIDGET 2722 × 825 = 2245650 → 224.565 → 225
			//   GADGET 2225 × 825 = 1835625 → 183.5625 → 184
			//   ship 58 as above
			// tax 225 + 184 + 58 = 467; grand 5447 − 500 + 700 + 467 = 6114.
			name: "ExclusiveTexasFixedCode",
			in: orders.TotalsInput{Lines: usCart, Address: orders.Address{Country: "US", Region: "TX"}, Method: flat(usd(700)),
				Discount: &orders.Discount{Code: "FIVEOFF", Kind: orders.DiscountFixed, Amount: usd(500)},
				Rates:    usRates, Mode: orders.PricesExcludeTax},
			want: want{lines: [][3]int64{{2997, 275, 225}, {2450, 225, 184}}, subtotal: 5447, discount: 500, shipping: 700, shippingTax: 58, taxTotal: 467, grand: 6114},
		},
		{
			// A $20.00 code on a $12.00 cart is capped at 12.00: goods free, tax on them 0;
			// shipping still due: 700 + 58 tax. grand 1200 − 1200 + 700 + 58 = 758.
			name: "ExclusiveFixedCodeLargerThanSubtotal",
			in: orders.TotalsInput{Lines: []orders.Line{line("CAP", 1, usd(1200))}, Address: orders.Address{Country: "US", Region: "TX"}, Method: flat(usd(700)),
				Discount: &orders.Discount{Code: "TWENTY", Kind: orders.DiscountFixed, Amount: usd(2000)},
				Rates:    usRates, Mode: orders.PricesExcludeTax},
			want: want{lines: [][3]int64{{1200, 1200, 0}}, subtotal: 1200, discount: 1200, shipping: 700, shippingTax: 58, taxTotal: 58, grand: 758},
		},
		{
			// The minimum is met when the subtotal equals it: $12.00 ≥ $12.00, 10 % off:
			// discount 120; net 1080; tax 1080 × 825 = 891000 → 89.1 → 89; ship 58.
			// grand 1200 − 120 + 700 + 89 + 58 = 1927.
			name: "MinimumSubtotalExactlyMet",
			in: orders.TotalsInput{Lines: []orders.Line{line("CAP", 1, usd(1200))}, Address: orders.Address{Country: "US", Region: "TX"}, Method: flat(usd(700)),
				Discount: &orders.Discount{Code: "TEN", Kind: orders.DiscountPercent, BasisPoints: 1000, MinSubtotal: usd(1200)},
				Rates:    usRates, Mode: orders.PricesExcludeTax},
			want: want{lines: [][3]int64{{1200, 120, 89}}, subtotal: 1200, discount: 120, shipping: 700, shippingTax: 58, taxTotal: 147, grand: 1927},
		},
		{
			// A 100 % code: every line's share is its whole gross, no tax on goods.
			// grand 5248 − 5248 + 490 = 490 (shipping incl. its 82 tax).
			name: "HundredPercentCode",
			in: orders.TotalsInput{Lines: euCart, Address: orders.Address{Country: "FR"}, Method: flat(eur(490)),
				Discount: &orders.Discount{Code: "STAFF", Kind: orders.DiscountPercent, BasisPoints: 10000},
				Rates:    euRates, Mode: orders.PricesIncludeTax},
			want: want{lines: [][3]int64{{3998, 3998, 0}, {1250, 1250, 0}}, subtotal: 5248, discount: 5248, shipping: 490, shippingTax: 82, taxTotal: 82, grand: 490},
		},
		{
			// Exact half rounds up (exclusive): 250 × 1900 / 10000 = 47.5 → 48. grand 250 + 48 = 298.
			name: "RoundingHalfUpExclusive",
			in:   orders.TotalsInput{Lines: []orders.Line{line("PEN", 1, eur(250))}, Address: orders.Address{Country: "DE"}, Method: pickup, Rates: euRates, Mode: orders.PricesExcludeTax},
			want: want{lines: [][3]int64{{250, 0, 48}}, subtotal: 250, taxTotal: 48, grand: 298},
		},
		{
			// Exact half rounds up (inclusive 20 %): 3 / 6 = 0.5 → 1; below half: 2 / 6 = 0.33 → 0.
			name: "RoundingHalfUpInclusive",
			in:   orders.TotalsInput{Lines: []orders.Line{line("A", 1, eur(3)), line("B", 1, eur(2))}, Address: orders.Address{Country: "FR"}, Method: pickup, Rates: euRates, Mode: orders.PricesIncludeTax},
			want: want{lines: [][3]int64{{3, 0, 1}, {2, 0, 0}}, subtotal: 5, taxTotal: 1, grand: 5},
		},
		{
			// 100 lines of 0.01 incl. 19 %: each 1 × 1900 / 11900 = 0.16 → 0, so tax 0 —
			// per-line rounding by design (the same euro as ONE line of 100 × 0.01 carries
			// 100 × 19 / 119 = 15.97 → 16, see the next case). grand 100.
			name: "RoundingManyCentLinesInclusive19",
			in:   orders.TotalsInput{Lines: manyCents(100, eur(1)), Address: orders.Address{Country: "DE"}, Method: pickup, Rates: euRates, Mode: orders.PricesIncludeTax},
			want: want{lines: zeroLines(100, 1, 0), subtotal: 100, grand: 100},
		},
		{
			// One line of 100 × 0.01 incl. 19 %: 100 × 19 / 119 = 1900 / 119 = 15.97 → 16.
			name: "RoundingCentLineQuantity100Inclusive19",
			in:   orders.TotalsInput{Lines: []orders.Line{line("CENT", 100, eur(1))}, Address: orders.Address{Country: "DE"}, Method: pickup, Rates: euRates, Mode: orders.PricesIncludeTax},
			want: want{lines: [][3]int64{{100, 0, 16}}, subtotal: 100, taxTotal: 16, grand: 100},
		},
		{
			// 10 lines of 0.03 excl. 19 %: each 3 × 1900 / 10000 = 0.57 → 1, tax 10 (the order
			// as a whole would be 30 × 0.19 = 5.7 → 6). grand 30 + 10 = 40.
			name: "RoundingManyCentLinesExclusive19",
			in:   orders.TotalsInput{Lines: manyCents(10, eur(3)), Address: orders.Address{Country: "DE"}, Method: pickup, Rates: euRates, Mode: orders.PricesExcludeTax},
			want: want{lines: zeroLines(10, 3, 1), subtotal: 30, taxTotal: 10, grand: 40},
		},
		{
			// €1.00 off three equal €10.00 lines (exclusive, Texas rates for the arithmetic):
			//   each 100 × 1000 / 3000 = 33 rem 1000; 99 allocated, 1 left; all remainders tie
			//   → the first line: 34 + 33 + 33 = 100 exactly.
			//   nets 966, 967, 967; tax 966 × 825 = 796950 → 79.695 → 80,
			//                           967 × 825 = 797775 → 79.7775 → 80
			// tax 240; grand 3000 − 100 + 0 + 240 = 3140.
			name: "DiscountSplitAcrossThreeEqualLines",
			in: orders.TotalsInput{
				Lines:   []orders.Line{line("A", 1, usd(1000)), line("B", 1, usd(1000)), line("C", 1, usd(1000))},
				Address: orders.Address{Country: "US", Region: "TX"}, Method: flat(usd(0)),
				Discount: &orders.Discount{Code: "ONE", Kind: orders.DiscountFixed, Amount: usd(100)},
				Rates:    usRates, Mode: orders.PricesExcludeTax},
			want: want{lines: [][3]int64{{1000, 34, 80}, {1000, 33, 80}, {1000, 33, 80}}, subtotal: 3000, discount: 100, taxTotal: 240, grand: 3140},
		},
		{
			// €1.00 off lines of 1 × 1.00, 1 × 2.00, 2 × 2.00 (gross 100, 200, 400; Σ 700), incl. 20 % (tax = net / 6), and a
			// free_over method (€5.90, free from €50) that still charges at 7.00:
			//   A 100 × 100 / 700 = 14 rem 200
			//   B 100 × 200 / 700 = 28 rem 400
			//   C 100 × 400 / 700 = 57 rem 100
			//   99 allocated, 1 left → B (largest remainder): 14 + 29 + 57 = 100
			//   nets 86, 171, 343; tax 86/6 = 14.33 → 14, 171/6 = 28.5 → 29, 343/6 = 57.17 → 57
			//   ship 590 / 6 = 98.33 → 98
			// tax 14 + 29 + 57 + 98 = 198; grand 700 − 100 + 590 = 1190.
			name: "DiscountSplitAcrossThreeUnequalLines",
			in: orders.TotalsInput{
				Lines:    []orders.Line{line("A", 1, eur(100)), line("B", 1, eur(200)), line("C", 2, eur(200))},
				Address:  orders.Address{Country: "FR"},
				Method:   orders.ShippingMethod{Name: "Tracked", Kind: orders.MethodFreeOver, Price: eur(590), FreeOver: eur(5000)},
				Discount: &orders.Discount{Code: "EURO", Kind: orders.DiscountFixed, Amount: eur(100)},
				Rates:    euRates, Mode: orders.PricesIncludeTax},
			want: want{lines: [][3]int64{{100, 14, 14}, {200, 29, 29}, {400, 57, 57}}, subtotal: 700, discount: 100, shipping: 590, shippingTax: 98, taxTotal: 198, grand: 1190},
		},
		{
			// Free-over threshold reached by the subtotal BEFORE discount: 52.48 ≥ 50.00 → free,
			// even though 10 % off brings the goods to 47.23. Same line figures as the
			// mainland-Spain case with a discount: 10 % of 5248 = 525 split 400 / 125,
			//   nets 3598, 1125; tax × 21 / 121: 75558 / 121 = 624.45 → 624, 23625 / 121 = 195.25 → 195
			// tax 819; grand 5248 − 525 = 4723.
			name: "FreeOverUsesSubtotalBeforeDiscount",
			in: orders.TotalsInput{Lines: euCart, Address: orders.Address{Country: "ES"},
				Method:   orders.ShippingMethod{Name: "Tracked", Kind: orders.MethodFreeOver, Price: eur(590), FreeOver: eur(5000)},
				Discount: &orders.Discount{Code: "WELCOME10", Kind: orders.DiscountPercent, BasisPoints: 1000},
				Rates:    euRates, Mode: orders.PricesIncludeTax},
			want: want{lines: [][3]int64{{3998, 400, 624}, {1250, 125, 195}}, subtotal: 5248, discount: 525, taxTotal: 819, grand: 4723},
		},
		{
			// Weight tiers priced inside ComputeTotals: 3 × 400 g = 1200 g → the ≤ 5000 g tier, 9.00.
			// 1 × 30.00 incl. 20 %: 3000 / 6 = 500; ship 900 / 6 = 150. tax 650; grand 3900.
			name: "WeightTierShipping",
			in: orders.TotalsInput{
				Lines:   []orders.Line{{SKU: "JAR", Quantity: 3, UnitPrice: eur(1000), WeightGrams: 400}},
				Address: orders.Address{Country: "FR"}, Method: tiered(), Rates: euRates, Mode: orders.PricesIncludeTax},
			want: want{lines: [][3]int64{{3000, 0, 500}}, subtotal: 3000, shipping: 900, shippingTax: 150, taxTotal: 650, grand: 3900},
		},
		{
			// JPY has no minor digits: the yen is the unit. Japan, 10 % included (tax = net / 11),
			// ¥800 flat shipping, 15 % code:
			//   lines 3 × 1280 = 3840 and 1 × 555; subtotal 4395
			//   discount 4395 × 1500 / 10000 = 659.25 → 659
			//   T 659 × 3840 / 4395 = 2530560 / 4395 = 575 rem 3435
			//   S 659 ×  555 / 4395 =  365745 / 4395 =  83 rem  960
			//   658 allocated, 1 left → T: 576 + 83 = 659
			//   nets 3264 and 472; tax 3264 / 11 = 296.73 → 297, 472 / 11 = 42.91 → 43
			//   ship 800 / 11 = 72.73 → 73
			// tax 297 + 43 + 73 = 413; grand 4395 − 659 + 800 = 4536.
			name: "YenNoDecimals",
			in: orders.TotalsInput{
				Lines:   []orders.Line{line("TEA", 3, jpy(1280)), line("SENBEI", 1, jpy(555))},
				Address: orders.Address{Country: "JP"}, Method: flat(jpy(800)),
				Discount: &orders.Discount{Code: "SAKURA15", Kind: orders.DiscountPercent, BasisPoints: 1500},
				Rates:    jpRates, Mode: orders.PricesIncludeTax},
			want: want{lines: [][3]int64{{3840, 576, 297}, {555, 83, 43}}, subtotal: 4395, discount: 659, shipping: 800, shippingTax: 73, taxTotal: 413, grand: 4536},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := orders.ComputeTotals(c.in)
			require.NoError(t, err)
			c.want.check(t, c.in, got)
		})
	}

	t.Run("LineTaxRateRecorded", func(t *testing.T) {
		t.Parallel()
		got, err := orders.ComputeTotals(orders.TotalsInput{
			Lines:   []orders.Line{{SKU: "BOOK", Quantity: 1, UnitPrice: eur(2400), TaxClass: "reduced"}, line("LAMP", 1, eur(5950))},
			Address: orders.Address{Country: "DE"}, Method: pickup, Rates: euRates, Mode: orders.PricesIncludeTax,
		})
		require.NoError(t, err)
		require.Equal(t, 700, got.LineTotals[0].TaxRate)
		require.Equal(t, "MwSt ermäßigt", got.LineTotals[0].TaxName)
		require.Equal(t, 1900, got.LineTotals[1].TaxRate)
	})
}

// tiered is the weight-based method of the tests: ≤ 1000 g 5.00, ≤ 5000 g 9.00, above 15.00.
// Listed out of order on purpose: the bound decides, not the position.
func tiered() orders.ShippingMethod {
	return orders.ShippingMethod{ID: 3, Name: "Parcel", Kind: orders.MethodWeightTiers, Tiers: []orders.WeightTier{
		{UpToGrams: 5000, Price: eur(900)},
		{UpToGrams: 0, Price: eur(1500)},
		{UpToGrams: 1000, Price: eur(500)},
	}}
}

func TestComputeTotalsErrors(t *testing.T) {
	t.Parallel()

	base := func() orders.TotalsInput {
		return orders.TotalsInput{
			Lines:   []orders.Line{line("CAP", 1, usd(1200))},
			Address: orders.Address{Country: "US", Region: "TX"},
			Method:  flat(usd(700)), Rates: usRates, Mode: orders.PricesExcludeTax,
		}
	}

	t.Run("ErrDiscountMinimum", func(t *testing.T) {
		t.Parallel()
		in := base()
		in.Discount = &orders.Discount{Code: "SPEND50", Kind: orders.DiscountPercent, BasisPoints: 1000, MinSubtotal: usd(5000)}
		_, err := orders.ComputeTotals(in)
		require.ErrorIs(t, err, orders.ErrDiscountMinimum)
		require.Equal(t, apperr.Invalid, apperr.CodeOf(err))
		require.Equal(t, "The code SPEND50 needs a subtotal of at least $50.00; your subtotal is $12.00.", apperr.MessageOf(err))
	})

	t.Run("ErrDiscountMinimumOneCentShort", func(t *testing.T) {
		t.Parallel()
		in := base()
		in.Discount = &orders.Discount{Code: "SHIP", Kind: orders.DiscountFreeShipping, MinSubtotal: usd(1201)}
		_, err := orders.ComputeTotals(in)
		require.ErrorIs(t, err, orders.ErrDiscountMinimum)
	})

	t.Run("ErrEmptyCart", func(t *testing.T) {
		t.Parallel()
		in := base()
		in.Lines = nil
		_, err := orders.ComputeTotals(in)
		require.ErrorIs(t, err, orders.ErrEmptyCart)
		require.Equal(t, apperr.Invalid, apperr.CodeOf(err))
	})

	t.Run("ErrMethodUnavailable", func(t *testing.T) {
		t.Parallel()
		in := base()
		in.Lines = []orders.Line{{SKU: "ANVIL", Quantity: 2, UnitPrice: usd(1200), WeightGrams: 3000}}
		in.Method = orders.ShippingMethod{Name: "Letter", Kind: orders.MethodWeightTiers, Tiers: []orders.WeightTier{{UpToGrams: 5000, Price: usd(300)}}}
		_, err := orders.ComputeTotals(in)
		require.ErrorIs(t, err, orders.ErrMethodUnavailable)
		require.Equal(t, apperr.Invalid, apperr.CodeOf(err))
		require.Contains(t, apperr.MessageOf(err), "Letter is not available")
	})

	mutations := map[string]func(*orders.TotalsInput){
		"ErrCurrencyMismatchLines": func(in *orders.TotalsInput) {
			in.Lines = append(in.Lines, line("EU", 1, eur(100)))
		},
		"ErrCurrencyMismatchShipping": func(in *orders.TotalsInput) { in.Method = flat(eur(700)) },
		"ErrCurrencyMismatchFreeOver": func(in *orders.TotalsInput) {
			in.Method = orders.ShippingMethod{Kind: orders.MethodFreeOver, Price: usd(500), FreeOver: eur(5000)}
		},
		"ErrCurrencyMismatchFixedCode": func(in *orders.TotalsInput) {
			in.Discount = &orders.Discount{Code: "EUR5", Kind: orders.DiscountFixed, Amount: eur(500)}
		},
		"ErrCurrencyMismatchMinimum": func(in *orders.TotalsInput) {
			in.Discount = &orders.Discount{Code: "X", Kind: orders.DiscountPercent, BasisPoints: 100, MinSubtotal: eur(1)}
		},
	}
	for name, mutate := range mutations {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			in := base()
			mutate(&in)
			_, err := orders.ComputeTotals(in)
			require.ErrorIs(t, err, orders.ErrCurrencyMismatch)
			require.ErrorIs(t, err, money.ErrCurrencyMismatch)
			require.Equal(t, apperr.Internal, apperr.CodeOf(err), "a shopper cannot cause this; it must not be shown")
		})
	}

	invalid := map[string]func(*orders.TotalsInput){
		"ErrUnknownMode":       func(in *orders.TotalsInput) { in.Mode = "" },
		"ErrZeroQuantity":      func(in *orders.TotalsInput) { in.Lines[0].Quantity = 0 },
		"ErrNegativeQuantity":  func(in *orders.TotalsInput) { in.Lines[0].Quantity = -1 },
		"ErrNegativePrice":     func(in *orders.TotalsInput) { in.Lines[0].UnitPrice = usd(-1) },
		"ErrNegativeWeight":    func(in *orders.TotalsInput) { in.Lines[0].WeightGrams = -1 },
		"ErrNoCurrency":        func(in *orders.TotalsInput) { in.Lines[0].UnitPrice = money.Amount{Minor: 100} },
		"ErrNegativeShipping":  func(in *orders.TotalsInput) { in.Method = flat(usd(-1)) },
		"ErrUnknownMethodKind": func(in *orders.TotalsInput) { in.Method.Kind = "pigeon" },
		"ErrNegativeTaxRate":   func(in *orders.TotalsInput) { in.Rates = []orders.TaxRate{{Country: "US", Rate: -1}} },
		"ErrUnknownDiscount":   func(in *orders.TotalsInput) { in.Discount = &orders.Discount{Code: "X", Kind: "bogo"} },
		"ErrPercentAbove100": func(in *orders.TotalsInput) {
			in.Discount = &orders.Discount{Kind: orders.DiscountPercent, BasisPoints: 10001}
		},
		"ErrPercentZero": func(in *orders.TotalsInput) { in.Discount = &orders.Discount{Kind: orders.DiscountPercent} },
		"ErrNegativeFixedCode": func(in *orders.TotalsInput) {
			in.Discount = &orders.Discount{Kind: orders.DiscountFixed, Amount: usd(-5)}
		},
		"ErrOverflowLine": func(in *orders.TotalsInput) { in.Lines[0].UnitPrice = usd(math.MaxInt64 / 2); in.Lines[0].Quantity = 3 },
		"ErrOverflowSubtotal": func(in *orders.TotalsInput) {
			in.Lines = []orders.Line{line("A", 1, usd(math.MaxInt64)), line("B", 1, usd(1))}
		},
		"ErrOverflowGrandTotal": func(in *orders.TotalsInput) { in.Lines[0].UnitPrice = usd(math.MaxInt64 - 100) },
	}
	for name, mutate := range invalid {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			in := base()
			mutate(&in)
			_, err := orders.ComputeTotals(in)
			require.Error(t, err)
			require.Equal(t, apperr.Internal, apperr.CodeOf(err), "bad configuration or a bug, never a message for the shopper: %v", err)
		})
	}
}

// TestComputeTotalsProperties prices random carts (fixed seed, so a failure reproduces) and
// checks what must hold for every order, plus each line's tax against the documented
// formula computed independently of the 128-bit helper.
func TestComputeTotalsProperties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(20240601, 6))
	currencies := []string{"EUR", "USD", "JPY"}
	for i := range 2000 {
		cur := currencies[rng.IntN(len(currencies))]
		amount := func(max int64) money.Amount { return money.New(rng.Int64N(max), cur) }
		var lines []orders.Line
		for j := range 1 + rng.IntN(8) {
			lines = append(lines, orders.Line{
				SKU: fmt.Sprintf("SKU-%d", j), Quantity: 1 + rng.IntN(5),
				UnitPrice: amount(50000), WeightGrams: rng.IntN(3000), TaxClass: []string{"", "reduced"}[rng.IntN(2)],
			})
		}
		rates := []orders.TaxRate{
			{Country: "XX", Rate: rng.IntN(3000)},
			{Country: "XX", Class: "reduced", Rate: rng.IntN(1000)},
			{Country: "XX", Region: "R", Rate: rng.IntN(3000)},
		}
		in := orders.TotalsInput{
			Lines:   lines,
			Address: orders.Address{Country: "XX", Region: []string{"", "R", "Q"}[rng.IntN(3)]},
			Method:  orders.ShippingMethod{Kind: orders.MethodFreeOver, Price: amount(2000), FreeOver: amount(100000)},
			Rates:   rates,
			Mode:    []orders.TaxMode{orders.PricesIncludeTax, orders.PricesExcludeTax}[rng.IntN(2)],
		}
		switch rng.IntN(4) {
		case 0:
			in.Discount = &orders.Discount{Code: "P", Kind: orders.DiscountPercent, BasisPoints: 1 + rng.IntN(10000)}
		case 1:
			in.Discount = &orders.Discount{Code: "F", Kind: orders.DiscountFixed, Amount: amount(100000)}
		case 2:
			in.Discount = &orders.Discount{Code: "S", Kind: orders.DiscountFreeShipping}
		}
		got, err := orders.ComputeTotals(in)
		require.NoError(t, err, "cart %d", i)
		checkInvariants(t, got)
		for j, lt := range got.LineTotals {
			require.Equal(t, cur, lt.Tax.Currency)
			rate, _ := orders.RateFor(rates, in.Address, lt.TaxClass)
			require.Equal(t, rate.Rate, lt.TaxRate)
			require.Equal(t, referenceTax(lt.Net.Minor, int64(rate.Rate), in.Mode), lt.Tax.Minor, "cart %d line %d", i, j)
		}
		if in.Discount != nil && in.Discount.Kind == orders.DiscountFreeShipping {
			require.Zero(t, got.Shipping.Minor)
			require.Zero(t, got.ShippingTax.Minor)
		}
		if in.Discount != nil && in.Discount.Kind == orders.DiscountFixed {
			require.Equal(t, min(in.Discount.Amount.Minor, got.Subtotal.Minor), got.DiscountTotal.Minor, "fixed code capped at the subtotal")
		}
	}
}

// referenceTax computes the documented formula in plain int64 (the values here are small):
// net × r / (10000 + r) or net × r / 10000, rounded half-up.
func referenceTax(net, rate int64, mode orders.TaxMode) int64 {
	den := int64(10000)
	if mode == orders.PricesIncludeTax {
		den += rate
	}
	num := net * rate // small in this test: no overflow
	q, r := num/den, num%den
	if 2*r >= den {
		q++
	}
	return q
}

func TestComputeTotalsDoesNotModifyInput(t *testing.T) {
	t.Parallel()
	m := tiered()
	lines := []orders.Line{{SKU: "JAR", Quantity: 1, UnitPrice: eur(1000), WeightGrams: 100}}
	_, err := orders.ComputeTotals(orders.TotalsInput{Lines: lines, Address: orders.Address{Country: "FR"}, Method: m, Mode: orders.PricesIncludeTax})
	require.NoError(t, err)
	require.Equal(t, tiered(), m, "tiers are sorted on a copy")
}
