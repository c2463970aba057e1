package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// adminTaxRateCreate adds a tax rate. A refusal shows the form again as typed.
func (h *Handler) adminTaxRateCreate(w http.ResponseWriter, r *http.Request) {
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	in, form := adminTaxRateInput(r)
	t, err := h.d.Orders.SaveTaxRate(r.Context(), h.d.Actor(r), 0, in)
	if err != nil {
		if !web.FormRefusal(err) {
			h.d.Renderer.Error(w, r, err)
			return
		}
		form.Problem = adminProblemOf(err)
		h.renderAdminNewTaxRate(w, r, web.FormStatus(err), form)
		return
	}
	h.adminTaxRateSaved(w, r, t)
}
