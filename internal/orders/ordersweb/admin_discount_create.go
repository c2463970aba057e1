package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// adminDiscountCreate adds a discount code, its amounts in the shop's currency. A
// refusal shows the form again as typed.
func (h *Handler) adminDiscountCreate(w http.ResponseWriter, r *http.Request) {
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	currency, err := h.adminShopCurrency(r.Context())
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	in, form := adminDiscountInput(r, currency, h.d.Renderer.Zone())
	c, err := h.d.Orders.CreateDiscountCodeAs(r.Context(), h.d.Actor(r), in)
	if err != nil {
		if !web.FormRefusal(err) {
			h.d.Renderer.Error(w, r, err)
			return
		}
		form.Problem = adminProblemOf(err)
		h.renderAdminNewDiscount(w, r, web.FormStatus(err), form)
		return
	}
	h.adminDiscountSaved(w, r, c)
}
