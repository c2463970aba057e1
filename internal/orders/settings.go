package orders

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/monoshop/monoshop/internal/orders/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// PricingSettings is everything checkout prices an order with besides the cart: the
// store's tax mode, the shipping zones with their active methods, and the tax rates.
type PricingSettings struct {
	Mode  TaxMode
	Zones []ShippingZone
	Rates []TaxRate
}

// settingsTTL bounds how long a replica prices with settings changed on another one.
// The replica that saved them prices with the new ones at once.
const settingsTTL = time.Second

type cachedSettings struct {
	at time.Time
	v  PricingSettings
}

// forgetSettings makes the next checkout page read the settings again; every write to
// them calls it once it has committed. Callers treat PricingSettings as read-only: the
// slices are shared until the next read.
func (s *Service) forgetSettings() { s.settings.Store(nil) }

// PricingSettings returns the store's current pricing configuration: read in one
// statement, and kept for at most settingsTTL, because checkout asks on every page.
func (s *Service) PricingSettings(ctx context.Context) (PricingSettings, error) {
	if c := s.settings.Load(); c != nil && time.Since(c.at) < settingsTTL {
		return c.v, nil
	}
	start := time.Now()
	out, err := s.readPricingSettings(ctx)
	if err != nil {
		return PricingSettings{}, err
	}
	s.settings.Store(&cachedSettings{at: start, v: out})
	return out, nil
}

func (s *Service) readPricingSettings(ctx context.Context) (PricingSettings, error) {
	row, err := s.q.PricingSettingsAll(ctx, s.pool)
	if err != nil {
		return PricingSettings{}, fmt.Errorf("orders: read pricing settings: %w", err)
	}
	var zones []struct {
		ID        int64    `json:"id"`
		Name      string   `json:"name"`
		Countries []string `json:"countries"`
	}
	var methods []struct {
		ID            int64           `json:"id"`
		ZoneID        int64           `json:"zone_id"`
		Name          string          `json:"name"`
		Kind          string          `json:"kind"`
		Currency      string          `json:"currency"`
		PriceMinor    int64           `json:"price_minor"`
		FreeOverMinor int64           `json:"free_over_minor"`
		Tiers         json.RawMessage `json:"tiers"`
	}
	var rates []struct {
		ID          int64  `json:"id"`
		Country     string `json:"country"`
		Region      string `json:"region"`
		Class       string `json:"class"`
		BasisPoints int    `json:"basis_points"`
		Name        string `json:"name"`
	}
	for _, part := range []struct {
		raw  []byte
		into any
	}{{row.Zones, &zones}, {row.Methods, &methods}, {row.Rates, &rates}} {
		if err := json.Unmarshal(part.raw, part.into); err != nil {
			return PricingSettings{}, fmt.Errorf("orders: decode pricing settings: %w", err)
		}
	}
	byZone := make(map[int64][]ShippingMethod, len(zones))
	for _, m := range methods {
		method, err := methodFromRow(dbsqlc.OrdersShippingMethod{
			ID: m.ID, ZoneID: m.ZoneID, Name: m.Name, Kind: m.Kind, Currency: m.Currency,
			PriceMinor: m.PriceMinor, FreeOverMinor: m.FreeOverMinor, Tiers: m.Tiers, Active: true,
		})
		if err != nil {
			return PricingSettings{}, err
		}
		byZone[m.ZoneID] = append(byZone[m.ZoneID], method)
	}
	out := PricingSettings{Mode: TaxMode(row.TaxMode), Zones: make([]ShippingZone, 0, len(zones)), Rates: make([]TaxRate, 0, len(rates))}
	for _, z := range zones {
		out.Zones = append(out.Zones, ShippingZone{ID: z.ID, Name: z.Name, Countries: z.Countries, Methods: byZone[z.ID]})
	}
	for _, r := range rates {
		out.Rates = append(out.Rates, TaxRate{ID: r.ID, Country: r.Country, Region: r.Region, Class: r.Class, Rate: r.BasisPoints, Name: r.Name})
	}
	return out, nil
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

// The back office's side of the pricing settings: the tax mode, shipping zones and their
// methods, and tax rates. Every write names the staff member making it and is recorded in
// the audit log in the transaction of the change (DESIGN.md §6). Inputs are the fields as
// typed, so that one call judges them all and a refused form names every field to fix.

// settingsFixFields heads a settings form refused field by field.
const settingsFixFields = "Please correct the highlighted fields."

// Bounds of what the back office accepts: far beyond any real shop, and small enough
// that every figure stays well inside the columns and pricing's int64 arithmetic.
const (
	maxSettingsPosition = 100_000
	maxShippingTiers    = 20
	maxTierGrams        = 10_000_000 // ten tonnes
	// maxSettingsMajor bounds a typed amount, in major units of the shop's currency.
	maxSettingsMajor = 10_000_000
)

// ShippingZoneConfig is a shipping zone as the back office edits it: with its position
// and every method, active or not.
type ShippingZoneConfig struct {
	ID        int64
	Name      string
	Countries []string
	// Position orders the zones for matching: a country listed by several zones is served
	// by the one with the lowest position.
	Position int
	Methods  []ShippingMethodConfig
}

// ShippingMethodConfig is a shipping method as the back office edits it.
type ShippingMethodConfig struct {
	// ShippingMethod is the method as checkout prices it.
	ShippingMethod
	ZoneID int64
	// Currency is what the method's prices are in. Checkout offers a method only for carts
	// in its currency, so a method left in an old currency after the shop changed its own
	// is not offered until it is saved again.
	Currency string
	Active   bool
	Position int
}

// ShippingZoneInput is a zone's form as typed.
type ShippingZoneInput struct {
	Name string
	// Countries are ISO 3166-1 alpha-2 codes separated by commas, spaces or line breaks, in
	// any case: "FR, be lu".
	Countries string
	// Position is a whole number; blank is 0.
	Position string
}

// ShippingMethodInput is a shipping method's form as typed. Amounts are in Currency with a
// point for decimals ("4.90"). Only the fields of Kind are read: a flat method ignores
// FreeOver and Tiers.
type ShippingMethodInput struct {
	// ZoneID is the zone a new method joins; a saved method stays in its zone.
	ZoneID int64
	Name   string
	Kind   string // "flat", "free_over" or "weight_tiers"
	// Price is what a flat method costs, and a free_over method below its threshold.
	Price string
	// FreeOver is the subtotal from which a free_over method costs nothing.
	FreeOver string
	// Tiers are a weight_tiers method's rows; rows left entirely blank are skipped. A
	// refused row's messages are under TierUpToField(i) and TierPriceField(i).
	Tiers    []WeightTierInput
	Active   bool
	Position string
	// Currency is the shop's (the catalog's): a method is always priced in it.
	Currency string
}

// WeightTierInput is one weight_tiers row as typed: carts weighing up to UpToGrams cost
// Price. A blank UpToGrams is the row for any weight above the others.
type WeightTierInput struct {
	UpToGrams string
	Price     string
}

// TierUpToField names the weight field of row i of ShippingMethodInput.Tiers in a
// refusal's per-field messages.
func TierUpToField(i int) string { return "tier_up_to_" + strconv.Itoa(i) }

// TierPriceField names the price field of row i of ShippingMethodInput.Tiers.
func TierPriceField(i int) string { return "tier_price_" + strconv.Itoa(i) }

// TaxRateInput is a tax rate's form as typed.
type TaxRateInput struct {
	Country string // ISO 3166-1 alpha-2
	Region  string // a subdivision's code ("TX"); blank is the whole country
	Class   string // a tax class ("reduced"); blank is the standard rate
	// Rate is a percentage with at most 2 decimals: "20", "8.25".
	Rate string
	Name string // what invoices call the tax ("VAT", "TVA"); optional
}

// SetTaxMode says whether catalog prices include tax (EU VAT) or have it added at
// checkout (US sales tax). Orders already placed keep the mode they were priced with.
func (s *Service) SetTaxMode(ctx context.Context, actor audit.Actor, mode TaxMode) error {
	defer s.forgetSettings()
	if mode != PricesIncludeTax && mode != PricesExcludeTax {
		return apperr.InvalidFields(settingsFixFields, map[string]string{"tax_mode": "Choose whether catalog prices include tax."})
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := s.q.StoreSettingsLock(ctx, tx)
		if err != nil {
			return fmt.Errorf("orders: lock store settings: %w", err)
		}
		if before.TaxMode == string(mode) {
			return nil
		}
		if _, err := s.q.StoreSettingsSetTaxMode(ctx, tx, string(mode)); err != nil {
			return fmt.Errorf("orders: set tax mode: %w", err)
		}
		return s.recordSettingTx(ctx, tx, audit.Entry{Actor: actor, Action: "settings.tax_mode", ObjectType: "store_settings",
			ObjectID: "tax_mode", Changes: map[string]audit.Change{"tax_mode": {Before: before.TaxMode, After: string(mode)}}})
	})
}

