package ordersweb

import (
	"net/http"
	"strings"

	"github.com/monoshop/monoshop/web"
)

// adminMethodCreate adds a shipping method to a zone, priced in the shop's currency. A
// refusal shows the form again as typed.
func (h *Handler) adminMethodCreate(w http.ResponseWriter, r *http.Request) {
	zoneID, ok := web.URLID(r, "id")
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
	in, form := adminMethodInput(r, zoneID, currency)
	id, err := h.d.Orders.SaveShippingMethod(r.Context(), h.d.Actor(r), 0, in)
	if err != nil {
		if !web.FormRefusal(err) {
			h.d.Renderer.Error(w, r, err)
			return
		}
		form.Problem = adminProblemOf(err)
		h.renderAdminNewMethod(w, r, zoneID, web.FormStatus(err), &form)
		return
	}
	h.adminMethodSaved(w, r, id, strings.TrimSpace(in.Name))
}
