package ordersweb

import "net/http"

// adminTaxRateNew shows the form of a new tax rate.
func (h *Handler) adminTaxRateNew(w http.ResponseWriter, r *http.Request) {
	h.renderAdminNewTaxRate(w, r, http.StatusOK, adminTaxRateForm{})
}
