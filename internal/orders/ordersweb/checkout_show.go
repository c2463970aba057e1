package ordersweb

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
)

// checkoutShow is the checkout form, first filled in from what the shop knows: the
// customer's email and default address, else the first country the shop ships to. Its
// idempotency key is made here and travels with the form from then on.
func (h *Handler) checkoutShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := h.loadCart(ctx, h.d.CartRef(ctx), true)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	if !h.checkoutable(w, r, c) {
		return
	}
	acc, signedIn := h.d.Account(ctx)
	book, err := h.savedAddresses(ctx, acc, signedIn)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	f := checkoutForm{Action: actionUpdate, BillingSame: true, Key: newCheckoutKey(h.d.CheckoutSecret(r.Context()))}
	if signedIn {
		f.Email = acc.Email
		f.ShipAddressID = newAddressChoice
	}
	settings, err := h.d.Orders.PricingSettings(ctx)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	if len(book) > 0 {
		// The book lists the default shipping address first.
		f.Ship = book[0]
		f.ShipAddressID = strconv.FormatInt(book[0].ID, 10)
	} else if len(settings.Zones) > 0 && len(settings.Zones[0].Countries) > 0 {
		f.Ship.Country = settings.Zones[0].Countries[0]
	}
	f.AppliedAddressID = f.ShipAddressID
	f.Bill.Country = f.Ship.Country
	q, err := h.quote(ctx, f, c, acc, signedIn, &settings)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	// A first look at the page is not a submission: only the shop's own problem (it does
	// not ship to the country it picked) is worth saying now.
	p := formProblem{Fields: map[string]string{}}
	if msg := q.Fields[orders.FieldShipCountry]; msg != "" {
		p.Fields[orders.FieldShipCountry] = msg
	}
	h.shopperPage(w, withCartCount(r, c), http.StatusOK, checkoutPage(newCheckoutView(f, c, q, book, signedIn, p)))
}

// checkoutable sends the shopper back to the cart when there is nothing to check out, or
// when some line cannot be bought (placing the order empties the whole cart, so such a
// line would be lost). It reports whether checkout may go on.
func (h *Handler) checkoutable(w http.ResponseWriter, r *http.Request, c checkoutCart) bool {
	switch {
	case c.blocked():
		for _, msg := range c.blockedMessages() {
			h.d.Flash(r, flashError, msg)
		}
	case len(c.Lines) == 0:
		h.d.Flash(r, flashInfo, msgCartEmpty)
	default:
		return true
	}
	web.SeeOther(w, r, "/cart")
	return false
}

// quote prices the form as it stands. An unknown method id falls back to the first
// offered one only when the form is being updated: placing an order with a method not
// offered for the destination is refused.
func (h *Handler) quote(ctx context.Context, f checkoutForm, c checkoutCart, acc users.Account, signedIn bool, settings *orders.PricingSettings) (orders.Quote, error) {
	in := orders.QuoteInput{Settings: settings,
		Lines: c.Lines, Destination: f.destination(), MethodID: f.MethodID,
		FallbackToFirst: f.Action != actionPlace, DiscountCode: f.DiscountCode, Email: strings.TrimSpace(f.Email),
	}
	if signedIn {
		id := int64(acc.ID)
		in.AccountID = &id
	}
	return h.d.Orders.Quote(ctx, in)
}
