package users

import (
	"time"

	"github.com/monoshop/monoshop/internal/platform/audit"
)

// AccountID identifies an account.
type AccountID int64

// Account is a shopper or a staff member. Staff have a role; shoppers do not.
type Account struct {
	ID             AccountID
	Email          string
	Name           string
	Role           Role // "" for shoppers
	Disabled       bool
	SessionVersion int
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// IsStaff reports whether the account may enter the back office at all.
func (a Account) IsStaff() bool { return a.Role != "" && !a.Disabled }

// Can reports whether the account's role grants p.
func (a Account) Can(p Permission) bool { return a.IsStaff() && a.Role.Can(p) }

// DisplayName is how the account is greeted: its name, or its email when unnamed.
func (a Account) DisplayName() string {
	if a.Name != "" {
		return a.Name
	}
	return a.Email
}

// Address is one entry of an address book.
// The JSON names are part of "download my data"; they must not follow Go renames.
type Address struct {
	ID                int64     `json:"id"`
	AccountID         AccountID `json:"-"`
	Name              string    `json:"name"`
	Company           string    `json:"company,omitempty"`
	Line1             string    `json:"line1"`
	Line2             string    `json:"line2,omitempty"`
	City              string    `json:"city"`
	Region            string    `json:"region,omitempty"`
	PostalCode        string    `json:"postal_code,omitempty"`
	Country           string    `json:"country"` // ISO 3166-1 alpha-2
	Phone             string    `json:"phone,omitempty"`
	IsDefaultShipping bool      `json:"default_shipping"`
	IsDefaultBilling  bool      `json:"default_billing"`
}

// AuditEvent is a stored audit entry.
type AuditEvent struct {
	ID         int64
	ActorID    *AccountID
	ActorEmail string
	Action     string // "product.update", "staff.role_change", ...
	ObjectType string
	ObjectID   string
	// Changes maps a field to its value before and after.
	Changes   map[string]Change
	IP        string
	CreatedAt time.Time
}

// Change is one field's value before and after a write.
type Change = audit.Change
