package ordersweb

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
)

// formProblem is what a form shows after a failed submission: a summary above it and a
// message beside each field to fix.
type formProblem struct {
	Message string
	Fields  map[string]string
}

// Field is the message of one field, "" when it is fine.
func (p formProblem) Field(name string) string { return p.Fields[name] }

// problemOf is a service refusal as the form shows it; apperr messages are safe to show.
func problemOf(err error) formProblem {
	return formProblem{Message: apperr.MessageOf(err), Fields: apperr.FieldsOf(err)}
}

// checkoutView is the checkout page.
type checkoutView struct {
	Problem  formProblem
	Email    string
	SignedIn bool
	// Saved are the customer's addresses to ship to; empty for a guest.
	Saved            []savedAddressView
	ShipAddressID    string
	AppliedAddressID string
	Ship             addressView
	BillingSame      bool
	Bill             addressView
	// Methods are the shipping methods offered for ShipCountry.
	Methods     []methodView
	ShipCountry string
	// DiscountCode is the code as typed (kept even when refused, so it can be corrected).
	DiscountCode string
	Summary      summaryView
	Key          string
	Fingerprint  string
}

// savedAddressView is one address of the book, as a choice.
type savedAddressView struct {
	ID      string
	Label   string
	Checked bool
}

// addressView is one address block of the form; Prefix names its fields (ship_, bill_).
type addressView struct {
	Prefix                                                       string
	Name, Line1, Line2, City, Region, PostalCode, Country, Phone string
	// RegionRequired and PostalRequired depend on the country: a state for the United
	// States, a postal code where the country has a format.
	RegionRequired, PostalRequired bool
	// Countries are the choices of the country field; CountriesNote says which they are
	// when the list is shorter than the world (the countries the shop ships to).
	Countries     []web.Option
	CountriesNote string
}

// methodView is one shipping method to choose.
type methodView struct {
	ID      string
	Name    string
	Price   string
	Checked bool
}

// summaryView is the order as it would be placed now.
type summaryView struct {
	Lines    []summaryLineView
	Subtotal string
	// Discount is the amount taken off ("−€5.00"), DiscountLabel what it is; both empty
	// without a code.
	Discount      string
	DiscountLabel string
	// Shipping is the method's price for this cart ("Free" at 0), or a dash before a
	// method can be chosen.
	Shipping      string
	ShippingLabel string
	// Taxed says the destination charges tax on this order; without it the summary says
	// nothing about tax, not even "incl. VAT". TaxLabel is "incl. VAT" when prices
	// include tax (the amount is inside the total) and the tax's name when it is added
	// on top.
	Taxed       bool
	TaxLabel    string
	Tax         string
	TaxIncluded bool
	Total       string
}

type summaryLineView struct {
	Name     string
	Options  string
	Quantity string
	Total    string
}

func newAddressView(prefix string, a users.Address) addressView {
	v := addressView{Prefix: prefix, Name: kept(a.Name), Line1: kept(a.Line1), Line2: kept(a.Line2), City: kept(a.City),
		Region: kept(a.Region), PostalCode: kept(a.PostalCode), Country: strings.ToUpper(kept(strings.TrimSpace(a.Country))), Phone: kept(a.Phone)}
	v.RegionRequired, v.PostalRequired = addressNeeds(a.Country)
	return v
}

// addressNeeds says whether an address in country needs a state and a postal code, as
// users.ValidateAddress judges an empty one: the page marks what the form will ask for.
func addressNeeds(country string) (region, postal bool) {
	problems := users.ValidateAddress(users.Address{Country: strings.ToUpper(strings.TrimSpace(country))})
	_, region = problems["region"]
	_, postal = problems["postal_code"]
	return region, postal
}

// newCheckoutView shapes the page from the form as it stands, the priced cart and the
// quote.
func newCheckoutView(f checkoutForm, c checkoutCart, q orders.Quote, book []users.Address, signedIn bool, p formProblem) checkoutView {
	v := checkoutView{
		Problem: p, Email: kept(f.Email), SignedIn: signedIn,
		ShipAddressID: f.ShipAddressID, AppliedAddressID: f.AppliedAddressID,
		Ship: newAddressView("ship_", f.Ship), BillingSame: f.BillingSame, Bill: newAddressView("bill_", f.Bill),
		ShipCountry:  orders.CountryName(strings.ToUpper(strings.TrimSpace(f.Ship.Country))),
		DiscountCode: kept(f.DiscountCode), Key: f.Key, Fingerprint: c.Fingerprint,
		Summary: newSummaryView(c, q),
	}
	served := servedCountries(q.Settings.Zones)
	v.Ship.Countries = shipCountryOptions(served, v.Ship.Country)
	v.Ship.CountriesNote = shipsToNote(served)
	// A billing address may be anywhere: it is where the card is registered, not where
	// the parcel goes.
	v.Bill.Countries = countryOptions(v.Bill.Country)
	for _, a := range book {
		id := strconv.FormatInt(a.ID, 10)
		v.Saved = append(v.Saved, savedAddressView{ID: id, Label: addressLine(a), Checked: id == f.ShipAddressID})
	}
	for _, m := range q.Methods {
		v.Methods = append(v.Methods, methodView{
			ID: strconv.FormatInt(m.Method.ID, 10), Name: m.Method.Name, Price: priceOrFree(m.Price),
			Checked: q.Method != nil && q.Method.Method.ID == m.Method.ID,
		})
	}
	return v
}

