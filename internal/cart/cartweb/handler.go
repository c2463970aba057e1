// Package cartweb serves the cart pages: the cart itself and the forms that add, change
// and remove lines, all plain POST-redirect-GET so they work without JavaScript. It also
// gives cmd/shop the header's cart count and the sign-in hook that merges a guest cart.
package cartweb

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/cart"
	"github.com/monoshop/monoshop/internal/platform/httpx"
	"github.com/monoshop/monoshop/internal/platform/session"
	"github.com/monoshop/monoshop/web"
)

// SessionKey is where a guest's cart token lives in the session. The token never leaves
// the server: no URL or form names a cart, so nobody can present another person's.
const SessionKey = "cart_token"

// maxPendingFlashes bounds the messages waiting for the next page. A client that posts
// to the cart again and again without viewing a page (a script, a load test, a shopper
// opening many tabs) must not grow its session with every request.
const maxPendingFlashes = 5

// Options is what the cart pages need from outside the cart module.
type Options struct {
	// AccountID returns the signed-in customer's account id, 0 for a guest. cartweb may
	// not import the users module (DESIGN.md §2 rule 4), so cmd/shop passes this in.
	AccountID func(ctx context.Context) int64
}

// Handler holds what the cart pages need.
type Handler struct {
	cart     *cart.Service
	sessions *scs.SessionManager
	render   *web.Renderer
	log      *slog.Logger
	opts     Options
}

// NewHandler returns the cart pages' handler.
func NewHandler(svc *cart.Service, sessions *scs.SessionManager, rr *web.Renderer, log *slog.Logger, opts Options) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.AccountID == nil {
		opts.AccountID = func(context.Context) int64 { return 0 }
	}
	return &Handler{cart: svc, sessions: sessions, render: rr, log: log, opts: opts}
}

// Routes mounts the storefront's cart routes.
func (h *Handler) Routes(r chi.Router) {
	r.Get("/cart", h.cartShow)
	r.Post("/cart/items", h.itemAdd)
	r.Post("/cart/lines/{id}", h.lineUpdate)
	r.Post("/cart/lines/{id}/delete", h.lineDelete)
}

// Ref is the caller's cart as their session knows it (checkout reads the same cart).
func (h *Handler) Ref(ctx context.Context) cart.Ref { return h.ref(ctx) }

// ref is the caller's cart as their session knows it: the account's when signed in,
// else the guest cart whose token the session holds.
func (h *Handler) ref(ctx context.Context) cart.Ref {
	if id := h.opts.AccountID(ctx); id != 0 {
		return cart.Ref{AccountID: id}
	}
	return cart.Ref{Token: h.sessions.GetString(ctx, SessionKey)}
}

// flash queues a message for the next page. The same text is queued once: five clicks
// on "Add to cart" before looking at a page deserve one "Added to your cart", and the
// queue keeps only the newest few.
func (h *Handler) flash(ctx context.Context, kind web.FlashKind, text string) {
	pending := session.PopFlashes(ctx, h.sessions)
	keep := make([]session.Flash, 0, len(pending))
	for _, f := range pending {
		if f.Text != text {
			keep = append(keep, f)
		}
	}
	if len(keep) >= maxPendingFlashes {
		keep = keep[len(keep)-maxPendingFlashes+1:]
	}
	for _, f := range keep {
		session.AddFlash(ctx, h.sessions, f.Kind, f.Text)
	}
	session.AddFlash(ctx, h.sessions, string(kind), text)
}

// parseForm reads a POSTed form, answering the request itself when the body cannot be
// read: over the size cap (413) or malformed (400).
func (h *Handler) parseForm(w http.ResponseWriter, r *http.Request) bool {
	err := r.ParseForm()
	switch {
	case err == nil:
		return true
	case httpx.IsTooLarge(err):
		h.render.Status(w, r, http.StatusRequestEntityTooLarge)
	default:
		h.render.Status(w, r, http.StatusBadRequest)
	}
	return false
}

// renderError renders an error page. cmd/shop does not count the cart for cart actions
// (they redirect), so the rare error page counts it here to show the right header.
func (h *Handler) renderError(w http.ResponseWriter, r *http.Request, err error) {
	c := web.ChromeFrom(r.Context())
	c.CartCount, c.CountCart = h.Count(r), nil
	h.render.Error(w, r.WithContext(web.WithChrome(r.Context(), c)), err)
}

// seeOther ends a form post (POST-redirect-GET).
func seeOther(w http.ResponseWriter, r *http.Request, target string) {
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// lineID reads the {id} of a line URL; anything but a positive number names no line.
func lineID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	return id, err == nil && id > 0
}

// parseQuantity reads a quantity field as a whole number. Anything else (text, a
// fraction, a number too large for an int) is not a quantity.
func parseQuantity(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}

// quantityProblem is the message for a quantity that is not a whole number from 1 to
// the per-line maximum: the service words its refusal the same way.
var quantityProblem = "Please enter a quantity from 1 to " + strconv.Itoa(cart.MaxLineQuantity) + "."

// productURL is the page of a variant, where the add-to-cart form was.
// addedParam marks the page an add redirected to, so it can say "Added to your cart".
const addedParam = "added"

func withAdded(target string) string {
	if strings.Contains(target, "?") {
		return target + "&" + addedParam + "=1"
	}
	return target + "?" + addedParam + "=1"
}

// AddedMessage is the confirmation to show on the page an add redirected to. The page
// chrome calls it on every GET; it is a message carried by the URL, not by the session.
func AddedMessage(r *http.Request) (web.FlashMessage, bool) {
	if r.Method != http.MethodGet || r.URL.Query().Get(addedParam) != "1" {
		return web.FlashMessage{}, false
	}
	return web.FlashMessage{Kind: web.FlashSuccess, Text: "Added to your cart."}, true
}

func productURL(slug string, variant int64) string {
	return "/p/" + url.PathEscape(slug) + "?variant=" + strconv.FormatInt(variant, 10)
}

// back is the page a failed add returns to: the page the form was on when the browser
// says so and it is on this site, else the cart. Anything a browser could read as
// another site ("//evil", "/\evil") is not followed.
func back(r *http.Request) string {
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host || !strings.HasPrefix(ref.Path, "/") || strings.HasPrefix(ref.Path, "//") ||
		strings.ContainsAny(ref.Path, "\\\r\n") {
		return "/cart"
	}
	return ref.RequestURI()
}
