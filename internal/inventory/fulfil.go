package inventory

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/monoshop/monoshop/internal/inventory/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
)

// An order ships in parts and takes back some of what it sold, so besides settling a
// whole reservation (CommitTx, ReleaseTx) inventory settles a given number of units of
// it, and puts returned units back on hand.

// CommitLinesTx turns exactly the given units of what is reserved under ref into stock
// that left the building (a shipment): on hand and reserved both decrease at the
// locations holding them, and the rest stays reserved. Asking for more than ref holds of
// a variant fails with Conflict and changes nothing (the caller's transaction rolls
// back).
func (s *Service) CommitLinesTx(ctx context.Context, tx pgx.Tx, ref string, lines []Line) error {
	return s.settleLines(ctx, tx, ref, lines, "committed", "commit")
}

// ReleaseLinesTx gives back exactly the given units of what is reserved under ref (an
// order line cancelled before it shipped); the rest stays reserved.
func (s *Service) ReleaseLinesTx(ctx context.Context, tx pgx.Tx, ref string, lines []Line) error {
	return s.settleLines(ctx, tx, ref, lines, "released", "release")
}

func (s *Service) settleLines(ctx context.Context, tx pgx.Tx, ref string, lines []Line, state, reason string) error {
	merged, err := mergeLines(lines)
	if err != nil {
		return err
	}
	for _, l := range merged {
		// Reservations first, then their levels, in (variant, location) order: the order
		// settle and ReserveTx lock in.
		res, err := s.q.ReservationsForRefVariant(ctx, tx, dbsqlc.ReservationsForRefVariantParams{Ref: ref, VariantID: l.VariantID})
		if err != nil {
			return interpretError(err, "reservation")
		}
		held := 0
		for _, r := range res {
			held += int(r.Quantity)
		}
		if held < l.Quantity {
			return apperr.New(apperr.Conflict, fmt.Sprintf("Only %d units of this item are held for %s; nothing was changed.", held, ref))
		}
		left := l.Quantity
		for _, r := range res {
			if left == 0 {
				break
			}
			take := min(left, int(r.Quantity))
			left -= take
			if _, err := s.q.LevelLock(ctx, tx, dbsqlc.LevelLockParams{VariantID: r.VariantID, LocationID: r.LocationID}); err != nil {
				return interpretError(err, "stock")
			}
			dOnHand := 0
			if state == "committed" {
				dOnHand = -take
			}
			if err := s.q.LevelAddOnHandAndReserved(ctx, tx, dbsqlc.LevelAddOnHandAndReservedParams{
				DeltaOnHand: int32(dOnHand), DeltaReserved: int32(-take), VariantID: r.VariantID, LocationID: r.LocationID}); err != nil {
				var pgErr *pgconn.PgError
				if state == "committed" && errors.As(err, &pgErr) && pgErr.Code == "23514" {
					return apperr.Wrap(err, apperr.Conflict, "Some items are on backorder and not in stock yet, so they cannot ship.")
				}
				return interpretError(err, "stock")
			}
			if take == int(r.Quantity) {
				err = s.q.ReservationSetState(ctx, tx, dbsqlc.ReservationSetStateParams{ID: r.ID, State: state})
			} else {
				// The settled units get a row of their own, so the reservation history
				// still adds up to what was reserved.
				if err = s.q.ReservationReduce(ctx, tx, dbsqlc.ReservationReduceParams{ID: r.ID, Quantity: int32(take)}); err == nil {
					err = s.q.ReservationInsertSettled(ctx, tx, dbsqlc.ReservationInsertSettledParams{
						Ref: ref, VariantID: r.VariantID, LocationID: r.LocationID, Quantity: int32(take), State: state})
				}
			}
			if err != nil {
				return interpretError(err, "reservation")
			}
			if err := s.move(ctx, tx, r.VariantID, r.LocationID, dOnHand, -take, reason, ref, nil, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

// RestockTx puts units that had shipped back on hand (a return), at each variant's
// highest-priority active location, with a ledger row naming ref and note. A variant
// inventory does not stock fails with NotFound.
func (s *Service) RestockTx(ctx context.Context, tx pgx.Tx, ref string, lines []Line, note string) error {
	merged, err := mergeLines(lines)
	if err != nil {
		return err
	}
	if len(note) > 500 {
		note = note[:500]
	}
	for _, l := range merged {
		loc, err := s.q.LevelFirstLocation(ctx, tx, l.VariantID)
		if err != nil {
			return interpretError(err, "Stock level")
		}
		if _, err := s.q.LevelLock(ctx, tx, dbsqlc.LevelLockParams{VariantID: l.VariantID, LocationID: loc}); err != nil {
			return interpretError(err, "stock")
		}
		if err := s.q.LevelAddOnHandAndReserved(ctx, tx, dbsqlc.LevelAddOnHandAndReservedParams{
			DeltaOnHand: int32(l.Quantity), VariantID: l.VariantID, LocationID: loc}); err != nil {
			return interpretError(err, "stock")
		}
		// The ledger's reasons are fixed by a CHECK constraint; a return is an adjustment
		// whose ref names the order.
		if err := s.move(ctx, tx, l.VariantID, loc, l.Quantity, 0, "return", ref, nil, note); err != nil {
			return err
		}
	}
	return nil
}
