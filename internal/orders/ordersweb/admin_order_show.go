package ordersweb

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/internal/users"
)

// adminOrderView is an order's back-office page: what was sold, to whom, for how much,
// what happened since, and the actions the order's state and the staff member's role
// allow now.
type adminOrderView struct {
	Number       int64
	Label        string
	PlacedAt     time.Time
	Status       adminStatusBadge
	Payment      adminStatusBadge
	Fulfillment  adminStatusBadge
	CancelledAt  *time.Time
	CancelReason string

	Email          string
	CustomerName   string
	CustomerURL    string // the account's back-office page, when there is one and it may be opened
	Erased         *adminErasedVM
	Shipping       []string
	Billing        []string
	ShippingMethod string

	Lines        []adminOrderLineVM
	Totals       adminOrderTotals
	PaymentPanel adminPaymentPanel
	Fulfillments []adminFulfillmentVM
	Timeline     []adminTimelineEntry

	// Alert is the refusal of an action whose form the order no longer offers (someone
	// shipped or cancelled it meanwhile), so it is said at the top of the page.
	Alert string

	// The action forms; nil when the order's state or the staff member's role does not
	// allow the action.
	MarkPaid *adminProblem
	Capture  *adminProblem
	Fulfil   *adminFulfilForm
	Cancel   *adminCancelForm
	Refund   *adminRefundForm
	Note     *adminNoteForm

	PackingSlipURL string
	InvoiceURL     string
	InvoiceLink    string // "Invoice INV-000042", "Invoice" (paid, number coming) or "Pro forma invoice"
}

// adminErasedVM says that the customer deleted their account and what the order keeps.
type adminErasedVM struct {
	When time.Time
	// InvoiceKeptUntil is when the invoice stops showing the buyer's name and billing
	// address; nil when it shows none (the order was never paid, or the period is over).
	InvoiceKeptUntil *time.Time
}

// adminOrderLineVM is one line of the order.
type adminOrderLineVM struct {
	ID        int64
	SKU       string
	Name      string
	Options   string
	Quantity  int
	Fulfilled int
	Restocked int
	Unit      string
	Total     string
	Discount  string // "" when the line had no share of a discount
}

// adminOrderTotals are the order's figures as the shopper was charged.
type adminOrderTotals struct {
	Subtotal       string
	Discount       string // "" without a discount
	DiscountCode   string
	Shipping       string
	ShippingMethod string
	Tax            string
	TaxIncluded    bool
	Grand          string
	Refunded       string // "" when nothing was refunded
}

// adminPaymentPanel is the payments module's view of the order's payment.
type adminPaymentPanel struct {
	// None says there was nothing to pay (a free order) and the rest is empty.
	None          bool
	Provider      string
	State         adminStatusBadge
	Amount        string
	Refunded      string
	ProviderRef   string
	FailureReason string
	Refunds       []adminRefundVM
}

// adminRefundVM is one refund of the payment.
type adminRefundVM struct {
	Amount  string
	State   string
	When    time.Time
	Failure string
}

// adminFulfillmentVM is one shipment.
type adminFulfillmentVM struct {
	When           time.Time
	Carrier        string
	TrackingNumber string
	TrackingURL    string
	TrackingLink   bool
	Actor          string
	Items          []string
}

// adminTimelineEntry is one event of the order, newest first.
type adminTimelineEntry struct {
	Type   string
	When   time.Time
	Actor  string
	Title  string
	Detail string
}

// adminFulfilForm ships units. Values holds what was typed per qty_<line id> field; a
// line not in it shows its remaining units.
type adminFulfilForm struct {
	// Key is the shipment's idempotency key, made when the page is shown: the form sent
	// twice records one shipment.
	Key            string
	Lines          []adminFulfilLine
	Values         map[string]string
	Carrier        string
	TrackingNumber string
	TrackingURL    string
	Problem        adminProblem
}

