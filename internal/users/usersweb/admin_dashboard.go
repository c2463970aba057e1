package usersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// adminDashboardView is the back office's landing page.
type adminDashboardView struct {
	Name      string
	RoleLabel string
	// Shortcuts are the sections this role opens, taken from the sidebar so a module that
	// adds a section appears here without touching this page.
	Shortcuts []web.AdminNavLink
}

// adminDashboard greets the staff member and lists where their role lets them go. Sales
// figures join it once the shop takes orders.
func (h *Handler) adminDashboard(w http.ResponseWriter, r *http.Request) {
	acc, _ := CurrentAccount(r.Context())
	v := adminDashboardView{Name: acc.DisplayName(), RoleLabel: acc.Role.Label()}
	for _, l := range web.AdminChromeFrom(r.Context()).Nav {
		if l.URL != "/admin" {
			v.Shortcuts = append(v.Shortcuts, web.AdminNavLink{Label: l.Label, URL: l.URL})
		}
	}
	h.render.Page(w, r, http.StatusOK, adminDashboardPage(v))
}
