package usersweb_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/users"
)

func TestBruteForceLocksAccount(t *testing.T) {
	t.Parallel()
	shop := startShop(t)
	shop.browser(t).register("ivy@example.com", "Ivy", goodPassword)

	// Fifty guesses from fifty addresses: the per-IP limit never sees more than one, so
	// only the per-account lockout stands in the way.
	attacker := shop.browser(t)
	var wrong response
	for i := range 50 {
		wrong = attacker.fromIP(fmt.Sprintf("198.51.%d.%d", i/250, i%250+1)).
			post("/login", url.Values{"email": {"ivy@example.com"}, "password": {fmt.Sprintf("Guess-number-%02d", i)}})
		require.Equal(t, http.StatusUnprocessableEntity, wrong.status, "attempt %d", i)
		require.Equal(t, msgBadLogin, wrong.page().one("form-error").text(), "attempt %d", i)
	}

	owner := shop.browser(t)
	locked := owner.post("/login", url.Values{"email": {"ivy@example.com"}, "password": {goodPassword}})
	require.Equal(t, wrong.status, locked.status, "the right password is refused while locked, like a wrong one")
	require.Equal(t, wrong.body, locked.body, "a locked account looks exactly like a wrong password")
	require.False(t, owner.signedIn())

	mails := shop.emails(t, "account_locked", "ivy@example.com")
	require.NotEmpty(t, mails, "the owner is told")
	require.Contains(t, mails[0].Text, shopBaseURL+"/password/forgot")
	t.Logf("50 wrong passwords sent %d account_locked emails", len(mails))

	// A reset is the way out: it works while locked and lifts the lock.
	require.Equal(t, "/password/forgot?sent=1", owner.post("/password/forgot", url.Values{"email": {"ivy@example.com"}}).redirect())
	require.Equal(t, "/account", owner.post(shop.resetPath(t, "ivy@example.com"), url.Values{"password": {otherPassword}}).redirect())
	shop.browser(t).login("ivy@example.com", otherPassword)
}

