package usersweb

import "net/http"

// forgotView is the "forgot your password" form.
type forgotView struct {
	Problem formProblem
	Email   string
}

// forgotForm asks for the email to send a reset link to, or, after the form was sent
// (?sent=1 is where the POST redirects), says to check the mailbox.
func (h *Handler) forgotForm(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("sent") != "" {
		h.page(w, r, http.StatusOK, forgotSentPage())
		return
	}
	h.page(w, r, http.StatusOK, forgotPage(forgotView{}))
}
