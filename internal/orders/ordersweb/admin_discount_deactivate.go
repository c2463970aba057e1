package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// adminDiscountDeactivate stops a code from applying to new orders. It stays listed, with
// its uses, and can be made active again from its page.
func (h *Handler) adminDiscountDeactivate(w http.ResponseWriter, r *http.Request) {
	id, ok := web.URLID(r, "id")
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	c, err := h.d.Orders.DeactivateDiscountCode(r.Context(), h.d.Actor(r), id)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	h.adminFlashSuccess(r, "Discount code "+c.Code+" deactivated: it no longer applies to new orders.")
	web.SeeOther(w, r, adminDiscountsPath)
}
