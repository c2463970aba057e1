package ordersweb

import "net/http"

// adminDiscountNew shows the form of a new discount code, active once saved.
func (h *Handler) adminDiscountNew(w http.ResponseWriter, r *http.Request) {
	h.renderAdminNewDiscount(w, r, http.StatusOK, adminDiscountForm{Kind: "percent", Active: true})
}
