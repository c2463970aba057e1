package inventory

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/monoshop/monoshop/internal/inventory/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// Service is the inventory module's public API.
type Service struct {
	pool  *pgxpool.Pool
	q     *dbsqlc.Queries
	log   *slog.Logger
	audit audit.Recorder

	hooksMu     sync.Mutex
	changeHooks []func(variantID int64)
}

// NewService returns the inventory service.
func NewService(pool *pgxpool.Pool, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{pool: pool, q: dbsqlc.New(), log: log}
}

// UseAudit attaches the audit log staff adjustments are recorded in.
func (s *Service) UseAudit(r audit.Recorder) { s.audit = r }

func interpretError(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.Wrap(err, apperr.NotFound, what+" not found.")
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return apperr.Wrap(err, apperr.Conflict, what+" already exists.")
		case "23514":
			// A CHECK constraint stopped a level from going negative or over-reserved.
			return apperr.Wrap(err, apperr.Conflict, "Not enough stock for this change.")
		}
	}
	return fmt.Errorf("inventory: %s: %w", what, err)
}

// Availability returns the stock of each variant over active locations. Variants the
// inventory does not know come back untracked (nothing to sell).
func (s *Service) Availability(ctx context.Context, variantIDs []int64) (map[int64]Stock, error) {
	return s.availability(ctx, s.pool, variantIDs)
}

func (s *Service) availability(ctx context.Context, q dbsqlc.DBTX, variantIDs []int64) (map[int64]Stock, error) {
	out := make(map[int64]Stock, len(variantIDs))
	for _, id := range variantIDs {
		out[id] = Stock{VariantID: id}
	}
	if len(variantIDs) == 0 {
		return out, nil
	}
	rows, err := s.q.Availability(ctx, q, variantIDs)
	if err != nil {
		return nil, interpretError(err, "stock")
	}
	for _, r := range rows {
		out[r.VariantID] = Stock{VariantID: r.VariantID, OnHand: int(r.OnHand), Reserved: int(r.Reserved),
			AllowBackorder: r.AllowBackorder, LowStockThreshold: int(r.LowStockThreshold), Tracked: true}
	}
	return out, nil
}

// mergeLines sums duplicate variants and orders lines by variant id: the lock order every
// writer follows.
func mergeLines(lines []Line) ([]Line, error) {
	sum := map[int64]int{}
	for _, l := range lines {
		if l.Quantity <= 0 {
			return nil, apperr.New(apperr.Invalid, "Quantities must be at least 1.")
		}
		sum[l.VariantID] += l.Quantity
	}
	out := make([]Line, 0, len(sum))
	for id, q := range sum {
		out = append(out, Line{VariantID: id, Quantity: q})
	}
	slices.SortFunc(out, func(a, b Line) int { return cmp.Compare(a.VariantID, b.VariantID) })
	return out, nil
}

// ReserveTx holds stock for every line under ref (an order reference), inside the caller's
// transaction: all lines or none. Each variant's levels are locked in location order and
// allocated by location priority, splitting a line across locations when no single one
// has enough. A line that cannot be met fails the whole call with *InsufficientStock
// (after checking every line, so the shopper learns about all of them at once).
func (s *Service) ReserveTx(ctx context.Context, tx pgx.Tx, ref string, lines []Line) error {
	if ref == "" || len(ref) > 100 {
		return apperr.New(apperr.Invalid, "A reservation needs a reference.")
	}
	merged, err := mergeLines(lines)
	if err != nil {
		return err
	}
	p := dbsqlc.ReserveParams{Ref: ref}
	for _, l := range merged {
		p.VariantIds = append(p.VariantIds, l.VariantID)
		p.Quantities = append(p.Quantities, int32(l.Quantity))
	}
	// Locking, checking and allocating are one statement (Reserve): under load a checkout
	// waits for round trips, and the levels stay locked for less time.
	rows, err := s.q.Reserve(ctx, tx, p)
	if err != nil {
		return interpretError(err, "reservation")
	}
	var short []Shortage
	for _, r := range rows {
		switch r.Kind {
		case "short":
			short = append(short, Shortage{VariantID: r.VariantID, Requested: int(r.Quantity), Available: int(r.Available)})
		default:
			s.stockChanged(r.VariantID)
		}
	}
	if len(short) > 0 {
		slices.SortFunc(short, func(a, b Shortage) int { return cmp.Compare(a.VariantID, b.VariantID) })
		return &InsufficientStock{Short: short}
	}
	return nil
}

// ReleaseTx gives back everything still reserved under ref (a cancelled or expired
// order). Releasing twice releases nothing the second time.
func (s *Service) ReleaseTx(ctx context.Context, tx pgx.Tx, ref string) error {
	return s.settle(ctx, tx, ref, "released", "release")
}

