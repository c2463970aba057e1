package orders

// The pricing engine: pure functions from a cart, a destination, a chosen shipping method,
// an optional discount code and the store's tax settings to the totals an order is placed
// with. No database, no clock, no floats: every figure is an exact integer number of minor
// units, and each one that needs rounding is rounded exactly once (see ComputeTotals), so
// the cart, the checkout summary, the order, the emails and the invoice all show the same
// cents.

import (
	"errors"
	"fmt"
	"math"
	"math/bits"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// Line is one cart line as it is priced at checkout. It is a snapshot (SKU, name, unit
// price) so that the order keeps what was sold even when the catalog changes afterwards.
type Line struct {
	VariantID int64
	SKU       string
	Name      string
	Quantity  int
	// UnitPrice is in the store's price mode: tax included or not, see TaxMode.
	UnitPrice money.Amount
	// WeightGrams is the weight of ONE unit; weight-based shipping uses the sum of
	// Quantity × WeightGrams over all lines.
	WeightGrams int
	// TaxClass is optional: "" is the standard class. A line of class "reduced" is taxed
	// at a TaxRate with Class "reduced" for its destination when one exists (see RateFor).
	TaxClass string
}

// LineTotal is one line of the priced order, in the store's price mode.
type LineTotal struct {
	Line
	// Gross is Quantity × UnitPrice, before any discount (the "line total" a shopper sees).
	Gross money.Amount
	// Discount is this line's share of the order's discount (largest-remainder allocation).
	Discount money.Amount
	// Net is Gross − Discount: the amount the line's tax is computed on. When prices include
	// tax, Net still includes Tax; when they exclude tax, the shopper pays Net + Tax.
	Net money.Amount
	// Tax is the tax contained in Net (prices include tax) or added to it (prices exclude tax).
	Tax money.Amount
	// TaxRate (basis points) and TaxName are what Tax was computed with, kept for the
	// invoice's per-rate breakdown. TaxRate is 0 and TaxName empty when no rate applied.
	TaxRate int
	TaxName string
}

// Totals are the figures an order is placed with. All amounts are in the cart's currency.
type Totals struct {
	LineTotals []LineTotal
	// Subtotal is the sum of the lines' Gross, before the discount, as displayed in the
	// store's price mode (tax included when the store's prices include tax).
	Subtotal money.Amount
	// DiscountTotal is the discount on goods (percent or fixed code); it never touches
	// shipping. A free_shipping code leaves it 0 and makes Shipping 0 instead.
	DiscountTotal money.Amount
	// Shipping is the chosen method's price in the store's price mode (0 with free shipping).
	Shipping money.Amount
	// ShippingTax is the tax contained in or added to Shipping.
	ShippingTax money.Amount
	// TaxTotal is the sum of the lines' Tax plus ShippingTax.
	TaxTotal money.Amount
	// GrandTotal is what the shopper pays: Subtotal − DiscountTotal + Shipping, plus
	// TaxTotal when prices exclude tax.
	GrandTotal money.Amount
	// TaxIncluded says the amounts above include tax (show "incl. VAT" rather than adding a
	// tax row to the sum).
	TaxIncluded bool
}

// TotalsInput is everything ComputeTotals needs; the caller loads it, pricing stays pure.
type TotalsInput struct {
	Lines   []Line
	Address Address
	// Method is the shipping method the shopper chose. The caller has already checked that
	// it is offered for Address (AvailableShippingMethods); it is priced again here for
	// these lines so a tampered form cannot change the price.
	Method ShippingMethod
	// Discount is the code being redeemed, nil for none. Validity dates and usage limits
	// need the database and are the caller's job; the minimum subtotal is checked here.
	Discount *Discount
	Rates    []TaxRate
	Mode     TaxMode
}

var (
	// ErrEmptyCart is returned when there is nothing to price.
	ErrEmptyCart = errors.New("orders: the cart is empty")
	// ErrCurrencyMismatch is money's own sentinel, so errors.Is works with either name:
	// a cart, its shipping prices and a fixed discount must all be in one currency.
	ErrCurrencyMismatch = money.ErrCurrencyMismatch
	// errOverflow means an amount does not fit in int64 minor units: far beyond any real
	// order, so it is a bug or an attack, never a rounding we would silently make.
	errOverflow = errors.New("orders: amount out of range")
)

// ComputeTotals prices an order. The rules, applied in this order, are:
//
//  1. Lines. Gross = Quantity × UnitPrice, exact. Subtotal = Σ Gross. All lines must share
//     one currency, Quantity must be positive, prices and weights must not be negative.
//  2. Discount (on goods only). MinSubtotal is compared with Subtotal (equal passes;
//     otherwise ErrDiscountMinimum). Percent: DiscountTotal = Subtotal × BasisPoints /
//     10000 rounded half-up. Fixed: DiscountTotal = min(Amount, Subtotal), so an order
//     never goes below zero. Free shipping: DiscountTotal = 0 and Shipping = 0.
//  3. Allocation. DiscountTotal is split across lines in proportion to Gross by the
//     largest-remainder method: each line first gets floor(DiscountTotal × Gross /
//     Subtotal); the minor units still missing (fewer than the number of lines) go one
//     each to the lines with the largest remainders of that division, ties to the earlier
//     line. The shares therefore sum exactly to DiscountTotal and none exceeds its Gross.
//     Net = Gross − share.
//  4. Line tax, per line, on Net, at the destination's rate r (basis points) for the
//     line's tax class (RateFor; region beats country; no rate means 0):
//     prices include tax: Tax = Net × r / (10000 + r), rounded half-up;
//     prices exclude tax: Tax = Net × r / 10000, rounded half-up.
//  5. Shipping. Method priced for these lines (QuoteMethod: free_over compares Subtotal
//     before discount, weight tiers use the total weight), in the same price mode as the
//     goods, taxed with the formula of step 4 at the destination's standard-class rate.
//  6. TaxTotal = Σ Tax + ShippingTax. GrandTotal = Subtotal − DiscountTotal + Shipping,
//     + TaxTotal when prices exclude tax (when they include it, it is already inside).
//
// "Rounded half-up" means to the nearest minor unit, halves away from zero (all amounts
// here are non-negative, so 0.5 → 1). Every product is computed exactly in 128 bits before
// its single division, nothing rounded is rounded again, and every total is a plain sum of
// the per-line figures shown, so the lines on an invoice add up to its totals. Because tax
// is rounded per line, TaxTotal may differ by a few minor units from the tax of the order
// taken as a whole; that is the documented, intended behaviour.
//
// Errors: ErrDiscountMinimum and ErrMethodUnavailable are *apperr.Error with code Invalid
// and a message safe to show the shopper; ErrEmptyCart likewise; currency mismatches,
// negative inputs, unknown kinds and overflow are configuration or programming errors
// (apperr code Internal).
func ComputeTotals(in TotalsInput) (Totals, error) {
	if in.Mode != PricesIncludeTax && in.Mode != PricesExcludeTax {
		return Totals{}, fmt.Errorf("orders: unknown tax mode %q", in.Mode)
	}
	cart, err := sumLines(in.Lines)
	if err != nil {
		return Totals{}, err
	}
	cur := cart.currency
	amt := func(minor int64) money.Amount { return money.Amount{Minor: minor, Currency: cur} }

	shipping, err := quote(in.Method, cart)
	if err != nil {
		return Totals{}, err
	}

	var off int64
	if in.Discount != nil {
		var free bool
		off, free, err = in.Discount.apply(amt(cart.subtotal))
		if err != nil {
			return Totals{}, err
		}
		if free {
			shipping = 0
		}
	}
	shares := allocate(off, cart.gross)

	t := Totals{
		LineTotals:    make([]LineTotal, len(in.Lines)),
		Subtotal:      amt(cart.subtotal),
		DiscountTotal: amt(off),
		Shipping:      amt(shipping),
		TaxIncluded:   in.Mode == PricesIncludeTax,
	}
	var taxSum int64 // cannot overflow: each line's tax is at most its Net, and Σ Net ≤ Subtotal
	for i, l := range in.Lines {
		net := cart.gross[i] - shares[i]
		rate, _ := RateFor(in.Rates, in.Address, l.TaxClass)
		tax, err := taxMinor(net, rate.Rate, in.Mode)
		if err != nil {
			return Totals{}, err
		}
		taxSum += tax
		t.LineTotals[i] = LineTotal{
			Line:     l,
			Gross:    amt(cart.gross[i]),
			Discount: amt(shares[i]),
			Net:      amt(net),
			Tax:      amt(tax),
			TaxRate:  rate.Rate,
			TaxName:  rate.Name,
		}
	}

	shipRate, _ := RateFor(in.Rates, in.Address, "")
	shipTax, err := taxMinor(shipping, shipRate.Rate, in.Mode)
	if err != nil {
		return Totals{}, err
	}
	taxTotal, ok := addInt64(taxSum, shipTax)
	grand, ok2 := addInt64(cart.subtotal-off, shipping) // subtotal−off ≥ 0: the discount is capped
	if in.Mode == PricesExcludeTax {
		var ok3 bool
		grand, ok3 = addInt64(grand, taxTotal)
		ok2 = ok2 && ok3
	}
	if !ok || !ok2 {
		return Totals{}, errOverflow
	}
	t.ShippingTax = amt(shipTax)
	t.TaxTotal = amt(taxTotal)
	t.GrandTotal = amt(grand)
	return t, nil
}

// cartSums is what pricing needs to know about the lines as a whole, computed once.
type cartSums struct {
	currency string
	gross    []int64 // per line, Quantity × UnitPrice
	subtotal int64
	weight   int64 // grams, Σ Quantity × WeightGrams
}

func sumLines(lines []Line) (cartSums, error) {
	if len(lines) == 0 {
		return cartSums{}, apperr.Wrap(ErrEmptyCart, apperr.Invalid, "Your cart is empty.")
	}
	s := cartSums{currency: lines[0].UnitPrice.Currency, gross: make([]int64, len(lines))}
	if s.currency == "" {
		return cartSums{}, fmt.Errorf("orders: line %q has a price without a currency", lines[0].SKU)
	}
	for i, l := range lines {
		switch {
		case l.UnitPrice.Currency != s.currency:
			return cartSums{}, fmt.Errorf("%w: line %q is in %s, the cart in %s",
				ErrCurrencyMismatch, l.SKU, l.UnitPrice.Currency, s.currency)
		case l.Quantity <= 0:
			return cartSums{}, fmt.Errorf("orders: line %q has quantity %d", l.SKU, l.Quantity)
		case l.UnitPrice.Minor < 0:
			return cartSums{}, fmt.Errorf("orders: line %q has a negative price", l.SKU)
		case l.WeightGrams < 0:
			return cartSums{}, fmt.Errorf("orders: line %q has a negative weight", l.SKU)
		}
		gross, ok := mulInt64(l.UnitPrice.Minor, int64(l.Quantity))
		weight, ok2 := mulInt64(int64(l.WeightGrams), int64(l.Quantity))
		var ok3, ok4 bool
		s.subtotal, ok3 = addInt64(s.subtotal, gross)
		s.weight, ok4 = addInt64(s.weight, weight)
		if !ok || !ok2 || !ok3 || !ok4 {
			return cartSums{}, errOverflow
		}
		s.gross[i] = gross
	}
	return s, nil
}

// mulDivHalfUp returns a × b / c rounded to the nearest integer, halves away from zero.
// The product is formed exactly in 128 bits (math/bits), so a × b may exceed int64 as long
// as the result fits; ok is false when it does not, or when c is not positive. This is the
// only place pricing divides, so every rounding in the package follows this one rule.
func mulDivHalfUp(a, b, c int64) (q int64, ok bool) {
	if c <= 0 {
		return 0, false
	}
	neg := (a < 0) != (b < 0)
	hi, lo := bits.Mul64(abs64(a), abs64(b))
	uc := uint64(c)
	if hi >= uc { // quotient would not fit in 64 bits (and bits.Div64 would panic)
		return 0, false
	}
	uq, r := bits.Div64(hi, lo, uc)
	if r >= uc-r { // r ≥ c/2, i.e. 2r ≥ c, written so that nothing can overflow
		if uq == math.MaxUint64 {
			return 0, false
		}
		uq++
	}
	limit := uint64(math.MaxInt64)
	if neg {
		limit++ // −2^63 fits, +2^63 does not
	}
	if uq > limit {
		return 0, false
	}
	if neg {
		return -int64(uq), true
	}
	return int64(uq), true
}

// abs64 returns |x| as unsigned, correct even for math.MinInt64.
func abs64(x int64) uint64 {
	if x < 0 {
		return -uint64(x)
	}
	return uint64(x)
}

// mulInt64 returns a × b, ok false on overflow.
func mulInt64(a, b int64) (int64, bool) { return mulDivHalfUp(a, b, 1) }

// addInt64 returns a + b, ok false on overflow.
func addInt64(a, b int64) (int64, bool) {
	s := a + b
	if (a > 0 && b > 0 && s < 0) || (a < 0 && b < 0 && s >= 0) {
		return 0, false
	}
	return s, true
}
