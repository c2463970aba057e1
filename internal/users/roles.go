package users

import "slices"

// Role is a staff member's job; it grants a fixed set of permissions.
type Role string

const (
	RoleOwner          Role = "owner"
	RoleAdmin          Role = "admin"
	RoleCatalogManager Role = "catalog_manager"
	RoleOrderManager   Role = "order_manager"
	RoleSupport        Role = "support"
	// RoleCustomer is no staff role at all: changing a staff member's role to it turns
	// them back into a customer (ChangeRole). Account.Role is "" for a customer.
	RoleCustomer Role = "customer"
)

// Roles lists the staff roles from most to least powerful, for pickers.
var Roles = []Role{RoleOwner, RoleAdmin, RoleCatalogManager, RoleOrderManager, RoleSupport}

// Label is the role as people say it.
func (r Role) Label() string {
	switch r {
	case RoleOwner:
		return "Owner"
	case RoleAdmin:
		return "Administrator"
	case RoleCatalogManager:
		return "Catalog manager"
	case RoleOrderManager:
		return "Order manager"
	case RoleCustomer, "":
		return "Customer"
	case RoleSupport:
		return "Support"
	}
	return "Customer"
}

// Valid reports whether r is a known staff role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Permission is one thing a staff member may do in the back office.
type Permission string

const (
	PermDashboard     Permission = "dashboard.view"
	PermCatalogView   Permission = "catalog.view"
	PermCatalogEdit   Permission = "catalog.edit"
	PermInventoryView Permission = "inventory.view"
	PermInventoryEdit Permission = "inventory.edit"
	PermOrdersView    Permission = "orders.view"
	PermOrdersEdit    Permission = "orders.edit"
	PermRefunds       Permission = "orders.refund"
	PermCustomersView Permission = "customers.view"
	PermCustomersEdit Permission = "customers.edit"
	PermStaffManage   Permission = "staff.manage"
	PermAuditView     Permission = "audit.view"
	PermEmailsView    Permission = "emails.view"
	PermSettings      Permission = "settings.edit"
	PermDiscounts     Permission = "discounts.edit"
	// PermContentEdit writes the shop's text pages (About, Shipping & returns, Privacy ...).
	PermContentEdit Permission = "content.edit"
)

var rolePermissions = map[Role][]Permission{
	RoleAdmin: {
		PermDashboard, PermCatalogView, PermCatalogEdit, PermInventoryView, PermInventoryEdit,
		PermOrdersView, PermOrdersEdit, PermRefunds, PermCustomersView, PermCustomersEdit,
		PermStaffManage, PermAuditView, PermEmailsView, PermSettings, PermDiscounts, PermContentEdit,
	},
	// The catalog manager runs what shoppers read: products, categories, promotions and the
	// shop's text pages.
	RoleCatalogManager: {PermDashboard, PermCatalogView, PermCatalogEdit, PermInventoryView, PermInventoryEdit, PermDiscounts, PermContentEdit},
	RoleOrderManager:   {PermDashboard, PermOrdersView, PermOrdersEdit, PermRefunds, PermCustomersView, PermInventoryView, PermCatalogView, PermEmailsView},
	RoleSupport:        {PermDashboard, PermOrdersView, PermCustomersView, PermCatalogView, PermEmailsView},
}

// Can reports whether the role grants p. The owner can do everything, including what
// later modules add.
func (r Role) Can(p Permission) bool {
	if r == RoleOwner {
		return true
	}
	return slices.Contains(rolePermissions[r], p)
}
