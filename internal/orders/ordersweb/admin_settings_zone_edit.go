package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// adminZoneEdit shows a shipping zone's form, its methods and the form that deletes it.
func (h *Handler) adminZoneEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := web.URLID(r, "id")
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	h.renderAdminZone(w, r, id, http.StatusOK, nil, nil)
}
