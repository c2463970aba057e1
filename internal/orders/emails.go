package orders

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/a-h/templ"
	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/platform/money"
)

// Kinds of the emails orders sends (notify's outbox shows them to staff).
const (
	EmailOrderConfirmation  = "order_confirmation"
	EmailOrderPaymentFailed = "order_payment_failed"
	EmailOrderShipped       = "order_shipped"
	EmailOrderCancelled     = "order_cancelled"
	EmailOrderRefunded      = "order_refunded"
)

// Outbox queues an email inside the caller's transaction (*notify.Service), so an email
// exists exactly when the change it announces commits.
type Outbox interface {
	QueueEmailTx(ctx context.Context, tx pgx.Tx, kind, to, subject, html, text string) (int64, error)
}

// UseOutbox makes the order's transitions email the shopper; without one nothing is sent
// (tests of pricing alone).
func (s *Service) UseOutbox(o Outbox) { s.outbox = o }

// orderEmail is the view model every order email renders: what happened (Heading, Intro),
// then the order as the shopper bought it.
type orderEmail struct {
	Store    string
	Number   string
	Heading  string
	Intro    []string
	Lines    []emailLine
	Subtotal string
	// Discount is empty when there was none.
	Discount     string
	DiscountCode string
	Shipping     string
	ShippingName string
	Tax          string
	TaxIncluded  bool
	Total        string
	// Refunded is what has been given back so far, empty when nothing.
	Refunded string
	Tracking *emailTracking
	OrderURL string
	// Contact is the address shoppers may write to about the order; empty when the
	// store has none.
	Contact string
}

type emailLine struct {
	Name, Options, SKU string
	Quantity           int
	Total              string
}

type emailTracking struct {
	Carrier, Number, URL string
}

// emailEvent is what one email says beyond the order itself.
type emailEvent struct {
	kind     string
	subject  string
	heading  string
	intro    []string
	tracking *emailTracking
}

// sendOrderEmailTx renders ev for o and queues it in tx. Lines are read in tx, so the
// email shows the order as this transaction leaves it.
func (s *Service) sendOrderEmailTx(ctx context.Context, tx pgx.Tx, o Order, ev emailEvent) error {
	if s.outbox == nil || o.Anonymised() {
		// An erased order has no address to write to, and its customer left.
		return nil
	}
	rows, err := s.q.OrderLines(ctx, tx, o.ID)
	if err != nil {
		return fmt.Errorf("orders: lines for %s email: %w", ev.kind, err)
	}
	cur := o.GrandTotal.Currency
	store := s.StoreDetails(ctx)
	m := orderEmail{
		Store: store.Name, Contact: store.ContactEmail, Number: fmt.Sprintf("#%d", o.Number), Heading: ev.heading, Intro: ev.intro,
		Subtotal: o.Subtotal.String(), Shipping: o.ShippingTotal.String(), ShippingName: o.ShippingMethod,
		Tax: o.TaxTotal.String(), TaxIncluded: o.TaxIncluded, Total: o.GrandTotal.String(),
		Tracking: ev.tracking, OrderURL: strings.TrimSuffix(s.cfg.BaseURL, "/") + "/orders/" + o.Token,
	}
	if o.DiscountTotal.Minor > 0 {
		m.Discount, m.DiscountCode = "−"+o.DiscountTotal.String(), o.DiscountCode
	}
	if o.RefundedTotal.Minor > 0 {
		m.Refunded = o.RefundedTotal.String()
	}
	for _, r := range rows {
		m.Lines = append(m.Lines, emailLine{Name: r.Name, Options: r.Options, SKU: r.Sku, Quantity: int(r.Quantity),
			Total: money.New(r.Gross, cur).String()})
	}
	var html bytes.Buffer
	if err := orderEmailHTML(m).Render(ctx, &html); err != nil {
		return fmt.Errorf("orders: render %s email: %w", ev.kind, err)
	}
	if _, err := s.outbox.QueueEmailTx(ctx, tx, ev.kind, o.Email, ev.subject, html.String(), orderEmailText(m)); err != nil {
		return fmt.Errorf("orders: queue %s email of order %d: %w", ev.kind, o.Number, err)
	}
	return nil
}

