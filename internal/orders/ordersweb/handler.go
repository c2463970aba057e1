// Package ordersweb serves the orders module's pages: checkout, the order pages shoppers
// see (confirmation, guest link, account history, invoice), and the back office's orders,
// discount codes, shipping and tax settings.
package ordersweb

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/monoshop/monoshop/internal/cart"
	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
)

// Deps is what the order pages need. The services are the modules orders may import;
// the functions reach into other modules' web layers (who is signed in, the session's
// cart, flashes), which ordersweb may not import (DESIGN.md §2 rule 1).
type Deps struct {
	Orders   *orders.Service
	Cart     *cart.Service
	Catalog  *catalog.Service
	Users    *users.Service
	Payments *payments.Service
	Renderer *web.Renderer
	Log      *slog.Logger
	// BaseURL is the shop's public address, for links that leave the site (payment
	// provider return URLs, email links).
	BaseURL string

	// Account returns the signed-in account, if any.
	Account func(ctx context.Context) (users.Account, bool)
	// CartRef returns the caller's cart as their session knows it.
	CartRef func(ctx context.Context) cart.Ref
	// Actor is the staff member acting, for the audit log and the order timeline.
	Actor func(r *http.Request) audit.Actor
	// Flash queues a one-time message for the next page.
	Flash func(r *http.Request, kind, text string)
	// Can reports whether the signed-in staff member holds a permission (to show or hide
	// buttons; the routes themselves are guarded by cmd/shop).
	Can func(r *http.Request, p users.Permission) bool
	// CheckoutSecret returns a random secret kept in the caller's session (made on first
	// use). Checkout keys are signed with it, so a key only works in the session whose
	// checkout page made it (checkout_key.go).
	CheckoutSecret func(ctx context.Context) []byte
}

// Handler holds the order pages' dependencies.
type Handler struct {
	d Deps
}

// NewHandler returns the order pages' handler.
func NewHandler(d Deps) *Handler {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Account == nil {
		d.Account = func(context.Context) (users.Account, bool) { return users.Account{}, false }
	}
	if d.Flash == nil {
		d.Flash = func(*http.Request, string, string) {}
	}
	if d.Can == nil {
		d.Can = func(*http.Request, users.Permission) bool { return false }
	}
	if d.Actor == nil {
		d.Actor = func(*http.Request) audit.Actor { return audit.Actor{} }
	}
	return &Handler{d: d}
}
