package ordersweb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/monoshop/monoshop/internal/cart"
	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
)

// Checkout form actions: "update" re-prices the summary for what was typed (another
// country, a discount code), "place" places the order.
const (
	actionUpdate = "update"
	actionPlace  = "place"
)

// newAddressChoice is the "ship_address_id" value of "a new address" beside the saved
// ones.
const newAddressChoice = "new"

const (
	msgCorrectFields = "Please correct the highlighted fields."
	msgCartChanged   = "Your cart changed; please review your order before placing it."
	msgCartEmpty     = "Your cart is empty."
	msgCartGone      = "Some items in your cart are no longer sold. Remove them from your cart to check out."
	msgFormExpired   = "The checkout form is out of date; please review it and place your order again."
	msgFormForeign   = "This checkout form was opened in another browser or session. Please review your details and place your order again."
)

// checkoutForm is the checkout form as posted (or as first filled in). It holds no price
// and no quantity: those always come from the live cart.
type checkoutForm struct {
	Action      string
	Email       string
	Ship        users.Address
	BillingSame bool
	Bill        users.Address
	// ShipAddressID is the saved address chosen ("" for guests, newAddressChoice for a
	// typed one); AppliedAddressID is the one whose values the fields were filled with,
	// so choosing another saved address replaces what the fields hold.
	ShipAddressID    string
	AppliedAddressID string
	// MethodID is the posted shipping method: 0 when none was posted, -1 when what was
	// posted is not an id (no method has it, so it is refused like a method not offered).
	MethodID     int64
	DiscountCode string
	// Key names this checkout submission: generated when the form is first shown and
	// kept across re-renders, so that submitting twice places one order.
	Key string
	// Fingerprint is the cart the form was shown with; a different cart at submission
	// means the shopper has not seen what they would buy.
	Fingerprint string
}

// readCheckoutForm reads the posted form. Field names are those of the page (ship_*,
// bill_*), mapped onto users.Address so that users.ValidateAddress judges them.
func readCheckoutForm(r *http.Request) checkoutForm {
	f := r.PostForm.Get
	address := func(prefix string) users.Address {
		return users.Address{
			Name: f(prefix + "name"), Line1: f(prefix + "line1"), Line2: f(prefix + "line2"), City: f(prefix + "city"),
			Region: f(prefix + "region"), PostalCode: f(prefix + "postal_code"), Country: f(prefix + "country"),
			Phone: f(prefix + "phone"),
		}
	}
	form := checkoutForm{
		Action:           f("action"),
		Email:            f("email"),
		Ship:             address("ship_"),
		Bill:             address("bill_"),
		BillingSame:      f("billing_same") != "",
		ShipAddressID:    f("ship_address_id"),
		AppliedAddressID: f("ship_address_applied"),
		DiscountCode:     f("discount_code"),
		Key:              f("idempotency_key"),
		Fingerprint:      f("cart_fingerprint"),
	}
	switch method := f("shipping_method"); {
	case method == "":
	case validID(method):
		form.MethodID, _ = strconv.ParseInt(method, 10, 64)
	default:
		form.MethodID = -1
	}
	if form.Action != actionPlace {
		form.Action = actionUpdate
	}
	return form
}

// validID reports whether s is a positive decimal id.
func validID(s string) bool {
	id, err := strconv.ParseInt(s, 10, 64)
	return err == nil && id > 0
}

// destination is the shipping address as pricing needs it.
func (f checkoutForm) destination() orders.Address {
	a := users.NormalizeAddress(f.Ship)
	return orders.Address{Country: a.Country, Region: a.Region}
}

// problems are the messages of the fields the service does not judge: the email and the
// two addresses, under their form names.
func (f checkoutForm) problems() map[string]string {
	out := map[string]string{}
	if msg := emailProblem(strings.TrimSpace(f.Email)); msg != "" {
		out["email"] = msg
	}
	for k, v := range addressProblems(f.Ship) {
		out["ship_"+k] = v
	}
	if !f.BillingSame {
		for k, v := range addressProblems(f.Bill) {
			out["bill_"+k] = v
		}
	}
	return out
}

// addressProblems judges an address as the address book does, plus what it lets through
// in postal codes of countries without a known format (control characters, < >), which
// the order must not store either.
func addressProblems(a users.Address) map[string]string {
	fields := users.ValidateAddress(users.NormalizeAddress(a))
	if p := a.PostalCode; !utf8.ValidString(p) || strings.ContainsFunc(p, unicode.IsControl) || strings.ContainsAny(p, "<>") {
		fields["postal_code"] = "Use only ordinary characters."
	}
	return fields
}

// emailProblem is the message for the email field, "" when it looks deliverable.
func emailProblem(email string) string {
	switch {
	case email == "":
		return "Enter your email address."
	case !utf8.ValidString(email) || len(email) > 254 || strings.ContainsAny(email, " \t\r\n<>\"(),;:\x00"):
		return "Enter a valid email address, like name@example.com."
	}
	addr, err := mail.ParseAddress(email)
	at := strings.LastIndex(email, "@")
	if err != nil || addr.Address != email || at < 1 || !strings.Contains(email[at+1:], ".") {
		return "Enter a valid email address, like name@example.com."
	}
	return ""
}

