package usersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
)

// register creates a shopper account and signs it in. Attempts are limited per client IP,
// because the form says when an email already has an account.
func (h *Handler) register(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	in := users.RegisterInput{Email: r.PostForm.Get("email"), Name: r.PostForm.Get("name"), Password: r.PostForm.Get("password")}
	next := r.PostForm.Get("next")
	err := h.users.Allow(ctx, clientBucket(r, bucketRegister), users.LimitRegister)
	var acc users.Account
	if err == nil {
		acc, err = h.users.Register(ctx, in)
	}
	if err != nil {
		if !onForm(err) {
			h.render.Error(w, r, err)
			return
		}
		h.page(w, r, formStatus(err), registerPage(registerView{
			Problem: problemOf(err), Email: kept(in.Email), Name: kept(in.Name), Next: nextField(next),
		}))
		return
	}
	if err := h.auth.SignIn(ctx, acc); err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.rememberDevice(w, r, acc)
	h.flash(r, web.FlashSuccess, "Welcome, "+acc.DisplayName()+"! Your account is ready.")
	seeOther(w, r, localPath(next))
}
