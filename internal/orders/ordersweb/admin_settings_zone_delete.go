package ordersweb

import (
	"net/http"
	"strconv"

	"github.com/monoshop/monoshop/web"
)

// adminZoneDelete removes a shipping zone and its methods once the box confirming it is
// ticked: shoppers in its countries can no longer check out, and its methods are gone.
// Placed orders keep the name of the method they were shipped with.
func (h *Handler) adminZoneDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := web.URLID(r, "id")
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	if r.PostFormValue("confirm") == "" {
		p := adminFieldsProblem(map[string]string{"confirm": "Tick the box to confirm that the zone is to be deleted."})
		h.renderAdminZone(w, r, id, http.StatusUnprocessableEntity, nil, &p)
		return
	}
	z, err := h.d.Orders.DeleteShippingZone(r.Context(), h.d.Actor(r), id)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	msg := "Shipping zone “" + z.Name + "” deleted."
	if n := len(z.Methods); n > 0 {
		msg = "Shipping zone “" + z.Name + "” and its " + strconv.Itoa(n) + " shipping methods deleted."
		if n == 1 {
			msg = "Shipping zone “" + z.Name + "” and its shipping method deleted."
		}
	}
	h.adminFlashSuccess(r, msg)
	web.SeeOther(w, r, adminSettingsPath)
}
