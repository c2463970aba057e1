package usersweb

import "net/http"

// logout ends the signed-in session. It is a POST so that a link or an image on another
// site cannot sign a shopper out.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if err := h.auth.SignOut(r.Context()); err != nil {
		h.render.Error(w, r, err)
		return
	}
	seeOther(w, r, "/")
}
