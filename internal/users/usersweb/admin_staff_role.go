package usersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
)

// adminStaffRole changes a staff member's role through the service, which audits the
// change, ends the person's sessions so the new permissions apply at once, and refuses
// what only an owner may do or what would leave the shop without an owner. Refusals come
// back as a message on the staff page.
func (h *Handler) adminStaffRole(w http.ResponseWriter, r *http.Request) {
	id, ok := adminAccountID(r)
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	actor, _ := CurrentAccount(r.Context())
	role := users.Role(r.PostFormValue("role"))
	if err := h.users.ChangeRole(r.Context(), Actor(r), actor.Role, id, role); err != nil {
		if !adminRefusal(err) {
			h.render.Error(w, r, err)
			return
		}
		msg := apperr.MessageOf(err)
		if f := apperr.FieldsOf(err)["role"]; f != "" {
			msg = f
		}
		h.flash(r, web.FlashError, msg)
		seeOther(w, r, "/admin/staff")
		return
	}
	target, err := h.users.FindAccount(r.Context(), id)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	next := "/admin/staff"
	if id == actor.ID {
		// The change ended the actor's own session too; sign them in again (a fresh token,
		// as after any privilege change) with the role they now have, and land where that
		// role may go.
		if err := h.auth.SignIn(r.Context(), target); err != nil {
			h.render.Error(w, r, err)
			return
		}
		switch {
		case target.Role == "":
			next = "/account" // no back office any more
		case !target.Can(users.PermStaffManage):
			next = "/admin"
		}
	}
	h.flash(r, web.FlashSuccess, "The role of "+target.Email+" is now "+target.Role.Label()+".")
	seeOther(w, r, next)
}
