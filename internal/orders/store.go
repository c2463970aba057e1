package orders

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // logos may be GIF, PNG, JPEG or WebP: what shops have on hand
	_ "image/jpeg"
	_ "image/png"
	"net/mail"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	_ "golang.org/x/image/webp"

	"github.com/monoshop/monoshop/internal/orders/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// StoreDetails is the store as shoppers see it: the name in every title, header and
// email, the address they can write to, the currency it sells in and its logo. Staff set
// them in the back office; whatever they leave blank follows the environment
// (SHOP_STORE_NAME, SHOP_CONTACT_EMAIL, SHOP_CURRENCY), so a shop that never opens the
// form behaves as configured.
type StoreDetails struct {
	Name         string
	ContactEmail string
	Currency     string
	// Logo is nil when the shop has none (the header then shows the name as text).
	Logo *StoreLogo
}

// StoreLogo describes the saved logo; its bytes are read with Service.StoreLogoImage.
type StoreLogo struct {
	SHA256      string
	ContentType string
	Width       int
	Height      int
}

// URL is where the storefront serves the logo. It names the bytes, so it can be cached
// for good: a new logo gets a new URL.
func (l StoreLogo) URL() string { return "/store/logo/" + l.SHA256 }

// StoreDefaults are the details the environment gives, used for what staff leave blank.
type StoreDefaults struct {
	Name         string
	ContactEmail string
	Currency     string
}

// Bounds of the store's details: a name that fits a header, an address as RFC 5321
// allows, and a logo a header can show (a 1 MiB picture is already generous for it).
const (
	maxStoreName       = 80
	maxContactEmail    = 254
	MaxStoreLogoBytes  = 1 << 20
	maxStoreLogoPixels = 4096
)

// storeDetailsTTL bounds how long another replica shows the old name or logo after a
// save; the replica that saved shows the new ones at once.
const storeDetailsTTL = time.Second

type cachedStoreDetails struct {
	at time.Time
	v  StoreDetails
}

// storeDetailsCache keeps the details every page shows. A stale copy is served while one
// request reads the new one, so no page ever waits for the database because of them.
type storeDetailsCache struct {
	cur     atomic.Pointer[cachedStoreDetails]
	reading atomic.Bool
}

// StoreDetails returns the store's details as shoppers see them: saved values, the
// environment's where none is saved. Every page asks, so they come from memory (at most
// storeDetailsTTL old); if they cannot be read the defaults stand in and the failure is
// logged, because a page is better with the default name than not at all.
func (s *Service) StoreDetails(ctx context.Context) StoreDetails {
	c := s.store.cur.Load()
	if c != nil && time.Since(c.at) < storeDetailsTTL {
		return c.v
	}
	if c != nil && !s.store.reading.CompareAndSwap(false, true) {
		return c.v // another request is reading them; this one shows the copy it has
	}
	if c != nil {
		defer s.store.reading.Store(false)
	}
	start := time.Now()
	v, err := s.readStoreDetails(ctx, s.pool)
	if err != nil {
		s.log.WarnContext(ctx, "orders: store details unavailable; showing the last known or the defaults", "err", err)
		if c != nil {
			return c.v
		}
		return s.storeDefaults()
	}
	s.store.cur.Store(&cachedStoreDetails{at: start, v: v})
	return v
}

func (s *Service) storeDefaults() StoreDetails {
	d := s.cfg.Store
	return StoreDetails{Name: d.Name, ContactEmail: d.ContactEmail, Currency: d.Currency}
}

func (s *Service) readStoreDetails(ctx context.Context, q dbsqlc.DBTX) (StoreDetails, error) {
	row, err := s.q.StoreSettingsGet(ctx, q)
	if err != nil {
		return StoreDetails{}, fmt.Errorf("orders: read store details: %w", err)
	}
	v := s.storeDefaults()
	if row.StoreName != "" {
		v.Name = row.StoreName
	}
	if row.ContactEmail != "" {
		v.ContactEmail = row.ContactEmail
	}
	if row.Currency != "" {
		v.Currency = row.Currency
	}
	if v.Logo, err = s.readLogo(ctx, q, row.LogoSha256); err != nil {
		return StoreDetails{}, err
	}
	return v, nil
}

// readLogo describes the logo with the given SHA-256; nil when sha is "" (no logo).
func (s *Service) readLogo(ctx context.Context, q dbsqlc.DBTX, sha string) (*StoreLogo, error) {
	if sha == "" {
		return nil, nil
	}
	logo, err := s.q.StoreLogoInfo(ctx, q, sha)
	if err != nil {
		return nil, fmt.Errorf("orders: read store logo: %w", err)
	}
	return &StoreLogo{SHA256: logo.Sha256, ContentType: logo.ContentType, Width: int(logo.Width), Height: int(logo.Height)}, nil
}

// forgetStoreDetails makes the next page read the details again; every write calls it
// once it has committed.
func (s *Service) forgetStoreDetails() { s.store.cur.Store(nil) }

