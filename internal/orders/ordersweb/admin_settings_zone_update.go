package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// adminZoneUpdate saves a shipping zone's name, countries and position. A refusal shows
// the zone's page again with the form as typed.
func (h *Handler) adminZoneUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := web.URLID(r, "id")
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	in, form := adminZoneInput(r)
	if _, err := h.d.Orders.SaveShippingZone(r.Context(), h.d.Actor(r), id, in); err != nil {
		if !web.FormRefusal(err) {
			h.d.Renderer.Error(w, r, err)
			return
		}
		form.Problem = adminProblemOf(err)
		h.renderAdminZone(w, r, id, web.FormStatus(err), &form, nil)
		return
	}
	h.adminZoneSaved(w, r, id, in.Name)
}
