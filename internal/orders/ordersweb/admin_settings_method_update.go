package ordersweb

import (
	"net/http"
	"strings"

	"github.com/monoshop/monoshop/web"
)

// adminMethodUpdate saves a shipping method. Its prices are read in the shop's currency,
// so saving also moves a method left in an old currency to the shop's.
func (h *Handler) adminMethodUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := web.URLID(r, "id")
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	ctx := r.Context()
	currency, err := h.adminShopCurrency(ctx)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	in, form := adminMethodInput(r, 0, currency)
	if _, err := h.d.Orders.SaveShippingMethod(ctx, h.d.Actor(r), id, in); err != nil {
		if !web.FormRefusal(err) {
			h.d.Renderer.Error(w, r, err)
			return
		}
		form.Problem = adminProblemOf(err)
		h.renderAdminMethod(w, r, id, web.FormStatus(err), &form)
		return
	}
	h.adminMethodSaved(w, r, id, strings.TrimSpace(in.Name))
}
