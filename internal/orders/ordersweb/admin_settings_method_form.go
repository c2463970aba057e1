package ordersweb

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/web"
)

// adminMethodFormView is the page of one shipping method, new or existing.
type adminMethodFormView struct {
	Title    string
	ZoneName string
	ZoneURL  string
	Action   string
	Submit   string
	Currency string
	Form     adminMethodForm
	// Warning says the method is stored in another currency than the shop's.
	Warning string
	// DeleteAction removes an existing method; empty for a new one.
	DeleteAction string
}

// adminMethodForm is a method's form as stored or as typed. Every kind's fields are on
// the page at once, so that it works without JavaScript; each says which kind reads it.
type adminMethodForm struct {
	Name, Kind, Price, FreeOver, Position string
	Active                                bool
	Tiers                                 []adminTierRow
	Problem                               adminProblem
}

// adminTierRow is one row of the weight tiers.
type adminTierRow struct {
	Number    string // 1-based, for labels
	UpToName  string
	PriceName string
	UpTo      string
	Price     string
}

// Shown lists the fields the form has, so that a message about any other goes in the
// summary rather than nowhere.
func (f adminMethodForm) Shown() []string {
	shown := []string{"name", "kind", "price", "free_over", "tiers", "active", "position"}
	for _, t := range f.Tiers {
		shown = append(shown, t.UpToName, t.PriceName)
	}
	return shown
}

// adminTierRows builds the rows of the tier table: the given ones, then blank ones to
// add tiers with, within the number the form reads.
func adminTierRows(tiers []orders.WeightTierInput, blank int) []adminTierRow {
	rows := make([]adminTierRow, 0, len(tiers)+blank)
	for i := range min(len(tiers)+blank, adminSettingsTierRows) {
		row := adminTierRow{Number: strconv.Itoa(i + 1), UpToName: orders.TierUpToField(i), PriceName: orders.TierPriceField(i)}
		if i < len(tiers) {
			row.UpTo, row.Price = adminKept(tiers[i].UpToGrams), adminKept(tiers[i].Price)
		}
		rows = append(rows, row)
	}
	return rows
}

// adminMethodInput reads a submitted method form: what the service is asked to save,
// priced in the shop's currency, and the form as typed.
func adminMethodInput(r *http.Request, zoneID int64, currency string) (orders.ShippingMethodInput, adminMethodForm) {
	pf := r.PostForm
	in := orders.ShippingMethodInput{
		ZoneID: zoneID, Name: pf.Get("name"), Kind: pf.Get("kind"), Price: pf.Get("price"), FreeOver: pf.Get("free_over"),
		Active: pf.Get("active") != "", Position: pf.Get("position"), Currency: currency,
	}
	for i := range adminSettingsTierRows {
		up, hasUp := pf[orders.TierUpToField(i)]
		price, hasPrice := pf[orders.TierPriceField(i)]
		if !hasUp && !hasPrice {
			break
		}
		row := orders.WeightTierInput{}
		if hasUp {
			row.UpToGrams = up[0]
		}
		if hasPrice {
			row.Price = price[0]
		}
		in.Tiers = append(in.Tiers, row)
	}
	// The form comes back with the rows as typed and blank rows after the last filled one,
	// so that a refused form still has room for the tier that was missing.
	typed := in.Tiers
	for len(typed) > 0 && strings.TrimSpace(typed[len(typed)-1].UpToGrams+typed[len(typed)-1].Price) == "" {
		typed = typed[:len(typed)-1]
	}
	form := adminMethodForm{
		Name: adminKept(in.Name), Kind: adminKept(in.Kind), Price: adminKept(in.Price), FreeOver: adminKept(in.FreeOver),
		Position: adminKept(in.Position), Active: in.Active, Tiers: adminTierRows(typed, adminSettingsBlankTiers),
	}
	return in, form
}

// adminMethodFormOf is a stored method's form.
func adminMethodFormOf(m orders.ShippingMethodConfig) adminMethodForm {
	f := adminMethodForm{Name: m.Name, Kind: string(m.Kind), Position: strconv.Itoa(m.Position), Active: m.Active}
	var tiers []orders.WeightTierInput
	switch m.Kind {
	case orders.MethodFlat:
		f.Price = adminAmountInput(m.Price)
	case orders.MethodFreeOver:
		f.Price, f.FreeOver = adminAmountInput(m.Price), adminAmountInput(m.FreeOver)
	case orders.MethodWeightTiers:
		for _, t := range m.Tiers {
			row := orders.WeightTierInput{Price: adminAmountInput(t.Price)}
			if t.UpToGrams > 0 {
				row.UpToGrams = strconv.Itoa(t.UpToGrams)
			}
			tiers = append(tiers, row)
		}
	}
	f.Tiers = adminTierRows(tiers, adminSettingsBlankTiers)
	return f
}

// renderAdminNewMethod renders the page adding a method to zoneID, with form. A nil form
// is a fresh one: active, flat-priced until chosen otherwise, after the zone's methods.
func (h *Handler) renderAdminNewMethod(w http.ResponseWriter, r *http.Request, zoneID int64, status int, form *adminMethodForm) {
	ctx := r.Context()
	z, err := h.d.Orders.FindShippingZone(ctx, zoneID)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	currency, err := h.adminShopCurrency(ctx)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	if form == nil {
		next := 1
		for _, m := range z.Methods {
			next = max(next, m.Position+1)
		}
		form = &adminMethodForm{Kind: string(orders.MethodFlat), Active: true, Position: strconv.Itoa(next),
			Tiers: adminTierRows(nil, adminSettingsBlankTiers)}
	}
	h.d.Renderer.Page(w, r, status, adminMethodFormPage(adminMethodFormView{
		Title: "New shipping method", ZoneName: z.Name, ZoneURL: adminZonePath(z.ID),
		Action: adminZonePath(z.ID) + "/methods", Submit: "Add method", Currency: currency, Form: *form,
	}))
}

// renderAdminMethod renders an existing method's page; form replaces the stored values
// when not nil (a refused save).
func (h *Handler) renderAdminMethod(w http.ResponseWriter, r *http.Request, id int64, status int, form *adminMethodForm) {
	ctx := r.Context()
	m, err := h.d.Orders.FindShippingMethod(ctx, id)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	z, err := h.d.Orders.FindShippingZone(ctx, m.ZoneID)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	currency, err := h.adminShopCurrency(ctx)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	v := adminMethodFormView{
		Title: "Shipping method " + m.Name, ZoneName: z.Name, ZoneURL: adminZonePath(z.ID), Action: adminMethodPath(id),
		Submit: "Save method", Currency: currency, Form: adminMethodFormOf(m),
		Warning: adminCurrencyWarning(m.Currency, currency), DeleteAction: adminMethodPath(id) + "/delete",
	}
	if form != nil {
		v.Form = *form
	}
	h.d.Renderer.Page(w, r, status, adminMethodFormPage(v))
}

// adminMethodSaved ends a successful save of a method on its row of the settings page.
func (h *Handler) adminMethodSaved(w http.ResponseWriter, r *http.Request, id int64, name string) {
	h.adminFlashSuccess(r, "Shipping method “"+name+"” saved.")
	web.SeeOther(w, r, adminSettingsPath+"#"+adminMethodAnchor(id))
}
