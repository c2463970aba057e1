package inventory

import (
	"context"

	"github.com/monoshop/monoshop/internal/inventory/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// LevelsOf returns the stock per location of each given variant (highest priority
// location first), in one query: the back-office overview shows many variants per page.
// A variant without any level is absent from the map.
func (s *Service) LevelsOf(ctx context.Context, variantIDs []int64) (map[int64][]Level, error) {
	out := make(map[int64][]Level, len(variantIDs))
	if len(variantIDs) == 0 {
		return out, nil
	}
	rows, err := s.q.LevelsForVariants(ctx, s.pool, variantIDs)
	if err != nil {
		return nil, interpretError(err, "stock")
	}
	for _, r := range rows {
		out[r.VariantID] = append(out[r.VariantID], Level{VariantID: r.VariantID, LocationID: r.LocationID,
			LocationName: r.LocationName, OnHand: int(r.OnHand), Reserved: int(r.Reserved)})
	}
	return out, nil
}

// MaxTrackedPage bounds one page of ListTracked.
const MaxTrackedPage = 200

// ListTracked returns one page of the variants inventory keeps (any that ever had a
// policy or a level), in variant id order, and how many there are in all.
func (s *Service) ListTracked(ctx context.Context, page, perPage int) ([]int64, int, error) {
	if perPage <= 0 || perPage > MaxTrackedPage {
		perPage = 50
	}
	// Far past the end is simply empty; the bound keeps the offset within int32.
	page = min(max(page, 1), 1_000_000)
	ids, err := s.q.ItemPage(ctx, s.pool, dbsqlc.ItemPageParams{MaxRows: int32(perPage), Skip: db.Offset(page, perPage)})
	if err != nil {
		return nil, 0, interpretError(err, "stock")
	}
	total, err := s.q.ItemCount(ctx, s.pool)
	if err != nil {
		return nil, 0, interpretError(err, "stock")
	}
	return ids, int(total), nil
}