// addressDetails is an address as the order snapshots it.
func addressDetails(a users.Address) orders.AddressDetails {
	a = users.NormalizeAddress(a)
	d := orders.AddressDetails{}
	for k, v := range map[string]string{
		"name": a.Name, "line1": a.Line1, "line2": a.Line2, "city": a.City, "region": a.Region,
		"postal_code": a.PostalCode, "country": a.Country, "phone": a.Phone,
	} {
		if v != "" {
			d[k] = v
		}
	}
	return d
}

// checkoutCart is the shopper's cart priced for checkout from the live cart and catalog.
type checkoutCart struct {
	Lines []orders.Line
	// Options describes each line's variant ("Size: M, Colour: Navy"), by index of Lines.
	Options []string
	// SoldOut names the lines out of stock now and Gone counts those no longer sold:
	// placing the order empties the cart, so checkout waits until the shopper removes them.
	SoldOut     []string
	Gone        int
	Fingerprint string
	// Count is the number of items in the cart, for the header.
	Count int
}

// withCartCount gives the header the cart's count: the page has just read the cart, so
// counting it again would be a query for nothing.
func withCartCount(r *http.Request, c checkoutCart) *http.Request {
	chrome := web.ChromeFrom(r.Context())
	chrome.CartCount, chrome.CountCart = c.Count, nil
	return r.WithContext(web.WithChrome(r.Context(), chrome))
}

// blocked reports whether some line cannot be bought now.
func (c checkoutCart) blocked() bool { return len(c.SoldOut) > 0 || c.Gone > 0 }

// blockedMessages say why checkout cannot go on, in the words placing the order uses
// when it finds a line sold out.
func (c checkoutCart) blockedMessages() []string {
	var out []string
	switch len(c.SoldOut) {
	case 0:
	case 1:
		out = append(out, "Sorry, "+c.SoldOut[0]+" is sold out")
	default:
		out = append(out, "Sorry, "+strings.Join(c.SoldOut, ", ")+" are sold out")
	}
	if c.Gone > 0 {
		out = append(out, msgCartGone)
	}
	return out
}

// loadCart prices the caller's cart for checkout. Weights come from the catalog, for
// weight-based shipping. withStock also looks at stock, so that a line out of stock
// blocks checkout before the shopper types anything; placing the order leaves that to
// the reservation, which checks stock under lock anyway.
func (h *Handler) loadCart(ctx context.Context, ref cart.Ref, withStock bool) (checkoutCart, error) {
	var out checkoutCart
	if ref.IsZero() {
		return out, nil
	}
	view := h.d.Cart.View
	if !withStock {
		view = h.d.Cart.Contents
	}
	c, err := view(ctx, ref)
	if err != nil {
		return out, err
	}
	out.Count = c.Count
	sum := sha256.New()
	for _, l := range c.Lines {
		// What the shopper would buy: variants, quantities and prices. Not stock, which the
		// form looks at and placing leaves to the reservation; a quantity lowered to the
		// stock left changes the fingerprint.
		fmt.Fprintf(sum, "%d:%d:%d:%s;", l.VariantID, l.Quantity, l.UnitPrice.Minor, l.UnitPrice.Currency)
		switch {
		case l.Status == cart.LineUnavailable:
			out.Gone++
			continue
		case !l.Status.Purchasable():
			out.SoldOut = append(out.SoldOut, l.ProductTitle)
			continue
		}
		v, _, err := h.d.Catalog.FindVariant(ctx, l.VariantID)
		if err != nil {
			return out, fmt.Errorf("ordersweb: weight of variant %d: %w", l.VariantID, err)
		}
		name := l.ProductTitle
		if name == "" {
			name = l.SKU
		}
		out.Lines = append(out.Lines, orders.Line{
			VariantID: int64(l.VariantID), SKU: l.SKU, Name: name, Quantity: l.Quantity,
			UnitPrice: l.UnitPrice, WeightGrams: v.WeightGrams,
		})
		out.Options = append(out.Options, optionsText(l.Options))
	}
	out.Fingerprint = hex.EncodeToString(sum.Sum(nil)[:16])
	return out, nil
}

// optionsText describes a variant's options the way an order line keeps them.
func optionsText(opts []cart.OptionValue) string {
	parts := make([]string, len(opts))
	for i, o := range opts {
		parts[i] = o.Name + ": " + o.Value
	}
	return strings.Join(parts, ", ")
}

// savedAddresses is the customer's address book for the checkout's choice; none for a
// guest.
func (h *Handler) savedAddresses(ctx context.Context, acc users.Account, signedIn bool) ([]users.Address, error) {
	if !signedIn {
		return nil, nil
	}
	book, err := h.d.Users.ListAddresses(ctx, acc.ID)
	if err != nil {
		return nil, fmt.Errorf("ordersweb: address book: %w", err)
	}
	return book, nil
}

// applySavedAddress fills the shipping fields from the saved address the shopper chose,
// when they chose one other than the fields hold. It reports a problem for an id that is
// not one of theirs.
func applySavedAddress(f *checkoutForm, book []users.Address) string {
	choice := f.ShipAddressID
	if choice == "" || choice == newAddressChoice || choice == f.AppliedAddressID {
		if choice == newAddressChoice {
			f.AppliedAddressID = newAddressChoice
		}
		return ""
	}
	for _, a := range book {
		if strconv.FormatInt(a.ID, 10) == choice {
			f.Ship = a
			f.AppliedAddressID = choice
			return ""
		}
	}
	f.ShipAddressID = newAddressChoice
	return "Choose one of your saved addresses, or enter a new one."
}
