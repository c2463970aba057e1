package ordersweb

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/httpx"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
)

// checkoutLimit bounds order placements per client IP: generous for an office or a
// family behind one address, tight enough that a script cannot tie up stock with
// thousands of unpaid orders.
var checkoutLimit = users.Limit{Max: 30, Window: time.Minute}

// checkoutSubmit takes the checkout form. "Update" re-renders it priced for what was
// typed; "Place order" validates every field, places the order from the live cart (never
// from prices or quantities in the form) and sends the shopper to pay. A failed
// submission re-renders the form with everything typed and a message on each field.
func (h *Handler) checkoutSubmit(w http.ResponseWriter, r *http.Request) {
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	ctx := r.Context()
	f := readCheckoutForm(r)
	// "Update" shows the cart as the form does; "place" leaves stock to the reservation.
	c, err := h.loadCart(ctx, h.d.CartRef(ctx), f.Action != actionPlace)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	// Only a key this session's checkout page made may lead to an order (checkout_key.go).
	secret := h.d.CheckoutSecret(ctx)
	key := checkoutKeyOf(secret, f.Key)
	// The same submission again (a double click, reload, back button, a retry after a
	// timeout) leads where the first one did. Its cart is spent by then, or holds
	// something else: only then is the order looked for. A cart still as the form saw it
	// goes on to PlaceOrder, whose idempotency key answers with the first order, so the
	// common case (a first submission) costs no lookup.
	if f.Action == actionPlace && key == keyOK && (len(c.Lines) == 0 || f.Fingerprint != c.Fingerprint) && h.resumePlaced(w, r, f.Key) {
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
	p := formProblem{Fields: map[string]string{}}
	if msg := applySavedAddress(&f, book); msg != "" {
		p.Fields["ship_address_id"] = msg
	}
	foreign := false
	if key != keyOK {
		// Not a key this session's checkout page made: the form is shown again with a
		// key of its own and what was typed, and nothing of any order the key names.
		f.Key = newCheckoutKey(secret)
		if f.Action == actionPlace {
			p.Message = msgFormExpired
			if key == keyForeign {
				p.Message, foreign = msgFormForeign, true
			}
		}
	}
	q, err := h.quote(ctx, f, c, acc, signedIn, nil)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	for k, v := range q.Fields {
		p.Fields[k] = v
	}
	render := func(status int, p formProblem) {
		if p.Message == "" && len(p.Fields) > 0 {
			p.Message = msgCorrectFields
		}
		h.shopperPage(w, withCartCount(r, c), status, checkoutPage(newCheckoutView(f, c, q, book, signedIn, p)))
	}

	if f.Action == actionUpdate {
		status := http.StatusOK
		if len(p.Fields) > 0 {
			status = http.StatusUnprocessableEntity
		}
		render(status, p)
		return
	}

	if f.MethodID == 0 && len(q.Methods) > 0 {
		p.Fields[orders.FieldShippingMethod] = "Choose a shipping method."
	}
	for k, v := range f.problems() {
		p.Fields[k] = v
	}
	if foreign {
		render(http.StatusConflict, p)
		return
	}
	if f.Fingerprint != c.Fingerprint {
		// The summary the shopper saw is not what they would buy: show them the new one.
		p.Message = msgCartChanged
		render(http.StatusConflict, p)
		return
	}
	if len(p.Fields) > 0 || p.Message != "" {
		render(http.StatusUnprocessableEntity, p)
		return
	}
	if err := h.d.Users.Allow(ctx, "checkout:"+httpx.ClientKey(ctx), checkoutLimit); err != nil {
		if !apperr.Is(err, apperr.TooMany) {
			h.d.Renderer.Error(w, r, err)
			return
		}
		render(http.StatusTooManyRequests, problemOf(err))
		return
	}

	o, err := h.d.Orders.PlaceOrder(ctx, h.placeInput(ctx, f, c, q))
	var short *inventory.InsufficientStock
	switch {
	case errors.As(err, &short):
		// Nothing was placed and the cart is as it was; the cart page shows what is left.
		h.d.Flash(r, flashError, apperr.MessageOf(err))
		web.SeeOther(w, r, "/cart")
		return
	case err != nil && web.FormRefusal(err):
		render(web.FormStatus(err), problemOf(err))
		return
	case err != nil:
		h.d.Renderer.Error(w, r, err)
		return
	}
	h.beginPayment(w, r, o, o.PaymentID)
}

// placeInput is the order to place: lines and prices from the live cart, the shipping
// method and tax settings the quote found, addresses as typed.
func (h *Handler) placeInput(ctx context.Context, f checkoutForm, c checkoutCart, q orders.Quote) orders.PlaceOrderInput {
	in := orders.PlaceOrderInput{
		IdempotencyKey:  f.Key,
		Lines:           c.Lines,
		Options:         c.Options,
		Email:           strings.TrimSpace(f.Email),
		Shipping:        f.destination(),
		ShippingAddress: addressDetails(f.Ship),
		BillingAddress:  addressDetails(f.Ship),
		DiscountCode:    q.DiscountCode,
		Rates:           q.Settings.Rates,
		Mode:            q.Settings.Mode,
		Actor:           "guest",
		Cart:            h.d.CartRef(ctx),
		Client:          httpx.ClientKey(ctx),
	}
	if q.Method != nil {
		in.Method = q.Method.Method
	}
	if !f.BillingSame {
		in.BillingAddress = addressDetails(f.Bill)
	}
	if acc, ok := h.d.Account(ctx); ok {
		id := int64(acc.ID)
		in.AccountID = &id
		in.Actor = "customer:" + strconv.FormatInt(id, 10)
	}
	return in
}

// resumePlaced answers a submission whose order exists already, as the first submission
// was answered. It reports whether there was such an order.
func (h *Handler) resumePlaced(w http.ResponseWriter, r *http.Request, key string) bool {
	o, err := h.d.Orders.OrderByIdempotencyKey(r.Context(), key)
	if err != nil {
		if !apperr.Is(err, apperr.NotFound) {
			h.d.Renderer.Error(w, r, err)
			return true
		}
		return false
	}
	h.beginPayment(w, r, o, o.PaymentID)
	return true
}
