package ordersweb

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/web"
)

// orderView is an order as its shopper sees it (order page, account order page, invoice).
type orderView struct {
	Number      string // "#1001"
	NumberPlain string // "1001"
	Token       string
	PlacedAt    string
	Email       string
	// Invoice is the invoice number ("INV-000042") and InvoicedAt its date, both empty
	// until the invoice is issued (seconds after payment).
	Invoice    string
	InvoicedAt string
	// Status, PaymentStatus and FulfillmentStatus are in the shopper's words; the *Code
	// fields keep the stored value for styling and tests.
	Status            string
	StatusCode        string
	PaymentStatus     string
	PaymentCode       string
	FulfillmentStatus string
	CancelReason      string
	Lines             []orderLineView
	Totals            orderTotalsView
	ShippingMethod    string
	ShippingAddress   []string
	BillingAddress    []string
	Fulfillments      []fulfillmentView
	// CanPay offers "Pay now": the order is open, unpaid, and its payment goes through a
	// provider's page (a manual payment is settled with the shop instead).
	CanPay bool
	// AwaitingManual says the shop waits for a bank transfer or payment on delivery.
	AwaitingManual bool
	PayURL         string
	InvoiceURL     string
	// TaxLines break the tax down by rate, for the invoice.
	TaxLines []taxLineView
}

type orderLineView struct {
	Name      string
	Options   string
	SKU       string
	Quantity  string
	UnitPrice string
	Total     string
	TaxRate   string
	// Shipped is how many units have shipped, shown once some have.
	Shipped string
}

type orderTotalsView struct {
	Subtotal      string
	Discount      string
	DiscountLabel string
	Shipping      string
	ShippingLabel string
	TaxLabel      string
	Tax           string
	TaxIncluded   bool
	// Untaxed says the destination charged no tax: the order page then says nothing about
	// tax, as checkout did, not "incl. VAT $0.00". The invoice states it anyway.
	Untaxed  bool
	Total    string
	Refunded string
}

type fulfillmentView struct {
	Date           string
	Carrier        string
	TrackingNumber string
	// TrackingURL is linked only when it is an http(s) address.
	TrackingURL string
	Items       []string
}

type taxLineView struct {
	Label  string
	Amount string
}

// orderDetails is everything the order pages show about one order.
type orderDetails struct {
	Order        orders.Order
	Lines        []orders.OrderLine
	Fulfillments []orders.Fulfillment
	// Provider is the payment's provider, "" when there is no payment.
	Provider string
}

// loadOrderDetails reads an order's lines, shipments and payment provider.
func (h *Handler) loadOrderDetails(ctx context.Context, o orders.Order) (orderDetails, error) {
	d := orderDetails{Order: o}
	var err error
	if d.Lines, err = h.d.Orders.Lines(ctx, o); err != nil {
		return d, err
	}
	// The fulfilment status moves in the transaction that records each shipment: an
	// unfulfilled order (every order just placed) has none to look for.
	if o.FulfillmentStatus != orders.FulfillmentUnfulfilled {
		if d.Fulfillments, err = h.d.Orders.Fulfillments(ctx, o.ID); err != nil {
			return d, err
		}
	}
	if o.PaymentID != 0 {
		p, err := h.d.Payments.FindPayment(ctx, payments.PaymentID(o.PaymentID))
		if err != nil {
			return d, fmt.Errorf("ordersweb: payment of order %d: %w", o.Number, err)
		}
		d.Provider = p.Provider
	}
	return d, nil
}