// orderEmailText is the plain-text part, saying what the HTML part says.
func orderEmailText(m orderEmail) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", m.Heading)
	for _, p := range m.Intro {
		fmt.Fprintf(&b, "%s\n\n", p)
	}
	if t := m.Tracking; t != nil {
		if t.Carrier != "" {
			fmt.Fprintf(&b, "Carrier: %s\n", t.Carrier)
		}
		if t.Number != "" {
			fmt.Fprintf(&b, "Tracking number: %s\n", t.Number)
		}
		if t.URL != "" {
			fmt.Fprintf(&b, "Track your parcel: %s\n", t.URL)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "Order %s\n\n", m.Number)
	for _, l := range m.Lines {
		name := l.Name
		if l.Options != "" {
			name += " (" + l.Options + ")"
		}
		fmt.Fprintf(&b, "%d × %s  %s\n", l.Quantity, name, l.Total)
	}
	fmt.Fprintf(&b, "\nSubtotal: %s\n", m.Subtotal)
	if m.Discount != "" {
		fmt.Fprintf(&b, "Discount %s: %s\n", m.DiscountCode, m.Discount)
	}
	fmt.Fprintf(&b, "Shipping (%s): %s\n", m.ShippingName, m.Shipping)
	if !m.TaxIncluded {
		fmt.Fprintf(&b, "Tax: %s\n", m.Tax)
	}
	fmt.Fprintf(&b, "Total: %s\n", m.Total)
	if m.TaxIncluded {
		fmt.Fprintf(&b, "Including tax: %s\n", m.Tax)
	}
	if m.Refunded != "" {
		fmt.Fprintf(&b, "Refunded: %s\n", m.Refunded)
	}
	fmt.Fprintf(&b, "\nView your order: %s\n", m.OrderURL)
	if m.Contact != "" {
		fmt.Fprintf(&b, "Questions about your order? Write to %s.\n", m.Contact)
	}
	fmt.Fprintf(&b, "\n%s\n", m.Store)
	return b.String()
}

func orderURL(u string) templ.SafeURL { return templ.SafeURL(u) }

// The emails, by transition.

func confirmationEmail(o Order, awaitingPayment bool) emailEvent {
	ev := emailEvent{
		kind:    EmailOrderConfirmation,
		subject: fmt.Sprintf("Order #%d confirmed", o.Number),
		heading: "Thank you for your order",
		intro:   []string{fmt.Sprintf("We have received your payment for order #%d and are getting it ready.", o.Number)},
	}
	switch {
	case awaitingPayment:
		ev.subject = fmt.Sprintf("Order #%d received, awaiting payment", o.Number)
		ev.intro = []string{fmt.Sprintf("We have received order #%d. It is awaiting payment: we will prepare it as soon as your payment arrives (or, for cash on delivery, pay the courier).", o.Number)}
	case o.GrandTotal.Minor == 0:
		ev.intro = []string{fmt.Sprintf("We have received order #%d. There is nothing to pay; we are getting it ready.", o.Number)}
	}
	return ev
}

func paymentFailedEmail(o Order, reason string) emailEvent {
	intro := fmt.Sprintf("The payment for order #%d did not go through, so the order is not confirmed yet.", o.Number)
	if reason != "" {
		intro = fmt.Sprintf("The payment for order #%d did not go through (%s), so the order is not confirmed yet.", o.Number, strings.ReplaceAll(reason, "_", " "))
	}
	return emailEvent{
		kind: EmailOrderPaymentFailed, subject: fmt.Sprintf("Payment for order #%d failed", o.Number), heading: "Your payment did not go through",
		intro: []string{intro, "You can try again from your order page before the items are released."},
	}
}

func shippedEmail(o Order, f Fulfillment, complete bool) emailEvent {
	intro := fmt.Sprintf("Good news: order #%d is on its way.", o.Number)
	if !complete {
		intro = fmt.Sprintf("Good news: part of order #%d is on its way; we will email you when the rest ships.", o.Number)
	}
	ev := emailEvent{kind: EmailOrderShipped, subject: fmt.Sprintf("Order #%d has shipped", o.Number), heading: "Your order has shipped", intro: []string{intro}}
	if f.Carrier != "" || f.TrackingNumber != "" || f.TrackingURL != "" {
		ev.tracking = &emailTracking{Carrier: f.Carrier, Number: f.TrackingNumber, URL: f.TrackingURL}
	}
	return ev
}

func cancelledEmail(o Order, expired bool, refunded money.Amount) emailEvent {
	ev := emailEvent{kind: EmailOrderCancelled, subject: fmt.Sprintf("Order #%d cancelled", o.Number), heading: "Your order was cancelled"}
	if expired {
		ev.intro = []string{fmt.Sprintf("We did not receive the payment for order #%d in time, so we cancelled it and released the items. Nothing was charged.", o.Number)}
		return ev
	}
	ev.intro = []string{fmt.Sprintf("Order #%d was cancelled.", o.Number)}
	if refunded.Minor > 0 {
		ev.intro = append(ev.intro, fmt.Sprintf("We refunded %s to your original payment method; it may take a few days to appear.", refunded))
	} else {
		ev.intro = append(ev.intro, "Nothing was charged.")
	}
	return ev
}

func refundedEmail(o Order, amount money.Amount) emailEvent {
	return emailEvent{
		kind: EmailOrderRefunded, subject: fmt.Sprintf("Refund for order #%d", o.Number), heading: "We sent you a refund",
		intro: []string{fmt.Sprintf("We refunded %s for order #%d to your original payment method; it may take a few days to appear.", amount, o.Number)},
	}
}

func shippingLabel(method string) string {
	if method == "" {
		return "Shipping"
	}
	return "Shipping (" + method + ")"
}
