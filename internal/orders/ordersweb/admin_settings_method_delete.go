package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// adminMethodDelete removes a shipping method. Placed orders keep its name; to offer it
// again later, making it inactive instead keeps its prices.
func (h *Handler) adminMethodDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := web.URLID(r, "id")
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	m, err := h.d.Orders.DeleteShippingMethod(r.Context(), h.d.Actor(r), id)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	h.adminFlashSuccess(r, "Shipping method “"+m.Name+"” deleted.")
	web.SeeOther(w, r, adminSettingsPath+"#"+adminZoneAnchor(m.ZoneID))
}
