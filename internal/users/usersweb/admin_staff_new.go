package usersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
)

// adminStaffForm is the new-staff form, empty or as submitted; the password is never
// sent back.
type adminStaffForm struct {
	Email   string
	Name    string
	Role    string
	Roles   []web.Option
	Problem formProblem
}

// adminStaffNew shows the form that creates a staff account.
func (h *Handler) adminStaffNew(w http.ResponseWriter, r *http.Request) {
	acc, _ := CurrentAccount(r.Context())
	f := adminStaffForm{Role: string(users.RoleSupport), Roles: grantableRoles(acc.Role)}
	h.render.Page(w, r, http.StatusOK, adminStaffNewPage(f))
}
