package usersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// deleteAccount erases the account after checking its password, then signs this browser
// out (the service already ended every session by bumping the session version).
func (h *Handler) deleteAccount(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	acc := current(r)
	err := h.allowReauth(r, acc.ID)
	if err == nil {
		err = h.users.DeleteAccount(ctx, acc.ID, r.PostForm.Get("current_password"))
	}
	if err != nil {
		if !onForm(err) {
			h.render.Error(w, r, err)
			return
		}
		h.page(w, r, formStatus(err), privacyPage(privacyView{Delete: problemOf(err)}))
		return
	}
	if err := h.auth.SignOut(ctx); err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.flash(r, web.FlashSuccess, "Your account was deleted. Thank you for shopping with us.")
	seeOther(w, r, "/")
}
