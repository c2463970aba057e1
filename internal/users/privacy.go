package users

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// ExportSection adds one module's data about an account to "download my data"; orders
// registers one for order history, for instance. It returns JSON-encodable data.
type ExportSection func(ctx context.Context, id AccountID) (any, error)

// Erasure lets a module erase or anonymise what it holds about an account inside the
// deletion's transaction (orders keep their accounting records, without the name). It
// gets the account as it was before the deletion (its email address, since when it
// exists). An error rolls the whole deletion back; an apperr Invalid one is shown to the
// shopper on the deletion form (an order still on its way, for instance).
type Erasure func(ctx context.Context, tx pgx.Tx, acc Account) error

// privacyHooks are registered by cmd/shop at start-up.
type privacyHooks struct {
	mu       sync.Mutex
	sections map[string]ExportSection
	erasures []Erasure
}

// RegisterExport adds a named section to every data export.
func (s *Service) RegisterExport(name string, f ExportSection) {
	s.privacy.mu.Lock()
	defer s.privacy.mu.Unlock()
	if s.privacy.sections == nil {
		s.privacy.sections = map[string]ExportSection{}
	}
	s.privacy.sections[name] = f
}

// RegisterErasure adds a step to every account deletion.
func (s *Service) RegisterErasure(f Erasure) {
	s.privacy.mu.Lock()
	defer s.privacy.mu.Unlock()
	s.privacy.erasures = append(s.privacy.erasures, f)
}

// ExportData returns everything the shop holds about the account as indented JSON.
func (s *Service) ExportData(ctx context.Context, id AccountID) ([]byte, error) {
	acc, err := s.FindAccount(ctx, id)
	if err != nil {
		return nil, err
	}
	addrs, err := s.ListAddresses(ctx, id)
	if err != nil {
		return nil, err
	}
	doc := map[string]any{
		"exported_at": s.now().UTC().Format(time.RFC3339),
		"profile": map[string]any{
			"email": acc.Email, "name": acc.Name, "created_at": acc.CreatedAt.UTC().Format(time.RFC3339),
		},
		"addresses": addrs,
	}
	s.privacy.mu.Lock()
	sections := make(map[string]ExportSection, len(s.privacy.sections))
	for k, v := range s.privacy.sections {
		sections[k] = v
	}
	s.privacy.mu.Unlock()
	for name, f := range sections {
		v, err := f(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("users: export %s: %w", name, err)
		}
		doc[name] = v
	}
	return json.MarshalIndent(doc, "", "  ")
}

// DeleteAccount erases personal data after checking the password: addresses go, the
// account row stays anonymised (records needed for accounting point at it), every module
// erases its part in the same transaction (any of them may refuse, see Erasure), and
// every session ends.
func (s *Service) DeleteAccount(ctx context.Context, id AccountID, password string) error {
	row, err := s.reauthenticate(ctx, id, password)
	if err != nil {
		return err
	}
	s.privacy.mu.Lock()
	erasures := append([]Erasure(nil), s.privacy.erasures...)
	s.privacy.mu.Unlock()
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		// In the deleting transaction, with the owners locked: two owners deleting
		// themselves at once cannot leave the shop without one.
		if row.StaffRole != nil && *row.StaffRole == string(RoleOwner) {
			if err := s.keepAnOwner(ctx, tx); err != nil {
				return err
			}
		}
		// Locked, and read again: the erasures find what was sent to the address the
		// account has now, not one an email change replaced a moment ago.
		locked, err := s.q.AccountLockForLogin(ctx, tx, int64(id))
		if err != nil {
			return interpretError(err, "account")
		}
		if locked.DeletedAt != nil {
			return apperr.New(apperr.NotFound, "Account not found.")
		}
		acc := accountFromRow(locked)
		for _, erase := range erasures {
			if err := erase(ctx, tx, acc); err != nil {
				return fmt.Errorf("users: erase account data: %w", err)
			}
		}
		if err := s.q.AddressDeleteAll(ctx, tx, int64(id)); err != nil {
			return interpretError(err, "addresses")
		}
		if err := s.q.PasswordResetInvalidateAll(ctx, tx, int64(id)); err != nil {
			return interpretError(err, "password resets")
		}
		if err := s.q.KnownDevicesDeleteAll(ctx, tx, int64(id)); err != nil {
			return interpretError(err, "devices")
		}
		return interpretError(s.q.AccountAnonymize(ctx, tx, int64(id)), "account")
	})
}
