package ordersweb

import (
	"crypto/rand"
	"encoding/base64"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/web"
)

// adminOrdersPath is the back office's order list; cmd/shop mounts the order routes under it.
const adminOrdersPath = "/admin/orders"

// adminOrderPath is an order's back-office page.
func adminOrderPath(number int64) string {
	return adminOrdersPath + "/" + strconv.FormatInt(number, 10)
}

// adminOrderLabel is how staff and shoppers name an order: "#1001".
func adminOrderLabel(number int64) string { return "#" + strconv.FormatInt(number, 10) }

// adminOrderNumber reads {number} from the URL. Anything but a positive number names no
// order, so the caller answers 404 without asking the database.
func adminOrderNumber(r *http.Request) (int64, bool) {
	n, err := strconv.ParseInt(chi.URLParam(r, "number"), 10, 64)
	return n, err == nil && n > 0
}

// adminMsgCorrectFields heads a form whose fields carry messages of their own.
const adminMsgCorrectFields = "Please correct the highlighted fields."

// adminProblem is what a refused form shows: a summary above it and a message beside each
// field that needs fixing.
type adminProblem struct {
	Message string
	Fields  map[string]string
}

// adminProblemOf turns a service refusal into what the form shows; apperr guarantees its
// messages are safe to show.
func adminProblemOf(err error) adminProblem {
	return adminProblem{Message: apperr.MessageOf(err), Fields: apperr.FieldsOf(err)}
}

// Field is the message for one field, "" when it is fine.
func (p adminProblem) Field(name string) string { return p.Fields[name] }

// Failed reports whether there is anything to show.
func (p adminProblem) Failed() bool { return p.Message != "" || len(p.Fields) > 0 }

// Unplaced are the field messages of fields the form does not have (the service may name
// a field the page shows differently): they are listed in the summary rather than lost.
func (p adminProblem) Unplaced(shown ...string) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(p.Fields)) {
		if !slices.Contains(shown, k) {
			out = append(out, p.Fields[k])
		}
	}
	return out
}

// adminFieldsProblem is a refusal found before the service was asked, one message per field.
func adminFieldsProblem(fields map[string]string) adminProblem {
	return adminProblem{Message: adminMsgCorrectFields, Fields: fields}
}

// adminQtyField names a line's quantity input of the fulfil form: qty_<order line id>.
// The service names the same line orders.QuantityField in its refusals; the handler
// moves those messages here. The refund form's restock inputs use orders.RestockField,
// the name the service's refusals already use.
func adminQtyField(lineID int64) string { return "qty_" + strconv.FormatInt(lineID, 10) }

