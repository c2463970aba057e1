package usersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// addressDelete removes one of the shopper's addresses; another account's is a 404.
func (h *Handler) addressDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := addressID(r)
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	if err := h.users.DeleteAddress(r.Context(), current(r).ID, id); err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.flash(r, web.FlashSuccess, "Address deleted.")
	seeOther(w, r, "/account/addresses")
}
