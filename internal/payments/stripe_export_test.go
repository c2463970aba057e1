package payments

import "log/slog"

// NewStripeProvider hands the Stripe provider itself to the tests of payments_test, so
// they can check its answers to calls the service only makes for payments in a given
// state (a capture needs an authorized payment, a refund a paid one).
func NewStripeProvider(cfg StripeConfig, log *slog.Logger) (Provider, error) {
	p, err := newStripeProvider(cfg, log)
	if err != nil {
		return nil, err
	}
	return p, nil
}