func newSummaryView(c checkoutCart, q orders.Quote) summaryView {
	t := q.Totals
	s := summaryView{Subtotal: t.Subtotal.String(), Total: t.GrandTotal.String(), Tax: t.TaxTotal.String(),
		TaxIncluded: t.TaxIncluded, Shipping: "—", ShippingLabel: "Shipping"}
	for i, lt := range t.LineTotals {
		s.Lines = append(s.Lines, summaryLineView{Name: lt.Name, Options: c.Options[i],
			Quantity: strconv.Itoa(lt.Quantity), Total: lt.Gross.String()})
	}
	if q.DiscountCode != "" {
		if t.DiscountTotal.IsZero() {
			s.DiscountLabel, s.Discount = "Discount ("+q.DiscountCode+")", "Free shipping"
		} else {
			s.DiscountLabel, s.Discount = "Discount ("+q.DiscountCode+")", "−"+t.DiscountTotal.String()
		}
	}
	if q.Method != nil {
		s.ShippingLabel = "Shipping (" + q.Method.Method.Name + ")"
		s.Shipping = priceOrFree(t.Shipping)
	}
	s.Taxed = taxed(t)
	s.TaxLabel = taxLabel(t.TaxIncluded, taxName(t))
	return s
}

// taxed reports whether the order is taxed where it goes: some line or the shipping has
// a rate above zero. A destination without one (an export) pays no tax at all, so the
// summary must not claim the total includes any.
func taxed(t orders.Totals) bool {
	if !t.TaxTotal.IsZero() || !t.ShippingTax.IsZero() {
		return true
	}
	for _, lt := range t.LineTotals {
		if lt.TaxRate > 0 {
			return true
		}
	}
	return false
}

// taxName is the name of the tax the lines were taxed with when they share one ("VAT",
// "Sales tax"), else "".
func taxName(t orders.Totals) string {
	name := ""
	for _, lt := range t.LineTotals {
		switch {
		case lt.TaxName == "":
		case name == "":
			name = lt.TaxName
		case name != lt.TaxName:
			return ""
		}
	}
	return name
}

// taxLabel says how tax relates to the total: inside it when prices include tax ("incl.
// VAT"), added to it otherwise ("Sales tax").
func taxLabel(included bool, name string) string {
	if included {
		if name == "" {
			name = "VAT"
		}
		return "incl. " + name
	}
	if name == "" {
		return "Tax"
	}
	return name
}

func priceOrFree(a money.Amount) string {
	if a.IsZero() {
		return "Free"
	}
	return a.String()
}

// addressLine is an address on one line, for a choice among saved ones.
func addressLine(a users.Address) string {
	parts := []string{a.Name, a.Line1, a.Line2, strings.TrimSpace(a.PostalCode + " " + a.City), a.Region, orders.CountryName(a.Country)}
	out := parts[:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ", ")
}

// countryChoice is a country as a picker shows it.
type countryChoice struct{ Code, Name string }

// countriesByName are the countries the shop knows, in the order people look them up.
func countriesByName() []countryChoice {
	out := make([]countryChoice, 0, len(users.Countries))
	for _, c := range users.Countries {
		out = append(out, countryChoice{Code: c.Code, Name: c.Name})
	}
	slices.SortFunc(out, func(a, b countryChoice) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// servedCountries are the countries the shop ships to, by name: those whose zone (the
// first listing them, as pricing matches them) has a method. A code no address may name
// is left out, since checkout could not take an address there anyway.
func servedCountries(zones []orders.ShippingZone) []countryChoice {
	var out []countryChoice
	for _, c := range countriesByName() {
		if z, ok := orders.ZoneFor(zones, c.Code); ok && len(z.Methods) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// shipCountryOptions are the countries the shop ships to, with a first "choose" entry.
// A posted country outside them (a saved address abroad, an old page) is shown selected
// but cannot be chosen: the field says why, and submitting the form again sends no
// country until one the shop ships to is chosen.
func shipCountryOptions(served []countryChoice, selected string) []web.Option {
	opts := []web.Option{{Value: "", Label: "Choose a country"}}
	if selected != "" && !slices.ContainsFunc(served, func(c countryChoice) bool { return c.Code == selected }) {
		opts = append(opts, web.Option{Value: selected, Label: orders.CountryName(selected) + " (we do not ship there)", Disabled: true})
	}
	for _, c := range served {
		opts = append(opts, web.Option{Value: c.Code, Label: c.Name})
	}
	return opts
}

// shipsToNote says where the shop ships, under the country field: the names while the
// list is short enough to read at a glance.
func shipsToNote(served []countryChoice) string {
	names := make([]string, len(served))
	for i, c := range served {
		names[i] = c.Name
	}
	switch n := len(names); {
	case n == 0:
		return "Sorry, we are not shipping orders at the moment."
	case n == 1:
		return "We ship to " + names[0] + " only."
	case n <= 8:
		return "We ship to " + strings.Join(names[:n-1], ", ") + " and " + names[n-1] + "."
	default:
		return "We ship to the " + strconv.Itoa(n) + " countries in this list."
	}
}

// countryOptions lists the countries the shop knows by name, with a first "choose" entry.
// A typed code the shop does not know stays selectable, so the page shows what was sent.
func countryOptions(selected string) []web.Option {
	opts := []web.Option{{Value: "", Label: "Choose a country"}}
	known := selected == ""
	for _, c := range countriesByName() {
		opts = append(opts, web.Option{Value: c.Code, Label: c.Name})
		known = known || c.Code == selected
	}
	if !known {
		opts = append(opts, web.Option{Value: selected, Label: selected})
	}
	return opts
}

// kept is a typed value made fit to show again: bytes that are not UTF-8 and control
// characters become U+FFFD, so the page stays valid and the shopper sees where the
// problem was.
func kept(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(s, string(utf8.RuneError)))
}
