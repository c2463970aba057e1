package usersweb_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestPrivacy(t *testing.T) {
	t.Parallel()
	shop := startShop(t)

	t.Run("OKDownloadMyData", func(t *testing.T) {
		t.Parallel()
		b := shop.browser(t)
		b.register("gil@example.com", "Gil Example", goodPassword)
		require.Equal(t, "/account/addresses", b.post("/account/addresses", germanAddress()).redirect())
		p := b.get("/account/privacy").page()
		require.Equal(t, "Privacy and your data", p.one("page-title").text())
		require.Equal(t, "/account/export", p.one("export-form").attr("action"))
		require.Equal(t, "post", p.one("export-form").attr("method"))

		res := b.post("/account/export", nil)
		require.Equal(t, http.StatusOK, res.status)
		require.Equal(t, "application/json; charset=utf-8", res.header.Get("Content-Type"))
		require.Equal(t, `attachment; filename="monoshop-data.json"`, res.header.Get("Content-Disposition"))
		require.Equal(t, "no-store", res.header.Get("Cache-Control"))
		var doc struct {
			ExportedAt string `json:"exported_at"`
			Profile    struct {
				Email, Name string
			} `json:"profile"`
			Addresses []struct {
				Name, Line1, City, PostalCode, Country string
			} `json:"addresses"`
		}
		require.NoError(t, json.Unmarshal([]byte(res.body), &doc))
		require.Equal(t, "gil@example.com", doc.Profile.Email)
		require.Equal(t, "Gil Example", doc.Profile.Name)
		require.Len(t, doc.Addresses, 1)
		require.Equal(t, "Hauptstraße 1", doc.Addresses[0].Line1)
		require.Equal(t, "DE", doc.Addresses[0].Country)
		_, err := time.Parse(time.RFC3339, doc.ExportedAt)
		require.NoError(t, err)
		require.NotContains(t, res.body, "argon2", "the password hash is not personal data to hand out")

		shop.browser(t).post("/account/export", nil).requireSignInRedirect("/account/export")
	})

	t.Run("OKDeleteAccount", func(t *testing.T) {
		t.Parallel()
		b := shop.browser(t)
		b.register("hui@example.com", "Hui", goodPassword)
		require.Equal(t, "/account/addresses", b.post("/account/addresses", germanAddress()).redirect())
		otherDevice := shop.browser(t)
		otherDevice.login("hui@example.com", goodPassword)
		var id int64
		require.NoError(t, shop.pool.QueryRow(t.Context(), "SELECT id FROM users.accounts WHERE email_key = 'hui@example.com'").Scan(&id))

		res := b.post("/account/delete", url.Values{"current_password": {otherPassword}})
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		form := res.page().one("delete-account-form")
		require.Equal(t, "Your current password is not correct.", form.fieldError("current_password"))
		form.requireNoPasswordEchoed()
		require.True(t, b.signedIn(), "a refused deletion changes nothing")

		require.Equal(t, "/", b.post("/account/delete", url.Values{"current_password": {goodPassword}}).redirect())
		// The home page belongs to the catalog and is not mounted here (cmd/shop's tests
		// see the message there); the layout shows it on whichever page is viewed next.
		require.Contains(t, b.get("/login").page().flashes(), "Your account was deleted. Thank you for shopping with us.")
		require.False(t, b.signedIn())
		require.False(t, otherDevice.signedIn(), "every session of the account ended")

		res = shop.browser(t).post("/login", url.Values{"email": {"hui@example.com"}, "password": {goodPassword}})
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		require.Equal(t, msgBadLogin, res.page().one("form-error").text())

		var email, name, hash string
		var deleted bool
		require.NoError(t, shop.pool.QueryRow(t.Context(),
			"SELECT email, name, password_hash, deleted_at IS NOT NULL FROM users.accounts WHERE id = $1", id).Scan(&email, &name, &hash, &deleted))
		require.True(t, deleted)
		require.True(t, strings.HasPrefix(email, "deleted-") && strings.HasSuffix(email, "@invalid"), "email %q is anonymised", email)
		require.Empty(t, name)
		require.Empty(t, hash)
		var addresses int
		require.NoError(t, shop.pool.QueryRow(t.Context(), "SELECT count(*) FROM users.addresses WHERE account_id = $1", id).Scan(&addresses))
		require.Zero(t, addresses)

		// The address is free for a new account.
		again := shop.browser(t)
		again.register("hui@example.com", "Hui Again", otherPassword)
		require.Equal(t, "Hui Again", again.get("/account").page().one("profile-form").value("name"))
		require.Empty(t, addressCards(t, again), "nothing of the deleted account comes back")
	})
}
