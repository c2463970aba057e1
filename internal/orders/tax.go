package orders

import (
	"fmt"
	"strings"

	"github.com/monoshop/monoshop/internal/platform/money"
)

// TaxMode is the store setting that says how catalog prices were entered. It decides
// whether tax is extracted from an amount or added on top of it; the rate is the same.
type TaxMode string

const (
	// PricesIncludeTax: prices are what the shopper pays (EU and UK VAT, Japan). Tax is the
	// part of each amount that is tax: amount × rate / (10000 + rate).
	PricesIncludeTax TaxMode = "include"
	// PricesExcludeTax: prices are before tax (US sales tax, Canada). Tax is added on top:
	// amount × rate / 10000.
	PricesExcludeTax TaxMode = "exclude"
)

// TaxRate is one configured rate. Rates are whole basis points, so 8.25 % is exactly 825
// and never a float.
type TaxRate struct {
	ID      int64
	Country string // ISO 3166-1 alpha-2, matched case-insensitively
	// Region narrows the rate to one subdivision ("TX", "CN" for the Canary Islands); empty
	// means the whole country. A region rate replaces the country rate, it is not added to
	// it: configure the combined rate where taxes stack.
	Region string
	// Class is the tax class the rate is for ("" = standard); see Line.TaxClass.
	Class string
	Rate  int // basis points: 2000 = 20.00 %, 825 = 8.25 %
	Name  string
}

// RateFor picks the rate for a destination and tax class, most specific first:
//
//  1. the class's rate for the address's region,
//  2. the class's rate for the whole country,
//  3. (non-standard classes only) the standard rate for the region,
//  4. the standard rate for the whole country.
//
// A class without its own rate in a country therefore falls back to the standard rate, as
// it would by law; configure a 0 rate for a class that is exempt there. Within one step
// the first matching rate in rates wins. ok is false when nothing matches: the
// destination is untaxed (an export, a state without sales tax) and the rate is 0.
func RateFor(rates []TaxRate, addr Address, class string) (rate TaxRate, ok bool) {
	find := func(class string, region bool) (TaxRate, bool) {
		if region && addr.Region == "" {
			return TaxRate{}, false
		}
		for _, r := range rates {
			if !strings.EqualFold(r.Country, addr.Country) || !strings.EqualFold(r.Class, class) {
				continue
			}
			if region && strings.EqualFold(r.Region, addr.Region) || !region && r.Region == "" {
				return r, true
			}
		}
		return TaxRate{}, false
	}
	classes := []string{class}
	if class != "" {
		classes = append(classes, "")
	}
	for _, c := range classes {
		for _, region := range []bool{true, false} {
			if r, ok := find(c, region); ok {
				return r, true
			}
		}
	}
	return TaxRate{}, false
}

// TaxOn returns the tax in amount at rate (basis points) under mode: contained in it when
// prices include tax, to be added to it when they exclude tax, rounded half-up to the
// minor unit (see ComputeTotals). The cart page uses it to show "incl. VAT" lines with the
// same rounding as checkout.
func TaxOn(amount money.Amount, rate int, mode TaxMode) (money.Amount, error) {
	if amount.Minor < 0 {
		return money.Amount{}, fmt.Errorf("orders: tax on a negative amount %s", amount)
	}
	tax, err := taxMinor(amount.Minor, rate, mode)
	if err != nil {
		return money.Amount{}, err
	}
	return money.Amount{Minor: tax, Currency: amount.Currency}, nil
}

// taxMinor is TaxOn on minor units; amount is non-negative.
func taxMinor(amount int64, rate int, mode TaxMode) (int64, error) {
	if rate < 0 {
		return 0, fmt.Errorf("orders: negative tax rate %d", rate)
	}
	var (
		tax int64
		ok  bool
	)
	switch mode {
	case PricesIncludeTax:
		tax, ok = mulDivHalfUp(amount, int64(rate), 10000+int64(rate))
	case PricesExcludeTax:
		tax, ok = mulDivHalfUp(amount, int64(rate), 10000)
	default:
		return 0, fmt.Errorf("orders: unknown tax mode %q", mode)
	}
	if !ok {
		return 0, errOverflow
	}
	return tax, nil
}
