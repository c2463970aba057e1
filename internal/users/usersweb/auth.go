// Package usersweb serves the account pages (register, sign in, password reset, profile,
// address book, privacy) and the back-office pages for staff and customers. It also
// provides the middleware that knows who is signed in and guards the back office.
package usersweb

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/alexedwards/scs/v2"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/httpx"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
)

// Session keys. The session stores who is signed in and the account's session version at
// sign-in; a version bump (password reset, role change, deletion) ends the session.
const (
	sessionAccountKey = "account_id"
	sessionVersionKey = "account_session_version"
)

type accountKey struct{}

// Auth knows who is signed in.
type Auth struct {
	users    *users.Service
	sessions *scs.SessionManager
	render   *web.Renderer
	log      *slog.Logger
	onSignIn []func(ctx context.Context, acc users.Account) error
}

// NewAuth returns the sign-in middleware and helpers.
func NewAuth(svc *users.Service, sessions *scs.SessionManager, render *web.Renderer, log *slog.Logger) *Auth {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Auth{users: svc, sessions: sessions, render: render, log: log}
}

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
			a.sessions.Remove(ctx, sessionAccountKey)
			a.sessions.Remove(ctx, sessionVersionKey)
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, accountKey{}, acc)))
	})
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
	a.sessions.Remove(ctx, sessionAccountKey)
	a.sessions.Remove(ctx, sessionVersionKey)
	return a.sessions.RenewToken(ctx)
}

// RequireSignIn sends signed-out visitors to the sign-in page, remembering where they were
// going.
func (a *Auth) RequireSignIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := CurrentAccount(r.Context()); !ok {
			http.Redirect(w, r, "/login?next="+safeNext(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// RequirePermission guards back-office routes: signed-out visitors go to sign in,
// shoppers and staff without the permission get 403.
func (a *Auth) RequirePermission(p users.Permission) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			acc, ok := CurrentAccount(r.Context())
			if !ok {
				http.Redirect(w, r, "/login?next="+safeNext(r.URL.RequestURI()), http.StatusSeeOther)
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
			http.Redirect(w, r, "/login?next="+safeNext(r.URL.RequestURI()), http.StatusSeeOther)
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
