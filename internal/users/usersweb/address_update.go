package usersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/web"
)

// addressUpdate saves an edited address. Ownership is checked before the form is judged,
// so another account's address id is a 404 whatever was posted.
func (h *Handler) addressUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := addressID(r)
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	owner := current(r).ID
	saved, err := h.users.FindAddress(ctx, owner, id)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	a := addressFromForm(r)
	a.ID = id
	if fields := postalCodeProblem(a); fields != nil {
		err = apperr.InvalidFields(msgCorrectFields, fields)
	} else {
		_, err = h.users.SaveAddress(ctx, owner, a)
	}
	if err != nil {
		if !onForm(err) {
			h.render.Error(w, r, err)
			return
		}
		v := editAddressForm(saved)
		v.Address, v.Problem = keptAddress(a), problemOf(err)
		h.page(w, r, formStatus(err), addressFormPage(v))
		return
	}
	h.flash(r, web.FlashSuccess, "Address saved.")
	seeOther(w, r, "/account/addresses")
}
