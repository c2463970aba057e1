package catalog

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// UseDefaultCurrency makes f the currency of a catalog with no prices yet: the store's
// currency as staff set it in the back office (cmd/shop passes the orders module's
// store details). Without it that is USD.
func (s *Service) UseDefaultCurrency(f func(context.Context) string) { s.defaultCurrency = f }

func (s *Service) emptyCatalogCurrency(ctx context.Context) string {
	if s.defaultCurrency != nil {
		if c := s.defaultCurrency(ctx); c != "" {
			return c
		}
	}
	return "USD"
}

// Currency returns the currency the catalog prices in, which is the shop's currency:
// shipping prices and discount amounts must be in it too, or checkout cannot add them to
// a cart. The catalog holds one currency, so the first variant's tells; a catalog without
// variants yet prices in the store's default currency (UseDefaultCurrency).
func (s *Service) Currency(ctx context.Context) (string, error) {
	currency, priced, err := s.PricedCurrency(ctx)
	if err != nil {
		return "", err
	}
	if !priced {
		return s.emptyCatalogCurrency(ctx), nil
	}
	return currency, nil
}

// shopCurrencyTTL bounds how long ShopCurrency answers from memory: the shop's currency
// changes only while nothing is priced, and a cart view should not pay a query for it.
const shopCurrencyTTL = 10 * time.Second

type currencyMemo struct {
	at       time.Time
	currency string
}

// ShopCurrency is Currency remembered for a few seconds, for callers that ask on every
// page (the cart, to set aside a line priced in another currency).
func (s *Service) ShopCurrency(ctx context.Context) (string, error) {
	if m := s.currencyMemo.Load(); m != nil && time.Since(m.at) < shopCurrencyTTL {
		return m.currency, nil
	}
	start := time.Now()
	c, err := s.Currency(ctx)
	if err != nil {
		return "", err
	}
	s.currencyMemo.Store(&currencyMemo{at: start, currency: c})
	return c, nil
}

// PricedCurrency returns the currency the catalog's prices are in, and false when no
// variant has a price yet (then any currency may be chosen for the store).
func (s *Service) PricedCurrency(ctx context.Context) (string, bool, error) {
	var currency string
	err := s.pool.QueryRow(ctx, `SELECT currency FROM catalog.variants ORDER BY id LIMIT 1`).Scan(&currency)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, interpretError(err, "currency")
	}
	return currency, true, nil
}
