package usersweb

import "net/http"

// privacyView is the page to download one's data or delete the account.
type privacyView struct {
	Delete formProblem
}

// privacyShow is the privacy page.
func (h *Handler) privacyShow(w http.ResponseWriter, r *http.Request) {
	h.page(w, r, http.StatusOK, privacyPage(privacyView{}))
}
