package ordersweb

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/web"
)

// adminZoneFormView is the page of one shipping zone: new, or existing with its methods
// and the form that deletes it.
type adminZoneFormView struct {
	Title  string
	Action string
	Submit string
	Form   adminZoneForm
	// The rest is for an existing zone only.
	Methods   []adminMethodRow
	AddMethod string
	Delete    *adminZoneDeleteForm
}

// adminZoneForm is the zone's form as stored or as typed.
type adminZoneForm struct {
	Name, Countries, Position string
	Problem                   adminProblem
}

// adminZoneDeleteForm asks to confirm removing a zone, which takes its methods with it.
type adminZoneDeleteForm struct {
	Action  string
	Name    string // as stored, whatever a refused save typed
	Methods int
	Problem adminProblem
}

// adminZoneInput reads a submitted zone form: what the service is asked to save and the
// form as typed, to show again if it is refused.
func adminZoneInput(r *http.Request) (orders.ShippingZoneInput, adminZoneForm) {
	in := orders.ShippingZoneInput{
		Name: r.PostFormValue("name"), Countries: r.PostFormValue("countries"), Position: r.PostFormValue("position"),
	}
	return in, adminZoneForm{Name: adminKept(in.Name), Countries: adminKept(in.Countries), Position: adminKept(in.Position)}
}

// renderAdminNewZone renders the new-zone page with form.
func (h *Handler) renderAdminNewZone(w http.ResponseWriter, r *http.Request, status int, form adminZoneForm) {
	h.d.Renderer.Page(w, r, status, adminZoneFormPage(adminZoneFormView{
		Title: "New shipping zone", Action: adminZonesPath, Submit: "Add zone", Form: form,
	}))
}

// renderAdminZone renders an existing zone's page. form replaces the stored values when
// not nil (a refused save), and del carries a refused deletion.
func (h *Handler) renderAdminZone(w http.ResponseWriter, r *http.Request, id int64, status int, form *adminZoneForm, del *adminProblem) {
	ctx := r.Context()
	z, err := h.d.Orders.FindShippingZone(ctx, id)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	currency, err := h.adminShopCurrency(ctx)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	v := adminZoneFormView{
		Title: "Shipping zone " + z.Name, Action: adminZonePath(id), Submit: "Save zone",
		Form:      adminZoneForm{Name: z.Name, Countries: strings.Join(z.Countries, ", "), Position: strconv.Itoa(z.Position)},
		AddMethod: adminZonePath(id) + "/methods/new",
		Delete:    &adminZoneDeleteForm{Action: adminZonePath(id) + "/delete", Name: z.Name, Methods: len(z.Methods)},
	}
	if form != nil {
		v.Form = *form
	}
	if del != nil {
		v.Delete.Problem = *del
	}
	for _, m := range z.Methods {
		v.Methods = append(v.Methods, adminMethodRowOf(m, currency))
	}
	h.d.Renderer.Page(w, r, status, adminZoneFormPage(v))
}

// adminZoneSaved ends a successful save of a zone on its section of the settings page.
func (h *Handler) adminZoneSaved(w http.ResponseWriter, r *http.Request, id int64, name string) {
	h.adminFlashSuccess(r, "Shipping zone “"+strings.TrimSpace(name)+"” saved.")
	web.SeeOther(w, r, adminSettingsPath+"#"+adminZoneAnchor(id))
}

// adminMethodsLabel completes the delete confirmation's "Delete Europe": nothing for a
// zone without methods, " and its shipping method", " and its 3 shipping methods".
func adminMethodsLabel(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return " and its shipping method"
	}
	return " and its " + strconv.Itoa(n) + " shipping methods"
}
