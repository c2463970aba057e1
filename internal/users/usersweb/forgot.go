package usersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/users"
)

// forgot emails a reset link when the address has an account. The answer is the same
// confirmation either way; only a malformed address is sent back to the form, which says
// nothing about accounts. Requests are limited per client IP, because each can send an
// email to someone.
func (h *Handler) forgot(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	email := r.PostForm.Get("email")
	refuse := func(status int, p formProblem) {
		h.page(w, r, status, forgotPage(forgotView{Problem: p, Email: kept(email)}))
	}
	if err := h.users.Allow(ctx, clientBucket(r, bucketReset), users.LimitReset); err != nil {
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
	if err := h.users.RequestPasswordReset(ctx, email); err != nil {
		h.render.Error(w, r, err)
		return
	}
	seeOther(w, r, "/password/forgot?sent=1")
}