// ListShippingZones returns every zone in matching order, each with all its methods,
// active or not.
func (s *Service) ListShippingZones(ctx context.Context) ([]ShippingZoneConfig, error) {
	zrows, err := s.q.ShippingZonesAll(ctx, s.pool)
	if err != nil {
		return nil, fmt.Errorf("orders: read shipping zones: %w", err)
	}
	mrows, err := s.q.ShippingMethodsAll(ctx, s.pool)
	if err != nil {
		return nil, fmt.Errorf("orders: read shipping methods: %w", err)
	}
	byZone := make(map[int64][]ShippingMethodConfig, len(zrows))
	for _, r := range mrows {
		m, err := methodConfigFromRow(r)
		if err != nil {
			return nil, err
		}
		byZone[r.ZoneID] = append(byZone[r.ZoneID], m)
	}
	zones := make([]ShippingZoneConfig, 0, len(zrows))
	for _, z := range zrows {
		zones = append(zones, zoneConfigFromRow(z, byZone[z.ID]))
	}
	return zones, nil
}

// FindShippingZone returns a zone with all its methods.
func (s *Service) FindShippingZone(ctx context.Context, id int64) (ShippingZoneConfig, error) {
	row, err := s.q.ShippingZoneGet(ctx, s.pool, id)
	if err != nil {
		return ShippingZoneConfig{}, zoneReadError(err)
	}
	methods, err := s.methodsOfZone(ctx, s.pool, id)
	if err != nil {
		return ShippingZoneConfig{}, err
	}
	return zoneConfigFromRow(row, methods), nil
}

// SaveShippingZone creates a zone (id 0) or updates one, and returns its id. A name
// another zone has is refused on the name field.
func (s *Service) SaveShippingZone(ctx context.Context, actor audit.Actor, id int64, in ShippingZoneInput) (int64, error) {
	defer s.forgetSettings()
	z, fields := in.parse()
	if len(fields) > 0 {
		return 0, apperr.InvalidFields(settingsFixFields, fields)
	}
	return s.saveAudited(ctx, actor, func(tx pgx.Tx) (int64, audit.Entry, error) {
		return s.saveZoneTx(ctx, tx, id, z)
	})
}

