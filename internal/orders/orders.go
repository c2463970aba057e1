package orders

import (
	"fmt"
	"time"

	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// Order statuses (the order as a whole).
const (
	StatusOpen      = "open"
	StatusCancelled = "cancelled"
	StatusCompleted = "completed"
)

// Payment statuses, mirroring the payments module's states.
const (
	PaymentPending           = "pending"
	PaymentAuthorized        = "authorized"
	PaymentPaid              = "paid"
	PaymentPartiallyRefunded = "partially_refunded"
	PaymentRefunded          = "refunded"
	PaymentFailed            = "failed"
	PaymentVoided            = "voided"
)

// Fulfilment statuses.
const (
	FulfillmentUnfulfilled = "unfulfilled"
	FulfillmentPartial     = "partially_fulfilled"
	FulfillmentFulfilled   = "fulfilled"
)

// Order event types recorded in the timeline. The payment events are written by the
// payments module's hooks (actor "payments:<provider>"); the others by the transition
// they name, with the staff member ("staff:<email>"), the shopper or "system" as actor.
const (
	EventPlaced            = "placed"
	EventPaid              = "paid"
	EventPaymentFailed     = "payment_failed"
	EventPaymentAuthorized = "payment_authorized"
	EventPaymentVoided     = "payment_voided"
	EventExpired           = "expired"
	// EventMarkedPaid: staff recorded a manual payment (the "paid" event follows from it).
	EventMarkedPaid = "marked_paid"
	// EventCaptured: staff captured an authorized payment.
	EventCaptured  = "captured"
	EventFulfilled = "fulfilled"
	EventCancelled = "cancelled"
	// EventRefundIssued: staff gave money back (amount, reason); EventRefunded follows
	// when the provider confirms, and also records refunds made at the provider.
	EventRefundIssued = "refund_issued"
	EventRefunded     = "refunded"
	// EventRestocked: units went back into stock (a refund's restock, or the unshipped
	// units of a cancelled order).
	EventRestocked = "restocked"
	// EventCompleted: everything shipped and the money is in; nothing is left to do.
	EventCompleted = "completed"
	EventNote      = "note"
)

// AddressDetails is a full postal address as the shopper typed it (name, lines, city,
// postal code, country, phone, ...), snapshotted into the order as JSON.
type AddressDetails map[string]string

// Order is a placed order with its snapshot of totals and addresses.
type Order struct {
	ID     int64
	Number int64
	// Token is the unguessable name for guest links (/orders/{token}).
	Token             string
	AccountID         *int64
	Email             string
	Status            string
	PaymentStatus     string
	FulfillmentStatus string
	Subtotal          money.Amount
	DiscountTotal     money.Amount
	ShippingTotal     money.Amount
	ShippingTax       money.Amount
	TaxTotal          money.Amount
	GrandTotal        money.Amount
	TaxIncluded       bool
	ShippingMethod    string
	ShippingAddress   AddressDetails
	BillingAddress    AddressDetails
	DiscountCode      string
	IdempotencyKey    string
	ExpiresAt         *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
	// PaymentID is the payments module's id of the payment created with the order (0 when
	// nothing was to be paid).
	PaymentID        int64
	ShippingMethodID int64
	// PaymentProvider and Payment are the payment PlaceOrder just created; empty on orders
	// read back from the database (ask the payments module).
	PaymentProvider string
	Payment         *payments.Payment
	// RefundedTotal is what has been given back so far.
	RefundedTotal money.Amount
	PaidAt        *time.Time
	CancelledAt   *time.Time
	CancelReason  string
	// InvoiceNumber is the order's place in the unbroken invoice series and InvoicedAt
	// the invoice's date, given within seconds of payment (IssueInvoices); 0 and nil
	// before that, and for an order never paid or paid only after it was cancelled.
	InvoiceNumber int64
	InvoicedAt    *time.Time
	// AnonymisedAt is when the customer's account deletion erased the order's contact
	// details (privacy.go); nil for every other order.
	AnonymisedAt *time.Time
	// InvoiceBuyer is the name and billing address an erased order's invoice still shows,
	// kept until Service.InvoiceBuyerKeptUntil; nil when none is kept.
	InvoiceBuyer AddressDetails
}

// InvoiceLabel is how an invoice number is printed: "INV-000042", "" for none. The
// prefix keeps it from being read as an order number, which is another series.
func InvoiceLabel(n int64) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("INV-%06d", n)
}

// Anonymised reports whether the customer deleted their account and the order no longer
// says who they were (beyond InvoiceBuyer).
func (o Order) Anonymised() bool { return o.AnonymisedAt != nil }

// OrderLine is one snapshotted line of an order.
type OrderLine struct {
	ID        int64
	VariantID int64
	SKU       string
	Name      string
	Options   string
	Quantity  int
	UnitPrice money.Amount
	Gross     money.Amount
	Discount  money.Amount
	Tax       money.Amount
	TaxRate   int
	// WeightGrams is the weight of one unit when the order was placed.
	WeightGrams int
	// FulfilledQuantity is how many units have shipped; RestockedQuantity how many were
	// put back into stock by a cancellation or refund. A restock takes the unshipped
	// units first (they are released, never shipped), then shipped ones (returned).
	FulfilledQuantity int
	RestockedQuantity int
}

// Remaining is how many units of the line are still to ship: neither shipped nor
// restocked before shipping.
func (l OrderLine) Remaining() int { return max(0, l.Quantity-l.FulfilledQuantity-l.RestockedQuantity) }

// unshippedRestocked is how many restocked units were released before they shipped;
// the rest of RestockedQuantity came back after shipping (see RestockedQuantity).
func (l OrderLine) unshippedRestocked() int {
	return min(l.RestockedQuantity, l.Quantity-l.FulfilledQuantity)
}

// Restockable is how many units can still go back into stock.
func (l OrderLine) Restockable() int { return l.Quantity - l.RestockedQuantity }

// Fulfillment is one shipment of some or all of an order's lines.
type Fulfillment struct {
	ID             int64
	Carrier        string
	TrackingNumber string
	TrackingURL    string
	Actor          string
	CreatedAt      time.Time
	// Lines maps order line id → quantity shipped in this fulfilment.
	Lines map[int64]int
}

// OrderEvent is one entry of an order's timeline.
type OrderEvent struct {
	ID        int64
	Type      string
	Actor     string
	Data      map[string]any
	CreatedAt time.Time
}

// DiscountCode is a code as stored in the back office.
type DiscountCode struct {
	ID               int64
	Code             string
	Kind             DiscountKind
	BasisPoints      int
	Amount           money.Amount
	MinSubtotal      money.Amount
	StartsAt         *time.Time
	EndsAt           *time.Time
	UsageLimit       *int
	UsedCount        int
	PerCustomerLimit *int
	Active           bool
}
