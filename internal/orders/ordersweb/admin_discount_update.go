package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// adminDiscountUpdate saves a discount code. Orders that used it keep their discount;
// the change applies to the next checkout.
func (h *Handler) adminDiscountUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := web.URLID(r, "id")
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	currency, err := h.adminShopCurrency(r.Context())
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	in, form := adminDiscountInput(r, currency, h.d.Renderer.Zone())
	c, err := h.d.Orders.UpdateDiscountCode(r.Context(), h.d.Actor(r), id, in)
	if err != nil {
		if !web.FormRefusal(err) {
			h.d.Renderer.Error(w, r, err)
			return
		}
		form.Problem = adminProblemOf(err)
		h.renderAdminDiscount(w, r, id, web.FormStatus(err), &form)
		return
	}
	h.adminDiscountSaved(w, r, c)
}
