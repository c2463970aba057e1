package usersweb

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/platform/apperr"
)

// resetView is the new-password form of a reset link.
type resetView struct {
	Token   string
	Problem formProblem
}

// resetForm shows the new-password form when the link still works, and otherwise says
// plainly that it does not, with the way to get a new one. Looking does not use the link.
func (h *Handler) resetForm(w http.ResponseWriter, r *http.Request) {
	token := chi.URLParam(r, "token")
	noReferrer(w)
	if err := h.users.CheckResetToken(r.Context(), token); err != nil {
		h.resetFailed(w, r, err)
		return
	}
	h.page(w, r, http.StatusOK, resetPage(resetView{Token: token}))
}

// resetFailed shows the "link does not work" page for an unusable link (404, the
// service's code) and the error page for anything else.
func (h *Handler) resetFailed(w http.ResponseWriter, r *http.Request, err error) {
	if !apperr.Is(err, apperr.NotFound) {
		h.render.Error(w, r, err)
		return
	}
	h.page(w, r, http.StatusNotFound, resetInvalidPage(apperr.MessageOf(err)))
}

// noReferrer keeps the secret in a reset URL out of the Referer of anything the page
// links to or loads.
func noReferrer(w http.ResponseWriter) {
	w.Header().Set("Referrer-Policy", "no-referrer")
}
