package usersweb

import "net/http"

// registerView is the registration page.
type registerView struct {
	Problem     formProblem
	Email, Name string
	// Next is where to go once the account exists (a checkout, say); empty means the
	// account page.
	Next string
}

// registerForm shows the registration form; a signed-in visitor goes to their account.
func (h *Handler) registerForm(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if _, ok := CurrentAccount(r.Context()); ok {
		seeOther(w, r, localPath(next))
		return
	}
	h.page(w, r, http.StatusOK, registerPage(registerView{Next: nextField(next)}))
}
