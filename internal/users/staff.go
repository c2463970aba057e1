package users

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/users/internal/dbsqlc"
)

// CreateStaff makes a staff account with a role. Only an owner may create an owner; the
// command-line bootstrap passes a zero Actor with asOwner set.
func (s *Service) CreateStaff(ctx context.Context, actor Actor, actorRole Role, in RegisterInput, role Role) (Account, error) {
	if !role.Valid() {
		return Account{}, apperr.InvalidFields("Please correct the highlighted fields.", map[string]string{"role": "Choose a role."})
	}
	if role == RoleOwner && actorRole != RoleOwner {
		return Account{}, apperr.New(apperr.Forbidden, "Only an owner can make someone an owner.")
	}
	in.Email, in.Name = strings.TrimSpace(in.Email), strings.TrimSpace(in.Name)
	fields := map[string]string{}
	if msg := checkEmail(in.Email); msg != "" {
		fields["email"] = msg
	}
	if msg := checkName(in.Name); msg != "" {
		fields["name"] = msg
	}
	if msg := checkPassword(in.Password, in.Email); msg != "" {
		fields["password"] = msg
	}
	if len(fields) > 0 {
		return Account{}, apperr.InvalidFields("Please correct the highlighted fields.", fields)
	}
	hash, err := hashPassword(in.Password)
	if err != nil {
		return Account{}, err
	}
	var acc Account
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		r := string(role)
		row, err := s.q.AccountInsert(ctx, tx, dbsqlc.AccountInsertParams{Email: in.Email, Name: in.Name, PasswordHash: hash, StaffRole: &r})
		if err != nil {
			if apperr.Is(interpretError(err, "account"), apperr.Conflict) {
				return apperr.InvalidFields("Please correct the highlighted fields.", map[string]string{"email": "An account with this email already exists."})
			}
			return interpretError(err, "account")
		}
		acc = accountFromRow(row)
		return s.RecordTx(ctx, tx, AuditEntry{Actor: actor, Action: "staff.create", ObjectType: "account", ObjectID: idString(acc.ID),
			Changes: map[string]Change{"email": {After: acc.Email}, "role": {After: string(role)}}})
	})
	return acc, err
}

// ChangeRole changes a staff member's role (or makes a shopper staff). The last active
// owner cannot be demoted, only owners grant or remove the owner role, and the change ends
// the person's sessions so the new permissions apply at once.
func (s *Service) ChangeRole(ctx context.Context, actor Actor, actorRole Role, id AccountID, role Role) error {
	if !role.Valid() && role != RoleCustomer {
		return apperr.InvalidFields("Please correct the highlighted fields.", map[string]string{"role": "Choose a role."})
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := s.q.AccountLockForLogin(ctx, tx, int64(id))
		if err != nil {
			return interpretError(err, "Account")
		}
		before := accountFromRow(row)
		if (role == RoleOwner || before.Role == RoleOwner) && actorRole != RoleOwner {
			return apperr.New(apperr.Forbidden, "Only an owner can grant or remove the owner role.")
		}
		// Demoting a disabled owner leaves the active owners as they were.
		if before.Role == RoleOwner && !before.Disabled && role != RoleOwner {
			if err := s.keepAnOwner(ctx, tx); err != nil {
				return err
			}
		}
		after := string(role)
		r := &after
		if role == RoleCustomer {
			r = nil // back to a customer: no back office, the account and its orders kept
		}
		if err := s.q.AccountSetRole(ctx, tx, dbsqlc.AccountSetRoleParams{ID: int64(id), StaffRole: r}); err != nil {
			return interpretError(err, "Account")
		}
		return s.RecordTx(ctx, tx, AuditEntry{Actor: actor, Action: "staff.role_change", ObjectType: "account", ObjectID: idString(id),
			Changes: map[string]Change{"role": {Before: string(before.Role), After: string(role)}}})
	})
}

// SetDisabled disables or re-enables a staff account; disabling ends its sessions.
func (s *Service) SetDisabled(ctx context.Context, actor Actor, actorRole Role, id AccountID, disabled bool) error {
	if AccountID(actor.ID) == id && disabled {
		return apperr.New(apperr.Invalid, "You cannot disable your own account.")
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := s.q.AccountLockForLogin(ctx, tx, int64(id))
		if err != nil {
			return interpretError(err, "Account")
		}
		before := accountFromRow(row)
		if before.Role == RoleOwner && actorRole != RoleOwner {
			return apperr.New(apperr.Forbidden, "Only an owner can disable an owner.")
		}
		if before.Role == RoleOwner && disabled && !before.Disabled {
			if err := s.keepAnOwner(ctx, tx); err != nil {
				return err
			}
		}
		if err := s.q.AccountSetDisabled(ctx, tx, dbsqlc.AccountSetDisabledParams{ID: int64(id), Disabled: disabled}); err != nil {
			return interpretError(err, "Account")
		}
		return s.RecordTx(ctx, tx, AuditEntry{Actor: actor, Action: "staff.disable", ObjectType: "account", ObjectID: idString(id),
			Changes: map[string]Change{"disabled": {Before: before.Disabled, After: disabled}}})
	})
}

// keepAnOwner refuses a change that would leave the shop without an active owner.
func (s *Service) keepAnOwner(ctx context.Context, tx pgx.Tx) error {
	n, err := s.q.OwnerCount(ctx, tx)
	if err != nil {
		return interpretError(err, "owners")
	}
	if n <= 1 {
		return apperr.New(apperr.Conflict, "The shop needs at least one active owner. Make someone else an owner first.")
	}
	return nil
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

// ListStaff returns every staff account, owners first.
func (s *Service) ListStaff(ctx context.Context) ([]Account, error) {
	rows, err := s.q.StaffList(ctx, s.pool)
	if err != nil {
		return nil, interpretError(err, "staff")
	}
	out := make([]Account, len(rows))
	for i, r := range rows {
		out[i] = accountFromRow(r)
	}
	return out, nil
}

// CustomerFilter narrows the customer list.
type CustomerFilter struct {
	Search  string
	Page    int
	PerPage int
}

// ListCustomers returns shopper accounts, newest first, and how many match in total.
func (s *Service) ListCustomers(ctx context.Context, f CustomerFilter) ([]Account, int, error) {
	per := f.PerPage
	if per <= 0 || per > 200 {
		per = 50
	}
	page := max(f.Page, 1)
	search := strings.TrimSpace(f.Search)
	if len(search) > 100 {
		search = search[:100]
	}
	// LIKE wildcards typed by staff are matched literally ("john_doe" finds john_doe).
	search = likeEscaper.Replace(search)
	rows, err := s.q.CustomerList(ctx, s.pool, dbsqlc.CustomerListParams{Search: search, MaxRows: int32(per), Skip: db.Offset(page, per)})
	if err != nil {
		return nil, 0, interpretError(err, "customers")
	}
	total, err := s.q.CustomerCount(ctx, s.pool, search)
	if err != nil {
		return nil, 0, interpretError(err, "customers")
	}
	out := make([]Account, len(rows))
	for i, r := range rows {
		out[i] = accountFromRow(r)
	}
	return out, int(total), nil
}
