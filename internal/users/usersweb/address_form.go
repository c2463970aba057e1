package usersweb

import (
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
)

// addressFormView is the new-address and edit-address page.
type addressFormView struct {
	Title   string
	Action  string
	Submit  string
	TestID  string
	Crumb   web.Crumb
	Address users.Address // the values shown: saved ones, or what was typed
	Problem formProblem
}

// addressFromForm reads the posted address fields. Names match the keys of
// users.ValidateAddress, so its messages land beside the right field.
func addressFromForm(r *http.Request) users.Address {
	f := r.PostForm.Get
	return users.Address{
		Name: f("name"), Company: f("company"), Line1: f("line1"), Line2: f("line2"), City: f("city"),
		Region: f("region"), PostalCode: f("postal_code"), Country: f("country"), Phone: f("phone"),
	}
}

// keptAddress is a typed address made fit to show again.
func keptAddress(a users.Address) users.Address {
	a.Name, a.Company, a.Line1, a.Line2 = kept(a.Name), kept(a.Company), kept(a.Line1), kept(a.Line2)
	a.City, a.Region, a.PostalCode = kept(a.City), kept(a.Region), kept(a.PostalCode)
	a.Country, a.Phone = kept(a.Country), kept(a.Phone)
	return a
}

// postalCodeProblem covers what users.ValidateAddress lets through for countries without a
// known postal-code format: NUL and other control characters (which PostgreSQL refuses
// with an error, not a field message), bytes that are not UTF-8 (silently replaced when
// the code is upper-cased) and < > (refused in every other field). It goes once the
// service checks postal codes like its other text fields.
func postalCodeProblem(a users.Address) map[string]string {
	p := a.PostalCode
	if utf8.ValidString(p) && !strings.ContainsFunc(p, unicode.IsControl) && !strings.ContainsAny(p, "<>") {
		return nil
	}
	fields := users.ValidateAddress(users.NormalizeAddress(a))
	fields["postal_code"] = "Use only ordinary characters."
	return fields
}

// countryOptions lists the countries the shop knows by name. A saved code it does not
// know (any ISO code is accepted) stays selectable, so editing the address keeps it.
func countryOptions(selected string) []web.Option {
	opts := []web.Option{{Value: "", Label: "Choose a country"}}
	known := selected == ""
	for _, c := range users.Countries {
		opts = append(opts, web.Option{Value: c.Code, Label: c.Name})
		known = known || c.Code == selected
	}
	if !known {
		opts = append(opts, web.Option{Value: selected, Label: selected})
	}
	return opts
}

// countryName is a code as people read it; an unknown code is shown as it is.
func countryName(code string) string {
	for _, c := range users.Countries {
		if c.Code == code {
			return c.Name
		}
	}
	return code
}

func addressURL(id int64) string { return "/account/addresses/" + strconv.FormatInt(id, 10) }

func newAddressForm() addressFormView {
	return addressFormView{
		Title: "New address", Action: "/account/addresses", Submit: "Save address", TestID: "address-new-page",
		Crumb: web.Crumb{Label: "New address", URL: "/account/addresses/new"},
	}
}

func editAddressForm(a users.Address) addressFormView {
	return addressFormView{
		Title: "Edit address", Action: addressURL(a.ID), Submit: "Save changes", TestID: "address-edit-page",
		Crumb:   web.Crumb{Label: "Edit address", URL: addressURL(a.ID) + "/edit"},
		Address: a,
	}
}
