package usersweb_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// msgBadLogin is the service's one answer to every refused sign-in.
const msgBadLogin = "The email or password is incorrect."

func TestRegisterSignInSignOut(t *testing.T) {
	t.Parallel()
	shop := startShop(t)

	t.Run("OKJourney", func(t *testing.T) {
		t.Parallel()
		b := shop.browser(t)
		form := b.get("/register").page()
		form.one("register-page")
		require.Equal(t, "Create an account", form.one("page-title").text())
		form.one("register-form").control("password")

		b.register("ann@example.com", "Ann Example", goodPassword)
		acc := b.get("/account")
		require.Equal(t, http.StatusOK, acc.status)
		require.Equal(t, "no-store", acc.header.Get("Cache-Control"), "account pages stay out of caches")
		p := acc.page()
		require.Equal(t, []string{"Welcome, Ann Example! Your account is ready."}, p.flashes())
		require.Equal(t, "ann@example.com", p.one("account-email").text())
		require.Equal(t, "Ann Example", p.one("profile-form").value("name"))
		require.Equal(t, "Ann Example", p.one("account-link").text(), "the header greets the shopper")
		history := p.one("order-history")
		require.Equal(t, "You have no orders yet. Orders you place will appear here.", history.one("order-history-empty").text())
		require.Equal(t, "/account/addresses", p.one("addresses-link").attr("href"))
		require.Equal(t, "/account/privacy", p.one("privacy-link").attr("href"))
		require.Empty(t, b.get("/account").page().flashes(), "a flash is shown once")

		require.Equal(t, "/", b.post("/logout", nil).redirect())
		require.False(t, b.signedIn())

		// Signing in from a page that asked for it goes back there.
		b.get("/account/addresses").requireSignInRedirect("/account/addresses")
		login := b.get("/login?next=" + url.QueryEscape("/account/addresses")).page().one("login-form")
		require.Equal(t, "/account/addresses", login.value("next"))
		res := b.post("/login", url.Values{"email": {"ANN@example.com"}, "password": {goodPassword}, "next": {"/account/addresses"}})
		require.Equal(t, "/account/addresses", res.redirect(), "emails match case-insensitively")
		require.True(t, b.signedIn())
		require.Equal(t, "/account", b.get("/login").redirect(), "a signed-in shopper has nothing to do on the sign-in page")
	})

	t.Run("OKNextStaysOnThisSite", func(t *testing.T) {
		t.Parallel()
		b := shop.browser(t)
		b.register("nina@example.com", "", goodPassword)
		hostile := []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "/ok\r\nSet-Cookie: x=1",
			// Cleaned, these are "/\evil.example/", which browsers follow to evil.example.
			"/./%5Cevil.example/", "/./\\evil.example/", "/a/../%5C%5Cevil.example", "/%5Cevil.example", "/x%0d%0aSet-Cookie:%20x=1"}
		for _, next := range hostile {
			require.Equal(t, "/", b.post("/logout", nil).redirect())
			require.Equal(t, "/account", b.get("/login?next="+url.QueryEscape(next)).page().one("login-form").value("next"), next)
			res := b.post("/login", url.Values{"email": {"nina@example.com"}, "password": {goodPassword}, "next": {next}})
			require.Equal(t, "/account", res.redirect(), "next=%q", next)
			// Signed in, the sign-in and register pages send on to next at once.
			require.Equal(t, "/account", b.get("/login?next="+url.QueryEscape(next)).redirect(), "signed in, GET /login, next=%q", next)
			require.Equal(t, "/account", b.get("/register?next="+url.QueryEscape(next)).redirect(), "signed in, GET /register, next=%q", next)
		}
		// The audit's link as it was sent: the query decodes %5C to a backslash.
		require.Equal(t, "/account", b.get("/login?next=/./%5Cevil.example/").redirect())
		require.Equal(t, "/account", b.get("/register?next=/./%5Cevil.example/").redirect())
		// A path on this site is kept, cleaned, with its query.
		for next, want := range map[string]string{
			"/account/addresses":   "/account/addresses",
			"/./account/../cart":   "/cart",
			"/search?q=red+shoes":  "/search?q=red+shoes",
			"/c/shirts/":           "/c/shirts/",
			"/p/caf%C3%A9-au-lait": "/p/caf%C3%A9-au-lait",
		} {
			require.Equal(t, want, b.get("/login?next="+url.QueryEscape(next)).redirect(), "next=%q", next)
		}
	})

	t.Run("ErrDuplicateEmail", func(t *testing.T) {
		t.Parallel()
		shop.browser(t).register("dup@example.com", "First", goodPassword)
		b := shop.browser(t)
		res := b.post("/register", url.Values{"email": {"Dup@Example.com"}, "name": {"Second"}, "password": {otherPassword}})
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		form := res.page().one("register-form")
		require.Contains(t, form.fieldError("email"), "already exists")
		require.Equal(t, "Dup@Example.com", form.value("email"), "what was typed is kept")
		require.Equal(t, "Second", form.value("name"))
		form.requireNoPasswordEchoed()
		require.Equal(t, "Please correct the highlighted fields.", form.one("form-error").text())
		require.False(t, b.signedIn())
	})

	t.Run("ErrWeakPassword", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct{ password, message string }{
			{"", "Use at least 10 characters."},
			{"short1!", "Use at least 10 characters."},
			{"password123", "This password is too common. Choose one that is harder to guess."},
			{"QWERTYUIOP", "This password is too common. Choose one that is harder to guess."},
			{"weak-carol-password", "Your password must not contain your email address."},
			{"abababababab", "Use more different characters."},
			{strings.Repeat("Long-pass", 29), "Use at most 256 characters."},
		} {
			res := shop.browser(t).post("/register", url.Values{"email": {"carol@example.com"}, "name": {"Carol"}, "password": {tc.password}})
			require.Equal(t, http.StatusUnprocessableEntity, res.status, "password %q", tc.password)
			form := res.page().one("register-form")
			require.Equal(t, tc.message, form.fieldError("password"), "password %q", tc.password)
			require.Equal(t, "carol@example.com", form.value("email"))
			form.requireNoPasswordEchoed()
		}
		var n int
		require.NoError(t, shop.pool.QueryRow(t.Context(), "SELECT count(*) FROM users.accounts WHERE email_key = 'carol@example.com'").Scan(&n))
		require.Zero(t, n, "no weak password made an account")
	})

	t.Run("ErrWrongPassword", func(t *testing.T) {
		t.Parallel()
		shop.browser(t).register("dan@example.com", "Dan", goodPassword)
		b := shop.browser(t)
		wrong := b.post("/login", url.Values{"email": {"dan@example.com"}, "password": {otherPassword}})
		require.Equal(t, http.StatusUnprocessableEntity, wrong.status)
		form := wrong.page().one("login-form")
		require.Equal(t, msgBadLogin, form.one("form-error").text())
		require.Equal(t, "dan@example.com", form.value("email"), "the email stays typed")
		form.requireNoPasswordEchoed()

		unknown := b.post("/login", url.Values{"email": {"nobody@example.com"}, "password": {otherPassword}})
		require.Equal(t, wrong.status, unknown.status, "an unknown email looks like a wrong password")
		require.Equal(t, msgBadLogin, unknown.page().one("form-error").text())
		require.False(t, b.signedIn())
	})

	t.Run("ErrEmptyFields", func(t *testing.T) {
		t.Parallel()
		b := shop.browser(t)
		res := b.post("/login", url.Values{"email": {""}, "password": {""}})
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		require.Equal(t, "Enter your email address.", res.page().one("login-form").fieldError("email"))
		res = b.post("/login", url.Values{"email": {"erin@example.com"}, "password": {""}})
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		form := res.page().one("login-form")
		require.Equal(t, "Enter your password.", form.fieldError("password"))
		require.Equal(t, "erin@example.com", form.value("email"))
	})
}

