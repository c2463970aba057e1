package usersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/web"
)

// addressCreate adds an address to the book; the first one becomes the default for
// shipping and billing.
func (h *Handler) addressCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	a := addressFromForm(r)
	var err error
	if fields := postalCodeProblem(a); fields != nil {
		err = apperr.InvalidFields(msgCorrectFields, fields)
	} else {
		_, err = h.users.SaveAddress(r.Context(), current(r).ID, a)
	}
	if err != nil {
		if !onForm(err) {
			h.render.Error(w, r, err)
			return
		}
		v := newAddressForm()
		v.Address, v.Problem = keptAddress(a), problemOf(err)
		h.page(w, r, formStatus(err), addressFormPage(v))
		return
	}
	h.flash(r, web.FlashSuccess, "Address saved.")
	seeOther(w, r, "/account/addresses")
}