// StoreDetailsForm is the store details form: what is saved (blank where the default
// applies) beside the defaults the blanks stand for.
type StoreDetailsForm struct {
	Saved    StoreDetails
	Defaults StoreDefaults
}

// StoreDetailsForEdit returns the saved details without the defaults filled in, for the
// back office form, which shows each default beside its blank field.
func (s *Service) StoreDetailsForEdit(ctx context.Context) (StoreDetailsForm, error) {
	row, err := s.q.StoreSettingsGet(ctx, s.pool)
	if err != nil {
		return StoreDetailsForm{}, fmt.Errorf("orders: read store details: %w", err)
	}
	out := StoreDetailsForm{
		Saved:    StoreDetails{Name: row.StoreName, ContactEmail: row.ContactEmail, Currency: row.Currency},
		Defaults: s.cfg.Store,
	}
	if out.Saved.Logo, err = s.readLogo(ctx, s.pool, row.LogoSha256); err != nil {
		return StoreDetailsForm{}, err
	}
	return out, nil
}

// CatalogCurrency tells which currency the catalog's prices are in, and whether it has
// any priced variant at all (*catalog.Service).
type CatalogCurrency interface {
	PricedCurrency(ctx context.Context) (currency string, priced bool, err error)
}

// SetStoreDetails saves the name, contact email and currency as typed (blank: the
// default). A refusal names each field to fix (store_name, contact_email, currency). The
// currency cannot move away from the one the catalog, a shipping method or a discount
// amount is priced in: a shop sells in one currency, and relabelling prices from euros to
// dollars without converting them would sell at the wrong price.
func (s *Service) SetStoreDetails(ctx context.Context, actor audit.Actor, in StoreDetails, cat CatalogCurrency) error {
	v, fields := parseStoreDetails(in)
	if len(fields) > 0 {
		return apperr.InvalidFields(settingsFixFields, fields)
	}
	// A blank currency is the catalog's when it has prices, else the environment's.
	effective := v.Currency
	if effective == "" {
		effective = s.cfg.Store.Currency
	}
	if cat != nil {
		current, priced, err := cat.PricedCurrency(ctx)
		if err != nil {
			return fmt.Errorf("orders: catalog currency: %w", err)
		}
		if priced && v.Currency == "" {
			effective = current
		}
		if priced && current != effective {
			return apperr.InvalidFields(settingsFixFields, map[string]string{"currency": fmt.Sprintf(
				"Your products are priced in %s. A shop sells in one currency: keep %s, or change the products' prices first.", current, current)})
		}
	}
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := s.q.StoreSettingsLock(ctx, tx)
		if err != nil {
			return fmt.Errorf("orders: lock store settings: %w", err)
		}
		others, err := s.q.StoreCurrenciesInUse(ctx, tx, effective)
		if err != nil {
			return fmt.Errorf("orders: currencies in use: %w", err)
		}
		if len(others) > 0 {
			return apperr.InvalidFields(settingsFixFields, map[string]string{"currency": fmt.Sprintf(
				"Shipping prices or discount amounts are in %s. Keep %s, or change them first.", strings.Join(others, ", "), others[0])})
		}
		changes := audit.Diff(
			map[string]any{"store_name": before.StoreName, "contact_email": before.ContactEmail, "currency": before.Currency},
			map[string]any{"store_name": v.Name, "contact_email": v.ContactEmail, "currency": v.Currency})
		if len(changes) == 0 {
			return nil
		}
		if err := s.q.StoreSettingsSetDetails(ctx, tx, dbsqlc.StoreSettingsSetDetailsParams{
			StoreName: v.Name, ContactEmail: v.ContactEmail, Currency: v.Currency,
		}); err != nil {
			return fmt.Errorf("orders: save store details: %w", err)
		}
		return s.recordSettingTx(ctx, tx, audit.Entry{Actor: actor, Action: "settings.store", ObjectType: "store_settings",
			ObjectID: "store", Changes: changes})
	})
	if err != nil {
		return err
	}
	s.forgetStoreDetails()
	return nil
}

// parseStoreDetails trims the fields and checks them; blank fields stay blank (defaults).
func parseStoreDetails(in StoreDetails) (StoreDetails, map[string]string) {
	fields := map[string]string{}
	v := StoreDetails{
		Name:         strings.TrimSpace(in.Name),
		ContactEmail: strings.TrimSpace(in.ContactEmail),
		Currency:     strings.ToUpper(strings.TrimSpace(in.Currency)),
	}
	switch {
	case !utf8.ValidString(v.Name) || strings.ContainsFunc(v.Name, unicode.IsControl):
		fields["store_name"] = "Enter the name on one line."
	case utf8.RuneCountInString(v.Name) > maxStoreName:
		fields["store_name"] = fmt.Sprintf("Use at most %d characters.", maxStoreName)
	}
	if v.ContactEmail != "" {
		addr, err := mail.ParseAddress(v.ContactEmail)
		switch {
		case len(v.ContactEmail) > maxContactEmail:
			fields["contact_email"] = fmt.Sprintf("Use at most %d characters.", maxContactEmail)
		case err != nil || addr.Address != v.ContactEmail || !strings.Contains(addr.Address[strings.LastIndexByte(addr.Address, '@')+1:], "."):
			fields["contact_email"] = "Enter an email address like help@example.com."
		}
	}
	if v.Currency != "" && !money.Known(v.Currency) {
		fields["currency"] = "Choose one of the listed currencies."
	}
	return v, fields
}