func TestRateLimits(t *testing.T) {
	t.Parallel()
	shop := startShop(t)
	shop.browser(t).register("jan@example.com", "Jan", goodPassword)

	t.Run("ErrLoginPerIP", func(t *testing.T) {
		t.Parallel()
		awaitFreshWindow(users.LimitLogin.Window, 10*time.Second)
		b := shop.browser(t)
		for i := range users.LimitLogin.Max {
			// An unknown email, so that the account's own lockout stays out of the way.
			res := b.post("/login", url.Values{"email": {"nobody@example.com"}, "password": {fmt.Sprintf("Wrong-guess-%02d", i)}})
			require.Equal(t, http.StatusUnprocessableEntity, res.status, "attempt %d", i+1)
		}
		res := b.post("/login", url.Values{"email": {"jan@example.com"}, "password": {goodPassword}})
		require.Equal(t, http.StatusTooManyRequests, res.status, "attempt %d", users.LimitLogin.Max+1)
		form := res.page().one("login-form")
		require.Equal(t, "Too many attempts. Please wait a few minutes and try again.", form.one("form-error").text())
		require.Equal(t, "jan@example.com", form.value("email"))
		require.False(t, b.signedIn())

		shop.browser(t).login("jan@example.com", goodPassword)
	})

	t.Run("ErrLoginPerIPv6Subnet", func(t *testing.T) {
		t.Parallel()
		awaitFreshWindow(users.LimitLogin.Window, 10*time.Second)
		// One IPv6 subscriber holds a whole /64: a new address per guess is still one client.
		b := shop.browser(t)
		for i := range users.LimitLogin.Max {
			res := b.fromIP(fmt.Sprintf("2001:db8:77:1::%x", i+1)).
				post("/login", url.Values{"email": {"nobody6@example.com"}, "password": {fmt.Sprintf("Wrong-guess-%02d", i)}})
			require.Equal(t, http.StatusUnprocessableEntity, res.status, "attempt %d", i+1)
		}
		res := b.fromIP("2001:db8:77:1:abcd::99").post("/login", url.Values{"email": {"jan@example.com"}, "password": {goodPassword}})
		require.Equal(t, http.StatusTooManyRequests, res.status, "another address of the same /64")
		// The next /64 is another subscriber.
		shop.browser(t).fromIP("2001:db8:77:2::1").login("jan@example.com", goodPassword)
	})

	t.Run("ErrRegisterPerIP", func(t *testing.T) {
		t.Parallel()
		awaitFreshWindow(users.LimitRegister.Window, 10*time.Second)
		b := shop.browser(t)
		for i := range users.LimitRegister.Max {
			// Refused forms count too: each one can still probe whether an email is taken.
			res := b.post("/register", url.Values{"email": {"jan@example.com"}, "password": {""}})
			require.Equal(t, http.StatusUnprocessableEntity, res.status, "attempt %d", i+1)
		}
		res := b.post("/register", url.Values{"email": {"kai@example.com"}, "name": {"Kai"}, "password": {goodPassword}})
		require.Equal(t, http.StatusTooManyRequests, res.status)
		form := res.page().one("register-form")
		require.Equal(t, "Too many attempts. Please wait a few minutes and try again.", form.one("form-error").text())
		require.Equal(t, "Kai", form.value("name"))
		form.requireNoPasswordEchoed()
	})

	t.Run("ErrResetPerIP", func(t *testing.T) {
		t.Parallel()
		awaitFreshWindow(users.LimitReset.Window, 10*time.Second)
		b := shop.browser(t)
		for i := range users.LimitReset.Max {
			require.Equal(t, "/password/forgot?sent=1", b.post("/password/forgot", url.Values{"email": {fmt.Sprintf("who%d@example.com", i)}}).redirect())
		}
		res := b.post("/password/forgot", url.Values{"email": {"jan@example.com"}})
		require.Equal(t, http.StatusTooManyRequests, res.status)
		require.Equal(t, "Too many attempts. Please wait a few minutes and try again.", res.page().one("forgot-form").one("form-error").text())
		require.Empty(t, shop.emails(t, "password_reset", "jan@example.com"), "the refused request sent nothing")
	})
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	shop := startShop(t)

	t.Run("ErrRegisterFields", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			name               string
			email, who, pass   string
			field, message     string
			keptEmail, keptWho string
		}{
			{name: "EmptyEmail", email: "", who: "Ann", pass: goodPassword,
				field: "email", message: "Enter your email address.", keptWho: "Ann"},
			{name: "OverlongEmail", email: strings.Repeat("a", 250) + "@x.io", who: "Ann", pass: goodPassword,
				field: "email", message: "Enter a valid email address.", keptEmail: strings.Repeat("a", 250) + "@x.io", keptWho: "Ann"},
			{name: "NotUTF8Email", email: "ann\xff@example.com", who: "Ann", pass: goodPassword,
				field: "email", message: "Enter a valid email address.", keptEmail: "ann\uFFFD@example.com", keptWho: "Ann"},
			{name: "OverlongName", email: "bo@example.com", who: strings.Repeat("é", 121), pass: goodPassword,
				field: "name", message: "Keep it under 120 characters.", keptEmail: "bo@example.com", keptWho: strings.Repeat("é", 121)},
			{name: "NotUTF8Name", email: "bo@example.com", who: "Bo\xff\xfe", pass: goodPassword,
				field: "name", message: "Use only ordinary characters.", keptEmail: "bo@example.com", keptWho: "Bo\uFFFD\uFFFD"},
			{name: "ControlInName", email: "bo@example.com", who: "Bo\x00\x07", pass: goodPassword,
				field: "name", message: "Use only ordinary characters.", keptEmail: "bo@example.com", keptWho: "Bo\uFFFD\uFFFD"},
			{name: "ScriptName", email: "bo@example.com", who: "<script>alert(1)</script>", pass: goodPassword,
				field: "name", message: "Names cannot contain < or >.", keptEmail: "bo@example.com", keptWho: "<script>alert(1)</script>"},
			{name: "NotUTF8Password", email: "bo@example.com", who: "Bo", pass: "Velvet-Otter\xff-42",
				field: "password", message: "Use only ordinary characters in your password.", keptEmail: "bo@example.com", keptWho: "Bo"},
			{name: "OverlongPassword", email: "bo@example.com", who: "Bo", pass: strings.Repeat("Otter-42!", 30),
				field: "password", message: "Use at most 256 characters.", keptEmail: "bo@example.com", keptWho: "Bo"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := shop.browser(t).post("/register", url.Values{"email": {tc.email}, "name": {tc.who}, "password": {tc.pass}})
				require.Equal(t, http.StatusUnprocessableEntity, res.status)
				form := res.page().one("register-form")
				require.Equal(t, tc.message, form.fieldError(tc.field))
				require.Equal(t, tc.keptEmail, form.value("email"))
				require.Equal(t, tc.keptWho, form.value("name"))
				form.requireNoPasswordEchoed()
				require.NotContains(t, res.body, "<script>alert(1)")
			})
		}
		var n int
		require.NoError(t, shop.pool.QueryRow(t.Context(),
			"SELECT count(*) FROM users.accounts WHERE email_key LIKE 'bo@%' OR email_key LIKE 'ann%' OR email_key LIKE 'aaaa%'").Scan(&n))
		require.Zero(t, n, "no bad input made an account")
	})

	t.Run("ErrLoginFields", func(t *testing.T) {
		t.Parallel()
		b := shop.browser(t)
		for _, tc := range []struct{ email, message, kept string }{
			{"ann\xff@example.com", "Enter a valid email address, like name@example.com.", "ann\uFFFD@example.com"},
			{"ann\x00@example.com", "Enter a valid email address, like name@example.com.", "ann\uFFFD@example.com"},
			{strings.Repeat("a", 300), "Enter a valid email address, like name@example.com.", strings.Repeat("a", 300)},
			{"   ", "Enter your email address.", "   "},
			{"<script>alert(1)</script>@x.y", "", "<script>alert(1)</script>@x.y"},
		} {
			res := b.post("/login", url.Values{"email": {tc.email}, "password": {goodPassword}})
			require.Equal(t, http.StatusUnprocessableEntity, res.status, "%q", tc.email)
			form := res.page().one("login-form")
			require.Equal(t, tc.message, form.fieldError("email"), "%q", tc.email)
			require.Equal(t, tc.kept, form.value("email"), "%q", tc.email)
			form.requireNoPasswordEchoed()
			require.NotContains(t, res.body, "<script>alert(1)")
		}
	})

	t.Run("ErrAddressFields", func(t *testing.T) {
		t.Parallel()
		b := shop.browser(t)
		b.register("cy@example.com", "Cy", goodPassword)
		a := germanAddress()
		a.Set("name", "<script>alert(1)</script>")
		a.Set("line1", strings.Repeat("x", 201))
		a.Set("city", "Berlin\xff")
		a.Set("company", "Co\r\nBcc: x")
		res := b.post("/account/addresses", a)
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		form := res.page().one("address-form")
		require.Equal(t, "Use only ordinary characters.", form.fieldError("name"))
		require.Equal(t, "This is too long.", form.fieldError("line1"))
		require.Equal(t, "Use only ordinary characters.", form.fieldError("city"))
		require.Equal(t, "Use only ordinary characters.", form.fieldError("company"))
		require.Equal(t, "<script>alert(1)</script>", form.value("name"))
		require.Equal(t, "Berlin\uFFFD", form.value("city"))
		require.NotContains(t, res.body, "<script>alert(1)")
		require.Empty(t, addressCards(t, b))
	})
}

