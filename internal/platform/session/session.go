// Package session keeps shopper sessions (sign-in, guest cart) in Postgres with scs, so
// any replica can serve any request and a restart signs nobody out.
package session

import (
	"net/http"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgxpool"
)

// CookieName is the session cookie's name.
const CookieName = "monoshop_session"

// New returns a session manager storing sessions in public.sessions. Cookies are HttpOnly
// and SameSite=Lax (with the standard library's cross-origin check, the CSRF defence),
// Secure when the shop runs behind HTTPS in production.
func New(pool *pgxpool.Pool, secure bool) *scs.SessionManager {
	m := scs.New()
	// Expired rows are deleted by a periodic job (jobs.RegisterSessionCleanup) once per
	// cluster, not by a ticker in every replica.
	m.Store = pgxstore.NewWithCleanupInterval(pool, 0)
	m.Codec = codec{}
	m.Lifetime = 30 * 24 * time.Hour
	// No idle timeout: scs implements it by rewriting the session on every request that
	// carries one, which turned each page view of a shopper with a cart into a database
	// write. Sessions end after Lifetime, at sign-out, and everywhere at once when the
	// account's session version moves (password reset, role change, disabling).
	m.Cookie.Name = CookieName
	m.Cookie.HttpOnly = true
	m.Cookie.SameSite = http.SameSiteLaxMode
	m.Cookie.Secure = secure
	m.Cookie.Persist = true
	m.Cookie.Path = "/"
	return m
}

// renewAfter is how often a shopper's session deadline moves: once a day at most, so a
// shopper who keeps visiting stays signed in (and keeps their cart) while a browsing
// session costs one write a day, not one per page.
const renewAfter = 24 * time.Hour

// RenewOnUse moves a session's end to a full Lifetime from now when it was last set more
// than a day ago: 30 days counted from the last visit, not from the first. It must run
// inside sm.LoadAndSave; now is the clock (time.Now but in tests). Sessions that were never saved (a visitor with nothing in
// theirs) are left alone so that reading a page creates no row.
func RenewOnUse(sm *scs.SessionManager, now func() time.Time) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			if sm.Token(ctx) != "" {
				if want := now().Add(sm.Lifetime); want.Sub(sm.Deadline(ctx)) > renewAfter {
					sm.SetDeadline(ctx, want)
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}
