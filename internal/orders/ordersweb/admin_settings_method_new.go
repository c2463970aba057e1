package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// adminMethodNew shows the form adding a shipping method to a zone.
func (h *Handler) adminMethodNew(w http.ResponseWriter, r *http.Request) {
	zoneID, ok := web.URLID(r, "id")
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	h.renderAdminNewMethod(w, r, zoneID, http.StatusOK, nil)
}
