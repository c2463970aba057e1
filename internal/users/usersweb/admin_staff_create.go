package usersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
)

// adminStaffCreate creates a staff account through the service, which audits it and
// refuses an owner created by anyone but an owner. A refusal re-renders the form with
// what the staff member typed, except the password.
func (h *Handler) adminStaffCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	actor, _ := CurrentAccount(r.Context())
	in := users.RegisterInput{
		Email:    r.PostFormValue("email"),
		Name:     r.PostFormValue("name"),
		Password: r.PostFormValue("password"),
	}
	role := users.Role(r.PostFormValue("role"))
	acc, err := h.users.CreateStaff(r.Context(), Actor(r), actor.Role, in, role)
	if err != nil {
		if !adminRefusal(err) {
			h.render.Error(w, r, err)
			return
		}
		f := adminStaffForm{Email: kept(in.Email), Name: kept(in.Name), Role: kept(string(role)),
			Roles: grantableRoles(actor.Role), Problem: problemOf(err)}
		if apperr.Is(err, apperr.Forbidden) {
			// The refusal is about the role picked; point at it.
			f.Problem.Fields = map[string]string{"role": f.Problem.Message}
		}
		h.render.Page(w, r, adminStatus(err), adminStaffNewPage(f))
		return
	}
	h.flash(r, web.FlashSuccess, "Staff account created for "+acc.Email+" ("+acc.Role.Label()+").")
	seeOther(w, r, "/admin/staff")
}
