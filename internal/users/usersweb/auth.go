// Package usersweb serves the account pages (register, sign in, password reset, profile,
// address book, privacy) and the back-office pages for staff and customers. It also
// provides the middleware that knows who is signed in and guards the back office.
package usersweb

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/httpx"
	"github.com/monoshop/monoshop/internal/platform/session"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
)

// Session keys. The session stores who is signed in and the account's session version at
// sign-in; a version bump (password reset, role change, deletion) ends the session.
const (
	sessionAccountKey  = "account_id"
	sessionVersionKey  = "account_session_version"
	sessionSignedInKey = "signed_in_at"
	sessionSeenKey     = "seen_at"
)

// StaffSessionLimits bound a back-office session: a staff member's browser left signed in
// on a shared or stolen computer opens the back office for at most Idle after its last
// use and Lifetime after sign-in, whatever the session cookie says. Shoppers' sessions
// are not bound this way: their 30 days renew on use (session.RenewOnUse).
type StaffSessionLimits struct {
	Idle     time.Duration
	Lifetime time.Duration
}

// The default staff session limits: a working day without a break of more than two
// hours.
const (
	DefaultStaffIdle     = 2 * time.Hour
	DefaultStaffLifetime = 12 * time.Hour
)

// seenGranularity is how stale the recorded last use of a staff session may get before a
// request rewrites it: the idle limit is kept to within a minute for one session write a
// minute, not one per back-office click.
const seenGranularity = time.Minute

type accountKey struct{}

// Auth knows who is signed in.
type Auth struct {
	users    *users.Service
	sessions *scs.SessionManager
	render   *web.Renderer
	log      *slog.Logger
	staff    StaffSessionLimits
	now      func() time.Time
	onSignIn []func(ctx context.Context, acc users.Account) error
}

// NewAuth returns the sign-in middleware and helpers, with the default staff session
// limits.
func NewAuth(svc *users.Service, sessions *scs.SessionManager, render *web.Renderer, log *slog.Logger) *Auth {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Auth{users: svc, sessions: sessions, render: render, log: log,
		staff: StaffSessionLimits{Idle: DefaultStaffIdle, Lifetime: DefaultStaffLifetime}, now: time.Now}
}

// LimitStaffSessions sets how long a back-office session lasts idle and in all; a zero
// limit keeps its default.
func (a *Auth) LimitStaffSessions(l StaffSessionLimits) {
	if l.Idle > 0 {
		a.staff.Idle = l.Idle
	}
	if l.Lifetime > 0 {
		a.staff.Lifetime = l.Lifetime
	}
}

// UseClock replaces the clock the staff session limits are measured with (tests move
// it forward instead of waiting hours).
func (a *Auth) UseClock(now func() time.Time) { a.now = now }

// Load puts the signed-in account, if any, in the request context. A session whose
// account is gone, disabled or whose version is stale is treated as signed out and its
// sign-in data dropped.
func (a *Auth) Load(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id := a.sessions.GetInt64(ctx, sessionAccountKey)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		acc, err := a.users.FindAccount(ctx, users.AccountID(id))
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			a.render.Error(w, r, err)
			return
		}
		if err != nil || acc.Disabled || acc.SessionVersion != a.sessions.GetInt(ctx, sessionVersionKey) {
			a.forget(ctx)
			next.ServeHTTP(w, r)
			return
		}
		if acc.IsStaff() {
			if why := a.staffSessionOver(ctx); why != "" {
				a.forget(ctx)
				session.AddFlash(ctx, a.sessions, string(web.FlashInfo), why)
				next.ServeHTTP(w, r)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, accountKey{}, acc)))
	})
}

// staffSessionOver says why a staff member's session has ended ("" while it lasts) and
// records this request as its last use.
func (a *Auth) staffSessionOver(ctx context.Context) string {
	now := a.now()
	signedIn := time.Unix(a.sessions.GetInt64(ctx, sessionSignedInKey), 0)
	seen := time.Unix(a.sessions.GetInt64(ctx, sessionSeenKey), 0)
	switch {
	// A session from before sign-in times were recorded has neither: it ends too.
	case now.Sub(signedIn) >= a.staff.Lifetime:
		return "You were signed out because back-office sessions last " + hours(a.staff.Lifetime) + ". Please sign in again."
	case now.Sub(seen) >= a.staff.Idle:
		return "You were signed out after " + hours(a.staff.Idle) + " without activity. Please sign in again."
	}
	if now.Sub(seen) >= seenGranularity {
		a.sessions.Put(ctx, sessionSeenKey, now.Unix())
	}
	return ""
}