// DeleteShippingZone removes a zone and its methods, and returns what was removed.
// Orders keep the name of the method they were shipped with.
func (s *Service) DeleteShippingZone(ctx context.Context, actor audit.Actor, id int64) (ShippingZoneConfig, error) {
	defer s.forgetSettings()
	var zone ShippingZoneConfig
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := s.q.ShippingZoneLock(ctx, tx, id)
		if err != nil {
			return zoneReadError(err)
		}
		methods, err := s.methodsOfZone(ctx, tx, id)
		if err != nil {
			return err
		}
		zone = zoneConfigFromRow(row, methods)
		if _, err := s.q.ShippingZoneDelete(ctx, tx, id); err != nil {
			return fmt.Errorf("orders: delete shipping zone: %w", err)
		}
		names := make([]string, len(methods))
		for i, m := range methods {
			names[i] = m.Name
		}
		return s.recordSettingTx(ctx, tx, audit.Entry{Actor: actor, Action: "shipping_zone.delete", ObjectType: "shipping_zone",
			ObjectID: strconv.FormatInt(id, 10), Changes: audit.Diff(map[string]any{
				"name": row.Name, "countries": row.Countries, "position": int(row.Position), "methods": names,
			}, nil)})
	})
	if err != nil {
		return ShippingZoneConfig{}, err
	}
	return zone, nil
}

// FindShippingMethod returns one shipping method, active or not.
func (s *Service) FindShippingMethod(ctx context.Context, id int64) (ShippingMethodConfig, error) {
	row, err := s.q.ShippingMethodGet(ctx, s.pool, id)
	if err != nil {
		return ShippingMethodConfig{}, methodReadError(err)
	}
	return methodConfigFromRow(row)
}

// SaveShippingMethod creates a method in in.ZoneID (id 0) or updates one, and returns its
// id. Every amount is read in in.Currency, the shop's, so saving a method again also moves
// it to the shop's current currency.
func (s *Service) SaveShippingMethod(ctx context.Context, actor audit.Actor, id int64, in ShippingMethodInput) (int64, error) {
	defer s.forgetSettings()
	if !isCurrencyCode(in.Currency) {
		return 0, fmt.Errorf("orders: shipping method priced in %q, which is not a currency code", in.Currency)
	}
	m, fields := in.parse()
	if len(fields) > 0 {
		return 0, apperr.InvalidFields(settingsFixFields, fields)
	}
	return s.saveAudited(ctx, actor, func(tx pgx.Tx) (int64, audit.Entry, error) {
		return s.saveMethodTx(ctx, tx, id, in.ZoneID, m)
	})
}

// DeleteShippingMethod removes a method and returns what was removed.
func (s *Service) DeleteShippingMethod(ctx context.Context, actor audit.Actor, id int64) (ShippingMethodConfig, error) {
	defer s.forgetSettings()
	var method ShippingMethodConfig
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := s.q.ShippingMethodLock(ctx, tx, id)
		if err != nil {
			return methodReadError(err)
		}
		if method, err = methodConfigFromRow(row); err != nil {
			return err
		}
		if _, err := s.q.ShippingMethodDelete(ctx, tx, id); err != nil {
			return fmt.Errorf("orders: delete shipping method: %w", err)
		}
		before, err := methodAuditFields(row)
		if err != nil {
			return err
		}
		before["zone_id"] = row.ZoneID
		return s.recordSettingTx(ctx, tx, audit.Entry{Actor: actor, Action: "shipping_method.delete", ObjectType: "shipping_method",
			ObjectID: strconv.FormatInt(id, 10), Changes: audit.Diff(before, nil)})
	})
	if err != nil {
		return ShippingMethodConfig{}, err
	}
	return method, nil
}

// ListTaxRates returns every tax rate by country, region and class.
func (s *Service) ListTaxRates(ctx context.Context) ([]TaxRate, error) {
	return s.taxRates(ctx)
}

// FindTaxRate returns one tax rate.
func (s *Service) FindTaxRate(ctx context.Context, id int64) (TaxRate, error) {
	row, err := s.q.TaxRateGet(ctx, s.pool, id)
	if err != nil {
		return TaxRate{}, taxRateReadError(err)
	}
	return taxRateFromRow(row), nil
}

// SaveTaxRate creates a rate (id 0) or updates one, and returns it as saved. One rate per
// country, region and class: a second is refused on the country field.
func (s *Service) SaveTaxRate(ctx context.Context, actor audit.Actor, id int64, in TaxRateInput) (TaxRate, error) {
	defer s.forgetSettings()
	r, fields := in.parse()
	if len(fields) > 0 {
		return TaxRate{}, apperr.InvalidFields(settingsFixFields, fields)
	}
	var saved TaxRate
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var entry audit.Entry
		var err error
		saved, entry, err = s.saveTaxRateTx(ctx, tx, id, r)
		if err != nil {
			return err
		}
		entry.Actor = actor
		return s.recordSettingTx(ctx, tx, entry)
	})
	if err != nil {
		return TaxRate{}, err
	}
	return saved, nil
}

