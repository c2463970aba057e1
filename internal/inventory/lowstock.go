package inventory

import "context"

// LowStockItem is a variant whose available stock fell to its low-stock threshold or
// below: time to reorder.
type LowStockItem struct {
	VariantID int64
	// Available is on hand minus reserved over every location; it is negative when
	// backorders reserved more than there is.
	Available int
	Threshold int
}

// MaxLowStock bounds one low-stock list: past a few hundred lines, a shop has a
// purchasing problem no list solves, and the page and the email stay readable.
const MaxLowStock = 500

// LowStock lists the variants at or under their low-stock threshold, emptiest first (out
// of stock before nearly out), at most limit of them.
func (s *Service) LowStock(ctx context.Context, limit int) ([]LowStockItem, error) {
	if limit <= 0 || limit > MaxLowStock {
		limit = MaxLowStock
	}
	rows, err := s.q.LowStock(ctx, s.pool, int32(limit))
	if err != nil {
		return nil, interpretError(err, "low stock")
	}
	out := make([]LowStockItem, len(rows))
	for i, r := range rows {
		out[i] = LowStockItem{VariantID: r.VariantID, Available: int(r.Available), Threshold: int(r.LowStockThreshold)}
	}
	return out, nil
}
