// Package money represents amounts exactly, in minor units of an ISO 4217 currency.
// Floats never touch money: 0.1 + 0.2 is not 0.3 in binary, and a cent lost per order adds up.
package money

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Amount is a quantity of one currency in its minor unit (cents for EUR and USD).
type Amount struct {
	Minor    int64
	Currency string
}

// New returns an Amount; currency is upper-cased.
func New(minor int64, currency string) Amount {
	return Amount{Minor: minor, Currency: strings.ToUpper(currency)}
}

// ErrCurrencyMismatch is returned when two amounts of different currencies meet.
var ErrCurrencyMismatch = errors.New("money: currency mismatch")

// Add returns a+b, refusing to mix currencies.
func (a Amount) Add(b Amount) (Amount, error) {
	if a.Currency != b.Currency {
		return Amount{}, fmt.Errorf("%w: %s and %s", ErrCurrencyMismatch, a.Currency, b.Currency)
	}
	return Amount{Minor: a.Minor + b.Minor, Currency: a.Currency}, nil
}

// Mul returns a multiplied by a whole quantity.
func (a Amount) Mul(n int64) Amount { return Amount{Minor: a.Minor * n, Currency: a.Currency} }

// IsZero reports whether the amount is nothing.
func (a Amount) IsZero() bool { return a.Minor == 0 }

// currencyInfo is what formatting needs: the symbol, whether it goes first, and how many
// minor digits the currency has (JPY has none, BHD has three).
type currencyInfo struct {
	symbol string
	prefix bool
	digits int
}

var currencies = map[string]currencyInfo{
	"USD": {"$", true, 2},
	"EUR": {"€", true, 2},
	"GBP": {"£", true, 2},
	"CHF": {"CHF ", true, 2},
	"CAD": {"CA$", true, 2},
	"AUD": {"A$", true, 2},
	"SEK": {" kr", false, 2},
	"DKK": {" kr.", false, 2},
	"NOK": {" kr", false, 2},
	"PLN": {" zł", false, 2},
	"JPY": {"¥", true, 0},
	"BHD": {" BHD", false, 3},
}

// Known reports whether currency is one the shop can price in: one it knows how to
// write (symbol, place, minor digits).
func Known(currency string) bool {
	_, ok := currencies[currency]
	return ok
}

// KnownCurrencies lists the currencies the shop can price in, by code.
func KnownCurrencies() []string {
	return slices.Sorted(maps.Keys(currencies))
}

// Digits returns the number of minor-unit digits of currency (2 when unknown).
func Digits(currency string) int {
	if c, ok := currencies[currency]; ok {
		return c.digits
	}
	return 2
}

// String formats for people: "$12.50", "¥1200", "12.50 kr".
func (a Amount) String() string {
	info, ok := currencies[a.Currency]
	if !ok {
		info = currencyInfo{symbol: " " + a.Currency, digits: 2}
	}
	num := formatMinor(a.Minor, info.digits)
	if info.prefix {
		if strings.HasPrefix(num, "-") {
			return "-" + info.symbol + num[1:]
		}
		return info.symbol + num
	}
	return num + info.symbol
}

// Decimal formats without a symbol, for machine-readable output (JSON-LD, CSV): "12.50".
func (a Amount) Decimal() string { return formatMinor(a.Minor, Digits(a.Currency)) }

func formatMinor(minor int64, digits int) string {
	neg := minor < 0
	u := uint64(minor)
	if neg {
		u = uint64(-minor)
	}
	s := strconv.FormatUint(u, 10)
	if digits > 0 {
		for len(s) <= digits {
			s = "0" + s
		}
		s = s[:len(s)-digits] + "." + s[len(s)-digits:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// ParseDecimal reads "12.5" or "12.50" as minor units of currency, refusing more precision
// than the currency has instead of rounding silently.
func ParseDecimal(s, currency string) (Amount, error) {
	digits := Digits(currency)
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || (hasFrac && frac == "") || len(frac) > digits {
		return Amount{}, fmt.Errorf("money: %q is not an amount with at most %d decimals", s, digits)
	}
	for len(frac) < digits {
		frac += "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || len(whole) > 15 {
		return Amount{}, fmt.Errorf("money: %q is not a valid amount", s)
	}
	if neg {
		n = -n
	}
	return Amount{Minor: n, Currency: currency}, nil
}
