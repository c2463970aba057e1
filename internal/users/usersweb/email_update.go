package usersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// emailUpdate changes the account's email after checking the current password, so that
// someone at an unlocked computer cannot take the account over through a reset link sent
// to their own address.
func (h *Handler) emailUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	acc := current(r)
	email := r.PostForm.Get("email")
	err := h.allowReauth(r, acc.ID)
	if err == nil {
		err = h.users.ChangeEmail(ctx, acc.ID, r.PostForm.Get("current_password"), email)
	}
	if err != nil {
		if !onForm(err) {
			h.render.Error(w, r, err)
			return
		}
		v := h.newAccountView(r, acc)
		v.EmailForm = emailFormView{Email: kept(email), Problem: problemOf(err)}
		h.page(w, r, formStatus(err), accountPage(v))
		return
	}
	h.flash(r, web.FlashSuccess, "Your email address is changed. Use the new one to sign in.")
	seeOther(w, r, "/account")
}