// adminKept is what a re-rendered form shows of a value as typed: bytes that are not UTF-8
// and control characters (other than line breaks in a note) become U+FFFD, so the person
// sees where the problem was and nothing is silently dropped.
func adminKept(s string) string {
	clean := func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }
	if utf8.ValidString(s) && !strings.ContainsFunc(s, clean) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if clean(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// adminWholeNumber reads a count of units typed into a form. Blank means none.
func adminWholeNumber(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// adminParseAmount reads an amount typed in the order's currency. Only a point separates
// decimals: "12,50" is refused with a message saying so rather than guessed at, because
// "1,250" means twelve hundred and fifty to half of the world and one and a quarter to
// the other half. The result is exact minor units; no float is involved.
func adminParseAmount(s, currency string) (money.Amount, string) {
	s = strings.TrimSpace(s)
	digits := money.Digits(currency)
	example := money.New(1250*adminPow10(digits)/100, currency).Decimal()
	switch {
	case s == "":
		return money.Amount{}, "Enter an amount."
	case strings.Contains(s, ","):
		return money.Amount{}, "Use a point for decimals and no thousands separator, for example " + example + "."
	}
	a, err := money.ParseDecimal(s, currency)
	if err != nil {
		if _, frac, ok := strings.Cut(s, "."); ok && len(frac) > digits && strings.Trim(frac, "0123456789") == "" {
			return money.Amount{}, "Use at most " + strconv.Itoa(digits) + " decimals."
		}
		return money.Amount{}, "Enter an amount as a number, for example " + example + "."
	}
	if a.Minor <= 0 {
		return money.Amount{}, "Enter an amount above zero."
	}
	return a, ""
}

func adminPow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// adminFormKey is a fresh idempotency key for a form that must act once however often it
// is submitted (the refund form): 16 random bytes, base64url.
func adminFormKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// adminStatusBadge is a status as a badge: the words carry the meaning, the colour repeats
// it, and Key is the raw status for tests and styling.
type adminStatusBadge struct {
	Label string
	Tone  web.BadgeTone
	Key   string
}

func adminOrderStatusBadge(s string) adminStatusBadge {
	switch s {
	case orders.StatusOpen:
		return adminStatusBadge{"Open", web.BadgeInfo, s}
	case orders.StatusCompleted:
		return adminStatusBadge{"Completed", web.BadgeSuccess, s}
	case orders.StatusCancelled:
		return adminStatusBadge{"Cancelled", web.BadgeError, s}
	}
	return adminStatusBadge{s, web.BadgeNeutral, s}
}

func adminPaymentBadge(s string) adminStatusBadge {
	switch s {
	case orders.PaymentPending:
		return adminStatusBadge{"Payment pending", web.BadgeWarning, s}
	case orders.PaymentAuthorized:
		return adminStatusBadge{"Authorized", web.BadgeInfo, s}
	case orders.PaymentPaid:
		return adminStatusBadge{"Paid", web.BadgeSuccess, s}
	case orders.PaymentPartiallyRefunded:
		return adminStatusBadge{"Partially refunded", web.BadgeWarning, s}
	case orders.PaymentRefunded:
		return adminStatusBadge{"Refunded", web.BadgeNeutral, s}
	case orders.PaymentFailed:
		return adminStatusBadge{"Payment failed", web.BadgeError, s}
	case orders.PaymentVoided:
		return adminStatusBadge{"Voided", web.BadgeNeutral, s}
	}
	return adminStatusBadge{s, web.BadgeNeutral, s}
}

func adminFulfillmentBadge(s string) adminStatusBadge {
	switch s {
	case orders.FulfillmentUnfulfilled:
		return adminStatusBadge{"Unfulfilled", web.BadgeWarning, s}
	case orders.FulfillmentPartial:
		return adminStatusBadge{"Partially fulfilled", web.BadgeInfo, s}
	case orders.FulfillmentFulfilled:
		return adminStatusBadge{"Fulfilled", web.BadgeSuccess, s}
	}
	return adminStatusBadge{s, web.BadgeNeutral, s}
}

// adminAddressLines is a snapshotted address as the lines of a label. Keys the checkout
// did not write are skipped; the country code is shown as stored.
func adminAddressLines(a orders.AddressDetails) []string {
	var out []string
	add := func(parts ...string) {
		var kept []string
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				kept = append(kept, p)
			}
		}
		if len(kept) > 0 {
			out = append(out, strings.Join(kept, " "))
		}
	}
	add(a["name"])
	add(a["company"])
	add(a["line1"])
	add(a["line2"])
	add(a["postal_code"], a["city"])
	add(a["region"])
	add(a["country"])
	return out
}

// adminCustomerName is the name on the order: the shipping address's, else the billing's.
func adminCustomerName(o orders.Order) string {
	if n := strings.TrimSpace(o.ShippingAddress["name"]); n != "" {
		return n
	}
	return strings.TrimSpace(o.BillingAddress["name"])
}

// adminTaxRate formats basis points as a percentage: 2000 → "20%", 825 → "8.25%".
func adminTaxRate(bp int) string {
	whole, frac := bp/100, bp%100
	if frac == 0 {
		return strconv.Itoa(whole) + "%"
	}
	s := strconv.Itoa(whole) + "." + strings.TrimRight(strconv.Itoa(100 + frac)[1:], "0")
	return s + "%"
}

// adminUnits is "1 unit" or "3 units".
func adminUnits(n int) string {
	if n == 1 {
		return "1 unit"
	}
	return strconv.Itoa(n) + " units"
}

// adminActorLabel says who made a change recorded on an order.
func adminActorLabel(actor string) string {
	switch {
	case actor == "", actor == "system":
		return "System"
	case actor == "shopper", actor == "guest":
		return "Customer"
	case strings.HasPrefix(actor, "customer:"):
		return "Customer"
	case strings.HasPrefix(actor, "payments:"):
		return "Payment provider (" + strings.TrimPrefix(actor, "payments:") + ")"
	case strings.HasPrefix(actor, "staff:"):
		return strings.TrimPrefix(actor, "staff:")
	}
	return actor
}

// adminSafeLink is a tracking link staff may follow: only http(s), so a typed
// "javascript:" address is shown as text rather than made clickable.
func adminSafeLink(u string) bool {
	u = strings.ToLower(strings.TrimSpace(u))
	return strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")
}

// adminOrderAndLines loads the order named in the URL with its lines, answering the
// request itself (404 or the error page) when it cannot; ok says whether to go on.
func (h *Handler) adminOrderAndLines(w http.ResponseWriter, r *http.Request) (orders.Order, []orders.OrderLine, bool) {
	number, ok := adminOrderNumber(r)
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return orders.Order{}, nil, false
	}
	o, err := h.d.Orders.Order(r.Context(), number)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return orders.Order{}, nil, false
	}
	lines, err := h.d.Orders.Lines(r.Context(), o)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return orders.Order{}, nil, false
	}
	return o, lines, true
}
