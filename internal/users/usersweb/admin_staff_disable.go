package usersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/web"
)

// adminStaffDisable disables (disabled=true) or re-enables (disabled=false) a staff
// account through the service, which audits it and ends the person's sessions: their
// next request finds them signed out.
func (h *Handler) adminStaffDisable(w http.ResponseWriter, r *http.Request) {
	id, ok := adminAccountID(r)
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	var disabled bool
	switch r.PostFormValue("disabled") {
	case "true":
		disabled = true
	case "false":
	default:
		// Only a hand-made request gets here: the page's buttons always say which.
		h.flash(r, web.FlashError, "Choose whether to disable or enable the account.")
		seeOther(w, r, "/admin/staff")
		return
	}
	actor, _ := CurrentAccount(r.Context())
	if err := h.users.SetDisabled(r.Context(), Actor(r), actor.Role, id, disabled); err != nil {
		if !adminRefusal(err) {
			h.render.Error(w, r, err)
			return
		}
		h.flash(r, web.FlashError, apperr.MessageOf(err))
		seeOther(w, r, "/admin/staff")
		return
	}
	target, err := h.users.FindAccount(r.Context(), id)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	if disabled {
		h.flash(r, web.FlashSuccess, target.Email+" is disabled and signed out everywhere.")
	} else {
		h.flash(r, web.FlashSuccess, target.Email+" can sign in again.")
	}
	seeOther(w, r, "/admin/staff")
}
