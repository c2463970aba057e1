package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// adminTaxRateUpdate saves a tax rate. It applies from the next checkout page; placed
// orders keep the tax they were charged.
func (h *Handler) adminTaxRateUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := web.URLID(r, "id")
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	in, form := adminTaxRateInput(r)
	t, err := h.d.Orders.SaveTaxRate(r.Context(), h.d.Actor(r), id, in)
	if err != nil {
		if !web.FormRefusal(err) {
			h.d.Renderer.Error(w, r, err)
			return
		}
		form.Problem = adminProblemOf(err)
		h.renderAdminTaxRate(w, r, id, web.FormStatus(err), &form)
		return
	}
	h.adminTaxRateSaved(w, r, t)
}