// shownFields are the names of the inputs the form shows.
func (f adminFulfilForm) shownFields() []string {
	names := []string{"carrier", "tracking_number", "tracking_url"}
	for _, l := range f.Lines {
		names = append(names, l.Field)
	}
	return names
}

// adminFulfilLine is one line still to ship, with its quantity input.
type adminFulfilLine struct {
	Field     string
	Label     string
	Remaining int
	Value     string
}

// adminCancelForm cancels the order; Confirm guards against a slip of the mouse.
type adminCancelForm struct {
	Reason  string
	Confirm bool
	Problem adminProblem
}

// adminRefundForm gives money back. Key is the idempotency key generated when the page
// was rendered: submitting the same page twice refunds once.
type adminRefundForm struct {
	Amount     string
	Refundable string
	Currency   string
	Lines      []adminRestockLine
	Values     map[string]string
	Reason     string
	Key        string
	Problem    adminProblem
}

// shownFields are the names of the inputs the form shows.
func (f adminRefundForm) shownFields() []string {
	names := []string{"amount", "reason"}
	for _, l := range f.Lines {
		names = append(names, l.Field)
	}
	return names
}

// adminRestockLine is one line whose units may be put back into stock with the refund.
type adminRestockLine struct {
	Field string
	Label string
	Max   int
	Value string
}

// adminNoteForm adds an internal note to the timeline.
type adminNoteForm struct {
	Note    string
	Problem adminProblem
}

// adminSubmitted carries a refused form back into the page, re-rendered with its messages
// and what was typed; the other forms show their defaults.
type adminSubmitted struct {
	markPaid *adminProblem
	capture  *adminProblem
	fulfil   *adminFulfilForm
	cancel   *adminCancelForm
	refund   *adminRefundForm
	note     *adminNoteForm
}

// problem is the refusal the submission met, whichever form it came from.
func (s adminSubmitted) problem() adminProblem {
	switch {
	case s.markPaid != nil:
		return *s.markPaid
	case s.capture != nil:
		return *s.capture
	case s.fulfil != nil:
		return s.fulfil.Problem
	case s.cancel != nil:
		return s.cancel.Problem
	case s.refund != nil:
		return s.refund.Problem
	case s.note != nil:
		return s.note.Problem
	}
	return adminProblem{}
}

// adminOrderShow is an order's back-office page.
func (h *Handler) adminOrderShow(w http.ResponseWriter, r *http.Request) {
	number, ok := adminOrderNumber(r)
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	h.renderAdminOrder(w, r, number, http.StatusOK, adminSubmitted{})
}

// renderAdminOrder shows the order page with status, re-filling a refused form from sub.
func (h *Handler) renderAdminOrder(w http.ResponseWriter, r *http.Request, number int64, status int, sub adminSubmitted) {
	ctx := r.Context()
	o, err := h.d.Orders.Order(ctx, number)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	v, err := h.adminOrderView(ctx, r, o, sub)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	h.d.Renderer.Page(w, r, status, adminOrderPage(v))
}