// newOrderView is the order as shoppers see it, its dates in loc (the store's zone).
func newOrderView(d orderDetails, loc *time.Location) orderView {
	o := d.Order
	v := orderView{
		Number: orderNumber(o.Number), NumberPlain: strconv.FormatInt(o.Number, 10), Token: o.Token,
		PlacedAt: formatDate(o.CreatedAt, loc), Email: o.Email,
		Status: statusWords(o.Status), StatusCode: o.Status,
		PaymentStatus: paymentWords(o.PaymentStatus), PaymentCode: o.PaymentStatus,
		FulfillmentStatus: fulfillmentWords(o.FulfillmentStatus),
		CancelReason:      o.CancelReason, ShippingMethod: o.ShippingMethod,
		ShippingAddress: addressLines(o.ShippingAddress), BillingAddress: addressLines(o.BillingAddress),
		PayURL: orderPath(o.Token) + "/pay", InvoiceURL: orderPath(o.Token) + "/invoice",
		Invoice: orders.InvoiceLabel(o.InvoiceNumber),
	}
	if o.InvoicedAt != nil {
		v.InvoicedAt = formatDate(*o.InvoicedAt, loc)
	}
	unpaid := o.Status == orders.StatusOpen && o.GrandTotal.Minor > 0 &&
		(o.PaymentStatus == orders.PaymentPending || o.PaymentStatus == orders.PaymentFailed || o.PaymentStatus == orders.PaymentVoided)
	v.CanPay = unpaid && d.Provider != "" && d.Provider != payments.ProviderManual
	v.AwaitingManual = unpaid && d.Provider == payments.ProviderManual

	names := map[int64]string{}
	taxByRate := map[int]int64{}
	for _, l := range d.Lines {
		name := l.Name
		if l.Options != "" {
			name += " (" + l.Options + ")"
		}
		names[l.ID] = name
		lv := orderLineView{Name: l.Name, Options: l.Options, SKU: l.SKU, Quantity: strconv.Itoa(l.Quantity),
			UnitPrice: l.UnitPrice.String(), Total: l.Gross.String(), TaxRate: basisPoints(l.TaxRate)}
		if l.FulfilledQuantity > 0 {
			lv.Shipped = strconv.Itoa(l.FulfilledQuantity)
		}
		v.Lines = append(v.Lines, lv)
		taxByRate[l.TaxRate] += l.Tax.Minor
	}
	rates := make([]int, 0, len(taxByRate))
	for r := range taxByRate {
		rates = append(rates, r)
	}
	sort.Ints(rates)
	for _, r := range rates {
		if r == 0 {
			continue
		}
		v.TaxLines = append(v.TaxLines, taxLineView{Label: "Tax at " + basisPoints(r) + " on goods",
			Amount: money.New(taxByRate[r], o.GrandTotal.Currency).String()})
	}
	if !o.ShippingTax.IsZero() {
		v.TaxLines = append(v.TaxLines, taxLineView{Label: "Tax on shipping", Amount: o.ShippingTax.String()})
	}

	t := orderTotalsView{Subtotal: o.Subtotal.String(), Shipping: priceOrFree(o.ShippingTotal),
		ShippingLabel: "Shipping", Tax: o.TaxTotal.String(), TaxIncluded: o.TaxIncluded,
		TaxLabel: taxLabel(o.TaxIncluded, ""), Total: o.GrandTotal.String(), Untaxed: o.TaxTotal.IsZero()}
	if o.ShippingMethod != "" {
		t.ShippingLabel = "Shipping (" + o.ShippingMethod + ")"
	}
	if o.DiscountCode != "" {
		t.DiscountLabel = "Discount (" + o.DiscountCode + ")"
		t.Discount = "−" + o.DiscountTotal.String()
		if o.DiscountTotal.IsZero() {
			t.Discount = "Free shipping"
		}
	}
	if !o.RefundedTotal.IsZero() {
		t.Refunded = "−" + o.RefundedTotal.String()
	}
	v.Totals = t

	for _, f := range d.Fulfillments {
		fv := fulfillmentView{Date: formatDate(f.CreatedAt, loc), Carrier: f.Carrier, TrackingNumber: f.TrackingNumber}
		if u := f.TrackingURL; strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
			fv.TrackingURL = u
		}
		ids := make([]int64, 0, len(f.Lines))
		for id := range f.Lines {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for _, id := range ids {
			fv.Items = append(fv.Items, strconv.Itoa(f.Lines[id])+" × "+names[id])
		}
		v.Fulfillments = append(v.Fulfillments, fv)
	}
	return v
}

// orderNumber is an order number as shoppers see it: "#1001".
func orderNumber(n int64) string { return "#" + strconv.FormatInt(n, 10) }

// formatDate is a day as shoppers read it, "27 November 2026", on the store's clock (loc):
// an order placed at 00:30 in Paris is dated that day, not the day before in UTC.
func formatDate(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2 January 2006")
}

// basisPoints writes a rate as a percentage: 2000 → "20%", 825 → "8.25%".
func basisPoints(bp int) string {
	s := strconv.Itoa(bp/100) + "." + fmt.Sprintf("%02d", bp%100)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".") + "%"
}

// statusWords is the order's status as a shopper would say it.
func statusWords(s string) string {
	switch s {
	case orders.StatusOpen:
		return "Received"
	case orders.StatusCancelled:
		return "Cancelled"
	case orders.StatusCompleted:
		return "Completed"
	}
	return s
}

// paymentWords is the order's payment status as a shopper would say it.
func paymentWords(s string) string {
	switch s {
	case orders.PaymentPending:
		return "Awaiting payment"
	case orders.PaymentAuthorized:
		return "Payment authorized"
	case orders.PaymentPaid:
		return "Paid"
	case orders.PaymentPartiallyRefunded:
		return "Partially refunded"
	case orders.PaymentRefunded:
		return "Refunded"
	case orders.PaymentFailed:
		return "Payment failed"
	case orders.PaymentVoided:
		return "Payment cancelled"
	}
	return s
}

// fulfillmentWords is how far the order has shipped, as a shopper would say it.
func fulfillmentWords(s string) string {
	switch s {
	case orders.FulfillmentUnfulfilled:
		return "Not shipped yet"
	case orders.FulfillmentPartial:
		return "Partially shipped"
	case orders.FulfillmentFulfilled:
		return "Shipped"
	}
	return s
}

// addressLines is a snapshotted address as it is written on an envelope.
func addressLines(a orders.AddressDetails) []string {
	var out []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	add(a["name"])
	add(a["company"])
	add(a["line1"])
	add(a["line2"])
	add(strings.TrimSpace(a["postal_code"] + " " + a["city"]))
	add(a["region"])
	if c := a["country"]; c != "" {
		add(orders.CountryName(c))
	}
	add(a["phone"])
	return out
}

// orderCrumbs is the trail of an order page reached by its link.
func orderCrumbs(v orderView) []web.Crumb {
	return []web.Crumb{{Label: "Home", URL: "/"}, {Label: "Order " + v.Number, URL: orderPath(v.Token)}}
}
