package orders

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/monoshop/monoshop/internal/orders/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// PricingSettings is everything checkout prices an order with besides the cart: the
// store's tax mode, the shipping zones with their active methods, and the tax rates.
type PricingSettings struct {
	Mode  TaxMode
	Zones []ShippingZone
	Rates []TaxRate
}

// PricingSettings reads the store's current pricing configuration. Checkout reads it once
// per page so that a change in the back office applies to the next page a shopper sees.
func (s *Service) PricingSettings(ctx context.Context) (PricingSettings, error) {
	st, err := s.q.StoreSettingsGet(ctx, s.pool)
	if err != nil {
		return PricingSettings{}, fmt.Errorf("orders: read store settings: %w", err)
	}
	zones, err := s.shippingZones(ctx, true)
	if err != nil {
		return PricingSettings{}, err
	}
	rates, err := s.taxRates(ctx)
	if err != nil {
		return PricingSettings{}, err
	}
	return PricingSettings{Mode: TaxMode(st.TaxMode), Zones: zones, Rates: rates}, nil
}

// shippingZones returns the zones in matching order with their methods (only the active
// ones when activeOnly).
func (s *Service) shippingZones(ctx context.Context, activeOnly bool) ([]ShippingZone, error) {
	zrows, err := s.q.ShippingZonesAll(ctx, s.pool)
	if err != nil {
		return nil, fmt.Errorf("orders: read shipping zones: %w", err)
	}
	mrows, err := s.q.ShippingMethodsAll(ctx, s.pool)
	if err != nil {
		return nil, fmt.Errorf("orders: read shipping methods: %w", err)
	}
	byZone := make(map[int64][]ShippingMethod, len(zrows))
	for _, m := range mrows {
		if activeOnly && !m.Active {
			continue
		}
		method, err := methodFromRow(m)
		if err != nil {
			return nil, err
		}
		byZone[m.ZoneID] = append(byZone[m.ZoneID], method)
	}
	zones := make([]ShippingZone, 0, len(zrows))
	for _, z := range zrows {
		zones = append(zones, ShippingZone{ID: z.ID, Name: z.Name, Countries: z.Countries, Methods: byZone[z.ID]})
	}
	return zones, nil
}

func (s *Service) taxRates(ctx context.Context) ([]TaxRate, error) {
	rows, err := s.q.TaxRatesAll(ctx, s.pool)
	if err != nil {
		return nil, fmt.Errorf("orders: read tax rates: %w", err)
	}
	rates := make([]TaxRate, 0, len(rows))
	for _, r := range rows {
		rates = append(rates, TaxRate{ID: r.ID, Country: r.Country, Region: r.Region, Class: r.Class, Rate: int(r.BasisPoints), Name: r.Name})
	}
	return rates, nil
}

// storedTier is a weight tier as kept in shipping_methods.tiers.
type storedTier struct {
	UpToGrams  int   `json:"up_to_grams"`
	PriceMinor int64 `json:"price_minor"`
}

func methodFromRow(r dbsqlc.OrdersShippingMethod) (ShippingMethod, error) {
	m := ShippingMethod{
		ID: r.ID, Name: r.Name, Kind: MethodKind(r.Kind),
		Price: money.New(r.PriceMinor, r.Currency),
	}
	if r.Kind == string(MethodFreeOver) {
		m.FreeOver = money.New(r.FreeOverMinor, r.Currency)
	}
	if r.Kind == string(MethodWeightTiers) {
		var tiers []storedTier
		if err := json.Unmarshal(r.Tiers, &tiers); err != nil {
			return ShippingMethod{}, fmt.Errorf("orders: shipping method %d tiers: %w", r.ID, err)
		}
		for _, t := range tiers {
			m.Tiers = append(m.Tiers, WeightTier{UpToGrams: t.UpToGrams, Price: money.New(t.PriceMinor, r.Currency)})
		}
	}
	return m, nil
}
