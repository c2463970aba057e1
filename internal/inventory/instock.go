package inventory

import (
	"context"
	"time"

	"github.com/monoshop/monoshop/internal/inventory/internal/dbsqlc"
)

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

// Sellable is what a storefront shows of a variant's stock.
type Sellable struct {
	Available int
	Backorder bool
	// Held says none is available but some units are reserved: they may come back if the
	// orders holding them go unpaid (a storefront then says "reserved", not "sold out").
	Held bool
}

// CanSell reports whether one unit could be reserved now (the rule ReserveTx applies).
func (s Sellable) CanSell() bool { return s.Available > 0 || s.Backorder }

// StockMovedSince returns the stock of every variant with a stock movement after the
// movement afterID, or a backorder policy changed after since, or kept at a location
// edited after since (switched on or off), and the last movement it includes. A copy made by StockAll stays current by asking this every second: a few
// rows, where StockAll reads every variant. Movement ids and change times are taken when
// a transaction writes, not when it commits, so a caller should ask again from an older
// mark (the one before last, and a few seconds back) to catch transactions that committed
// late.
func (s *Service) StockMovedSince(ctx context.Context, afterID int64, since time.Time) (map[int64]Sellable, int64, error) {
	last, err := s.q.MovementsLastID(ctx, s.pool)
	if err != nil {
		return nil, 0, interpretError(err, "stock")
	}
	rows, err := s.q.StockMovedSince(ctx, s.pool, dbsqlc.StockMovedSinceParams{AfterID: afterID, Since: since})
	if err != nil {
		return nil, 0, interpretError(err, "stock")
	}
	out := make(map[int64]Sellable, len(rows))
	for _, r := range rows {
		out[r.VariantID] = Sellable{Available: int(r.Available), Backorder: r.AllowBackorder && r.ActiveLocations > 0,
			Held: r.Available == 0 && r.Reserved > 0}
	}
	return out, last, nil
}

// OnStockChange registers f to run whenever this process changes a variant's stock level
// or backorder policy, with the variant's id, so caches of availability in the same
// process can refresh that variant at once. It runs inside the changing transaction,
// before the commit: a reader must treat the mark as "re-read live for a while", not as
// "the new value is visible now". Other replicas' caches expire on their own.
func (s *Service) OnStockChange(f func(variantID int64)) {
	s.hooksMu.Lock()
	defer s.hooksMu.Unlock()
	s.changeHooks = append(s.changeHooks, f)
}

func (s *Service) stockChanged(variantID int64) {
	s.hooksMu.Lock()
	hooks := s.changeHooks
	s.hooksMu.Unlock()
	for _, f := range hooks {
		f(variantID)
	}
}
