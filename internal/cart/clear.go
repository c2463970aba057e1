package cart

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/catalog"
)

// ClearTx empties the caller's cart inside the caller's transaction (the order's, at
// checkout): the order and the emptied cart commit together, and a checkout that fails
// leaves the cart as it was. A caller without a cart has nothing to clear. Subscribers
// hear of it with Reason "checkout".
func (s *Service) ClearTx(ctx context.Context, tx pgx.Tx, ref Ref) error {
	var (
		id  int64
		err error
	)
	switch {
	case ref.AccountID != 0:
		id, err = s.q.AccountCartTouch(ctx, tx, ref.AccountID)
	case validToken(ref.Token):
		// A guest's cart: lock and empty it in one round trip (checkout's busiest step).
		rows, err := s.q.LinesDeleteOfGuestCart(ctx, tx, ref.Token)
		if err != nil {
			return fmt.Errorf("cart: clear guest cart: %w", err)
		}
		if len(rows) == 0 {
			return nil
		}
		e := CartUpdated{CartID: rows[0].CartID, Reason: "checkout"}
		for _, r := range rows {
			e.Lines = append(e.Lines, LineChange{VariantID: catalog.VariantID(r.VariantID), Before: int(r.Quantity)})
		}
		return s.announce(ctx, tx, e)
	default:
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cart: find cart to clear: %w", err)
	}
	removed, err := s.q.LinesDeleteOfCart(ctx, tx, id)
	if err != nil {
		return fmt.Errorf("cart: clear cart %d: %w", id, err)
	}
	if len(removed) == 0 {
		return nil
	}
	e := CartUpdated{CartID: id, AccountID: ref.AccountID, Reason: "checkout"}
	for _, r := range removed {
		e.Lines = append(e.Lines, LineChange{VariantID: catalog.VariantID(r.VariantID), Before: int(r.Quantity)})
	}
	return s.announce(ctx, tx, e)
}
