package orders

import (
	"cmp"
	"errors"
	"fmt"
	"math/bits"
	"slices"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// DiscountKind says what a discount code takes off.
type DiscountKind string

const (
	// DiscountPercent takes BasisPoints/10000 of the subtotal (1000 = 10 %).
	DiscountPercent DiscountKind = "percent"
	// DiscountFixed takes Amount off the subtotal, at most the whole subtotal.
	DiscountFixed DiscountKind = "fixed"
	// DiscountFreeShipping makes shipping free and leaves the goods at full price.
	DiscountFreeShipping DiscountKind = "free_shipping"
)

// Discount is a code as pricing sees it. Dates and usage limits are the caller's (they
// need the clock and the database); pricing checks the minimum and computes the amount.
// A discount applies to goods only, never to shipping (except free_shipping) or to tax
// separately: tax follows from the discounted line amounts.
type Discount struct {
	Code        string
	Kind        DiscountKind
	BasisPoints int          // percent: 1 … 10000
	Amount      money.Amount // fixed
	// MinSubtotal is the least subtotal (before discount, in the store's price mode) the
	// code needs; zero means none.
	MinSubtotal money.Amount
}

// ErrDiscountMinimum is returned (inside an *apperr.Error of code Invalid whose message
// names the minimum) when the subtotal is below the code's MinSubtotal.
var ErrDiscountMinimum = errors.New("orders: subtotal below the discount code's minimum")

// apply returns the discount on goods, in minor units of subtotal's currency, and whether
// shipping becomes free. See ComputeTotals for the rules.
func (d Discount) apply(subtotal money.Amount) (off int64, freeShipping bool, err error) {
	if !d.MinSubtotal.IsZero() {
		if d.MinSubtotal.Currency != subtotal.Currency {
			return 0, false, fmt.Errorf("%w: code %q has a minimum in %s, the cart is in %s",
				ErrCurrencyMismatch, d.Code, d.MinSubtotal.Currency, subtotal.Currency)
		}
		if subtotal.Minor < d.MinSubtotal.Minor {
			return 0, false, apperr.Wrap(ErrDiscountMinimum, apperr.Invalid, fmt.Sprintf(
				"The code %s needs a subtotal of at least %s; your subtotal is %s.",
				d.Code, d.MinSubtotal, subtotal))
		}
	}
	switch d.Kind {
	case DiscountPercent:
		if d.BasisPoints <= 0 || d.BasisPoints > 10000 {
			return 0, false, fmt.Errorf("orders: code %q takes %d basis points", d.Code, d.BasisPoints)
		}
		off, ok := mulDivHalfUp(subtotal.Minor, int64(d.BasisPoints), 10000)
		if !ok {
			return 0, false, errOverflow
		}
		return off, false, nil // ≤ subtotal since BasisPoints ≤ 10000
	case DiscountFixed:
		if d.Amount.Minor < 0 {
			return 0, false, fmt.Errorf("orders: code %q has a negative amount", d.Code)
		}
		if d.Amount.Currency != subtotal.Currency {
			return 0, false, fmt.Errorf("%w: code %q is in %s, the cart is in %s",
				ErrCurrencyMismatch, d.Code, d.Amount.Currency, subtotal.Currency)
		}
		return min(d.Amount.Minor, subtotal.Minor), false, nil
	case DiscountFreeShipping:
		return 0, true, nil
	default:
		return 0, false, fmt.Errorf("orders: code %q has unknown kind %q", d.Code, d.Kind)
	}
}

// allocate splits total across weights in proportion to them by the largest-remainder
// method, so that the parts sum exactly to total: every part first gets
// floor(total × w / Σw); the few minor units left (fewer than len(weights)) go one each to
// the parts with the largest remainders, ties to the earlier part, which keeps the result
// deterministic and independent of anything but the inputs. Each part is at most its
// weight when total ≤ Σw, which ComputeTotals guarantees by capping the discount.
//
// Preconditions (guaranteed by the caller): weights are non-negative, Σw fits in int64,
// 0 ≤ total ≤ Σw.
func allocate(total int64, weights []int64) []int64 {
	parts := make([]int64, len(weights))
	var sum int64
	for _, w := range weights {
		sum += w
	}
	if total == 0 || sum == 0 {
		return parts
	}
	rems := make([]uint64, len(weights))
	left := total
	for i, w := range weights {
		// total × w < Σw × 2^64, so the high word is below Σw and Div64 cannot overflow.
		hi, lo := bits.Mul64(uint64(total), uint64(w))
		q, r := bits.Div64(hi, lo, uint64(sum))
		parts[i], rems[i] = int64(q), r
		left -= int64(q)
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rems[b], rems[a]) })
	for _, i := range order[:left] {
		parts[i]++
	}
	return parts
}
