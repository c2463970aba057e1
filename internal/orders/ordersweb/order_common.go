package ordersweb

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/a-h/templ"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
)

// Flash kinds, as web names them.
const (
	flashSuccess = string(web.FlashSuccess)
	flashInfo    = string(web.FlashInfo)
	flashError   = string(web.FlashError)
)

// orderTokenLen is the length of an order's token (32 random bytes, base64url).
const orderTokenLen = 43

// shopperPage renders a page of the shopper's own: checkout and order pages show
// addresses and one-time messages, so no shared cache or back button may keep a copy.
func (h *Handler) shopperPage(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	w.Header().Set("Cache-Control", "no-store")
	h.d.Renderer.Page(w, r, status, c)
}

// validOrderToken reports whether s can be an order token at all. Anything else is
// answered 404 without a query, exactly like a token that names no order.
func validOrderToken(s string) bool {
	return len(s) == orderTokenLen && validOrderTokenChars(s)
}

// validOrderTokenChars reports whether s holds only base64url characters.
func validOrderTokenChars(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// orderPath is an order's guest page: anyone with the link sees the order.
func orderPath(token string) string { return "/orders/" + token }

// signedIn returns the signed-in customer, or sends the visitor to sign in and back here.
func (h *Handler) signedIn(w http.ResponseWriter, r *http.Request) (users.Account, bool) {
	acc, ok := h.d.Account(r.Context())
	if !ok {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	}
	return acc, ok
}

// paymentReturnURL is an absolute address on this shop for the payment provider to send
// the shopper back to. The built-in test gateway's page is on this site, so a path is
// enough and brings the shopper back to the host they came from, whatever SHOP_BASE_URL
// says (a dev server on another port, a test server on a random one).
func (h *Handler) paymentReturnURL(provider, path string) string {
	if provider == payments.ProviderTest || h.d.BaseURL == "" {
		return path
	}
	return strings.TrimSuffix(h.d.BaseURL, "/") + path
}

// beginPayment sends the shopper to pay for an order: to the provider's hosted page, or
// to the order page when there is nothing to pay, the payment is manual, or it cannot be
// begun (already decided, or the provider is down: the order page offers "Pay now").
func (h *Handler) beginPayment(w http.ResponseWriter, r *http.Request, o orders.Order, paymentID int64) {
	ctx := r.Context()
	if paymentID == 0 {
		h.d.Flash(r, flashSuccess, "Thank you! Your order "+orderNumber(o.Number)+" is placed.")
		web.SeeOther(w, r, orderPath(o.Token))
		return
	}
	// A freshly placed order knows its payment's provider; otherwise ask.
	provider := o.PaymentProvider
	if provider == "" {
		provider = h.d.Payments.DefaultProvider()
		if p, err := h.d.Payments.FindPayment(ctx, payments.PaymentID(paymentID)); err == nil {
			provider = p.Provider
		}
	}
	returnURL, cancelURL := h.paymentReturnURL(provider, "/checkout/return/"+o.Token), h.paymentReturnURL(provider, orderPath(o.Token))
	var target string
	var err error
	if o.Payment != nil && int64(o.Payment.ID) == paymentID {
		target, err = h.d.Payments.BeginCreated(ctx, *o.Payment, returnURL, cancelURL)
	} else {
		target, err = h.d.Payments.Begin(ctx, payments.PaymentID(paymentID), returnURL, cancelURL)
	}
	switch {
	case err != nil && web.FormRefusal(err):
		// Decided already (a resubmitted form after paying): the order page says how.
	case err != nil:
		h.d.Log.WarnContext(ctx, "orders: payment could not be begun", "order", o.Number, "payment_id", paymentID, "err", err)
		h.d.Flash(r, flashError, "We could not reach the payment provider. Your order is saved: please try paying again in a moment.")
	case target == "":
		h.d.Flash(r, flashSuccess, "Thank you! Your order "+orderNumber(o.Number)+" is placed. We will confirm it when we receive your payment.")
	default:
		web.SeeOther(w, r, target)
		return
	}
	web.SeeOther(w, r, orderPath(o.Token))
}