// CommitTx turns what is reserved under ref into stock that left the building (shipped):
// on hand and reserved both decrease.
func (s *Service) CommitTx(ctx context.Context, tx pgx.Tx, ref string) error {
	return s.settle(ctx, tx, ref, "committed", "commit")
}

func (s *Service) settle(ctx context.Context, tx pgx.Tx, ref, state, reason string) error {
	res, err := s.q.ReservationsForRef(ctx, tx, ref)
	if err != nil {
		return interpretError(err, "reservation")
	}
	for _, r := range res {
		if _, err := s.q.LevelLock(ctx, tx, dbsqlc.LevelLockParams{VariantID: r.VariantID, LocationID: r.LocationID}); err != nil {
			return interpretError(err, "stock")
		}
		dOnHand := 0
		if state == "committed" {
			dOnHand = -int(r.Quantity)
		}
		if err := s.q.LevelAddOnHandAndReserved(ctx, tx, dbsqlc.LevelAddOnHandAndReservedParams{
			DeltaOnHand: int32(dOnHand), DeltaReserved: -r.Quantity, VariantID: r.VariantID, LocationID: r.LocationID}); err != nil {
			if state == "committed" {
				var pgErr *pgconn.PgError
				if errors.As(err, &pgErr) && pgErr.Code == "23514" {
					return apperr.Wrap(err, apperr.Conflict, "Some items are on backorder and not in stock yet, so they cannot ship.")
				}
			}
			return interpretError(err, "stock")
		}
		if err := s.q.ReservationSetState(ctx, tx, dbsqlc.ReservationSetStateParams{ID: r.ID, State: state}); err != nil {
			return interpretError(err, "reservation")
		}
		if err := s.move(ctx, tx, r.VariantID, r.LocationID, dOnHand, -int(r.Quantity), reason, ref, nil, ""); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) move(ctx context.Context, tx pgx.Tx, variant, location int64, dOnHand, dReserved int, reason, ref string, actor *int64, note string) error {
	s.stockChanged(variant)
	err := s.q.MovementInsert(ctx, tx, dbsqlc.MovementInsertParams{VariantID: variant, LocationID: location,
		DeltaOnHand: int32(dOnHand), DeltaReserved: int32(dReserved), Reason: reason, Ref: ref, ActorID: actor, Note: note})
	return interpretError(err, "movement")
}

// ErrStaleLevel refuses an adjustment made against a quantity that changed meanwhile.
var ErrStaleLevel = apperr.New(apperr.Conflict, "The stock changed since you opened this page (another person or an order). Nothing was changed: reload to see the current quantity.")

// Adjust sets the on-hand quantity of a level to newOnHand, provided it still is
// expectedOnHand (what the editor saw): a stale edit is refused, never applied over
// someone else's change. The reason goes to the ledger and the audit log.
func (s *Service) Adjust(ctx context.Context, actor audit.Actor, variant, location int64, expectedOnHand, newOnHand int, reason string) error {
	reason = strings.TrimSpace(reason)
	switch {
	case newOnHand < 0 || newOnHand > 10_000_000:
		return apperr.InvalidFields("Please correct the quantity.", map[string]string{"on_hand": "Enter a quantity between 0 and 10,000,000."})
	case reason == "" || len(reason) > 500:
		return apperr.InvalidFields("Please give a reason.", map[string]string{"reason": "Say why the stock changes (at most 500 characters)."})
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := s.q.ItemEnsure(ctx, tx, variant); err != nil {
			return interpretError(err, "item")
		}
		if err := s.q.LevelEnsure(ctx, tx, dbsqlc.LevelEnsureParams{VariantID: variant, LocationID: location}); err != nil {
			return interpretError(err, "stock")
		}
		n, err := s.q.LevelSetOnHandIfUnchanged(ctx, tx, dbsqlc.LevelSetOnHandIfUnchangedParams{
			NewOnHand: int32(newOnHand), VariantID: variant, LocationID: location, ExpectedOnHand: int32(expectedOnHand)})
		if err != nil {
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.Code == "23514" {
				return apperr.InvalidFields("Please correct the quantity.", map[string]string{"on_hand": "Orders hold more than that; the quantity cannot go below what is reserved."})
			}
			return interpretError(err, "stock")
		}
		if n == 0 {
			return ErrStaleLevel
		}
		actorID := actor.ID
		if err := s.move(ctx, tx, variant, location, newOnHand-expectedOnHand, 0, "adjust", "", ptrIf(actorID), reason); err != nil {
			return err
		}
		if s.audit != nil {
			return s.audit.RecordTx(ctx, tx, audit.Entry{Actor: actor, Action: "stock.adjust", ObjectType: "stock_level",
				ObjectID: fmt.Sprintf("%d@%d", variant, location),
				Changes:  map[string]audit.Change{"on_hand": {Before: expectedOnHand, After: newOnHand}, "reason": {After: reason}}})
		}
		return nil
	})
}

