package usersweb

import (
	"net/http"
	"strconv"

	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
)

// adminStaffListView is the staff page: everyone with a role, and what the viewer may do
// to each of them.
type adminStaffListView struct {
	Rows []adminStaffRow
}

// adminStaffRow is one staff member.
type adminStaffRow struct {
	ID        string
	Email     string
	Name      string
	Role      string
	RoleLabel string
	Disabled  bool
	Self      bool
	// Manage says the viewer may change this person's role or access: only owners touch
	// owners, so an administrator sees an owner's row without its forms.
	Manage      bool
	RoleOptions []web.Option
}

// adminStaffList lists staff accounts, owners first, with a role picker and a
// disable/enable button on each row the viewer may manage.
func (h *Handler) adminStaffList(w http.ResponseWriter, r *http.Request) {
	viewer, _ := CurrentAccount(r.Context())
	staff, err := h.users.ListStaff(r.Context())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	// A staff member can also go back to being a customer (no back office; the account,
	// its orders and addresses kept).
	options := append(grantableRoles(viewer.Role), web.Option{Value: string(users.RoleCustomer), Label: "Customer (no back office)"})
	v := adminStaffListView{Rows: make([]adminStaffRow, len(staff))}
	for i, a := range staff {
		v.Rows[i] = adminStaffRow{
			ID: strconv.FormatInt(int64(a.ID), 10), Email: a.Email, Name: a.Name,
			Role: string(a.Role), RoleLabel: a.Role.Label(), Disabled: a.Disabled, Self: a.ID == viewer.ID,
			Manage:      a.Role != users.RoleOwner || viewer.Role == users.RoleOwner,
			RoleOptions: options,
		}
	}
	h.render.Page(w, r, http.StatusOK, adminStaffListPage(v))
}
