package users

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/users/internal/dbsqlc"
)

// postalCodeFormats checks postal codes where the format is well known; other countries
// accept any short code.
var postalCodeFormats = map[string]*regexp.Regexp{
	"US": regexp.MustCompile(`^\d{5}(-\d{4})?$`),
	"CA": regexp.MustCompile(`^[A-Z]\d[A-Z] ?\d[A-Z]\d$`),
	"GB": regexp.MustCompile(`^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$`),
	"DE": regexp.MustCompile(`^\d{5}$`),
	"FR": regexp.MustCompile(`^\d{5}$`),
	"ES": regexp.MustCompile(`^\d{5}$`),
	"IT": regexp.MustCompile(`^\d{5}$`),
	"NL": regexp.MustCompile(`^\d{4} ?[A-Z]{2}$`),
	"BE": regexp.MustCompile(`^\d{4}$`),
	"AT": regexp.MustCompile(`^\d{4}$`),
	"CH": regexp.MustCompile(`^\d{4}$`),
	"SE": regexp.MustCompile(`^\d{3} ?\d{2}$`),
	"DK": regexp.MustCompile(`^\d{4}$`),
	"NO": regexp.MustCompile(`^\d{4}$`),
	"PL": regexp.MustCompile(`^\d{2}-\d{3}$`),
	"AU": regexp.MustCompile(`^\d{4}$`),
	"LU": regexp.MustCompile(`^(L-?)?\d{4}$`),
	"JP": regexp.MustCompile(`^\d{3}-?\d{4}$`),
	"PT": regexp.MustCompile(`^\d{4}-\d{3}$`),
	"CZ": regexp.MustCompile(`^\d{3} ?\d{2}$`),
	"SK": regexp.MustCompile(`^\d{3} ?\d{2}$`),
	"GR": regexp.MustCompile(`^\d{3} ?\d{2}$`),
	"HU": regexp.MustCompile(`^\d{4}$`),
	"SI": regexp.MustCompile(`^\d{4}$`),
	"NZ": regexp.MustCompile(`^\d{4}$`),
	"FI": regexp.MustCompile(`^\d{5}$`),
}

var (
	phonePattern   = regexp.MustCompile(`^\+?[0-9 ()./-]{5,40}$`)
	countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)
)

// regionRequired lists countries whose addresses need a state or province.
var regionRequired = map[string]bool{"US": true, "CA": true, "AU": true}

// Countries the shop knows by name, for pickers; any ISO code is accepted.
var Countries = []struct{ Code, Name string }{
	{"AT", "Austria"}, {"AU", "Australia"}, {"BE", "Belgium"}, {"CA", "Canada"}, {"CH", "Switzerland"},
	{"CZ", "Czechia"}, {"DE", "Germany"}, {"DK", "Denmark"}, {"ES", "Spain"}, {"FI", "Finland"},
	{"FR", "France"}, {"GB", "United Kingdom"}, {"GR", "Greece"}, {"HU", "Hungary"}, {"IE", "Ireland"},
	{"IT", "Italy"}, {"JP", "Japan"}, {"LU", "Luxembourg"}, {"NL", "Netherlands"}, {"NO", "Norway"},
	{"NZ", "New Zealand"}, {"PL", "Poland"}, {"PT", "Portugal"}, {"SE", "Sweden"}, {"SI", "Slovenia"},
	{"SK", "Slovakia"}, {"US", "United States"},
}

// NormalizeAddress trims fields and upper-cases codes; ValidateAddress then checks it.
func NormalizeAddress(a Address) Address {
	trim := strings.TrimSpace
	a.Name, a.Company, a.Line1, a.Line2 = trim(a.Name), trim(a.Company), trim(a.Line1), trim(a.Line2)
	a.City, a.Region, a.Phone = trim(a.City), trim(a.Region), trim(a.Phone)
	a.Country = strings.ToUpper(trim(a.Country))
	a.PostalCode = strings.ToUpper(trim(a.PostalCode))
	return a
}

// ValidateAddress returns per-field messages (empty when the address is usable). Orders
// use it too, so an address is judged the same in the book and at checkout.
func ValidateAddress(a Address) map[string]string {
	f := map[string]string{}
	text := func(field, value string, required bool, limit int, label string) {
		switch {
		case required && value == "":
			f[field] = "Enter " + label + "."
		case !utf8.ValidString(value) || strings.ContainsAny(value, "<>\x00\r\n"):
			f[field] = "Use only ordinary characters."
		case utf8.RuneCountInString(value) > limit:
			f[field] = "This is too long."
		}
	}
	text("name", a.Name, true, 120, "the recipient's name")
	text("company", a.Company, false, 120, "")
	text("line1", a.Line1, true, 200, "the street address")
	text("line2", a.Line2, false, 200, "")
	text("city", a.City, true, 120, "the city")
	text("region", a.Region, regionRequired[a.Country], 120, "the state or province")
	text("phone", a.Phone, false, 40, "")
	if a.Phone != "" && !phonePattern.MatchString(a.Phone) {
		f["phone"] = "Enter a phone number using digits, spaces and + only."
	}
	if !countryPattern.MatchString(a.Country) || !knownCountry(a.Country) {
		f["country"] = "Choose a country."
	}
	text("postal_code", a.PostalCode, false, 20, "")
	if _, bad := f["postal_code"]; bad {
		return f
	}
	if strings.ContainsFunc(a.PostalCode, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r == ' ' || r == '-')
	}) {
		f["postal_code"] = "Use only letters, digits, spaces and hyphens."
		return f
	}
	if re, ok := postalCodeFormats[a.Country]; ok {
		if a.PostalCode == "" {
			f["postal_code"] = "Enter the postal code."
		} else if !re.MatchString(a.PostalCode) {
			f["postal_code"] = "This postal code does not look right for the chosen country."
		}
	}
	return f
}