// Transfer moves qty of available stock of a variant from one location to another.
func (s *Service) Transfer(ctx context.Context, actor audit.Actor, variant, from, to int64, qty int, note string) error {
	if from == to {
		return apperr.InvalidFields("Please correct the transfer.", map[string]string{"to": "Choose a different location."})
	}
	if qty <= 0 || qty > 10_000_000 {
		return apperr.InvalidFields("Please correct the transfer.", map[string]string{"quantity": "Enter a quantity of at least 1."})
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := s.q.LevelEnsure(ctx, tx, dbsqlc.LevelEnsureParams{VariantID: variant, LocationID: to}); err != nil {
			return interpretError(err, "stock")
		}
		// Lock both levels in location order, like every other writer.
		first, second := from, to
		if second < first {
			first, second = second, first
		}
		for _, loc := range []int64{first, second} {
			if _, err := s.q.LevelLock(ctx, tx, dbsqlc.LevelLockParams{VariantID: variant, LocationID: loc}); err != nil {
				return interpretError(err, "Stock level")
			}
		}
		src, err := s.q.LevelLock(ctx, tx, dbsqlc.LevelLockParams{VariantID: variant, LocationID: from})
		if err != nil {
			return interpretError(err, "Stock level")
		}
		if int(src.OnHand-src.Reserved) < qty {
			return apperr.InvalidFields("Please correct the transfer.", map[string]string{"quantity": fmt.Sprintf("Only %d available at that location.", max(0, src.OnHand-src.Reserved))})
		}
		for _, step := range []struct {
			loc   int64
			delta int
			why   string
		}{{from, -qty, "transfer_out"}, {to, qty, "transfer_in"}} {
			if err := s.q.LevelAddOnHandAndReserved(ctx, tx, dbsqlc.LevelAddOnHandAndReservedParams{DeltaOnHand: int32(step.delta), VariantID: variant, LocationID: step.loc}); err != nil {
				return interpretError(err, "stock")
			}
			if err := s.move(ctx, tx, variant, step.loc, step.delta, 0, step.why, "", ptrIf(actor.ID), note); err != nil {
				return err
			}
		}
		if s.audit != nil {
			return s.audit.RecordTx(ctx, tx, audit.Entry{Actor: actor, Action: "stock.transfer", ObjectType: "variant", ObjectID: fmt.Sprint(variant),
				Changes: map[string]audit.Change{"from": {After: from}, "to": {After: to}, "quantity": {After: qty}}})
		}
		return nil
	})
}

func ptrIf(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// Locations lists every location, highest priority first.
func (s *Service) Locations(ctx context.Context) ([]Location, error) {
	rows, err := s.q.LocationList(ctx, s.pool)
	if err != nil {
		return nil, interpretError(err, "locations")
	}
	out := make([]Location, len(rows))
	for i, r := range rows {
		out[i] = Location{ID: r.ID, Name: r.Name, Priority: int(r.Priority), Active: r.Active}
	}
	return out, nil
}

// CreateLocation adds a place stock is kept.
func (s *Service) CreateLocation(ctx context.Context, name string, priority int) (Location, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 120 {
		return Location{}, apperr.InvalidFields("Please name the location.", map[string]string{"name": "Enter a name of at most 120 characters."})
	}
	r, err := s.q.LocationInsert(ctx, s.pool, dbsqlc.LocationInsertParams{Name: name, Priority: int32(priority), Active: true})
	if err != nil {
		return Location{}, interpretError(err, "A location with this name")
	}
	return Location{ID: r.ID, Name: r.Name, Priority: int(r.Priority), Active: r.Active}, nil
}

// SetPolicy sets a variant's backorder policy and low-stock threshold.
func (s *Service) SetPolicy(ctx context.Context, variant int64, allowBackorder bool, lowStock int) error {
	if lowStock < 0 || lowStock > 1_000_000 {
		return apperr.InvalidFields("Please correct the threshold.", map[string]string{"low_stock_threshold": "Enter a number of at least 0."})
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := s.q.ItemUpsert(ctx, tx, dbsqlc.ItemUpsertParams{VariantID: variant, AllowBackorder: allowBackorder, LowStockThreshold: int32(lowStock)}); err != nil {
			return interpretError(err, "item")
		}
		s.stockChanged(variant)
		err := s.q.LevelsSyncBackorder(ctx, tx, dbsqlc.LevelsSyncBackorderParams{VariantID: variant, AllowBackorder: allowBackorder})
		if err != nil {
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.Code == "23514" {
				return apperr.New(apperr.Conflict, "Orders already hold more than is in stock; restock before turning backorders off.")
			}
		}
		return interpretError(err, "stock")
	})
}

