package catalog

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

// Currency returns the currency the catalog prices in, which is the shop's currency:
// shipping prices and discount amounts must be in it too, or checkout cannot add them to
// a cart. The catalog holds one currency, so the first variant's tells; a catalog without
// variants yet prices in USD, like a new product; the demo catalog is in DemoCurrency.
func (s *Service) Currency(ctx context.Context) (string, error) {
	var currency string
	err := s.pool.QueryRow(ctx, `SELECT currency FROM catalog.variants ORDER BY id LIMIT 1`).Scan(&currency)
	if errors.Is(err, pgx.ErrNoRows) {
		return "USD", nil
	}
	if err != nil {
		return "", interpretError(err, "currency")
	}
	return currency, nil
}