func TestSessionFixation(t *testing.T) {
	t.Parallel()
	shop := startShop(t)
	shop.browser(t).register("fay@example.com", "Fay", goodPassword)

	b := shop.browser(t)
	// A visitor holds a real, stored session before signing in (signing out when signed
	// out is the simplest way to be given one).
	require.Equal(t, "/", b.post("/logout", nil).redirect())
	before := b.cookie()
	require.NotEmpty(t, before)

	b.login("fay@example.com", goodPassword)
	after := b.cookie()
	require.NotEmpty(t, after)
	require.NotEqual(t, before, after, "signing in renews the session token")

	var stored int
	require.NoError(t, shop.pool.QueryRow(t.Context(), "SELECT count(*) FROM sessions WHERE token = $1", before).Scan(&stored))
	require.Zero(t, stored, "the pre-sign-in session is gone from the store")
	require.False(t, shop.withCookie(t, before).signedIn(), "a token planted before sign-in is worthless after it")
	require.True(t, shop.withCookie(t, after).signedIn())

	require.Equal(t, "/", b.post("/logout", nil).redirect())
	require.NotEqual(t, after, b.cookie(), "signing out renews the token too")
	require.False(t, shop.withCookie(t, after).signedIn(), "a token captured while signed in is worthless after sign-out")
}
