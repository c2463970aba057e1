package ordersweb

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
)

// Back-office paths of the shipping and tax settings, mounted by cmd/shop under
// /admin/settings (settings.edit).
const (
	adminSettingsPath   = "/admin/settings"
	adminZonesPath      = adminSettingsPath + "/zones"
	adminMethodsPath    = adminSettingsPath + "/methods"
	adminTaxRatesPath   = adminSettingsPath + "/tax-rates"
	adminTaxRatesAnchor = "tax-rates"
	adminSellerAnchor   = "invoice-details"
	adminStoreAnchor    = "store-details"
)

// adminSettingsTierRows is how many weight-tier rows the method form reads at most; it
// matches what the service accepts.
const adminSettingsTierRows = 20

// adminSettingsBlankTiers is how many empty weight-tier rows the method form offers below
// the filled ones, so that tiers can be added without JavaScript.
const adminSettingsBlankTiers = 3

func adminZonePath(id int64) string   { return adminZonesPath + "/" + strconv.FormatInt(id, 10) }
func adminMethodPath(id int64) string { return adminMethodsPath + "/" + strconv.FormatInt(id, 10) }
func adminTaxRatePath(id int64) string {
	return adminTaxRatesPath + "/" + strconv.FormatInt(id, 10)
}

// adminZoneAnchor is the id of a zone's section on the settings page, for redirects that
// land on it.
func adminZoneAnchor(id int64) string { return "zone-" + strconv.FormatInt(id, 10) }

// adminMethodAnchor is the id of a method's row on the settings page.
func adminMethodAnchor(id int64) string { return "method-" + strconv.FormatInt(id, 10) }

// adminShopCurrency is the currency the shop sells in (the catalog's): shipping prices
// and discount amounts are typed and stored in it.
func (h *Handler) adminShopCurrency(ctx context.Context) (string, error) {
	cur, err := h.d.Catalog.Currency(ctx)
	if err != nil {
		return "", fmt.Errorf("ordersweb: shop currency: %w", err)
	}
	return cur, nil
}

// adminFlashSuccess queues a success message for the page the redirect leads to.
func (h *Handler) adminFlashSuccess(r *http.Request, text string) {
	h.d.Flash(r, string(web.FlashSuccess), text)
}

// adminCurrencyLabel is how a form labels an amount field: "Price (EUR)".
func adminCurrencyLabel(label, currency string) string { return label + " (" + currency + ")" }

// adminMethodKindLabel names a pricing kind for staff.
func adminMethodKindLabel(k orders.MethodKind) string {
	switch k {
	case orders.MethodFlat:
		return "Flat price"
	case orders.MethodFreeOver:
		return "Free over a subtotal"
	case orders.MethodWeightTiers:
		return "By weight"
	}
	return string(k)
}

// adminMethodKindOptions are the choices of a method's pricing kind.
func adminMethodKindOptions() []web.Option {
	out := []web.Option{{Value: "", Label: "Choose…"}}
	for _, k := range []orders.MethodKind{orders.MethodFlat, orders.MethodFreeOver, orders.MethodWeightTiers} {
		out = append(out, web.Option{Value: string(k), Label: adminMethodKindLabel(k)})
	}
	return out
}

// adminMethodPrice describes what a method costs: "€4.90", "€4.90, free from €50.00",
// "up to 1000 g €14.90 · up to 5000 g €24.90 · heavier €39.90".
func adminMethodPrice(m orders.ShippingMethodConfig) string {
	switch m.Kind {
	case orders.MethodFlat:
		return m.Price.String()
	case orders.MethodFreeOver:
		return m.Price.String() + ", free from " + m.FreeOver.String()
	case orders.MethodWeightTiers:
		parts := make([]string, 0, len(m.Tiers))
		for _, t := range m.Tiers {
			if t.UpToGrams == 0 {
				parts = append(parts, "heavier "+t.Price.String())
			} else {
				parts = append(parts, "up to "+strconv.Itoa(t.UpToGrams)+" g "+t.Price.String())
			}
		}
		return strings.Join(parts, " · ")
	}
	return ""
}

// adminCurrencyWarning explains why checkout does not offer a method or code priced in
// another currency than the shop's, and how to fix it; "" when the currencies agree.
func adminCurrencyWarning(priced, shop string) string {
	if priced == "" || priced == shop {
		return ""
	}
	return "Priced in " + priced + " but the shop sells in " + shop + ": checkout ignores it until it is saved again in " + shop + "."
}

// adminUnshippable lists the countries of a zone that checkout does not take addresses
// in yet (the address form's country list), so staff are not surprised that nobody there
// can order.
func adminUnshippable(countries []string) []string {
	var out []string
	for _, c := range countries {
		if !slices.ContainsFunc(users.Countries, func(k struct{ Code, Name string }) bool { return k.Code == c }) {
			out = append(out, c)
		}
	}
	return out
}

// adminAmountInput is a stored amount as its form field shows it ("4.90"), in the
// currency it was saved in.
func adminAmountInput(a money.Amount) string { return a.Decimal() }

// adminPercentInput is basis points as a percentage field shows them: 2000 → "20",
// 825 → "8.25", 1250 → "12.5".
func adminPercentInput(bp int) string {
	return strings.TrimSuffix(adminTaxRate(bp), "%")
}
