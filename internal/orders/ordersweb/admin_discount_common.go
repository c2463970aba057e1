package ordersweb

import (
	"strconv"
	"time"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/web"
)

// adminDiscountsPath is the discount code list; cmd/shop mounts the discount pages under
// it (discounts.edit).
const adminDiscountsPath = "/admin/discounts"

// adminDiscountInputTime is how a datetime-local input shows a time, on the store's
// clock.
const adminDiscountInputTime = "2006-01-02T15:04"

func adminDiscountPath(id int64) string { return adminDiscountsPath + "/" + strconv.FormatInt(id, 10) }

// adminDiscountKindOptions are the choices of what a code gives.
func adminDiscountKindOptions() []web.Option {
	return []web.Option{
		{Value: "", Label: "Choose…"},
		{Value: string(orders.DiscountPercent), Label: "A percentage off the goods"},
		{Value: string(orders.DiscountFixed), Label: "An amount off the goods"},
		{Value: string(orders.DiscountFreeShipping), Label: "Free shipping"},
	}
}

// adminDiscountValue says what a code gives: "10% off", "€5.00 off", "Free shipping".
func adminDiscountValue(c orders.DiscountCode) string {
	switch c.Kind {
	case orders.DiscountPercent:
		return adminTaxRate(c.BasisPoints) + " off"
	case orders.DiscountFixed:
		return c.Amount.String() + " off"
	case orders.DiscountFreeShipping:
		return "Free shipping"
	}
	return string(c.Kind)
}

// adminDiscountLimits says what a code needs besides its dates: "From €50.00 · 1 per
// customer", or "None".
func adminDiscountLimits(c orders.DiscountCode) string {
	var parts []string
	if c.MinSubtotal.Minor > 0 {
		parts = append(parts, "From "+c.MinSubtotal.String())
	}
	if c.PerCustomerLimit != nil {
		parts = append(parts, strconv.Itoa(*c.PerCustomerLimit)+" per customer")
	}
	if len(parts) == 0 {
		return "None"
	}
	out := parts[0]
	for _, p := range parts[1:] {
		out += " · " + p
	}
	return out
}

// adminDiscountUsed is "3 of 100" or "3 (no limit)".
func adminDiscountUsed(c orders.DiscountCode) string {
	if c.UsageLimit == nil {
		return strconv.Itoa(c.UsedCount) + " (no limit)"
	}
	return strconv.Itoa(c.UsedCount) + " of " + strconv.Itoa(*c.UsageLimit)
}

// adminDiscountStatus says whether a code applies now, and why not when it does not.
func adminDiscountStatus(c orders.DiscountCode, now time.Time) adminStatusBadge {
	switch {
	case !c.Active:
		return adminStatusBadge{"Inactive", web.BadgeNeutral, "inactive"}
	case c.EndsAt != nil && !now.Before(*c.EndsAt):
		return adminStatusBadge{"Ended", web.BadgeNeutral, "ended"}
	case c.UsageLimit != nil && c.UsedCount >= *c.UsageLimit:
		return adminStatusBadge{"Used up", web.BadgeWarning, "used-up"}
	case c.StartsAt != nil && now.Before(*c.StartsAt):
		return adminStatusBadge{"Scheduled", web.BadgeInfo, "scheduled"}
	}
	return adminStatusBadge{"Active", web.BadgeSuccess, "active"}
}

// adminDiscountCurrency is the currency a code's amounts are in, "" when it has none
// (percent and free-shipping codes without a minimum apply in any currency).
func adminDiscountCurrency(c orders.DiscountCode) string {
	if c.Amount.Minor == 0 && c.MinSubtotal.Minor == 0 {
		return ""
	}
	return c.Amount.Currency
}
