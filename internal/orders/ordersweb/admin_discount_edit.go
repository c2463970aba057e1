package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// adminDiscountEdit shows a discount code's form, how often it has been used, and the
// button that deactivates it.
func (h *Handler) adminDiscountEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := web.URLID(r, "id")
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	h.renderAdminDiscount(w, r, id, http.StatusOK, nil)
}
