package usersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/users"
)

// login signs a shopper in. Every refusal of the credentials (unknown email, wrong
// password, locked or disabled account) is the service's one message with the same
// status, so the form cannot be used to learn who has an account. The email stays typed.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	email, password, next := r.PostForm.Get("email"), r.PostForm.Get("password"), r.PostForm.Get("next")
	v := loginView{Email: kept(email), Next: nextField(next)}
	refuse := func(status int, p formProblem) {
		v.Problem = p
		h.page(w, r, status, loginPage(v))
	}
	if err := h.users.Allow(ctx, clientBucket(r, bucketLogin), users.LimitLogin); err != nil {
		if !onForm(err) {
			h.render.Error(w, r, err)
			return
		}
		refuse(formStatus(err), problemOf(err))
		return
	}
	if msg := badEmailText(email); msg != "" {
		refuse(http.StatusUnprocessableEntity, fieldProblem("email", msg))
		return
	}
	if password == "" {
		refuse(http.StatusUnprocessableEntity, fieldProblem("password", "Enter your password."))
		return
	}
	acc, err := h.users.AuthenticateDevice(ctx, email, password, deviceToken(r))
	if err != nil {
		if !onForm(err) {
			h.render.Error(w, r, err)
			return
		}
		refuse(formStatus(err), problemOf(err))
		return
	}
	if err := h.auth.SignIn(ctx, acc); err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.rememberDevice(w, r, acc)
	seeOther(w, r, localPath(next))
}
