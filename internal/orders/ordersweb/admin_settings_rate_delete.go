package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// adminTaxRateDelete removes a tax rate; its destination is then taxed at the next rate
// that matches it, or not at all.
func (h *Handler) adminTaxRateDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := web.URLID(r, "id")
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	t, err := h.d.Orders.DeleteTaxRate(r.Context(), h.d.Actor(r), id)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	h.adminFlashSuccess(r, "Tax rate of "+adminTaxRate(t.Rate)+" for "+adminTaxRatePlace(t)+" deleted.")
	web.SeeOther(w, r, adminSettingsPath+"#"+adminTaxRatesAnchor)
}