// hours writes a session limit the way the sign-in page says it: "2 hours", "90 minutes".
func hours(d time.Duration) string {
	switch {
	case d == time.Hour:
		return "1 hour"
	case d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + " hours"
	case d >= time.Minute:
		return strconv.Itoa(int(d/time.Minute)) + " minutes"
	}
	return d.String()
}

func (a *Auth) forget(ctx context.Context) {
	for _, k := range []string{sessionAccountKey, sessionVersionKey, sessionSignedInKey, sessionSeenKey} {
		a.sessions.Remove(ctx, k)
	}
}

// CurrentAccount returns the signed-in account.
func CurrentAccount(ctx context.Context) (users.Account, bool) {
	acc, ok := ctx.Value(accountKey{}).(users.Account)
	return acc, ok
}

// OnSignIn registers f to run at every sign-in, after the session is renewed and holds
// the account: other modules act on it without usersweb knowing them (the cart merges
// the guest cart). cmd/shop registers hooks at start-up, before serving.
func (a *Auth) OnSignIn(f func(ctx context.Context, acc users.Account) error) {
	a.onSignIn = append(a.onSignIn, f)
}

// SignIn starts a signed-in session. The session token is renewed first, so a token
// planted before sign-in (session fixation) is worthless after it.
func (a *Auth) SignIn(ctx context.Context, acc users.Account) error {
	if err := a.sessions.RenewToken(ctx); err != nil {
		return err
	}
	a.sessions.Put(ctx, sessionAccountKey, int64(acc.ID))
	a.sessions.Put(ctx, sessionVersionKey, acc.SessionVersion)
	now := a.now().Unix()
	a.sessions.Put(ctx, sessionSignedInKey, now)
	a.sessions.Put(ctx, sessionSeenKey, now)
	for _, f := range a.onSignIn {
		if err := f(ctx, acc); err != nil {
			return err
		}
	}
	return nil
}

// SignOut ends the signed-in session and renews the token; other session data (a guest
// cart) is kept.
func (a *Auth) SignOut(ctx context.Context) error {
	a.forget(ctx)
	return a.sessions.RenewToken(ctx)
}

// RequireSignIn sends signed-out visitors to the sign-in page, remembering where they were
// going.
func (a *Auth) RequireSignIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := CurrentAccount(r.Context()); !ok {
			a.toSignIn(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// toSignIn sends a signed-out visitor to the sign-in page, remembering where they were
// going. The messages the header took for this page (such as why a session ended) are
// kept for the sign-in page, since this one is never shown.
func (a *Auth) toSignIn(w http.ResponseWriter, r *http.Request) {
	for _, f := range web.ChromeFrom(r.Context()).Flashes {
		session.AddFlash(r.Context(), a.sessions, string(f.Kind), f.Text)
	}
	http.Redirect(w, r, "/login?next="+safeNext(r.URL.RequestURI()), http.StatusSeeOther)
}

// RequirePermission guards back-office routes: signed-out visitors go to sign in,
// shoppers and staff without the permission get 403.
func (a *Auth) RequirePermission(p users.Permission) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			acc, ok := CurrentAccount(r.Context())
			if !ok {
				a.toSignIn(w, r)
				return
			}
			if !acc.Can(p) {
				a.log.WarnContext(r.Context(), "back-office access refused", "account_id", acc.ID,
					"permission", p, "path", r.URL.Path, "request_id", httpx.RequestIDFrom(r.Context()))
				a.render.Error(w, r, apperr.New(apperr.Forbidden, "You do not have permission to open this page."))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// RequireStaff guards the whole back office: signed-out visitors go to sign in, shoppers
// get 403 on every /admin URL, whether or not it exists. Each route then checks its own
// permission.
func (a *Auth) RequireStaff(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		acc, ok := CurrentAccount(r.Context())
		if !ok {
			a.toSignIn(w, r)
			return
		}
		if !acc.IsStaff() {
			a.render.Error(w, r, apperr.New(apperr.Forbidden, "This area is for shop staff."))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Actor describes the signed-in staff member for the audit log.
func Actor(r *http.Request) users.Actor {
	acc, _ := CurrentAccount(r.Context())
	a := users.Actor{ID: int64(acc.ID), Email: acc.Email}
	if ip := httpx.ClientIP(r.Context()); ip.IsValid() {
		a.IP = ip.String()
	}
	return a
}
