package ordersweb

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/monoshop/monoshop/internal/orders"
)

// adminSettingsView is the settings page: how prices are taxed, where the shop ships and
// for how much, and the tax rates.
type adminSettingsView struct {
	Store    adminStoreForm
	TaxMode  adminTaxModeForm
	Seller   adminSellerForm
	Currency string
	Zones    []adminZoneRow
	Rates    []adminTaxRateRow
}

// adminTaxModeForm is the tax mode as stored, or as submitted when it was refused.
type adminTaxModeForm struct {
	Mode    string
	Problem adminProblem
}

// adminSellerForm is the seller's details as stored, or as submitted when refused.
type adminSellerForm struct {
	Name    string
	Address string
	TaxID   string
	Note    string
	Problem adminProblem
}

// adminZoneRow is one shipping zone with its methods.
type adminZoneRow struct {
	Anchor    string
	Name      string
	Countries string
	Position  string
	EditURL   string
	AddMethod string
	// Unshippable are the zone's countries that checkout takes no address in yet.
	Unshippable string
	Methods     []adminMethodRow
}

// adminMethodRow is one shipping method of a zone.
type adminMethodRow struct {
	Anchor  string
	Name    string
	Kind    string
	Price   string
	Active  bool
	EditURL string
	Warning string
}

// adminTaxRateRow is one tax rate.
type adminTaxRateRow struct {
	Country   string
	Region    string
	Class     string
	Rate      string
	Name      string
	EditURL   string
	DeleteURL string
}

// adminSettingsShow shows the settings page.
func (h *Handler) adminSettingsShow(w http.ResponseWriter, r *http.Request) {
	h.renderAdminSettings(w, r, http.StatusOK, adminSettingsRefused{})
}

// adminSettingsRefused is a form of the settings page refused as submitted, shown again
// with its messages instead of the stored values; at most one is set.
type adminSettingsRefused struct {
	taxMode *adminTaxModeForm
	seller  *adminSellerForm
	store   *adminStoreForm
	// logo is a refused logo upload's problem.
	logo *adminProblem
}

// renderAdminSettings renders the settings page, with a refused form as submitted.
func (h *Handler) renderAdminSettings(w http.ResponseWriter, r *http.Request, status int, refused adminSettingsRefused) {
	ctx := r.Context()
	settings, err := h.d.Orders.PricingSettings(ctx)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	zones, err := h.d.Orders.ListShippingZones(ctx)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	currency, err := h.adminShopCurrency(ctx)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	v := adminSettingsView{TaxMode: adminTaxModeForm{Mode: string(settings.Mode)}, Currency: currency}
	if refused.taxMode != nil {
		v.TaxMode = *refused.taxMode
	}
	if v.Store, err = h.adminStoreFormFor(ctx, refused.store, currency); err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	if refused.logo != nil {
		v.Store.LogoProblem = *refused.logo
	}
	if refused.seller != nil {
		v.Seller = *refused.seller
	} else {
		seller, err := h.d.Orders.Seller(ctx)
		if err != nil {
			h.d.Renderer.Error(w, r, err)
			return
		}
		v.Seller = adminSellerForm{Name: seller.Name, Address: seller.Address, TaxID: seller.TaxID, Note: seller.InvoiceNote}
	}
	for _, z := range zones {
		row := adminZoneRow{
			Anchor: adminZoneAnchor(z.ID), Name: z.Name, Countries: strings.Join(z.Countries, ", "),
			Position: strconv.Itoa(z.Position), EditURL: adminZonePath(z.ID), AddMethod: adminZonePath(z.ID) + "/methods/new",
			Unshippable: strings.Join(adminUnshippable(z.Countries), ", "),
		}
		for _, m := range z.Methods {
			row.Methods = append(row.Methods, adminMethodRowOf(m, currency))
		}
		v.Zones = append(v.Zones, row)
	}
	for _, t := range settings.Rates {
		v.Rates = append(v.Rates, adminTaxRateRow{Country: t.Country, Region: t.Region, Class: t.Class,
			Rate: adminTaxRate(t.Rate), Name: t.Name, EditURL: adminTaxRatePath(t.ID), DeleteURL: adminTaxRatePath(t.ID) + "/delete"})
	}
	h.d.Renderer.Page(w, r, status, adminSettingsPage(v))
}

func adminMethodRowOf(m orders.ShippingMethodConfig, shopCurrency string) adminMethodRow {
	return adminMethodRow{Anchor: adminMethodAnchor(m.ID), Name: m.Name, Kind: adminMethodKindLabel(m.Kind), Price: adminMethodPrice(m), Active: m.Active,
		EditURL: adminMethodPath(m.ID), Warning: adminCurrencyWarning(m.Currency, shopCurrency)}
}
