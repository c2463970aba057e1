package inventory

import "context"

// InStockAmong returns which of the given variants a shopper can buy now, by the rule a
// reservation of one unit follows: stocked at an active location with something available,
// or allowed on backorder. It answers in one query for the whole list, which is what a
// storefront listing filtered to "in stock only" needs per request: the answer reflects
// every reservation and adjustment committed so far, with no cache to go stale.
func (s *Service) InStockAmong(ctx context.Context, variantIDs []int64) (map[int64]bool, error) {
	out := make(map[int64]bool)
	if len(variantIDs) == 0 {
		return out, nil
	}
	ids, err := s.q.InStockAmong(ctx, s.pool, variantIDs)
	if err != nil {
		return nil, interpretError(err, "stock")
	}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}