func (h *Handler) adminOrderView(ctx context.Context, r *http.Request, o orders.Order, sub adminSubmitted) (adminOrderView, error) {
	lines, err := h.d.Orders.Lines(ctx, o)
	if err != nil {
		return adminOrderView{}, err
	}
	events, err := h.d.Orders.Events(ctx, o.ID)
	if err != nil {
		return adminOrderView{}, err
	}
	shipments, err := h.d.Orders.Fulfillments(ctx, o.ID)
	if err != nil {
		return adminOrderView{}, err
	}
	allowed, err := h.d.Orders.AllowedActions(ctx, o)
	if err != nil {
		return adminOrderView{}, err
	}
	panel, err := h.adminPaymentPanel(ctx, o)
	if err != nil {
		return adminOrderView{}, err
	}

	v := adminOrderView{
		Number: o.Number, Label: adminOrderLabel(o.Number), PlacedAt: o.CreatedAt,
		Status: adminOrderStatusBadge(o.Status), Payment: adminPaymentBadge(o.PaymentStatus),
		Fulfillment: adminFulfillmentBadge(o.FulfillmentStatus), CancelledAt: o.CancelledAt, CancelReason: o.CancelReason,
		Email: o.Email, CustomerName: adminCustomerName(o),
		Shipping: adminAddressLines(o.ShippingAddress), Billing: adminAddressLines(o.BillingAddress),
		ShippingMethod: o.ShippingMethod, PaymentPanel: panel, Totals: adminTotals(o),
		PackingSlipURL: adminOrderPath(o.Number) + "/packing-slip", InvoiceURL: adminOrderPath(o.Number) + "/invoice",
		InvoiceLink: adminInvoiceLinkText(o),
	}
	if o.Anonymised() {
		v.Erased = &adminErasedVM{When: *o.AnonymisedAt}
		if o.InvoiceBuyer != nil {
			until := h.d.Orders.InvoiceBuyerKeptUntil(o)
			v.Erased.InvoiceKeptUntil = &until
		}
	} else if o.AccountID != nil && h.d.Can(r, users.PermCustomersView) {
		// An erased order's account is gone; its page would be a 404.
		v.CustomerURL = "/admin/customers/" + strconv.FormatInt(*o.AccountID, 10)
	}
	names := make(map[int64]string, len(lines))
	for _, l := range lines {
		vm := adminOrderLineVM{ID: l.ID, SKU: l.SKU, Name: l.Name, Options: l.Options, Quantity: l.Quantity,
			Fulfilled: l.FulfilledQuantity, Restocked: l.RestockedQuantity, Unit: l.UnitPrice.String(), Total: l.Gross.String()}
		if l.Discount.Minor > 0 {
			vm.Discount = "−" + l.Discount.String()
		}
		v.Lines = append(v.Lines, vm)
		names[l.ID] = adminLineName(l)
	}
	for _, f := range shipments {
		vm := adminFulfillmentVM{When: f.CreatedAt, Carrier: f.Carrier, TrackingNumber: f.TrackingNumber,
			TrackingURL: f.TrackingURL, TrackingLink: adminSafeLink(f.TrackingURL), Actor: adminActorLabel(f.Actor)}
		for _, l := range lines {
			if n := f.Lines[l.ID]; n > 0 {
				vm.Items = append(vm.Items, strconv.Itoa(n)+" × "+names[l.ID])
			}
		}
		v.Fulfillments = append(v.Fulfillments, vm)
	}
	for _, e := range slices.Backward(events) {
		title, detail := adminEventWords(e, o.GrandTotal.Currency)
		v.Timeline = append(v.Timeline, adminTimelineEntry{Type: e.Type, When: e.CreatedAt,
			Actor: adminActorLabel(e.Actor), Title: title, Detail: detail})
	}

	canEdit := h.d.Can(r, users.PermOrdersEdit)
	canRefund := h.d.Can(r, users.PermRefunds)
	if canEdit && allowed.MarkPaid {
		v.MarkPaid = adminOrEmptyProblem(sub.markPaid)
	}
	if canEdit && allowed.Capture {
		v.Capture = adminOrEmptyProblem(sub.capture)
	}
	if canEdit && allowed.Fulfil {
		v.Fulfil = adminFulfilFormFor(lines, sub.fulfil)
	}
	if canEdit && allowed.Cancel {
		v.Cancel = &adminCancelForm{}
		if sub.cancel != nil {
			v.Cancel = sub.cancel
		}
	}
	if canRefund && allowed.Refund {
		v.Refund = adminRefundFormFor(o, lines, sub.refund)
	}
	if canEdit {
		v.Note = &adminNoteForm{}
		if sub.note != nil {
			v.Note = sub.note
		}
	}
	// A refusal of a form the page no longer offers still has to be read somewhere.
	if p := sub.problem(); p.Failed() {
		shown := (sub.markPaid != nil && v.MarkPaid != nil) || (sub.capture != nil && v.Capture != nil) ||
			(sub.fulfil != nil && v.Fulfil != nil) || (sub.cancel != nil && v.Cancel != nil) ||
			(sub.refund != nil && v.Refund != nil) || (sub.note != nil && v.Note != nil)
		if !shown {
			v.Alert = p.Message
		}
	}
	return v, nil
}