// DeleteTaxRate removes a rate and returns what was removed. Its destination is then
// taxed at the next rate that matches (RateFor), or not at all.
func (s *Service) DeleteTaxRate(ctx context.Context, actor audit.Actor, id int64) (TaxRate, error) {
	defer s.forgetSettings()
	var rate TaxRate
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := s.q.TaxRateLock(ctx, tx, id)
		if err != nil {
			return taxRateReadError(err)
		}
		rate = taxRateFromRow(row)
		if _, err := s.q.TaxRateDelete(ctx, tx, id); err != nil {
			return fmt.Errorf("orders: delete tax rate: %w", err)
		}
		return s.recordSettingTx(ctx, tx, audit.Entry{Actor: actor, Action: "tax_rate.delete", ObjectType: "tax_rate",
			ObjectID: strconv.FormatInt(id, 10), Changes: audit.Diff(taxRateValues{
				country: row.Country, region: row.Region, class: row.Class, basisPoints: int(row.BasisPoints), name: row.Name,
			}.auditFields(), nil)})
	})
	if err != nil {
		return TaxRate{}, err
	}
	return rate, nil
}

// ShopCurrency is what the demo settings need from the catalog (*catalog.Service): the
// currency the shop sells in, which shipping prices must share.
type ShopCurrency interface {
	Currency(ctx context.Context) (string, error)
}

// demoZone is one zone of the demo settings with its methods.
type demoZone struct {
	zone    ShippingZoneInput
	methods []ShippingMethodInput
}

// demoShipping is the demo shop's shipping, a French shop's: cheap at home and free from
// 50, a flat rate or weight-priced express across the EU, one rate for the rest of the
// world. Amounts are minor units, so they read the same in any two-decimal currency.
func demoShipping(currency string) []demoZone {
	amount := func(minor int64) string { return money.New(minor, currency).Decimal() }
	return []demoZone{
		{ShippingZoneInput{Name: "Domestic", Countries: "FR", Position: "1"}, []ShippingMethodInput{
			{Name: "Standard", Kind: string(MethodFreeOver), Price: amount(490), FreeOver: amount(5000), Position: "1"},
		}},
		{ShippingZoneInput{Name: "Europe", Countries: "DE ES IT BE NL PT IE AT LU", Position: "2"}, []ShippingMethodInput{
			{Name: "Standard", Kind: string(MethodFlat), Price: amount(990), Position: "1"},
			{Name: "Express", Kind: string(MethodWeightTiers), Position: "2", Tiers: []WeightTierInput{
				{UpToGrams: "1000", Price: amount(1490)}, {UpToGrams: "5000", Price: amount(2490)}, {Price: amount(3990)},
			}},
		}},
		{ShippingZoneInput{Name: "Worldwide", Countries: "US GB CA CH JP AU", Position: "3"}, []ShippingMethodInput{
			{Name: "Standard", Kind: string(MethodFlat), Price: amount(1990), Position: "1"},
		}},
	}
}

// demoTaxRates are the standard VAT rates of the EU countries the demo shop ships to.
var demoTaxRates = []TaxRateInput{
	{Country: "FR", Rate: "20", Name: "TVA"}, {Country: "DE", Rate: "19", Name: "MwSt."},
	{Country: "ES", Rate: "21", Name: "IVA"}, {Country: "IT", Rate: "22", Name: "IVA"},
	{Country: "BE", Rate: "21", Name: "TVA"}, {Country: "NL", Rate: "21", Name: "BTW"},
	{Country: "PT", Rate: "23", Name: "IVA"}, {Country: "IE", Rate: "23", Name: "VAT"},
	{Country: "AT", Rate: "20", Name: "USt."}, {Country: "LU", Rate: "17", Name: "TVA"},
}

