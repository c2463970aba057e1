package usersweb_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/platform/session"
	"github.com/monoshop/monoshop/internal/users"
)

// A back-office session left open on a shared computer must not open the back office
// for a month: staff are signed out after 2 hours unused and 12 hours after sign-in,
// and told why on the sign-in page. Shoppers stay signed in for 30 days from their last
// visit, renewed at most once a day.
func TestSessionLifetimes(t *testing.T) {
	staffBrowser := func(t *testing.T, s *testShop, email string) *shopper {
		t.Helper()
		_, err := s.users.CreateStaff(t.Context(), users.Actor{}, users.RoleOwner,
			users.RegisterInput{Email: email, Name: "Staff " + email, Password: goodPassword}, users.RoleAdmin)
		require.NoError(t, err)
		b := s.browser(t)
		res := b.post("/login", url.Values{"email": {email}, "password": {goodPassword}})
		require.Equal(t, http.StatusSeeOther, res.status, "staff sign-in: %.500s", res.body)
		require.True(t, b.signedIn())
		return b
	}
	// signedOutBecause requires the next account page to send the browser to sign in,
	// and the sign-in page to say why.
	signedOutBecause := func(t *testing.T, b *shopper, why string) {
		t.Helper()
		b.get("/account").requireSignInRedirect("/account")
		page := b.get("/login")
		require.Equal(t, http.StatusOK, page.status)
		require.Contains(t, page.body, why)
		require.False(t, b.signedIn(), "still signed out on the next page")
	}

	t.Run("OKStaffIdleTwoHoursSignedOut", func(t *testing.T) {
		s := startShop(t)
		b := staffBrowser(t, s, "idle@shop.test")
		// Use keeps the session: three gaps just under the limit add up to far more.
		for range 3 {
			s.clock.advance(time.Hour + 59*time.Minute)
			require.True(t, b.signedIn(), "used within 2 hours")
		}
		s.clock.advance(2*time.Hour + time.Minute)
		signedOutBecause(t, b, "You were signed out after 2 hours without activity")
		// Signing in again works at once.
		res := b.post("/login", url.Values{"email": {"idle@shop.test"}, "password": {goodPassword}})
		require.Equal(t, http.StatusSeeOther, res.status)
		require.True(t, b.signedIn())
	})

	t.Run("OKStaffSignedOutTwelveHoursAfterSignIn", func(t *testing.T) {
		s := startShop(t)
		b := staffBrowser(t, s, "longday@shop.test")
		for range 11 {
			s.clock.advance(time.Hour)
			require.True(t, b.signedIn(), "busy all day, under 12 hours")
		}
		s.clock.advance(time.Hour)
		signedOutBecause(t, b, "back-office sessions last 12 hours")
	})

	t.Run("OKShopperStaysSignedInThirtyDaysFromLastVisit", func(t *testing.T) {
		s := startShop(t)
		b := s.browser(t)
		b.register("regular@shop.test", "Regular Shopper", goodPassword)
		require.True(t, b.signedIn()) // shows, and so forgets, the welcome message
		expiry := func() time.Time {
			t.Helper()
			var at time.Time
			require.NoError(t, s.pool.QueryRow(t.Context(),
				"SELECT expiry FROM public.sessions WHERE token = $1", b.cookie()).Scan(&at))
			return at
		}
		first := expiry()
		require.WithinDuration(t, s.clock.now().Add(30*24*time.Hour), first, time.Minute)

		// A shopper idle for three hours is still signed in (only staff are timed out).
		s.clock.advance(3 * time.Hour)
		res := b.get("/account")
		require.Equal(t, http.StatusOK, res.status)
		require.Empty(t, res.header.Values("Set-Cookie"), "a visit within a day of the last renewal writes nothing")
		require.Equal(t, first, expiry())

		// Visiting every 20 days keeps them signed in past the first 30.
		for range 3 {
			s.clock.advance(20 * 24 * time.Hour)
			res := b.get("/account")
			require.Equal(t, http.StatusOK, res.status)
			require.WithinDuration(t, s.clock.now().Add(30*24*time.Hour), expiry(), time.Minute, "renewed on use")
			cookie := cookieNamed(res.header, session.CookieName)
			require.NotNil(t, cookie, "the browser's cookie lasts as long as the session")
			require.WithinDuration(t, s.clock.now().Add(30*24*time.Hour), cookie.Expires, time.Minute)
		}
	})
}

func cookieNamed(h http.Header, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}
