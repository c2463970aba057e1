package usersweb_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAccountSettings(t *testing.T) {
	t.Parallel()
	shop := startShop(t)

	t.Run("OKProfileIsShownEscaped", func(t *testing.T) {
		t.Parallel()
		b := shop.browser(t)
		b.register("jo@example.com", "Jo", goodPassword)
		const name = `Jo "JJ" O'Hara & Sons`
		require.Equal(t, "/account", b.post("/account/profile", url.Values{"name": {name}}).redirect())
		res := b.get("/account")
		p := res.page()
		require.Contains(t, p.flashes(), "Your name is saved.")
		require.Equal(t, name, p.one("profile-form").value("name"))
		require.Equal(t, name, p.one("account-link").text())
		require.Contains(t, res.body, "O&#39;Hara &amp; Sons", "stored text is rendered escaped")
		require.NotContains(t, res.body, `"JJ"`)
	})

	t.Run("ErrProfileScript", func(t *testing.T) {
		t.Parallel()
		b := shop.browser(t)
		b.register("kim@example.com", "Kim", goodPassword)
		const script = "<script>alert(1)</script>"
		res := b.post("/account/profile", url.Values{"name": {script}})
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		form := res.page().one("profile-form")
		require.Equal(t, "Names cannot contain < or >.", form.fieldError("name"))
		require.Equal(t, script, form.value("name"), "what was typed is kept, as text")
		require.NotContains(t, res.body, script, "and never as markup")
		require.Equal(t, "Kim", b.get("/account").page().one("profile-form").value("name"), "nothing was saved")
	})

	t.Run("OKChangeEmail", func(t *testing.T) {
		t.Parallel()
		shop.browser(t).register("taken@example.com", "Taken", goodPassword)
		b := shop.browser(t)
		b.register("lee@example.com", "Lee", goodPassword)

		res := b.post("/account/email", url.Values{"email": {"lee2@example.com"}, "current_password": {otherPassword}})
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		form := res.page().one("email-form")
		require.Equal(t, "Your current password is not correct.", form.fieldError("current_password"))
		require.Equal(t, "lee2@example.com", form.value("email"))
		form.requireNoPasswordEchoed()

		res = b.post("/account/email", url.Values{"email": {"TAKEN@example.com"}, "current_password": {goodPassword}})
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		require.Equal(t, "Another account uses this email.", res.page().one("email-form").fieldError("email"))

		res = b.post("/account/email", url.Values{"email": {"not an email"}, "current_password": {goodPassword}})
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		require.NotEmpty(t, res.page().one("email-form").fieldError("email"))

		require.Equal(t, "/account", b.post("/account/email", url.Values{"email": {"lee2@example.com"}, "current_password": {goodPassword}}).redirect())
		p := b.get("/account").page()
		require.Equal(t, "lee2@example.com", p.one("account-email").text())
		require.NotEmpty(t, p.flashes())
		shop.browser(t).login("lee2@example.com", goodPassword)
		old := shop.browser(t).post("/login", url.Values{"email": {"lee@example.com"}, "password": {goodPassword}})
		require.Equal(t, http.StatusUnprocessableEntity, old.status)
	})

	t.Run("OKChangePasswordKeepsThisSession", func(t *testing.T) {
		t.Parallel()
		b := shop.browser(t)
		b.register("max@example.com", "Max", goodPassword)
		otherDevice := shop.browser(t)
		otherDevice.login("max@example.com", goodPassword)

		res := b.post("/account/password", url.Values{"current_password": {"Not-My-Password-1"}, "password": {otherPassword}})
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		form := res.page().one("password-form")
		require.Equal(t, "Your current password is not correct.", form.fieldError("current_password"))
		form.requireNoPasswordEchoed()

		res = b.post("/account/password", url.Values{"current_password": {goodPassword}, "password": {"qwerty12345"}})
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		require.Equal(t, "This password is too common. Choose one that is harder to guess.", res.page().one("password-form").fieldError("password"))

		before := b.cookie()
		require.Equal(t, "/account", b.post("/account/password", url.Values{"current_password": {goodPassword}, "password": {otherPassword}}).redirect())
		require.NotEqual(t, before, b.cookie(), "a privilege change renews the session token")
		acc := b.get("/account")
		require.Equal(t, http.StatusOK, acc.status, "this session stays signed in")
		require.Contains(t, acc.page().flashes(), "Your password is changed. Your other devices were signed out.")
		require.False(t, otherDevice.signedIn(), "every other session ended")
		require.False(t, shop.withCookie(t, before).signedIn(), "the token from before the change is worthless")

		shop.browser(t).login("max@example.com", otherPassword)
		res = shop.browser(t).post("/login", url.Values{"email": {"max@example.com"}, "password": {goodPassword}})
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
	})

	t.Run("ErrSignedOut", func(t *testing.T) {
		t.Parallel()
		b := shop.browser(t)
		for _, path := range []string{"/account", "/account/addresses", "/account/addresses/new", "/account/privacy"} {
			b.get(path).requireSignInRedirect(path)
		}
		for _, path := range []string{"/account/profile", "/account/email", "/account/password", "/account/export", "/account/delete", "/account/addresses"} {
			res := b.post(path, url.Values{"name": {"x"}})
			require.Equal(t, http.StatusSeeOther, res.status, path)
			require.True(t, strings.HasPrefix(res.header.Get("Location"), "/login?next="), path)
		}
	})
}