// SetStoreLogo makes data the store's logo, replacing any other. It must be a PNG,
// JPEG, GIF or WebP picture of at most 1 MiB and 4096 pixels a side; a refusal is on the
// field "logo".
func (s *Service) SetStoreLogo(ctx context.Context, actor audit.Actor, data []byte) (StoreLogo, error) {
	logo, problem := inspectLogo(data)
	if problem != "" {
		return StoreLogo{}, apperr.InvalidFields(settingsFixFields, map[string]string{"logo": problem})
	}
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := s.q.StoreSettingsLock(ctx, tx)
		if err != nil {
			return fmt.Errorf("orders: lock store settings: %w", err)
		}
		if before.LogoSha256 == logo.SHA256 {
			return nil
		}
		if err := s.q.StoreLogoInsert(ctx, tx, dbsqlc.StoreLogoInsertParams{
			Sha256: logo.SHA256, ContentType: logo.ContentType, Width: int32(logo.Width), Height: int32(logo.Height), Data: data,
		}); err != nil {
			return fmt.Errorf("orders: save store logo: %w", err)
		}
		if err := s.q.StoreSettingsSetLogo(ctx, tx, logo.SHA256); err != nil {
			return fmt.Errorf("orders: use store logo: %w", err)
		}
		if err := s.q.StoreLogosDeleteUnused(ctx, tx); err != nil {
			return fmt.Errorf("orders: delete old logo: %w", err)
		}
		return s.recordSettingTx(ctx, tx, audit.Entry{Actor: actor, Action: "settings.logo", ObjectType: "store_settings",
			ObjectID: "logo", Changes: map[string]audit.Change{"logo": {Before: before.LogoSha256, After: logo.SHA256}}})
	})
	if err != nil {
		return StoreLogo{}, err
	}
	s.forgetStoreDetails()
	return logo, nil
}

// RemoveStoreLogo takes the logo away: the header shows the store's name as text again.
func (s *Service) RemoveStoreLogo(ctx context.Context, actor audit.Actor) error {
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := s.q.StoreSettingsLock(ctx, tx)
		if err != nil {
			return fmt.Errorf("orders: lock store settings: %w", err)
		}
		if before.LogoSha256 == "" {
			return nil
		}
		if err := s.q.StoreSettingsSetLogo(ctx, tx, ""); err != nil {
			return fmt.Errorf("orders: remove store logo: %w", err)
		}
		if err := s.q.StoreLogosDeleteUnused(ctx, tx); err != nil {
			return fmt.Errorf("orders: delete old logo: %w", err)
		}
		return s.recordSettingTx(ctx, tx, audit.Entry{Actor: actor, Action: "settings.logo", ObjectType: "store_settings",
			ObjectID: "logo", Changes: map[string]audit.Change{"logo": {Before: before.LogoSha256, After: ""}}})
	})
	if err != nil {
		return err
	}
	s.forgetStoreDetails()
	return nil
}

// StoreLogoImage returns a logo's bytes and content type by its SHA-256; NotFound when no
// such logo is kept (an old URL after the logo changed).
func (s *Service) StoreLogoImage(ctx context.Context, sha string) ([]byte, string, error) {
	row, err := s.q.StoreLogoGet(ctx, s.pool, sha)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, "", apperr.New(apperr.NotFound, "Logo not found.")
	}
	if err != nil {
		return nil, "", fmt.Errorf("orders: read store logo: %w", err)
	}
	return row.Data, row.ContentType, nil
}

// inspectLogo checks an uploaded logo by decoding its header (never trusting the name or
// the type the browser sent) and returns what the page needs to show it without layout
// shift, or a message for the shopkeeper.
func inspectLogo(data []byte) (StoreLogo, string) {
	if len(data) == 0 {
		return StoreLogo{}, "Choose a picture file."
	}
	if len(data) > MaxStoreLogoBytes {
		return StoreLogo{}, "Use a picture of at most 1 MB."
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return StoreLogo{}, "Use a PNG, JPEG, GIF or WebP picture."
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > maxStoreLogoPixels || cfg.Height > maxStoreLogoPixels {
		return StoreLogo{}, fmt.Sprintf("Use a picture of at most %d pixels a side.", maxStoreLogoPixels)
	}
	sum := sha256.Sum256(data)
	return StoreLogo{SHA256: hex.EncodeToString(sum[:]), ContentType: "image/" + format, Width: cfg.Width, Height: cfg.Height}, ""
}
