package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// adminTaxRateEdit shows a tax rate's form and the form that deletes it.
func (h *Handler) adminTaxRateEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := web.URLID(r, "id")
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	h.renderAdminTaxRate(w, r, id, http.StatusOK, nil)
}
