package usersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/web"
)

// addressDefault makes an address the default for shipping, billing or (without a
// choice) both; another account's address is a 404.
func (h *Handler) addressDefault(w http.ResponseWriter, r *http.Request) {
	id, ok := addressID(r)
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	var shipping, billing bool
	var done string
	switch r.PostForm.Get("for") {
	case "shipping":
		shipping, done = true, "This address is now your default for shipping."
	case "billing":
		billing, done = true, "This address is now your default for billing."
	case "":
		shipping, billing, done = true, true, "This address is now your default for shipping and billing."
	default:
		h.render.Error(w, r, apperr.New(apperr.Invalid, "Choose whether the address is for shipping or billing."))
		return
	}
	if err := h.users.SetDefaultAddress(r.Context(), current(r).ID, id, shipping, billing); err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.flash(r, web.FlashSuccess, done)
	seeOther(w, r, "/account/addresses")
}
