package orders

import (
	"time"

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

// Order event types recorded in the timeline.
const (
	EventPlaced        = "placed"
	EventPaid          = "paid"
	EventPaymentFailed = "payment_failed"
	EventExpired       = "expired"
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
	// RefundedTotal is what has been given back so far.
	RefundedTotal money.Amount
	PaidAt        *time.Time
	CancelledAt   *time.Time
	CancelReason  string
}

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
	// put back into stock by a cancellation or refund.
	FulfilledQuantity int
	RestockedQuantity int
}

// Remaining is how many units of the line are still to ship.
func (l OrderLine) Remaining() int { return l.Quantity - l.FulfilledQuantity }

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
