package inventory

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/monoshop/monoshop/internal/inventory/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// The back office changes policies and locations on behalf of a staff member, and staff
// actions go to the audit log (DESIGN.md §6) in the transaction of the change. SetPolicy
// and CreateLocation take no actor, so these are their audited forms.

// SetPolicyAs is SetPolicy done by actor: the change and its audit entry commit together.
func (s *Service) SetPolicyAs(ctx context.Context, actor audit.Actor, variant int64, allowBackorder bool, lowStock int) error {
	if lowStock < 0 || lowStock > 1_000_000 {
		return apperr.InvalidFields("Please correct the threshold.", map[string]string{"low_stock_threshold": "Enter a number of at least 0."})
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := s.availability(ctx, tx, []int64{variant})
		if err != nil {
			return err
		}
		if err := s.q.ItemUpsert(ctx, tx, dbsqlc.ItemUpsertParams{VariantID: variant, AllowBackorder: allowBackorder, LowStockThreshold: int32(lowStock)}); err != nil {
			return interpretError(err, "item")
		}
		s.stockChanged(variant)
		if err := s.q.LevelsSyncBackorder(ctx, tx, dbsqlc.LevelsSyncBackorderParams{VariantID: variant, AllowBackorder: allowBackorder}); err != nil {
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.Code == "23514" {
				return apperr.New(apperr.Conflict, "Orders already hold more than is in stock; restock before turning backorders off.")
			}
			return interpretError(err, "stock")
		}
		if s.audit == nil {
			return nil
		}
		was := before[variant]
		return s.audit.RecordTx(ctx, tx, audit.Entry{Actor: actor, Action: "stock.policy", ObjectType: "variant", ObjectID: fmt.Sprint(variant),
			Changes: audit.Diff(
				map[string]any{"allow_backorder": was.AllowBackorder, "low_stock_threshold": was.LowStockThreshold},
				map[string]any{"allow_backorder": allowBackorder, "low_stock_threshold": lowStock})})
	})
}

// CreateLocationAs is CreateLocation done by actor, recorded in the audit log.
func (s *Service) CreateLocationAs(ctx context.Context, actor audit.Actor, name string, priority int) (Location, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 120 {
		return Location{}, apperr.InvalidFields("Please name the location.", map[string]string{"name": "Enter a name of at most 120 characters."})
	}
	var loc Location
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		r, err := s.q.LocationInsert(ctx, tx, dbsqlc.LocationInsertParams{Name: name, Priority: int32(priority), Active: true})
		if err != nil {
			return interpretError(err, "A location with this name")
		}
		loc = Location{ID: r.ID, Name: r.Name, Priority: int(r.Priority), Active: r.Active}
		if s.audit == nil {
			return nil
		}
		return s.audit.RecordTx(ctx, tx, audit.Entry{Actor: actor, Action: "stock.location_create", ObjectType: "stock_location",
			ObjectID: fmt.Sprint(loc.ID), Changes: map[string]audit.Change{"name": {After: name}, "priority": {After: priority}}})
	})
	return loc, err
}

// LocationChange is a location's edit form as staff submit it.
type LocationChange struct {
	Name     string
	Priority int
	// Active locations are sold from; an inactive one keeps its stock and the orders
	// already reserved there, but new orders are not allocated from it and the storefront
	// no longer counts its stock.
	Active bool
}

// Location returns one location.
func (s *Service) Location(ctx context.Context, id int64) (Location, error) {
	locs, err := s.Locations(ctx)
	if err != nil {
		return Location{}, err
	}
	for _, l := range locs {
		if l.ID == id {
			return l, nil
		}
	}
	return Location{}, apperr.New(apperr.NotFound, "Location not found.")
}

// UpdateLocationAs renames a location, changes its priority or switches it on or off, as
// actor, recorded in the audit log. Switching it tells this process's stock caches about
// every variant kept there at once; other replicas find them by the location's
// updated_at within a second (StockMovedSince).
func (s *Service) UpdateLocationAs(ctx context.Context, actor audit.Actor, id int64, in LocationChange) (Location, error) {
	name := strings.TrimSpace(in.Name)
	fields := map[string]string{}
	if name == "" || len(name) > 120 {
		fields["name"] = "Enter a name of at most 120 characters."
	}
	if in.Priority < -1000 || in.Priority > 1000 {
		fields["priority"] = "Enter a whole number between -1000 and 1000."
	}
	if len(fields) > 0 {
		return Location{}, apperr.InvalidFields("Please correct the highlighted fields.", fields)
	}
	var loc Location
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := s.q.LocationLock(ctx, tx, id)
		if err != nil {
			return interpretError(err, "Location")
		}
		r, err := s.q.LocationUpdate(ctx, tx, dbsqlc.LocationUpdateParams{ID: id, Name: name, Priority: int32(in.Priority), Active: in.Active})
		if err != nil {
			return interpretError(err, "A location with this name")
		}
		loc = Location{ID: r.ID, Name: r.Name, Priority: int(r.Priority), Active: r.Active}
		if before.Active != r.Active {
			variants, err := s.q.LocationVariants(ctx, tx, id)
			if err != nil {
				return interpretError(err, "location stock")
			}
			for _, v := range variants {
				s.stockChanged(v)
			}
		}
		if s.audit == nil {
			return nil
		}
		changes := audit.Diff(
			map[string]any{"name": before.Name, "priority": int(before.Priority), "active": before.Active},
			map[string]any{"name": loc.Name, "priority": loc.Priority, "active": loc.Active})
		if len(changes) == 0 {
			return nil
		}
		return s.audit.RecordTx(ctx, tx, audit.Entry{Actor: actor, Action: "stock.location_update", ObjectType: "stock_location",
			ObjectID: fmt.Sprint(id), Changes: changes})
	})
	return loc, err
}
