package payments

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// Provider is a payment provider with hosted payment pages and webhooks. Implementations
// translate between the provider's API and these types; the rules (state machine,
// deduplication, hooks) stay in Service.
//
// Every method that changes something at the provider takes an idempotency key: calling
// it again with the same key must return the first call's result rather than repeat the
// operation. Capture and Void return the payment's status after the attempt (a Void that
// comes too late reports "paid"); an error means the provider could not be asked or
// refused the request itself.
type Provider interface {
	// Name is the provider's name in payments.payments.provider and in the webhook URL
	// (/webhooks/payments/{name}).
	Name() string
	// Begin opens the provider's payment for req and returns the URL of its hosted page
	// ("" when the shopper is not sent anywhere, as for bank transfers) and the
	// provider's reference for the payment.
	Begin(ctx context.Context, req BeginRequest) (redirectURL, providerRef string, err error)
	// Status asks the provider where the payment stands.
	Status(ctx context.Context, providerRef string) (ProviderStatus, error)
	// Capture takes authorized money.
	Capture(ctx context.Context, providerRef string, amount money.Amount, idempotencyKey string) (ProviderStatus, error)
	// Refund gives amount back.
	Refund(ctx context.Context, providerRef string, amount money.Amount, idempotencyKey string) (ProviderRefund, error)
	// Void cancels a payment no money has moved for yet.
	Void(ctx context.Context, providerRef string, idempotencyKey string) (ProviderStatus, error)
	// ParseWebhook verifies the request's signature and reads the event. A bad signature
	// or a malformed body is an apperr.Invalid error.
	ParseWebhook(r *http.Request) (WebhookEvent, error)
}

// BeginRequest is what a provider needs to open a hosted payment page.
type BeginRequest struct {
	PaymentID PaymentID
	Amount    money.Amount
	// Reference is the order's reference, shown to the shopper and kept by the provider.
	Reference   string
	Description string
	// ReturnURL is where the provider sends the shopper after paying (or failing to);
	// CancelURL where "cancel" on its page leads.
	ReturnURL      string
	CancelURL      string
	IdempotencyKey string
}

// ProviderStatus is what a provider says about a payment.
type ProviderStatus struct {
	State State
	// Amount is what the payment is for, as the provider knows it (zero if not said).
	Amount money.Amount
	// Refunded is what the provider has given back in all.
	Refunded      money.Amount
	FailureReason string
}

// ProviderRefund is a provider's answer to a refund request.
type ProviderRefund struct {
	Ref           string
	State         RefundState
	FailureReason string
}

// WebhookEvent is a verified webhook, in our terms.
type WebhookEvent struct {
	// ID is the provider's event id; the same event delivered twice has the same ID.
	ID string
	// Type is the provider's event type, kept for the record.
	Type string
	// ProviderRef names the payment.
	ProviderRef string
	// Status is what the event says about the payment; a zero State means the event
	// carries nothing we act on (it is acknowledged and dropped).
	Status ProviderStatus
	// Payload is the event as received, stored in payments.events.
	Payload []byte
}

// errNoRemoteStatus is what a provider without state of its own (manual) answers to
// Status: there is nobody to ask.
var errNoRemoteStatus = errors.New("payments: this provider keeps no state to ask about")

// manualProvider is for money that does not pass through a payment provider: bank
// transfer, cash on delivery. There is no page to send the shopper to and nobody who
// could send a webhook; staff record the payment with MarkPaidManually, and a refund is
// money staff send back themselves, recorded here.
type manualProvider struct{}

func (manualProvider) Name() string { return ProviderManual }

func (manualProvider) Begin(_ context.Context, req BeginRequest) (string, string, error) {
	// The reference only has to be unique among manual payments; the payment id is.
	return "", "manual_" + strconv.FormatInt(int64(req.PaymentID), 10), nil
}

func (manualProvider) Status(context.Context, string) (ProviderStatus, error) {
	return ProviderStatus{}, errNoRemoteStatus
}

func (manualProvider) Capture(context.Context, string, money.Amount, string) (ProviderStatus, error) {
	return ProviderStatus{}, apperr.New(apperr.Conflict, "A manual payment is marked paid by staff, not captured.")
}

func (manualProvider) Refund(_ context.Context, _ string, _ money.Amount, key string) (ProviderRefund, error) {
	return ProviderRefund{Ref: "manual_refund_" + key, State: RefundSucceeded}, nil
}

func (manualProvider) Void(context.Context, string, string) (ProviderStatus, error) {
	return ProviderStatus{State: StateVoided}, nil
}

func (manualProvider) ParseWebhook(*http.Request) (WebhookEvent, error) {
	return WebhookEvent{}, apperr.New(apperr.NotFound, "Manual payments receive no webhooks.")
}
