package usersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// passwordUpdate changes the password after checking the current one. The service bumps
// the account's session version, which signs out every session, this one included; this
// one is then signed in again (with a new token, as any privilege change gets) so the
// shopper stays where they are while every other device is out.
func (h *Handler) passwordUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	acc := current(r)
	err := h.allowReauth(r, acc.ID)
	if err == nil {
		_, err = h.users.ChangePassword(ctx, acc.ID, r.PostForm.Get("current_password"), r.PostForm.Get("password"))
	}
	if err != nil {
		if !onForm(err) {
			h.render.Error(w, r, err)
			return
		}
		v := h.newAccountView(r, acc)
		v.Password = problemOf(err)
		h.page(w, r, formStatus(err), accountPage(v))
		return
	}
	refreshed, err := h.users.FindAccount(ctx, acc.ID)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	if err := h.auth.SignIn(ctx, refreshed); err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.flash(r, web.FlashSuccess, "Your password is changed. Your other devices were signed out.")
	seeOther(w, r, "/account")
}
