package usersweb_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/web/webtest"
)

func germanAddress() url.Values {
	return url.Values{"name": {"Ann Example"}, "company": {`Tom & Jerry's "Loft"`}, "line1": {"Hauptstraße 1"},
		"city": {"Berlin"}, "postal_code": {"10115"}, "country": {"DE"}, "phone": {"+49 30 1234567"}}
}

func americanAddress() url.Values {
	return url.Values{"name": {"Ann at Work"}, "line1": {"1 Main Street"}, "line2": {"Suite 5"},
		"city": {"Springfield"}, "region": {"IL"}, "postal_code": {"62701"}, "country": {"US"}}
}

// addressCards lists the address book as shown, by the id each card carries.
func addressCards(t *testing.T, b *shopper) map[string]node {
	t.Helper()
	res := b.get("/account/addresses")
	require.Equal(t, http.StatusOK, res.status)
	out := map[string]node{}
	for _, card := range res.page().all("address") {
		out[card.attr("data-id")] = card
	}
	return out
}

func TestAddressBook(t *testing.T) {
	t.Parallel()
	shop := startShop(t)

	t.Run("OKJourney", func(t *testing.T) {
		t.Parallel()
		b := shop.browser(t)
		b.register("ann@example.com", "Ann", goodPassword)
		empty := b.get("/account/addresses").page()
		require.Equal(t, "Your addresses", empty.one("page-title").text())
		empty.one("address-empty")

		form := b.get("/account/addresses/new").page().one("address-form")
		require.Equal(t, "/account/addresses", form.attr("action"))
		var countries []string
		for n := range form.control("country").n.Descendants() {
			if n.Data == "option" {
				countries = append(countries, webtest.Attr(n, "value"))
			}
		}
		require.Contains(t, countries, "DE")
		require.Contains(t, countries, "US")
		require.Equal(t, "", countries[0], "no country is chosen for the shopper")

		require.Equal(t, "/account/addresses", b.post("/account/addresses", germanAddress()).redirect())
		list := b.get("/account/addresses")
		p := list.page()
		require.Equal(t, []string{"Address saved."}, p.flashes())
		cards := p.all("address")
		require.Len(t, cards, 1)
		first := cards[0]
		firstID := first.attr("data-id")
		require.True(t, first.has("address-default-shipping"), "the first address is the default for shipping")
		require.True(t, first.has("address-default-billing"), "and for billing")
		require.Contains(t, first.one("address-lines").text(), `Tom & Jerry's "Loft"`)
		require.Contains(t, first.one("address-lines").text(), "Germany")
		require.Contains(t, list.body, "Tom &amp; Jerry&#39;s &#34;Loft&#34;", "stored text is rendered escaped")

		require.Equal(t, "/account/addresses", b.post("/account/addresses", americanAddress()).redirect())
		byID := addressCards(t, b)
		require.Len(t, byID, 2)
		var secondID string
		for id := range byID {
			if id != firstID {
				secondID = id
			}
		}
		second := byID[secondID]
		require.False(t, second.has("address-default-shipping"))
		require.False(t, second.has("address-default-billing"))

		// Edit.
		edit := b.get("/account/addresses/" + secondID + "/edit")
		require.Equal(t, http.StatusOK, edit.status)
		ef := edit.page().one("address-form")
		require.Equal(t, "/account/addresses/"+secondID, ef.attr("action"))
		require.Equal(t, "Springfield", ef.value("city"))
		require.Equal(t, "US", ef.value("country"))
		changed := americanAddress()
		changed.Set("city", "Chicago")
		changed.Set("postal_code", "60601")
		require.Equal(t, "/account/addresses", b.post("/account/addresses/"+secondID, changed).redirect())
		require.Contains(t, addressCards(t, b)[secondID].one("address-lines").text(), "60601 Chicago, IL")

		// Default for shipping only.
		require.Equal(t, "/account/addresses", b.post("/account/addresses/"+secondID+"/default", url.Values{"for": {"shipping"}}).redirect())
		byID = addressCards(t, b)
		require.True(t, byID[secondID].has("address-default-shipping"))
		require.False(t, byID[secondID].has("address-default-billing"))
		require.False(t, byID[firstID].has("address-default-shipping"))
		require.True(t, byID[firstID].has("address-default-billing"))
		require.False(t, byID[secondID].has("address-default-shipping-button"), "no button for what it already is")
		byID[secondID].one("address-default-billing-button")

		// Delete.
		require.Equal(t, byID[firstID].one("address-delete-form").attr("action"), "/account/addresses/"+firstID+"/delete")
		require.Equal(t, "/account/addresses", b.post("/account/addresses/"+firstID+"/delete", nil).redirect())
		p = b.get("/account/addresses").page()
		require.Equal(t, []string{"Address deleted."}, p.flashes())
		require.Len(t, p.all("address"), 1)
		require.Equal(t, secondID, p.one("address").attr("data-id"))
		require.Equal(t, http.StatusNotFound, b.get("/account/addresses/"+firstID+"/edit").status)
	})

	t.Run("ErrInvalidKeepsWhatWasTyped", func(t *testing.T) {
		t.Parallel()
		b := shop.browser(t)
		b.register("bea@example.com", "Bea", goodPassword)
		typed := url.Values{"name": {""}, "line1": {""}, "city": {"Springfield"}, "region": {""},
			"postal_code": {"ABCDE"}, "country": {"US"}, "phone": {"call me"}}
		res := b.post("/account/addresses", typed)
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		form := res.page().one("address-form")
		require.Equal(t, "Please correct the highlighted fields.", form.one("form-error").text())
		require.Equal(t, "Enter the recipient's name.", form.fieldError("name"))
		require.Equal(t, "Enter the street address.", form.fieldError("line1"))
		require.Equal(t, "Enter the state or province.", form.fieldError("region"))
		require.Equal(t, "This postal code does not look right for the chosen country.", form.fieldError("postal_code"))
		require.Equal(t, "Enter a phone number using digits, spaces and + only.", form.fieldError("phone"))
		require.Empty(t, form.fieldError("city"))
		require.Equal(t, "Springfield", form.value("city"))
		require.Equal(t, "ABCDE", form.value("postal_code"))
		require.Equal(t, "US", form.value("country"))
		require.Equal(t, "call me", form.value("phone"))

		// The postal-code rule follows the country.
		uk := germanAddress()
		uk.Set("country", "GB")
		res = b.post("/account/addresses", uk)
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		require.Equal(t, "This postal code does not look right for the chosen country.", res.page().one("address-form").fieldError("postal_code"))

		noCountry := germanAddress()
		noCountry.Set("country", "")
		res = b.post("/account/addresses", noCountry)
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		require.Equal(t, "Choose a country.", res.page().one("address-form").fieldError("country"))

		// Edit errors keep the edit form.
		require.Equal(t, "/account/addresses", b.post("/account/addresses", germanAddress()).redirect())
		var id string
		for k := range addressCards(t, b) {
			id = k
		}
		bad := germanAddress()
		bad.Set("postal_code", "1")
		res = b.post("/account/addresses/"+id, bad)
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		ef := res.page().one("address-form")
		require.Equal(t, "/account/addresses/"+id, ef.attr("action"))
		require.Equal(t, "1", ef.value("postal_code"))
		require.Contains(t, addressCards(t, b)[id].one("address-lines").text(), "10115 Berlin", "nothing was saved")
	})

	t.Run("ErrAnotherAccountsAddress", func(t *testing.T) {
		t.Parallel()
		owner := shop.browser(t)
		owner.register("cat@example.com", "Cat", goodPassword)
		require.Equal(t, "/account/addresses", owner.post("/account/addresses", germanAddress()).redirect())
		var id string
		for k := range addressCards(t, owner) {
			id = k
		}
		before := owner.get("/account/addresses/" + id + "/edit").body

		other := shop.browser(t)
		other.register("dov@example.com", "Dov", goodPassword)
		require.Equal(t, "/account/addresses", other.post("/account/addresses", americanAddress()).redirect())
		for _, res := range []response{
			other.get("/account/addresses/" + id + "/edit"),
			other.post("/account/addresses/"+id, americanAddress()),
			other.post("/account/addresses/"+id, url.Values{"name": {"<b>"}}),
			other.post("/account/addresses/"+id+"/delete", nil),
			other.post("/account/addresses/"+id+"/default", url.Values{"for": {"shipping"}}),
		} {
			require.Equal(t, http.StatusNotFound, res.status)
			res.page().one("error-page")
		}
		require.Equal(t, before, owner.get("/account/addresses/"+id+"/edit").body, "the owner's address is untouched")
		require.True(t, addressCards(t, owner)[id].has("address-default-shipping"))
	})

	t.Run("ErrMalformedID", func(t *testing.T) {
		t.Parallel()
		b := shop.browser(t)
		b.register("eve@example.com", "Eve", goodPassword)
		for _, id := range []string{"abc", "-1", "0", "1.5", "99999999999999999999", "1e3"} {
			require.Equal(t, http.StatusNotFound, b.get("/account/addresses/"+id+"/edit").status, id)
			require.Equal(t, http.StatusNotFound, b.post("/account/addresses/"+id, americanAddress()).status, id)
			require.Equal(t, http.StatusNotFound, b.post("/account/addresses/"+id+"/delete", nil).status, id)
			require.Equal(t, http.StatusNotFound, b.post("/account/addresses/"+id+"/default", nil).status, id)
		}
		require.Equal(t, http.StatusNotFound, b.get("/account/addresses/123456/edit").status, "an id nobody has")
	})

	t.Run("ErrPostalCodeCharacters", func(t *testing.T) {
		t.Parallel()
		b := shop.browser(t)
		b.register("flo@example.com", "Flo", goodPassword)
		for _, code := range []string{"D02\x00X285", "<b>1</b>", "D02\xffX285"} {
			// Ireland has no postal-code format on file, so only the characters are judged.
			a := germanAddress()
			a.Set("country", "IE")
			a.Set("postal_code", code)
			res := b.post("/account/addresses", a)
			require.Equal(t, http.StatusUnprocessableEntity, res.status, "%q", code)
			form := res.page().one("address-form")
			require.Equal(t, "Use only ordinary characters.", form.fieldError("postal_code"), "%q", code)
			require.Equal(t, "Ann Example", form.value("name"))
		}
		require.Len(t, addressCards(t, b), 0)
		require.Equal(t, http.StatusUnprocessableEntity,
			b.post("/account/addresses", url.Values{"country": {"IE"}, "postal_code": {"\x00"}, "line1": {strings.Repeat("x", 201)}}).status)
	})
}
