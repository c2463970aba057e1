package usersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// forgotView is the "forgot your password" form.
type forgotView struct {
	Flashes []web.FlashMessage
	Problem formProblem
	Email   string
}

// forgotForm asks for the email to send a reset link to, or, after the form was sent
// (?sent=1 is where the POST redirects), says to check the mailbox.
func (h *Handler) forgotForm(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("sent") != "" {
		h.page(w, r, http.StatusOK, forgotSentPage(h.flashes(r)))
		return
	}
	h.page(w, r, http.StatusOK, forgotPage(forgotView{Flashes: h.flashes(r)}))
}
