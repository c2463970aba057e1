package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// adminMethodEdit shows a shipping method's form and the form that deletes it.
func (h *Handler) adminMethodEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := web.URLID(r, "id")
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	h.renderAdminMethod(w, r, id, http.StatusOK, nil)
}