func adminOrEmptyProblem(p *adminProblem) *adminProblem {
	if p == nil {
		return &adminProblem{}
	}
	return p
}

// adminFulfilFormFor offers every line with units left to ship, each defaulting to all
// of them, or to what was typed in a refused submission.
func adminFulfilFormFor(lines []orders.OrderLine, typed *adminFulfilForm) *adminFulfilForm {
	f := &adminFulfilForm{}
	if typed != nil {
		f = typed
	}
	// A refused submission shipped nothing, so the next one may use a fresh key.
	f.Key = adminFormKey()
	f.Lines = nil
	for _, l := range lines {
		if l.Remaining() <= 0 {
			continue
		}
		field := adminQtyField(l.ID)
		value, ok := f.Values[field]
		if !ok {
			value = strconv.Itoa(l.Remaining())
		}
		f.Lines = append(f.Lines, adminFulfilLine{Field: field, Label: adminLineName(l), Remaining: l.Remaining(), Value: value})
	}
	return f
}

// adminRefundFormFor offers the refundable amount and a restock input per line, or what
// was typed in a refused submission. A refused submission gets a fresh key: nothing was
// refunded under the old one, and a provider that recorded its refusal would answer the
// same key with the same refusal.
func adminRefundFormFor(o orders.Order, lines []orders.OrderLine, typed *adminRefundForm) *adminRefundForm {
	refundable := money.Amount{Minor: o.GrandTotal.Minor - o.RefundedTotal.Minor, Currency: o.GrandTotal.Currency}
	f := &adminRefundForm{Amount: refundable.Decimal()}
	if typed != nil {
		f = typed
	}
	f.Refundable = refundable.String()
	f.Currency = o.GrandTotal.Currency
	f.Key = adminFormKey()
	f.Lines = nil
	for _, l := range lines {
		most := l.Restockable()
		if most <= 0 {
			continue
		}
		field := orders.RestockField(l.ID)
		value, ok := f.Values[field]
		if !ok {
			value = "0"
		}
		f.Lines = append(f.Lines, adminRestockLine{Field: field, Label: adminLineName(l), Max: most, Value: value})
	}
	return f
}

// adminLineName names a line in forms and shipments: "Blue tee (Size: M) · TEE-M".
func adminLineName(l orders.OrderLine) string {
	name := l.Name
	if l.Options != "" {
		name += " (" + l.Options + ")"
	}
	if l.SKU != "" {
		name += " · " + l.SKU
	}
	return name
}

func adminTotals(o orders.Order) adminOrderTotals {
	t := adminOrderTotals{
		Subtotal: o.Subtotal.String(), Shipping: o.ShippingTotal.String(), ShippingMethod: o.ShippingMethod,
		Tax: o.TaxTotal.String(), TaxIncluded: o.TaxIncluded, Grand: o.GrandTotal.String(), DiscountCode: o.DiscountCode,
	}
	if o.DiscountTotal.Minor > 0 {
		t.Discount = "−" + o.DiscountTotal.String()
	}
	if o.RefundedTotal.Minor > 0 {
		t.Refunded = o.RefundedTotal.String()
	}
	return t
}