func knownCountry(code string) bool {
	for _, c := range Countries {
		if c.Code == code {
			return true
		}
	}
	return false
}

func addressFromRow(r dbsqlc.UsersAddress) Address {
	return Address{ID: r.ID, AccountID: AccountID(r.AccountID), Name: r.Name, Company: r.Company, Line1: r.Line1,
		Line2: r.Line2, City: r.City, Region: r.Region, PostalCode: r.PostalCode, Country: r.Country, Phone: r.Phone,
		IsDefaultShipping: r.IsDefaultShipping, IsDefaultBilling: r.IsDefaultBilling}
}

// ListAddresses returns the account's address book, default shipping first.
func (s *Service) ListAddresses(ctx context.Context, id AccountID) ([]Address, error) {
	rows, err := s.q.AddressList(ctx, s.pool, int64(id))
	if err != nil {
		return nil, interpretError(err, "addresses")
	}
	out := make([]Address, len(rows))
	for i, r := range rows {
		out[i] = addressFromRow(r)
	}
	return out, nil
}

// FindAddress returns one address of the account; another account's address is NotFound.
func (s *Service) FindAddress(ctx context.Context, owner AccountID, id int64) (Address, error) {
	r, err := s.q.AddressGet(ctx, s.pool, dbsqlc.AddressGetParams{ID: id, AccountID: int64(owner)})
	if err != nil {
		return Address{}, interpretError(err, "Address")
	}
	return addressFromRow(r), nil
}

// SaveAddress creates (ID 0) or updates an address of the owner. The first address
// becomes the default for shipping and billing.
func (s *Service) SaveAddress(ctx context.Context, owner AccountID, a Address) (Address, error) {
	a = NormalizeAddress(a)
	if f := ValidateAddress(a); len(f) > 0 {
		return Address{}, apperr.InvalidFields("Please correct the highlighted fields.", f)
	}
	var out Address
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var r dbsqlc.UsersAddress
		var err error
		if a.ID == 0 {
			r, err = s.q.AddressInsert(ctx, tx, dbsqlc.AddressInsertParams{AccountID: int64(owner), Name: a.Name, Company: a.Company,
				Line1: a.Line1, Line2: a.Line2, City: a.City, Region: a.Region, PostalCode: a.PostalCode, Country: a.Country, Phone: a.Phone})
		} else {
			r, err = s.q.AddressUpdate(ctx, tx, dbsqlc.AddressUpdateParams{ID: a.ID, AccountID: int64(owner), Name: a.Name, Company: a.Company,
				Line1: a.Line1, Line2: a.Line2, City: a.City, Region: a.Region, PostalCode: a.PostalCode, Country: a.Country, Phone: a.Phone})
		}
		if err != nil {
			return interpretError(err, "Address")
		}
		all, err := s.q.AddressList(ctx, tx, int64(owner))
		if err != nil {
			return interpretError(err, "addresses")
		}
		if len(all) == 1 {
			if err := s.setDefaults(ctx, tx, owner, r.ID, true, true); err != nil {
				return err
			}
			r.IsDefaultShipping, r.IsDefaultBilling = true, true
		}
		out = addressFromRow(r)
		return nil
	})
	return out, err
}

// SetDefaultAddress makes an address the default for shipping, billing or both.
func (s *Service) SetDefaultAddress(ctx context.Context, owner AccountID, id int64, shipping, billing bool) error {
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error { return s.setDefaults(ctx, tx, owner, id, shipping, billing) })
}

func (s *Service) setDefaults(ctx context.Context, tx pgx.Tx, owner AccountID, id int64, shipping, billing bool) error {
	p := dbsqlc.AddressSetDefaultShippingParams{ID: id, AccountID: int64(owner)}
	if shipping {
		if err := s.q.AddressClearDefaultShipping(ctx, tx, int64(owner)); err != nil {
			return interpretError(err, "addresses")
		}
		if n, err := s.q.AddressSetDefaultShipping(ctx, tx, p); err != nil || n == 0 {
			return notFoundOr(err, "Address")
		}
	}
	if billing {
		if err := s.q.AddressClearDefaultBilling(ctx, tx, int64(owner)); err != nil {
			return interpretError(err, "addresses")
		}
		if n, err := s.q.AddressSetDefaultBilling(ctx, tx, dbsqlc.AddressSetDefaultBillingParams(p)); err != nil || n == 0 {
			return notFoundOr(err, "Address")
		}
	}
	return nil
}

// DeleteAddress removes an address of the owner.
func (s *Service) DeleteAddress(ctx context.Context, owner AccountID, id int64) error {
	n, err := s.q.AddressDelete(ctx, s.pool, dbsqlc.AddressDeleteParams{ID: id, AccountID: int64(owner)})
	if err != nil || n == 0 {
		return notFoundOr(err, "Address")
	}
	return nil
}

func notFoundOr(err error, what string) error {
	if err != nil {
		return interpretError(err, what)
	}
	return apperr.New(apperr.NotFound, what+" not found.")
}
