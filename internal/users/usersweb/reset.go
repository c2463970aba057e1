package usersweb

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/web"
)

// reset uses a reset link: it sets the new password and signs this browser in. The
// service ends every other session of the account and every other link, so whoever had
// the old password or an older link is out.
func (h *Handler) reset(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	token := chi.URLParam(r, "token")
	noReferrer(w)
	acc, err := h.users.ResetPassword(ctx, token, r.PostForm.Get("password"))
	if err != nil {
		if !onForm(err) {
			h.resetFailed(w, r, err)
			return
		}
		h.page(w, r, formStatus(err), resetPage(resetView{Token: token, Problem: problemOf(err)}))
		return
	}
	if err := h.auth.SignIn(ctx, acc); err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.rememberDevice(w, r, acc)
	h.flash(r, web.FlashSuccess, "Your new password is saved and you are signed in. Any other device signed in to your account was signed out.")
	seeOther(w, r, "/account")
}
