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
