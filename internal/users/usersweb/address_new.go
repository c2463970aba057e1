package usersweb

import "net/http"

// addressNew shows an empty address form.
func (h *Handler) addressNew(w http.ResponseWriter, r *http.Request) {
	h.page(w, r, http.StatusOK, addressFormPage(newAddressForm()))
}
