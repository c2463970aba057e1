package usersweb_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

const msgBadResetLink = "This password reset link is invalid or has expired. Request a new one."

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	shop := startShop(t)

	// requestReset submits the forgot form and returns the confirmation page.
	requestReset := func(t *testing.T, b *shopper, email string) response {
		t.Helper()
		require.Equal(t, "/password/forgot?sent=1", b.post("/password/forgot", url.Values{"email": {email}}).redirect())
		res := b.get("/password/forgot?sent=1")
		require.Equal(t, http.StatusOK, res.status)
		return res
	}
	requireInvalidLink := func(t *testing.T, res response) {
		t.Helper()
		require.Equal(t, http.StatusNotFound, res.status)
		p := res.page()
		p.one("reset-invalid")
		require.Equal(t, msgBadResetLink, p.one("reset-invalid-message").text())
		require.Equal(t, "/password/forgot", p.one("reset-request-new").attr("href"))
		require.False(t, p.has("reset-form"))
	}

	t.Run("OKJourney", func(t *testing.T) {
		t.Parallel()
		shop.browser(t).register("gus@example.com", "Gus", goodPassword)
		otherDevice := shop.browser(t)
		otherDevice.login("gus@example.com", goodPassword)

		b := shop.browser(t)
		require.Equal(t, http.StatusOK, b.get("/password/forgot").status)
		known := requestReset(t, b, "gus@example.com")
		unknown := requestReset(t, b, "nobody-gus@example.com")
		known.page().one("forgot-sent")
		require.Equal(t, known.body, unknown.body, "the answer does not tell whether the email has an account")
		require.Empty(t, shop.emails(t, "", "nobody-gus@example.com"), "an unknown address is sent nothing")
		require.Len(t, shop.emails(t, "password_reset", "gus@example.com"), 1)

		link := shop.resetPath(t, "gus@example.com")
		form := b.get(link)
		require.Equal(t, http.StatusOK, form.status)
		require.Equal(t, "no-referrer", form.header.Get("Referrer-Policy"), "the token must not leak in a Referer")
		require.Equal(t, link, form.page().one("reset-form").attr("action"))
		require.Equal(t, http.StatusOK, b.get(link).status, "looking at the form does not use the link")

		weak := b.post(link, url.Values{"password": {"password123"}})
		require.Equal(t, http.StatusUnprocessableEntity, weak.status)
		wf := weak.page().one("reset-form")
		require.Equal(t, "This password is too common. Choose one that is harder to guess.", wf.fieldError("password"))
		wf.requireNoPasswordEchoed()

		require.Equal(t, "/account", b.post(link, url.Values{"password": {otherPassword}}).redirect(), "a refused password does not use the link")
		acc := b.get("/account")
		require.Equal(t, http.StatusOK, acc.status, "the reset signs this browser in")
		require.Contains(t, acc.page().flashes()[0], "Your new password is saved")
		require.False(t, otherDevice.signedIn(), "every other session of the account ended")

		res := shop.browser(t).post("/login", url.Values{"email": {"gus@example.com"}, "password": {goodPassword}})
		require.Equal(t, http.StatusUnprocessableEntity, res.status, "the old password no longer works")
		shop.browser(t).login("gus@example.com", otherPassword)

		// The link works once.
		requireInvalidLink(t, b.get(link))
		requireInvalidLink(t, shop.browser(t).post(link, url.Values{"password": {"Third-Password-99"}}))
		shop.browser(t).login("gus@example.com", otherPassword)
	})

	t.Run("ErrExpiredLink", func(t *testing.T) {
		t.Parallel()
		shop.browser(t).register("hal@example.com", "Hal", goodPassword)
		b := shop.browser(t)
		requestReset(t, b, "hal@example.com")
		link := shop.resetPath(t, "hal@example.com")
		_, err := shop.pool.Exec(t.Context(), `UPDATE users.password_resets SET expires_at = now() - interval '1 second'
			WHERE account_id = (SELECT id FROM users.accounts WHERE email_key = 'hal@example.com')`)
		require.NoError(t, err)
		requireInvalidLink(t, b.get(link))
		requireInvalidLink(t, b.post(link, url.Values{"password": {otherPassword}}))
		shop.browser(t).login("hal@example.com", goodPassword)
	})

	t.Run("ErrOlderLinkAfterReset", func(t *testing.T) {
		t.Parallel()
		shop.browser(t).register("ida@example.com", "Ida", goodPassword)
		b := shop.browser(t)
		requestReset(t, b, "ida@example.com")
		first := shop.resetPath(t, "ida@example.com")
		requestReset(t, b, "ida@example.com")
		second := shop.resetPath(t, "ida@example.com")
		require.NotEqual(t, first, second)
		require.Equal(t, "/account", b.post(second, url.Values{"password": {otherPassword}}).redirect())
		requireInvalidLink(t, shop.browser(t).get(first))
	})

	t.Run("ErrUnknownToken", func(t *testing.T) {
		t.Parallel()
		b := shop.browser(t)
		requireInvalidLink(t, b.get("/password/reset/not-a-real-token"))
		requireInvalidLink(t, b.post("/password/reset/not-a-real-token", url.Values{"password": {otherPassword}}))
	})

	t.Run("ErrMalformedEmail", func(t *testing.T) {
		t.Parallel()
		b := shop.browser(t)
		for email, msg := range map[string]string{
			"":             "Enter your email address.",
			"no-at-sign":   "Enter a valid email address, like name@example.com.",
			"bad\xff@x.io": "Enter a valid email address, like name@example.com.",
		} {
			res := b.post("/password/forgot", url.Values{"email": {email}})
			require.Equal(t, http.StatusUnprocessableEntity, res.status, "email %q", email)
			require.Equal(t, msg, res.page().one("forgot-form").fieldError("email"), "email %q", email)
		}
	})
}
