package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// adminZoneCreate adds a shipping zone. A refusal shows the form again as typed.
func (h *Handler) adminZoneCreate(w http.ResponseWriter, r *http.Request) {
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	in, form := adminZoneInput(r)
	id, err := h.d.Orders.SaveShippingZone(r.Context(), h.d.Actor(r), 0, in)
	if err != nil {
		if !web.FormRefusal(err) {
			h.d.Renderer.Error(w, r, err)
			return
		}
		form.Problem = adminProblemOf(err)
		h.renderAdminNewZone(w, r, web.FormStatus(err), form)
		return
	}
	h.adminZoneSaved(w, r, id, in.Name)
}
