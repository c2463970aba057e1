package payments

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/platform/money"
)

// PaymentID identifies a payment inside the shop; shoppers see Token instead.
type PaymentID int64

// State is where a payment stands.
type State string

const (
	// StatePending: created, possibly begun; the shopper has not finished paying (or, for
	// manual payments, staff have not seen the money yet).
	StatePending State = "pending"
	// StateAuthorized: the provider holds the money; Capture takes it, Void releases it.
	StateAuthorized State = "authorized"
	// StatePaid: the money is ours.
	StatePaid State = "paid"
	// StatePartiallyRefunded: paid, and some of it given back.
	StatePartiallyRefunded State = "partially_refunded"
	// StateRefunded: paid, and all of it given back.
	StateRefunded State = "refunded"
	// StateFailed: the provider refused the payment (declined card, failed confirmation).
	StateFailed State = "failed"
	// StateVoided: cancelled before any money moved.
	StateVoided State = "voided"
)

// allowedNext is the state machine. Anything not listed is refused, which is what makes
// late and duplicate events harmless: "failed" after "paid", "authorized" after "paid" or
// "paid" twice change nothing.
//
// failed → authorized/paid is allowed on purpose: "failed" records that an attempt was
// refused, but a provider that later reports the money taken (a shopper retrying on the
// provider's page) is telling the truth about money, and ignoring it would lose a paid
// order. voided is final: a void is confirmed by the provider before we record it.
var allowedNext = map[State][]State{
	StatePending:           {StateAuthorized, StatePaid, StateFailed, StateVoided},
	StateAuthorized:        {StatePaid, StateVoided},
	StateFailed:            {StateAuthorized, StatePaid},
	StatePaid:              {StatePartiallyRefunded, StateRefunded},
	StatePartiallyRefunded: {StatePartiallyRefunded, StateRefunded},
}

// CanMove reports whether the state machine allows from → to.
func CanMove(from, to State) bool {
	for _, s := range allowedNext[from] {
		if s == to {
			return true
		}
	}
	return false
}

// valid reports whether s is one of the states above.
func (s State) valid() bool {
	switch s {
	case StatePending, StateAuthorized, StatePaid, StatePartiallyRefunded, StateRefunded, StateFailed, StateVoided:
		return true
	}
	return false
}

// Names of the built-in providers.
const (
	ProviderTest   = "test"
	ProviderManual = "manual"
)

// Payment is one request for money for an order.
type Payment struct {
	ID PaymentID
	// Token is the payment's unguessable public name.
	Token string
	// OrderRef is the orders module's reference, as it gave it to Create.
	OrderRef    string
	Description string
	Amount      money.Amount
	// Refunded is what has been given back so far (same currency as Amount).
	Refunded money.Amount
	Provider string
	// ProviderRef is the provider's id for the payment, empty until Begin.
	ProviderRef   string
	State         State
	FailureReason string
	CreatedAt     time.Time
	UpdatedAt     time.Time

	// idempotencyKey is Create's key, from which Begin derives the provider's.
	idempotencyKey string
}

// Refundable is what can still be refunded, not counting refunds in flight.
func (p Payment) Refundable() money.Amount {
	return money.Amount{Minor: p.Amount.Minor - p.Refunded.Minor, Currency: p.Amount.Currency}
}

// CreateInput describes a payment to create.
type CreateInput struct {
	// OrderRef is the caller's reference (an order id or number as text), at most 100
	// characters. It is shown to the shopper on the provider's page.
	OrderRef string
	Amount   money.Amount
	// Provider names the provider; empty means Config.DefaultProvider.
	Provider string
	// Description is shown on the provider's page; empty means "Order <OrderRef>".
	Description string
	// IdempotencyKey makes Create idempotent: a second Create with the same key returns
	// the first payment (and Conflict if it differs). Empty: a random key.
	IdempotencyKey string
}

// RefundID identifies a refund.
type RefundID int64

// RefundState is where a refund stands.
type RefundState string

const (
	// RefundPending: written, the provider's answer not yet recorded.
	RefundPending RefundState = "pending"
	// RefundSucceeded: the provider gave the money back.
	RefundSucceeded RefundState = "succeeded"
	// RefundFailed: the provider refused.
	RefundFailed RefundState = "failed"
)

// Refund is money given back on a payment.
type Refund struct {
	ID             RefundID
	PaymentID      PaymentID
	Amount         money.Amount
	IdempotencyKey string
	ProviderRef    string
	State          RefundState
	FailureReason  string
	CreatedAt      time.Time
}

// Event is one thing that happened to a payment: a provider's webhook, a status query's
// answer, or an action of ours.
type Event struct {
	ID              int64
	PaymentID       PaymentID
	Provider        string
	ProviderEventID string
	Type            string
	// ReportedState is what the event said the payment's state was ("" for none).
	ReportedState State
	// Applied is false for an event that changed nothing (late, or refused).
	Applied    bool
	Note       string
	ReceivedAt time.Time
}

// Hook is called inside the transaction that moves a payment to a state, with the
// payment as it is after the change. Returning an error rolls the change back (and, for a
// webhook, makes the provider deliver it again). cmd/shop subscribes the orders module.
type Hook func(ctx context.Context, tx pgx.Tx, p Payment) error

// RefundHook is called inside the transaction that records a succeeded refund.
type RefundHook func(ctx context.Context, tx pgx.Tx, p Payment, r Refund) error
