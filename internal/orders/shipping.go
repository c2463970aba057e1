package orders

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// Address is the part of a shipping address that pricing needs.
type Address struct {
	Country string // ISO 3166-1 alpha-2 ("FR", "US"), matched case-insensitively
	Region  string // subdivision as the tax rates name it ("TX", "CN"); optional
}

// ShippingZone is a set of countries served by the same methods.
type ShippingZone struct {
	ID        int64
	Name      string
	Countries []string // ISO 3166-1 alpha-2
	Methods   []ShippingMethod
}

// MethodKind says how a shipping method is priced.
type MethodKind string

const (
	// MethodFlat always costs Price.
	MethodFlat MethodKind = "flat"
	// MethodFreeOver costs Price while the subtotal is below FreeOver and 0 at or above it.
	MethodFreeOver MethodKind = "free_over"
	// MethodWeightTiers costs the price of the first tier the cart's total weight fits in.
	MethodWeightTiers MethodKind = "weight_tiers"
)

// ShippingMethod is one way of shipping within a zone. Prices are in the store's price
// mode (tax included or not), like the catalog's, and are taxed like them.
type ShippingMethod struct {
	ID    int64
	Name  string
	Kind  MethodKind
	Price money.Amount // flat and free_over
	// FreeOver is the free_over threshold, compared with the subtotal before discount (so
	// the price quoted when the shopper picks a method, before any code is entered, is the
	// price charged).
	FreeOver money.Amount
	Tiers    []WeightTier // weight_tiers
}

// WeightTier prices carts weighing up to UpToGrams inclusive (0 = no upper bound). Tiers
// may be listed in any order; the tightest bound that fits wins. A cart heavier than every
// bounded tier, with no unbounded tier, cannot use the method.
type WeightTier struct {
	UpToGrams int
	Price     money.Amount
}

// QuotedMethod is a method offered for a cart, with its price for that cart.
type QuotedMethod struct {
	Zone   string
	Method ShippingMethod
	Price  money.Amount
}

// ErrMethodUnavailable is returned when a method cannot ship this cart (too heavy for its
// tiers). AvailableShippingMethods leaves such methods out instead.
var ErrMethodUnavailable = errors.New("orders: shipping method not available for this cart")

// ZoneFor returns the first zone listing country. Zones are checked in order so that a
// specific zone can be listed before a broader one containing the same country.
func ZoneFor(zones []ShippingZone, country string) (ShippingZone, bool) {
	for _, z := range zones {
		for _, c := range z.Countries {
			if strings.EqualFold(c, country) {
				return z, true
			}
		}
	}
	return ShippingZone{}, false
}

// AvailableShippingMethods returns the methods of the first zone containing addr's
// country, in the zone's order, each priced for lines (QuoteMethod). An address in no zone
// gets none, and so does an empty or invalid cart: checkout then says it does not ship
// there. Methods that cannot price this cart (too heavy for every tier, priced in another
// currency) are left out rather than offered at a wrong price.
func AvailableShippingMethods(zones []ShippingZone, addr Address, lines []Line) []QuotedMethod {
	zone, ok := ZoneFor(zones, addr.Country)
	if !ok {
		return nil
	}
	cart, err := sumLines(lines)
	if err != nil {
		return nil
	}
	var out []QuotedMethod
	for _, m := range zone.Methods {
		price, err := quote(m, cart)
		if err != nil {
			continue
		}
		out = append(out, QuotedMethod{
			Zone:   zone.Name,
			Method: m,
			Price:  money.Amount{Minor: price, Currency: cart.currency},
		})
	}
	return out
}

// QuoteMethod returns what method m costs for lines, in the store's price mode and before
// any free-shipping code: flat → Price; free_over → Price when the subtotal (Σ Quantity ×
// UnitPrice) is below FreeOver, else 0; weight_tiers → the Price of the tier with the
// smallest UpToGrams ≥ the total weight (Σ Quantity × WeightGrams), an unbounded tier
// last. A cart heavier than all bounded tiers and with no unbounded tier gets
// ErrMethodUnavailable.
func QuoteMethod(m ShippingMethod, lines []Line) (money.Amount, error) {
	cart, err := sumLines(lines)
	if err != nil {
		return money.Amount{}, err
	}
	price, err := quote(m, cart)
	if err != nil {
		return money.Amount{}, err
	}
	return money.Amount{Minor: price, Currency: cart.currency}, nil
}

// quote is QuoteMethod on precomputed sums, in minor units of the cart's currency.
func quote(m ShippingMethod, cart cartSums) (int64, error) {
	switch m.Kind {
	case MethodFlat:
		return price(m, m.Price, cart.currency)
	case MethodFreeOver:
		if err := checkAmount(m, m.FreeOver, cart.currency); err != nil {
			return 0, err
		}
		if cart.subtotal >= m.FreeOver.Minor {
			return 0, nil
		}
		return price(m, m.Price, cart.currency)
	case MethodWeightTiers:
		bound := func(t WeightTier) int64 {
			if t.UpToGrams == 0 {
				return math.MaxInt64
			}
			return int64(t.UpToGrams)
		}
		tiers := slices.Clone(m.Tiers)
		slices.SortStableFunc(tiers, func(a, b WeightTier) int {
			return cmp.Compare(bound(a), bound(b))
		})
		for _, t := range tiers {
			if t.UpToGrams < 0 {
				return 0, fmt.Errorf("orders: shipping method %q has a tier up to %d g", m.Name, t.UpToGrams)
			}
			if cart.weight <= bound(t) {
				return price(m, t.Price, cart.currency)
			}
		}
		return 0, apperr.Wrap(fmt.Errorf("%w: %q has no tier for %d g",
			ErrMethodUnavailable, m.Name, cart.weight),
			apperr.Invalid, fmt.Sprintf("%s is not available for an order this heavy. Please choose another shipping method.", m.Name))
	default:
		return 0, fmt.Errorf("orders: shipping method %q has unknown kind %q", m.Name, m.Kind)
	}
}

// price checks a method's price and returns it in minor units.
func price(m ShippingMethod, p money.Amount, currency string) (int64, error) {
	if err := checkAmount(m, p, currency); err != nil {
		return 0, err
	}
	return p.Minor, nil
}

// checkAmount refuses negative amounts and other currencies. A zero amount with no
// currency (a free pickup method, a free_over of 0) is accepted in any cart's currency.
func checkAmount(m ShippingMethod, a money.Amount, currency string) error {
	if a.Minor < 0 {
		return fmt.Errorf("orders: shipping method %q has a negative amount", m.Name)
	}
	if a.Currency != currency && (a.Minor != 0 || a.Currency != "") {
		return fmt.Errorf("%w: shipping method %q is priced in %s, the cart in %s",
			ErrCurrencyMismatch, m.Name, a.Currency, currency)
	}
	return nil
}