// TestLockoutSparesTheOwner: ten wrong passwords from anywhere lock the account against
// everyone, but not against its owner's own browser, and the owner hears of it at most
// once a day however often it is locked.
func TestLockoutSparesTheOwner(t *testing.T) {
	t.Parallel()
	shop := startShop(t)
	ownBrowser := shop.browser(t)
	ownBrowser.register("uma@example.com", "Uma", goodPassword)
	require.Equal(t, "/", ownBrowser.post("/logout", nil).redirect())
	device := func(b *shopper) string {
		u, err := url.Parse(shop.base)
		require.NoError(t, err)
		for _, c := range b.jar.Cookies(u) {
			if c.Name == "monoshop_device" {
				return c.Value
			}
		}
		return ""
	}
	require.NotEmpty(t, device(ownBrowser), "signing up marks the browser as the owner's")

	lock := func(round int) {
		attacker := shop.browser(t)
		for i := range 12 {
			attacker.fromIP(fmt.Sprintf("203.0.%d.%d", round, i+1)).
				post("/login", url.Values{"email": {"uma@example.com"}, "password": {fmt.Sprintf("Guess-%d-%02d", round, i)}})
		}
	}
	lock(1)
	stranger := shop.browser(t)
	res := stranger.post("/login", url.Values{"email": {"uma@example.com"}, "password": {goodPassword}})
	require.Equal(t, http.StatusUnprocessableEntity, res.status, "locked: the right password from a new browser is refused")
	require.Equal(t, msgBadLogin, res.page().one("form-error").text())

	// The owner, from the browser they signed up in, with the right password: in.
	ownBrowser.login("uma@example.com", goodPassword)
	require.True(t, ownBrowser.signedIn())
	// ... and a wrong password from there is still wrong.
	require.Equal(t, "/", ownBrowser.post("/logout", nil).redirect())
	res = ownBrowser.post("/login", url.Values{"email": {"uma@example.com"}, "password": {"Not-my-password-9"}})
	require.Equal(t, http.StatusUnprocessableEntity, res.status)
	// A device cookie is only good for the account that signed in with it.
	copied := shop.browser(t)
	u, err := url.Parse(shop.base)
	require.NoError(t, err)
	copied.jar.SetCookies(u, []*http.Cookie{{Name: "monoshop_device", Value: "not-a-device-of-uma-0123456789", Path: "/"}})
	res = copied.post("/login", url.Values{"email": {"uma@example.com"}, "password": {goodPassword}})
	require.Equal(t, http.StatusUnprocessableEntity, res.status, "an unknown device cookie opens nothing")

	// Locked again and again (each lock has run out): one email, not one per lock.
	for round := 2; round <= 4; round++ {
		_, err := shop.pool.Exec(t.Context(), `UPDATE users.accounts SET locked_until = now() - interval '1 second' WHERE email_key = 'uma@example.com'`)
		require.NoError(t, err)
		lock(round)
	}
	require.Len(t, shop.emails(t, "account_locked", "uma@example.com"), 1, "one lock email a day")
	ownBrowser.login("uma@example.com", goodPassword)
}

