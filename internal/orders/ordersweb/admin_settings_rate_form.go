package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/web"
)

// adminTaxRateFormView is the page of one tax rate, new or existing.
type adminTaxRateFormView struct {
	Title  string
	Action string
	Submit string
	Form   adminTaxRateForm
	// DeleteAction removes an existing rate; empty for a new one.
	DeleteAction string
}

// adminTaxRateForm is a rate's form as stored or as typed.
type adminTaxRateForm struct {
	Country, Region, Class, Rate, Name string
	Problem                            adminProblem
}

// adminTaxRateInput reads a submitted tax rate form: what the service is asked to save
// and the form as typed.
func adminTaxRateInput(r *http.Request) (orders.TaxRateInput, adminTaxRateForm) {
	pf := r.PostForm
	in := orders.TaxRateInput{Country: pf.Get("country"), Region: pf.Get("region"), Class: pf.Get("class"),
		Rate: pf.Get("rate"), Name: pf.Get("name")}
	return in, adminTaxRateForm{Country: adminKept(in.Country), Region: adminKept(in.Region), Class: adminKept(in.Class),
		Rate: adminKept(in.Rate), Name: adminKept(in.Name)}
}

// renderAdminNewTaxRate renders the new-rate page with form.
func (h *Handler) renderAdminNewTaxRate(w http.ResponseWriter, r *http.Request, status int, form adminTaxRateForm) {
	h.d.Renderer.Page(w, r, status, adminTaxRateFormPage(adminTaxRateFormView{
		Title: "New tax rate", Action: adminTaxRatesPath, Submit: "Add rate", Form: form,
	}))
}

// renderAdminTaxRate renders an existing rate's page; form replaces the stored values
// when not nil (a refused save).
func (h *Handler) renderAdminTaxRate(w http.ResponseWriter, r *http.Request, id int64, status int, form *adminTaxRateForm) {
	t, err := h.d.Orders.FindTaxRate(r.Context(), id)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	v := adminTaxRateFormView{
		Title: "Tax rate for " + t.Country, Action: adminTaxRatePath(id), Submit: "Save rate",
		Form:         adminTaxRateForm{Country: t.Country, Region: t.Region, Class: t.Class, Rate: adminPercentInput(t.Rate), Name: t.Name},
		DeleteAction: adminTaxRatePath(id) + "/delete",
	}
	if form != nil {
		v.Form = *form
	}
	h.d.Renderer.Page(w, r, status, adminTaxRateFormPage(v))
}

// adminTaxRateSaved ends a successful save on the settings page's tax rates.
func (h *Handler) adminTaxRateSaved(w http.ResponseWriter, r *http.Request, t orders.TaxRate) {
	h.adminFlashSuccess(r, "Tax rate of "+adminTaxRate(t.Rate)+" for "+adminTaxRatePlace(t)+" saved.")
	web.SeeOther(w, r, adminSettingsPath+"#"+adminTaxRatesAnchor)
}

// adminTaxRatePlace says where and to what a rate applies: "FR", "US-TX", "FR (reduced)".
func adminTaxRatePlace(t orders.TaxRate) string {
	s := t.Country
	if t.Region != "" {
		s += "-" + t.Region
	}
	if t.Class != "" {
		s += " (" + t.Class + ")"
	}
	return s
}