// Levels returns a variant's stock per location.
func (s *Service) Levels(ctx context.Context, variant int64) ([]Level, error) {
	rows, err := s.q.LevelsForVariant(ctx, s.pool, variant)
	if err != nil {
		return nil, interpretError(err, "stock")
	}
	out := make([]Level, len(rows))
	for i, r := range rows {
		out[i] = Level{VariantID: r.VariantID, LocationID: r.LocationID, LocationName: r.LocationName, OnHand: int(r.OnHand), Reserved: int(r.Reserved)}
	}
	return out, nil
}

// Movements returns the latest ledger entries of a variant, newest first.
func (s *Service) Movements(ctx context.Context, variant int64, limit int) ([]Movement, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := s.q.MovementList(ctx, s.pool, dbsqlc.MovementListParams{VariantID: variant, Limit: int32(limit)})
	if err != nil {
		return nil, interpretError(err, "movements")
	}
	out := make([]Movement, len(rows))
	for i, r := range rows {
		out[i] = Movement{ID: r.ID, VariantID: r.VariantID, LocationID: r.LocationID, DeltaOnHand: int(r.DeltaOnHand),
			DeltaReserved: int(r.DeltaReserved), Reason: r.Reason, Ref: r.Ref, ActorID: r.ActorID, Note: r.Note,
			CreatedAt: r.CreatedAt}
	}
	return out, nil
}

// SeedDemo stocks every given variant at a main warehouse (and some at a second
// location), deterministically from the variant id: most have plenty, some a few, some
// none, a few allow backorders.
func (s *Service) SeedDemo(ctx context.Context, variantIDs []int64) error {
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var main, store int64
		if err := tx.QueryRow(ctx, `
			INSERT INTO inventory.locations (name, priority) VALUES ('Main warehouse', 10)
			ON CONFLICT (name) DO UPDATE SET priority = EXCLUDED.priority RETURNING id`).Scan(&main); err != nil {
			return interpretError(err, "location")
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO inventory.locations (name, priority) VALUES ('City store', 5)
			ON CONFLICT (name) DO UPDATE SET priority = EXCLUDED.priority RETURNING id`).Scan(&store); err != nil {
			return interpretError(err, "location")
		}
		// A chunk at a time: 100,000 demo products are 1.5 million variants, more than one
		// statement should write within the statement timeout, or than memory should hold.
		for start := 0; start < len(variantIDs); start += seedChunk {
			if err := seedStock(ctx, tx, variantIDs[start:min(start+seedChunk, len(variantIDs))], main, store); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `ANALYZE inventory.items, inventory.levels, inventory.movements`)
		return interpretError(err, "statistics")
	})
}

// seedChunk is how many variants the demo stock writes per statement.
const seedChunk = 20_000

// seedStock gives one chunk of variants their demo stock.
func seedStock(ctx context.Context, tx pgx.Tx, variantIDs []int64, main, store int64) error {
	var items, levels, moves [][]any
	for _, id := range variantIDs {
		h := uint64(id) * 2654435761 % 100
		backorder := h < 3
		items = append(items, []any{id, backorder, int32(5)})
		var qty int32
		switch {
		case h < 10:
			qty = 0
		case h < 25:
			qty = int32(1 + h%4)
		default:
			qty = int32(20 + h)
		}
		levels = append(levels, []any{id, main, qty, backorder})
		moves = append(moves, []any{id, main, qty, "initial"})
		if h%3 == 0 {
			levels = append(levels, []any{id, store, int32(h % 7), backorder})
			moves = append(moves, []any{id, store, int32(h % 7), "initial"})
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"inventory", "items"}, []string{"variant_id", "allow_backorder", "low_stock_threshold"}, pgx.CopyFromRows(items)); err != nil {
		return fmt.Errorf("inventory: seed items: %w", err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"inventory", "levels"}, []string{"variant_id", "location_id", "on_hand", "allow_backorder"}, pgx.CopyFromRows(levels)); err != nil {
		return fmt.Errorf("inventory: seed levels: %w", err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"inventory", "movements"}, []string{"variant_id", "location_id", "delta_on_hand", "reason"}, pgx.CopyFromRows(moves)); err != nil {
		return fmt.Errorf("inventory: seed ledger: %w", err)
	}
	return nil
}