// TestResetEmailsCapped: however many addresses ask, an account receives at most three
// reset emails an hour, and only the newest link works.
func TestResetEmailsCapped(t *testing.T) {
	t.Parallel()
	shop := startShop(t)
	shop.browser(t).register("vic@example.com", "Vic", goodPassword)
	for i := range 6 {
		b := shop.browser(t).fromIP(fmt.Sprintf("198.18.%d.1", i+1))
		require.Equal(t, "/password/forgot?sent=1", b.post("/password/forgot", url.Values{"email": {"vic@example.com"}}).redirect(),
			"the same answer every time (request %d)", i+1)
	}
	mails := shop.emails(t, "password_reset", "vic@example.com")
	require.Len(t, mails, 3, "three emails an hour, not six")

	var links []string
	for _, m := range mails { // newest first
		found := resetLinkPattern.FindStringSubmatch(m.Text)
		require.Len(t, found, 2)
		links = append(links, found[1])
	}
	b := shop.browser(t)
	for _, older := range links[1:] {
		res := b.get(older)
		require.Equal(t, http.StatusNotFound, res.status, "an older link stops working when a new one is sent")
	}
	require.Equal(t, "/account", b.post(links[0], url.Values{"password": {otherPassword}}).redirect(), "the newest link works")
}
