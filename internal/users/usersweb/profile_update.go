package usersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// profileUpdate saves the shopper's name.
func (h *Handler) profileUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	acc := current(r)
	name := r.PostForm.Get("name")
	if err := h.users.UpdateProfile(r.Context(), acc.ID, name); err != nil {
		if !onForm(err) {
			h.render.Error(w, r, err)
			return
		}
		v := h.newAccountView(r, acc)
		v.Profile = profileFormView{Name: kept(name), Problem: problemOf(err)}
		h.page(w, r, formStatus(err), accountPage(v))
		return
	}
	h.flash(r, web.FlashSuccess, "Your name is saved.")
	seeOther(w, r, "/account")
}
