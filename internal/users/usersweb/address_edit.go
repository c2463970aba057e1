package usersweb

import "net/http"

// addressEdit shows the form for one of the shopper's addresses. Another account's
// address is not found, exactly like one that does not exist.
func (h *Handler) addressEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := addressID(r)
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	a, err := h.users.FindAddress(r.Context(), current(r).ID, id)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.page(w, r, http.StatusOK, addressFormPage(editAddressForm(a)))
}