// SeedDemoSettings gives a shop without shipping zones the demo shop's settings: prices
// include tax; the demo seller on invoices; zones "Domestic" (France), "Europe" and
// "Worldwide" with their methods, priced in the shop's currency; and the standard VAT
// rates of the EU countries served, unless some tax rates exist already. It does nothing
// when any zone exists, so running it again, or after staff set up shipping, changes
// nothing. The demo values pass the back office's validation, in one transaction: a
// failed seed leaves nothing behind.
func (s *Service) SeedDemoSettings(ctx context.Context, shop ShopCurrency) error {
	defer s.forgetSettings()
	defer s.forgetStoreDetails()
	currency, err := shop.Currency(ctx)
	if err != nil {
		return fmt.Errorf("orders: demo settings: shop currency: %w", err)
	}
	if !isCurrencyCode(currency) {
		return fmt.Errorf("orders: demo settings: %q is not a currency code", currency)
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		// Holding the settings row makes a concurrent seed wait here, then find the zones.
		if _, err := s.q.StoreSettingsLock(ctx, tx); err != nil {
			return fmt.Errorf("orders: lock store settings: %w", err)
		}
		zones, err := s.q.ShippingZoneCount(ctx, tx)
		if err != nil {
			return fmt.Errorf("orders: count shipping zones: %w", err)
		}
		if zones > 0 {
			return nil
		}
		if _, err := s.q.StoreSettingsSetTaxMode(ctx, tx, string(PricesIncludeTax)); err != nil {
			return fmt.Errorf("orders: demo tax mode: %w", err)
		}
		seller, fields := demoSeller.parse()
		if len(fields) > 0 {
			return fmt.Errorf("orders: demo seller refused: %v", fields)
		}
		if _, err := s.q.StoreSettingsSetSeller(ctx, tx, seller.params()); err != nil {
			return fmt.Errorf("orders: demo seller: %w", err)
		}
		// The store's currency is the demo catalog's, so the back office says what the
		// prices are in.
		if err := s.q.StoreSettingsSetCurrencyIfBlank(ctx, tx, currency); err != nil {
			return fmt.Errorf("orders: demo currency: %w", err)
		}
		for _, d := range demoShipping(currency) {
			z, fields := d.zone.parse()
			if len(fields) > 0 {
				return fmt.Errorf("orders: demo zone %q refused: %v", d.zone.Name, fields)
			}
			zoneID, _, err := s.saveZoneTx(ctx, tx, 0, z)
			if err != nil {
				return err
			}
			for _, in := range d.methods {
				in.Currency, in.Active = currency, true
				m, fields := in.parse()
				if len(fields) > 0 {
					return fmt.Errorf("orders: demo method %q refused: %v", in.Name, fields)
				}
				if _, _, err := s.saveMethodTx(ctx, tx, 0, zoneID, m); err != nil {
					return err
				}
			}
		}
		rates, err := s.q.TaxRatesAll(ctx, tx)
		if err != nil {
			return fmt.Errorf("orders: read tax rates: %w", err)
		}
		if len(rates) > 0 {
			return nil
		}
		for _, in := range demoTaxRates {
			r, fields := in.parse()
			if len(fields) > 0 {
				return fmt.Errorf("orders: demo tax rate %s refused: %v", in.Country, fields)
			}
			if _, _, err := s.saveTaxRateTx(ctx, tx, 0, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// recordSettingTx writes a staff change to the audit log, in the change's transaction.
func (s *Service) recordSettingTx(ctx context.Context, tx pgx.Tx, e audit.Entry) error {
	if s.audit == nil {
		return nil
	}
	if err := s.audit.RecordTx(ctx, tx, e); err != nil {
		return fmt.Errorf("orders: audit %s: %w", e.Action, err)
	}
	return nil
}

// zoneValues is a zone's form once read and checked.
type zoneValues struct {
	name      string
	countries []string
	position  int
}

func (in ShippingZoneInput) parse() (zoneValues, map[string]string) {
	f := map[string]string{}
	z := zoneValues{name: strings.TrimSpace(in.Name)}
	checkSettingsText(f, "name", z.name, true, 100, "a name, like Europe")
	var msg string
	if z.countries, msg = parseCountryCodes(in.Countries); msg != "" {
		f["countries"] = msg
	}
	var ok bool
	if z.position, ok = parseSettingsPosition(in.Position); !ok {
		f["position"] = msgSettingsPosition
	}
	return z, f
}

func (z zoneValues) auditFields() map[string]any {
	return map[string]any{"name": z.name, "countries": z.countries, "position": z.position}
}

// saveZoneTx writes a checked zone and returns its id and the audit entry describing the
// change, for the caller to record under its actor.
func (s *Service) saveZoneTx(ctx context.Context, tx pgx.Tx, id int64, z zoneValues) (int64, audit.Entry, error) {
	entry := audit.Entry{Action: "shipping_zone.create", ObjectType: "shipping_zone"}
	var before map[string]any
	if id == 0 {
		row, err := s.q.ShippingZoneInsert(ctx, tx, dbsqlc.ShippingZoneInsertParams{
			Name: z.name, Countries: z.countries, Position: int32(z.position)})
		if err != nil {
			return 0, audit.Entry{}, zoneWriteError(err)
		}
		id = row.ID
	} else {
		cur, err := s.q.ShippingZoneLock(ctx, tx, id)
		if err != nil {
			return 0, audit.Entry{}, zoneReadError(err)
		}
		before = zoneValues{name: cur.Name, countries: cur.Countries, position: int(cur.Position)}.auditFields()
		if _, err := s.q.ShippingZoneUpdate(ctx, tx, dbsqlc.ShippingZoneUpdateParams{
			ID: id, Name: z.name, Countries: z.countries, Position: int32(z.position)}); err != nil {
			return 0, audit.Entry{}, zoneWriteError(err)
		}
		entry.Action = "shipping_zone.update"
	}
	entry.ObjectID = strconv.FormatInt(id, 10)
	entry.Changes = audit.Diff(before, z.auditFields())
	return id, entry, nil
}

func zoneReadError(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.Wrap(err, apperr.NotFound, "Shipping zone not found.")
	}
	return fmt.Errorf("orders: read shipping zone: %w", err)
}

func zoneWriteError(err error) error {
	if isSettingsDuplicate(err) {
		return &apperr.Error{Code: apperr.Invalid, Message: settingsFixFields, Cause: err,
			Fields: map[string]string{"name": "A zone with this name exists."}}
	}
	return fmt.Errorf("orders: save shipping zone: %w", err)
}

func (s *Service) methodsOfZone(ctx context.Context, q dbsqlc.DBTX, zoneID int64) ([]ShippingMethodConfig, error) {
	rows, err := s.q.ShippingMethodsByZone(ctx, q, zoneID)
	if err != nil {
		return nil, fmt.Errorf("orders: read shipping methods: %w", err)
	}
	methods := make([]ShippingMethodConfig, 0, len(rows))
	for _, r := range rows {
		m, err := methodConfigFromRow(r)
		if err != nil {
			return nil, err
		}
		methods = append(methods, m)
	}
	return methods, nil
}

func zoneConfigFromRow(r dbsqlc.OrdersShippingZone, methods []ShippingMethodConfig) ShippingZoneConfig {
	return ShippingZoneConfig{ID: r.ID, Name: r.Name, Countries: r.Countries, Position: int(r.Position), Methods: methods}
}

func methodConfigFromRow(r dbsqlc.OrdersShippingMethod) (ShippingMethodConfig, error) {
	m, err := methodFromRow(r)
	if err != nil {
		return ShippingMethodConfig{}, err
	}
	return ShippingMethodConfig{ShippingMethod: m, ZoneID: r.ZoneID, Currency: r.Currency, Active: r.Active, Position: int(r.Position)}, nil
}

// methodValues is a shipping method's form once read and checked; amounts are minor
// units of currency.
type methodValues struct {
	name     string
	kind     MethodKind
	currency string
	price    int64
	freeOver int64
	tiers    []storedTier
	active   bool
	position int
}

func (in ShippingMethodInput) parse() (methodValues, map[string]string) {
	f := map[string]string{}
	m := methodValues{name: strings.TrimSpace(in.Name), kind: MethodKind(in.Kind), currency: in.Currency, active: in.Active, tiers: []storedTier{}}
	checkSettingsText(f, "name", m.name, true, 100, "a name, like Standard")
	var ok bool
	if m.position, ok = parseSettingsPosition(in.Position); !ok {
		f["position"] = msgSettingsPosition
	}
	var msg string
	switch m.kind {
	case MethodFlat:
		if m.price, msg = parseSettingsAmount(in.Price, in.Currency, true); msg != "" {
			f["price"] = msg
		}
	case MethodFreeOver:
		if m.price, msg = parseSettingsAmount(in.Price, in.Currency, true); msg != "" {
			f["price"] = msg
		}
		if m.freeOver, msg = parseSettingsAmount(in.FreeOver, in.Currency, false); msg != "" {
			f["free_over"] = msg
		}
	case MethodWeightTiers:
		m.tiers = parseWeightTiers(f, in.Tiers, in.Currency)
	default:
		f["kind"] = "Choose how the method is priced."
	}
	return m, f
}

// parseWeightTiers reads the rows of a weight_tiers method, putting each problem in f,
// and returns the tiers bounded ones first, lightest first, and the open-ended one last,
// as they read best.
func parseWeightTiers(f map[string]string, rows []WeightTierInput, currency string) []storedTier {
	if len(rows) > maxShippingTiers {
		f["tiers"] = fmt.Sprintf("Use at most %d weight tiers.", maxShippingTiers)
		return nil
	}
	tiers := []storedTier{}
	rowOf := map[int]int{} // bound in grams → the row that has it
	openRow := -1
	for i, row := range rows {
		up, price := strings.TrimSpace(row.UpToGrams), strings.TrimSpace(row.Price)
		if up == "" && price == "" {
			continue
		}
		t := storedTier{}
		if up == "" {
			if openRow >= 0 {
				f[TierUpToField(i)] = fmt.Sprintf("Row %d already covers any weight; give this row a weight.", openRow+1)
			}
			openRow = i
		} else if n, err := strconv.Atoi(up); err != nil || n < 1 || n > maxTierGrams {
			f[TierUpToField(i)] = fmt.Sprintf("Enter whole grams from 1 to %d, or leave it empty for any weight.", maxTierGrams)
		} else if j, taken := rowOf[n]; taken {
			f[TierUpToField(i)] = fmt.Sprintf("Row %d already goes up to %d g.", j+1, n)
		} else {
			rowOf[n], t.UpToGrams = i, n
		}
		var msg string
		if t.PriceMinor, msg = parseSettingsAmount(price, currency, true); msg != "" {
			f[TierPriceField(i)] = msg
		}
		tiers = append(tiers, t)
	}
	if len(tiers) == 0 {
		f["tiers"] = "Enter at least one weight tier: a weight and its price."
	}
	slices.SortStableFunc(tiers, func(a, b storedTier) int { return cmp.Compare(tierBound(a), tierBound(b)) })
	return tiers
}

// tierBound is a tier's weight limit for ordering, the open-ended tier heaviest.
func tierBound(t storedTier) int {
	if t.UpToGrams == 0 {
		return math.MaxInt
	}
	return t.UpToGrams
}

func (m methodValues) auditFields() map[string]any {
	return map[string]any{"name": m.name, "kind": string(m.kind), "currency": m.currency, "price_minor": m.price,
		"free_over_minor": m.freeOver, "tiers": m.tiers, "active": m.active, "position": m.position}
}

func methodAuditFields(r dbsqlc.OrdersShippingMethod) (map[string]any, error) {
	tiers := []storedTier{}
	if err := json.Unmarshal(r.Tiers, &tiers); err != nil {
		return nil, fmt.Errorf("orders: shipping method %d tiers: %w", r.ID, err)
	}
	return methodValues{name: r.Name, kind: MethodKind(r.Kind), currency: r.Currency, price: r.PriceMinor,
		freeOver: r.FreeOverMinor, tiers: tiers, active: r.Active, position: int(r.Position)}.auditFields(), nil
}

// saveMethodTx writes a checked method (a new one into zoneID) and returns its id and the
// audit entry describing the change.
func (s *Service) saveMethodTx(ctx context.Context, tx pgx.Tx, id, zoneID int64, m methodValues) (int64, audit.Entry, error) {
	tiers, err := json.Marshal(m.tiers)
	if err != nil {
		return 0, audit.Entry{}, fmt.Errorf("orders: shipping method tiers: %w", err)
	}
	entry := audit.Entry{Action: "shipping_method.create", ObjectType: "shipping_method"}
	var before map[string]any
	if id == 0 {
		// Locking the zone keeps it from being deleted under the new method.
		if _, err := s.q.ShippingZoneLock(ctx, tx, zoneID); err != nil {
			return 0, audit.Entry{}, zoneReadError(err)
		}
		row, err := s.q.ShippingMethodInsert(ctx, tx, dbsqlc.ShippingMethodInsertParams{
			ZoneID: zoneID, Name: m.name, Kind: string(m.kind), Currency: m.currency, PriceMinor: m.price,
			FreeOverMinor: m.freeOver, Tiers: tiers, Active: m.active, Position: int32(m.position)})
		if err != nil {
			return 0, audit.Entry{}, methodWriteError(err)
		}
		id = row.ID
	} else {
		cur, err := s.q.ShippingMethodLock(ctx, tx, id)
		if err != nil {
			return 0, audit.Entry{}, methodReadError(err)
		}
		zoneID = cur.ZoneID
		if before, err = methodAuditFields(cur); err != nil {
			return 0, audit.Entry{}, err
		}
		if _, err := s.q.ShippingMethodUpdate(ctx, tx, dbsqlc.ShippingMethodUpdateParams{
			ID: id, Name: m.name, Kind: string(m.kind), Currency: m.currency, PriceMinor: m.price,
			FreeOverMinor: m.freeOver, Tiers: tiers, Active: m.active, Position: int32(m.position)}); err != nil {
			return 0, audit.Entry{}, methodWriteError(err)
		}
		entry.Action = "shipping_method.update"
	}
	after := m.auditFields()
	if before == nil {
		after["zone_id"] = zoneID
	}
	entry.ObjectID = strconv.FormatInt(id, 10)
	entry.Changes = audit.Diff(before, after)
	return id, entry, nil
}

func methodReadError(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.Wrap(err, apperr.NotFound, "Shipping method not found.")
	}
	return fmt.Errorf("orders: read shipping method: %w", err)
}

func methodWriteError(err error) error {
	if isSettingsDuplicate(err) {
		return &apperr.Error{Code: apperr.Invalid, Message: settingsFixFields, Cause: err,
			Fields: map[string]string{"name": "This zone already has a method with this name."}}
	}
	return fmt.Errorf("orders: save shipping method: %w", err)
}

// taxRateValues is a tax rate's form once read and checked.
type taxRateValues struct {
	country, region, class string
	basisPoints            int
	name                   string
}

func (in TaxRateInput) parse() (taxRateValues, map[string]string) {
	f := map[string]string{}
	r := taxRateValues{
		country: strings.ToUpper(strings.TrimSpace(in.Country)),
		region:  strings.ToUpper(strings.TrimSpace(in.Region)),
		class:   strings.ToLower(strings.TrimSpace(in.Class)),
		name:    strings.TrimSpace(in.Name),
	}
	if msg := countryCodeProblem(r.country); msg != "" {
		f["country"] = msg
	}
	if len(r.region) > 10 || strings.Trim(r.region, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "" {
		f["region"] = "Use the region's code, up to 10 letters, digits or hyphens, like TX."
	}
	if len(r.class) > 40 || strings.Trim(r.class, "abcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		f["class"] = "Use up to 40 lower-case letters, digits, hyphens or underscores, like reduced."
	}
	var msg string
	if r.basisPoints, msg = parsePercent(in.Rate, 0, 10000, "Enter a rate from 0 to 100 %."); msg != "" {
		f["rate"] = msg
	}
	checkSettingsText(f, "name", r.name, false, 60, "")
	return r, f
}

func (r taxRateValues) auditFields() map[string]any {
	return map[string]any{"country": r.country, "region": r.region, "class": r.class, "basis_points": r.basisPoints, "name": r.name}
}

// saveTaxRateTx writes a checked rate and returns it with the audit entry describing the
// change.
func (s *Service) saveTaxRateTx(ctx context.Context, tx pgx.Tx, id int64, r taxRateValues) (TaxRate, audit.Entry, error) {
	entry := audit.Entry{Action: "tax_rate.create", ObjectType: "tax_rate"}
	var before map[string]any
	var row dbsqlc.OrdersTaxRate
	var err error
	if id == 0 {
		row, err = s.q.TaxRateInsert(ctx, tx, dbsqlc.TaxRateInsertParams{
			Country: r.country, Region: r.region, Class: r.class, BasisPoints: int32(r.basisPoints), Name: r.name})
	} else {
		cur, lockErr := s.q.TaxRateLock(ctx, tx, id)
		if lockErr != nil {
			return TaxRate{}, audit.Entry{}, taxRateReadError(lockErr)
		}
		before = taxRateValues{country: cur.Country, region: cur.Region, class: cur.Class,
			basisPoints: int(cur.BasisPoints), name: cur.Name}.auditFields()
		row, err = s.q.TaxRateUpdate(ctx, tx, dbsqlc.TaxRateUpdateParams{
			ID: id, Country: r.country, Region: r.region, Class: r.class, BasisPoints: int32(r.basisPoints), Name: r.name})
		entry.Action = "tax_rate.update"
	}
	if err != nil {
		return TaxRate{}, audit.Entry{}, taxRateWriteError(err)
	}
	entry.ObjectID = strconv.FormatInt(row.ID, 10)
	entry.Changes = audit.Diff(before, r.auditFields())
	return taxRateFromRow(row), entry, nil
}

func taxRateFromRow(r dbsqlc.OrdersTaxRate) TaxRate {
	return TaxRate{ID: r.ID, Country: r.Country, Region: r.Region, Class: r.Class, Rate: int(r.BasisPoints), Name: r.Name}
}

func taxRateReadError(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.Wrap(err, apperr.NotFound, "Tax rate not found.")
	}
	return fmt.Errorf("orders: read tax rate: %w", err)
}

func taxRateWriteError(err error) error {
	if isSettingsDuplicate(err) {
		return &apperr.Error{Code: apperr.Invalid, Message: settingsFixFields, Cause: err,
			Fields: map[string]string{"country": "There is already a rate for this country, region and class."}}
	}
	return fmt.Errorf("orders: save tax rate: %w", err)
}

// isSettingsDuplicate reports a unique violation: each settings table has one natural key
// (a zone's name, a method's name in its zone, a rate's destination, a code), so the
// caller knows which field it was.
func isSettingsDuplicate(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// checkSettingsText puts in f the problem of a one-line text field, if any. label names
// what to enter when a required field is blank.
func checkSettingsText(f map[string]string, field, value string, required bool, limit int, label string) {
	switch {
	case value == "" && required:
		f[field] = "Enter " + label + "."
	case !utf8.ValidString(value) || strings.ContainsAny(value, "\x00\r\n<>"):
		f[field] = "Use only ordinary characters."
	case utf8.RuneCountInString(value) > limit:
		f[field] = fmt.Sprintf("Use at most %d characters.", limit)
	}
}

const msgSettingsPosition = "Enter a whole number from 0 to 100000."

// parseSettingsPosition reads a position typed in a form; blank is 0.
func parseSettingsPosition(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0 && n <= maxSettingsPosition
}

// parseSettingsAmount reads an amount typed in currency ("4.90") as exact minor units,
// with a message to show instead when it is not one. Only a point separates decimals:
// "1,250" means twelve hundred and fifty to half of the world and one and a quarter to the
// other half, so it is refused rather than guessed at.
func parseSettingsAmount(s, currency string, allowZero bool) (int64, string) {
	s = strings.TrimSpace(s)
	digits := money.Digits(currency)
	example := money.New(490, currency).Decimal()
	switch {
	case s == "":
		return 0, "Enter an amount, like " + example + "."
	case strings.Contains(s, ","):
		return 0, "Use a point for decimals and no thousands separator, like " + example + "."
	case strings.HasPrefix(s, "-"):
		return 0, "Enter an amount of 0 or more."
	}
	a, err := money.ParseDecimal(s, currency)
	if err != nil {
		if _, frac, ok := strings.Cut(s, "."); ok && len(frac) > digits && isDigits(frac) {
			if digits == 0 {
				return 0, "Enter a whole amount, without decimals."
			}
			return 0, fmt.Sprintf("Use at most %d decimals, like %s.", digits, example)
		}
		return 0, "Enter an amount as a number, like " + example + "."
	}
	limit := int64(maxSettingsMajor)
	for range digits {
		limit *= 10
	}
	switch {
	case a.Minor > limit:
		return 0, fmt.Sprintf("Enter an amount below %d.", maxSettingsMajor)
	case a.Minor == 0 && !allowZero:
		return 0, "Enter an amount above 0."
	}
	return a.Minor, ""
}

// parsePercent reads a percentage typed with at most 2 decimals ("20", "8.25", "12.5 %")
// as exact basis points (8.25 → 825), never through a float, and checks it lies within
// [lo, hi] basis points, saying outOfRange otherwise.
func parsePercent(s string, lo, hi int, outOfRange string) (int, string) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	whole, frac, hasFrac := strings.Cut(s, ".")
	switch {
	case s == "":
		return 0, "Enter a percentage, like 20 or 8.25."
	case strings.Contains(s, ","):
		return 0, "Use a point for decimals, like 8.25."
	case !isDigits(whole) || hasFrac && !isDigits(frac):
		return 0, "Enter a percentage as a number, like 20 or 8.25."
	case len(frac) > 2:
		return 0, "Use at most 2 decimals, like 8.25."
	case len(whole) > 3:
		return 0, outOfRange
	}
	n, _ := strconv.Atoi(whole) // at most 3 digits
	hundredths, _ := strconv.Atoi((frac + "00")[:2])
	bp := n*100 + hundredths
	if bp < lo || bp > hi {
		return 0, outOfRange
	}
	return bp, ""
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

func isCurrencyCode(s string) bool {
	return len(s) == 3 && strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == ""
}

// parseCountryCodes reads ISO country codes separated by commas, semicolons, spaces or
// line breaks, in any case, dropping repeats; the message explains the first that is not
// a country code.
func parseCountryCodes(s string) ([]string, string) {
	codes := strings.FieldsFunc(strings.ToUpper(s), func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
	if len(codes) == 0 {
		return nil, "Enter at least one country code, like FR."
	}
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if msg := countryCodeProblem(c); msg != "" {
			return nil, msg
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out, ""
}

// countryCodeProblem says why code (upper-case) is not an ISO 3166-1 alpha-2 country
// code, or "" when it is one.
func countryCodeProblem(code string) string {
	switch {
	case code == "":
		return "Enter a country code, like FR."
	case code == "UK":
		return "Use GB for the United Kingdom."
	case len(code) == 2 && strings.Contains(isoCountryCodes, " "+code+" "):
		return ""
	}
	shown := code
	if r := []rune(code); len(r) > 12 {
		shown = string(r[:12]) + "…"
	}
	return "“" + shown + "” is not a country code. Use two-letter ISO codes, like FR or DE."
}

// isoCountryCodes are the officially assigned ISO 3166-1 alpha-2 codes, space-separated
// with a space at each end so that a code is found as " FR ".
const isoCountryCodes = " AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR" +
	" BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET" +
	" FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ" +
	" IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML" +
	" MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS" +
	" PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL" +
	" TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW "

// saveAudited runs save in a transaction and records the audit entry it describes as
// actor's, in the same transaction.
func (s *Service) saveAudited(ctx context.Context, actor audit.Actor, save func(tx pgx.Tx) (int64, audit.Entry, error)) (int64, error) {
	var saved int64
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var entry audit.Entry
		var err error
		if saved, entry, err = save(tx); err != nil {
			return err
		}
		entry.Actor = actor
		return s.recordSettingTx(ctx, tx, entry)
	})
	if err != nil {
		return 0, err
	}
	return saved, nil
}