// adminPaymentPanel reads the order's payment from the payments module.
func (h *Handler) adminPaymentPanel(ctx context.Context, o orders.Order) (adminPaymentPanel, error) {
	if o.PaymentID == 0 {
		return adminPaymentPanel{None: true}, nil
	}
	id := payments.PaymentID(o.PaymentID)
	p, err := h.d.Payments.FindPayment(ctx, id)
	if err != nil {
		return adminPaymentPanel{}, fmt.Errorf("ordersweb: payment of order %d: %w", o.Number, err)
	}
	refunds, err := h.d.Payments.Refunds(ctx, id)
	if err != nil {
		return adminPaymentPanel{}, fmt.Errorf("ordersweb: refunds of order %d: %w", o.Number, err)
	}
	panel := adminPaymentPanel{Provider: p.Provider, State: adminPaymentBadge(string(p.State)), Amount: p.Amount.String(),
		Refunded: p.Refunded.String(), ProviderRef: p.ProviderRef, FailureReason: p.FailureReason}
	for _, rf := range refunds {
		panel.Refunds = append(panel.Refunds, adminRefundVM{Amount: rf.Amount.String(), State: string(rf.State),
			When: rf.CreatedAt, Failure: rf.FailureReason})
	}
	return panel, nil
}

// adminEventWords says what an event of the timeline means to staff: a title and the
// details its data carries (an amount, a reason, a note, a tracking number).
func adminEventWords(e orders.OrderEvent, currency string) (string, string) {
	str := func(k string) string {
		s, _ := e.Data[k].(string)
		return strings.TrimSpace(s)
	}
	amount := func(k string) string {
		n, ok := e.Data[k].(float64) // JSON numbers; minor units are whole and far below 2^53
		if !ok {
			return ""
		}
		cur := str("currency")
		if cur == "" {
			cur = currency
		}
		return money.New(int64(n), cur).String()
	}
	// units counts the units of a {"<line id>": quantity} object.
	units := func(k string) string {
		lines, _ := e.Data[k].(map[string]any)
		n := 0
		for _, q := range lines {
			f, _ := q.(float64)
			n += int(f)
		}
		if n == 0 {
			return ""
		}
		return adminUnits(n)
	}
	var details []string
	add := func(s string) {
		if s != "" {
			details = append(details, s)
		}
	}
	var title string
	switch e.Type {
	case orders.EventPlaced:
		title = "Order placed"
		add(amount("grand_total"))
	case orders.EventPaymentAuthorized:
		title = "Payment authorized"
		add(amount("amount"))
	case orders.EventPaid:
		title = "Payment received"
		add(amount("amount"))
	case orders.EventMarkedPaid:
		title = "Marked as paid"
		add(amount("amount"))
	case orders.EventCaptured:
		title = "Payment captured"
		add(amount("amount"))
	case orders.EventPaymentFailed:
		title = "Payment failed"
		add(str("reason"))
	case orders.EventPaymentVoided:
		title = "Payment voided"
	case orders.EventPaymentRetried:
		title = "Payment retried"
	case orders.EventExpired:
		title = "Cancelled: not paid in time"
	case orders.EventFulfilled:
		title = "Shipped"
		add(units("lines"))
		add(str("carrier"))
		if t := str("tracking_number"); t != "" {
			add("tracking " + t)
		}
	case orders.EventCancelled:
		title = "Order cancelled"
		add(str("reason"))
	case orders.EventRefundIssued:
		title = "Refund issued"
		add(amount("amount"))
		add(str("reason"))
	case orders.EventRefunded:
		title = "Refunded"
		add(amount("amount"))
	case orders.EventRestocked:
		title = "Put back into stock"
		add(units("lines"))
	case orders.EventCompleted:
		title = "Order completed"
	case orders.EventNote:
		title = "Note"
		add(str("text"))
	default:
		title = strings.ReplaceAll(e.Type, "_", " ")
	}
	if b, _ := e.Data["order_cancelled"].(bool); b {
		add("The order had been cancelled: refund the customer or reinstate the order.")
	}
	return title, strings.Join(details, " · ")
}

// adminInvoiceLinkText says what the invoice link opens: an issued invoice by its number,
// a paid order's invoice about to be numbered (opening it numbers it), or a pro forma.
func adminInvoiceLinkText(o orders.Order) string {
	switch {
	case o.InvoiceNumber != 0:
		return "Invoice " + orders.InvoiceLabel(o.InvoiceNumber)
	case o.PaidAt != nil:
		return "Invoice"
	}
	return "Pro forma invoice"
}
