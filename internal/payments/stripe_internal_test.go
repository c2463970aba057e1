package payments

import (
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v82"

	"github.com/monoshop/monoshop/internal/platform/money"
)

// TestStripeStatus covers the states stripe-mock cannot show (its fixtures are one open
// session): what each combination of session and payment intent means for the shop.
func TestStripeStatus(t *testing.T) {
	t.Parallel()

	declined := &stripe.Error{Type: stripe.ErrorTypeCard, Code: stripe.ErrorCodeCardDeclined, DeclineCode: "insufficient_funds"}
	debitFailed := &stripe.Error{Type: stripe.ErrorTypeInvalidRequest, Code: "payment_method_provider_decline"}
	session := func(status stripe.CheckoutSessionStatus, paid stripe.CheckoutSessionPaymentStatus, pi *stripe.PaymentIntent) *stripe.CheckoutSession {
		return &stripe.CheckoutSession{ID: "cs_test_1", Status: status, PaymentStatus: paid, AmountTotal: 1250, Currency: "eur", PaymentIntent: pi}
	}
	intent := func(status stripe.PaymentIntentStatus, lastErr *stripe.Error, refunded int64) *stripe.PaymentIntent {
		pi := &stripe.PaymentIntent{ID: "pi_1", Status: status, Amount: 1250, Currency: "eur", LastPaymentError: lastErr}
		if status == stripe.PaymentIntentStatusSucceeded {
			pi.LatestCharge = &stripe.Charge{ID: "ch_1", Amount: 1250, AmountRefunded: refunded, Currency: "eur"}
		}
		return pi
	}
	const (
		open     = stripe.CheckoutSessionStatusOpen
		complete = stripe.CheckoutSessionStatusComplete
		expired  = stripe.CheckoutSessionStatusExpired
		paid     = stripe.CheckoutSessionPaymentStatusPaid
		unpaid   = stripe.CheckoutSessionPaymentStatusUnpaid
	)
	eur := func(minor int64) money.Amount { return money.New(minor, "EUR") }

	for _, tc := range []struct {
		name     string
		sess     *stripe.CheckoutSession
		want     State
		refunded money.Amount
		reason   string
	}{
		{"OpenNobodyPaidYet", session(open, unpaid, nil), StatePending, money.Amount{}, ""},
		{"OpenAfterDeclinedCard", session(open, unpaid, intent(stripe.PaymentIntentStatusRequiresPaymentMethod, declined, 0)), StatePending, money.Amount{}, ""},
		{"OpenProcessing", session(open, unpaid, intent(stripe.PaymentIntentStatusProcessing, nil, 0)), StatePending, money.Amount{}, ""},
		{"CompletePaid", session(complete, paid, intent(stripe.PaymentIntentStatusSucceeded, nil, 0)), StatePaid, eur(0), ""},
		{"IntentSucceededBeforeSessionSaysSo", session(open, unpaid, intent(stripe.PaymentIntentStatusSucceeded, nil, 0)), StatePaid, eur(0), ""},
		{"PartiallyRefunded", session(complete, paid, intent(stripe.PaymentIntentStatusSucceeded, nil, 500)), StatePartiallyRefunded, eur(500), ""},
		{"Refunded", session(complete, paid, intent(stripe.PaymentIntentStatusSucceeded, nil, 1250)), StateRefunded, eur(1250), ""},
		{"Authorized", session(complete, unpaid, intent(stripe.PaymentIntentStatusRequiresCapture, nil, 0)), StateAuthorized, money.Amount{}, ""},
		{"AuthorizationCancelled", session(complete, unpaid, intent(stripe.PaymentIntentStatusCanceled, nil, 0)), StateVoided, money.Amount{}, ""},
		{"AsyncPaymentStillProcessing", session(complete, unpaid, intent(stripe.PaymentIntentStatusProcessing, nil, 0)), StatePending, money.Amount{}, ""},
		{"AsyncPaymentFailed", session(complete, unpaid, intent(stripe.PaymentIntentStatusRequiresPaymentMethod, debitFailed, 0)), StateFailed, money.Amount{}, "payment_method_provider_decline"},
		{"ExpiredUntouched", session(expired, unpaid, nil), StateVoided, money.Amount{}, ""},
		// Voided, not failed: the session is over and no money moved, and a void of it
		// must be able to succeed.
		{"ExpiredAfterDeclinedCard", session(expired, unpaid, intent(stripe.PaymentIntentStatusRequiresPaymentMethod, declined, 0)), StateVoided, money.Amount{}, "insufficient_funds"},
		{"ExpiredAndCancelled", session(expired, unpaid, intent(stripe.PaymentIntentStatusCanceled, nil, 0)), StateVoided, money.Amount{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := stripeStatus(tc.sess)
			require.Equal(t, tc.want, st.State)
			require.Equal(t, eur(1250), st.Amount, "the session's total, in the shop's terms")
			require.Equal(t, tc.refunded, st.Refunded)
			require.Equal(t, tc.reason, st.FailureReason)
		})
	}

	t.Run("AmountFromIntentWhenSessionHasNone", func(t *testing.T) {
		sess := &stripe.CheckoutSession{Status: open, PaymentIntent: &stripe.PaymentIntent{Amount: 999, Currency: "usd"}}
		require.Equal(t, money.New(999, "USD"), stripeStatus(sess).Amount)
	})
}
