package ordersweb

import (
	"net/http"
	"strconv"
)

// adminZoneNew shows the form of a new shipping zone, placed after the existing ones.
func (h *Handler) adminZoneNew(w http.ResponseWriter, r *http.Request) {
	zones, err := h.d.Orders.ListShippingZones(r.Context())
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	next := 1
	for _, z := range zones {
		next = max(next, z.Position+1)
	}
	h.renderAdminNewZone(w, r, http.StatusOK, adminZoneForm{Position: strconv.Itoa(next)})
}
