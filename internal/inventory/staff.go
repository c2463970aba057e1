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
