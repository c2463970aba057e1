package usersweb

import (
	"log/slog"
	"net/http"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
)

// Handler serves the account pages and the staff and customer back office.
type Handler struct {
	users  *users.Service
	auth   *Auth
	render *web.Renderer
	log    *slog.Logger
	// orderHistory renders the account page's order history (nil: the empty state).
	orderHistory func(r *http.Request) templ.Component
	// customerOrders renders a customer's orders on their back-office page (nil: none
	// can be shown).
	customerOrders func(r *http.Request, accountID int64) templ.Component
}

// NewHandler returns the users module's HTTP handler.
func NewHandler(svc *users.Service, auth *Auth, render *web.Renderer, log *slog.Logger) *Handler {
	return &Handler{users: svc, auth: auth, render: render, log: log}
}

// UseOrderHistory fills the account page's "Order history" section with what f renders
// for the request. The users module may not import orders, so cmd/shop passes the orders
// module's component here, before serving.
func (h *Handler) UseOrderHistory(f func(r *http.Request) templ.Component) { h.orderHistory = f }

// UseCustomerOrders fills the "Orders" section of a customer's back-office page with what
// f renders for the account; the users module cannot read orders itself.
func (h *Handler) UseCustomerOrders(f func(r *http.Request, accountID int64) templ.Component) {
	h.customerOrders = f
}

// Routes mounts the shopper's account pages (URL map of DESIGN.md §4).
func (h *Handler) Routes(r chi.Router) {
	r.Get("/login", h.loginForm)
	r.Post("/login", h.login)
	r.Get("/register", h.registerForm)
	r.Post("/register", h.register)
	r.Post("/logout", h.logout)
	r.Get("/password/forgot", h.forgotForm)
	r.Post("/password/forgot", h.forgot)
	r.Get("/password/reset/{token}", h.resetForm)
	r.Post("/password/reset/{token}", h.reset)
	r.Group(func(r chi.Router) {
		r.Use(h.auth.RequireSignIn)
		r.Get("/account", h.accountShow)
		r.Post("/account/profile", h.profileUpdate)
		r.Post("/account/email", h.emailUpdate)
		r.Post("/account/password", h.passwordUpdate)
		r.Get("/account/addresses", h.addressList)
		r.Get("/account/addresses/new", h.addressNew)
		r.Post("/account/addresses", h.addressCreate)
		r.Get("/account/addresses/{id}/edit", h.addressEdit)
		r.Post("/account/addresses/{id}", h.addressUpdate)
		r.Post("/account/addresses/{id}/delete", h.addressDelete)
		r.Post("/account/addresses/{id}/default", h.addressDefault)
		r.Get("/account/privacy", h.privacyShow)
		r.Post("/account/export", h.exportData)
		r.Post("/account/delete", h.deleteAccount)
	})
}

// AdminRoutes mounts the staff, customer and audit pages; the caller mounts them under
// /admin. Every route names the permission it needs.
func (h *Handler) AdminRoutes(r chi.Router) {
	perm := h.auth.RequirePermission
	r.With(perm(users.PermDashboard)).Get("/", h.adminDashboard)
	r.With(perm(users.PermStaffManage)).Get("/staff", h.adminStaffList)
	r.With(perm(users.PermStaffManage)).Get("/staff/new", h.adminStaffNew)
	r.With(perm(users.PermStaffManage)).Post("/staff", h.adminStaffCreate)
	r.With(perm(users.PermStaffManage)).Post("/staff/{id}/role", h.adminStaffRole)
	r.With(perm(users.PermStaffManage)).Post("/staff/{id}/disable", h.adminStaffDisable)
	r.With(perm(users.PermCustomersView)).Get("/customers", h.adminCustomerList)
	r.With(perm(users.PermCustomersView)).Get("/customers/{id}", h.adminCustomerShow)
	r.With(perm(users.PermAuditView)).Get("/audit", h.adminAudit)
}
