package payments

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// ProviderStripe is the name of the Stripe provider (Stripe Checkout).
const ProviderStripe = "stripe"

// StripeConfig configures the Stripe provider.
type StripeConfig struct {
	// SecretKey is the account's API secret key (sk_live_... or sk_test_...).
	SecretKey string
	// WebhookSecret is the signing secret of the webhook endpoint (whsec_...) that points
	// at /webhooks/payments/stripe.
	WebhookSecret string
	// APIBase is where the API is reached; "" means Stripe itself. Tests point it at
	// stripe-mock.
	APIBase string
	// BaseURL is the shop's public URL (SHOP_BASE_URL). Stripe only sends shoppers back to
	// absolute URLs, while Service.Begin also takes paths on this site; those are made
	// absolute with it.
	BaseURL string
	// HTTPClient makes the API calls; nil means a client with a 30s timeout.
	HTTPClient *http.Client
}

const (
	stripeSignatureHeader = "Stripe-Signature"
	// stripeMaxWebhookBody caps a Stripe event. They are larger than the test gateway's
	// (a charge carries its refunds), but far below this.
	stripeMaxWebhookBody = 512 << 10
	stripeHTTPTimeout    = 30 * time.Second
	// stripeMetaPaymentID names our payment in the metadata of the sessions and payment
	// intents we create: it tells our events from those of other integrations on the
	// same account.
	stripeMetaPaymentID = "payment_id"
	stripeMetaReference = "reference"
	// stripeMetaRefundKey keeps our idempotency key on a refund, to find it again.
	stripeMetaRefundKey = "refund_key"
	// stripeExpandPayment is what Status needs in one call: the payment intent (its
	// state) and its charge (what was refunded).
	stripeExpandPayment = "payment_intent.latest_charge"
)

// stripeProvider is Stripe Checkout behind the Provider interface: Begin opens a hosted
// Checkout Session, and the session's id is our provider reference; the payment intent
// behind it is looked up from the session whenever money has to move.
type stripeProvider struct {
	client        *stripe.Client
	webhookSecret string
	baseURL       *url.URL
}

func newStripeProvider(cfg StripeConfig, log *slog.Logger) (*stripeProvider, error) {
	if cfg.SecretKey == "" {
		return nil, errors.New("payments: stripe needs a secret key")
	}
	if cfg.WebhookSecret == "" {
		return nil, errors.New("payments: stripe needs a webhook signing secret")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := &stripeProvider{webhookSecret: cfg.WebhookSecret}
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("payments: stripe base URL %q is not an absolute http(s) URL", cfg.BaseURL)
		}
		p.baseURL = u
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: stripeHTTPTimeout}
	}
	// Backends of our own: stripe-go's package-level defaults (stripe.Key, the default
	// backends and logger) are global state shared by everything in the process.
	bc := &stripe.BackendConfig{
		HTTPClient:    hc,
		LeveledLogger: stripeLogger{log: log.With("provider", ProviderStripe)},
	}
	if cfg.APIBase != "" {
		u, err := url.Parse(cfg.APIBase)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("payments: stripe API base %q is not an absolute http(s) URL", cfg.APIBase)
		}
		bc.URL = stripe.String(cfg.APIBase)
	}
	p.client = stripe.NewClient(cfg.SecretKey, stripe.WithBackends(stripe.NewBackendsWithConfig(bc)))
	return p, nil
}

// Name implements Provider.
func (*stripeProvider) Name() string { return ProviderStripe }

// Begin implements Provider: it creates a Checkout Session and returns its hosted page
// and its id. The idempotency key makes a repeated Begin return the same session.
func (p *stripeProvider) Begin(ctx context.Context, req BeginRequest) (string, string, error) {
	success, err := p.absolute(req.ReturnURL)
	if err != nil {
		return "", "", err
	}
	cancel := success
	if req.CancelURL != "" {
		if cancel, err = p.absolute(req.CancelURL); err != nil {
			return "", "", err
		}
	}
	meta := map[string]string{
		stripeMetaPaymentID: strconv.FormatInt(int64(req.PaymentID), 10),
		stripeMetaReference: req.Reference,
	}
	params := &stripe.CheckoutSessionCreateParams{
		Mode: stripe.String(string(stripe.CheckoutSessionModePayment)),
		LineItems: []*stripe.CheckoutSessionCreateLineItemParams{{
			Quantity: stripe.Int64(1),
			PriceData: &stripe.CheckoutSessionCreateLineItemPriceDataParams{
				Currency:    stripe.String(strings.ToLower(req.Amount.Currency)),
				UnitAmount:  stripe.Int64(req.Amount.Minor),
				ProductData: &stripe.CheckoutSessionCreateLineItemPriceDataProductDataParams{Name: stripe.String(req.Description)},
			},
		}},
		SuccessURL:        stripe.String(success),
		CancelURL:         stripe.String(cancel),
		ClientReferenceID: stripe.String(strconv.FormatInt(int64(req.PaymentID), 10)),
		Metadata:          meta,
		// The payment intent and its charges carry the metadata too, so their events can
		// be told apart from those of other integrations on the account.
		PaymentIntentData: &stripe.CheckoutSessionCreatePaymentIntentDataParams{
			Description: stripe.String(req.Description),
			Metadata:    meta,
		},
		// Adaptive Pricing would charge the shopper in another currency; the amounts Stripe
		// reports (and the refunds we ask for) must stay in the order's currency, or the
		// shop could no longer check them against the order.
		AdaptivePricing: &stripe.CheckoutSessionCreateAdaptivePricingParams{Enabled: stripe.Bool(false)},
	}
	params.SetIdempotencyKey(req.IdempotencyKey)
	sess, err := p.client.V1CheckoutSessions.Create(ctx, params)
	if err != nil {
		return "", "", fmt.Errorf("stripe: create checkout session for payment %d: %w", req.PaymentID, err)
	}
	if sess.URL == "" {
		return "", "", fmt.Errorf("stripe: checkout session %s for payment %d has no URL", sess.ID, req.PaymentID)
	}
	return sess.URL, sess.ID, nil
}

// absolute makes a return URL that is a path on this site absolute.
func (p *stripeProvider) absolute(u string) (string, error) {
	switch {
	case u == "":
		return "", apperr.New(apperr.Invalid, "Stripe needs a return URL.")
	case !strings.HasPrefix(u, "/"):
		return u, nil
	case p.baseURL == nil:
		return "", fmt.Errorf("stripe: return URL %q is a path and no base URL is configured", u)
	}
	ref, err := url.Parse(u)
	if err != nil {
		return "", fmt.Errorf("stripe: return URL %q: %w", u, err)
	}
	return p.baseURL.ResolveReference(ref).String(), nil
}

// Status implements Provider.
func (p *stripeProvider) Status(ctx context.Context, ref string) (ProviderStatus, error) {
	sess, err := p.session(ctx, ref)
	if err != nil {
		return ProviderStatus{}, err
	}
	return stripeStatus(sess), nil
}

func (p *stripeProvider) session(ctx context.Context, ref string) (*stripe.CheckoutSession, error) {
	params := &stripe.CheckoutSessionRetrieveParams{}
	params.AddExpand(stripeExpandPayment)
	sess, err := p.client.V1CheckoutSessions.Retrieve(ctx, ref, params)
	if err != nil {
		return nil, fmt.Errorf("stripe: retrieve checkout session %s: %w", ref, err)
	}
	return sess, nil
}

// Capture implements Provider: it captures the session's payment intent. Stripe decides
// whether it can be captured; one already captured is reported paid without a call.
func (p *stripeProvider) Capture(ctx context.Context, ref string, amount money.Amount, key string) (ProviderStatus, error) {
	sess, err := p.session(ctx, ref)
	if err != nil {
		return ProviderStatus{}, err
	}
	pi := sess.PaymentIntent
	switch {
	case pi == nil:
		return ProviderStatus{}, apperr.New(apperr.Conflict, "Nothing has been paid at Stripe yet, so there is nothing to capture.")
	case pi.Status == stripe.PaymentIntentStatusSucceeded:
		return stripeStatus(sess), nil
	}
	params := &stripe.PaymentIntentCaptureParams{AmountToCapture: stripe.Int64(amount.Minor)}
	params.AddExpand("latest_charge")
	params.SetIdempotencyKey(key)
	captured, err := p.client.V1PaymentIntents.Capture(ctx, pi.ID, params)
	if err != nil {
		if refused(err) {
			return ProviderStatus{}, apperr.Wrap(fmt.Errorf("stripe: capture payment intent %s: %w", pi.ID, err),
				apperr.Conflict, "Stripe refused to capture this payment.")
		}
		return ProviderStatus{}, fmt.Errorf("stripe: capture payment intent %s: %w", pi.ID, err)
	}
	sess.PaymentIntent = captured
	return stripeStatus(sess), nil
}

// Refund implements Provider: it refunds amount of the session's payment intent. A
// refund Stripe refuses outright (already refunded, more than was paid) is a failed
// refund, not an error: asking again would be refused again.
func (p *stripeProvider) Refund(ctx context.Context, ref string, amount money.Amount, key string) (ProviderRefund, error) {
	sess, err := p.client.V1CheckoutSessions.Retrieve(ctx, ref, nil)
	if err != nil {
		return ProviderRefund{}, fmt.Errorf("stripe: retrieve checkout session %s: %w", ref, err)
	}
	if sess.PaymentIntent == nil {
		return ProviderRefund{State: RefundFailed, FailureReason: "nothing_paid"}, nil
	}
	intent := sess.PaymentIntent.ID
	// Stripe forgets idempotency keys after a day and replays its first answer until
	// then, so a refund still pending would be reported pending forever, and then made a
	// second time. The key kept in the refund's metadata finds it instead.
	if r, found, err := p.refundByKey(ctx, intent, key); err != nil || found {
		return r, err
	}
	params := &stripe.RefundCreateParams{
		PaymentIntent: stripe.String(intent),
		Amount:        stripe.Int64(amount.Minor),
		Metadata:      map[string]string{stripeMetaRefundKey: key},
	}
	if id := sess.Metadata[stripeMetaPaymentID]; id != "" {
		params.Metadata[stripeMetaPaymentID] = id
	}
	params.SetIdempotencyKey(key)
	r, err := p.client.V1Refunds.Create(ctx, params)
	if err != nil {
		if refused(err) {
			return ProviderRefund{State: RefundFailed, FailureReason: stripeErrorReason(err)}, nil
		}
		return ProviderRefund{}, fmt.Errorf("stripe: refund payment intent %s: %w", intent, err)
	}
	return stripeRefund(r), nil
}

// refundByKey finds the refund of intent made with key; found is false when there is
// none.
func (p *stripeProvider) refundByKey(ctx context.Context, intent, key string) (r ProviderRefund, found bool, err error) {
	params := &stripe.RefundListParams{PaymentIntent: stripe.String(intent)}
	params.Limit = stripe.Int64(100)
	for refund, err := range p.client.V1Refunds.List(ctx, params) {
		if err != nil {
			return ProviderRefund{}, false, fmt.Errorf("stripe: list refunds of payment intent %s: %w", intent, err)
		}
		if refund.Metadata[stripeMetaRefundKey] == key {
			return stripeRefund(refund), true, nil
		}
	}
	return ProviderRefund{}, false, nil
}

func stripeRefund(r *stripe.Refund) ProviderRefund {
	out := ProviderRefund{Ref: r.ID}
	switch r.Status {
	case stripe.RefundStatusSucceeded:
		out.State = RefundSucceeded
	case stripe.RefundStatusFailed, stripe.RefundStatusCanceled:
		out.State = RefundFailed
		out.FailureReason = string(r.FailureReason)
		if out.FailureReason == "" {
			out.FailureReason = string(r.Status)
		}
	default:
		// pending, requires_action: Stripe finishes it later; the recovery job asks
		// again, and finds it by its key.
		out.State = RefundPending
	}
	return out
}

// Void implements Provider. An open session is expired, which also cancels its payment
// intent (Stripe refuses to cancel an intent a Checkout Session still manages); an
// authorized intent of a completed session is cancelled. A session paid meanwhile is
// reported paid.
func (p *stripeProvider) Void(ctx context.Context, ref string, key string) (ProviderStatus, error) {
	sess, err := p.session(ctx, ref)
	if err != nil {
		return ProviderStatus{}, err
	}
	st, err := p.void(ctx, sess, key)
	if err != nil && refused(err) {
		// The shopper finished paying (or the session expired) between our two calls:
		// what Stripe says now is the answer.
		if sess, serr := p.session(ctx, ref); serr == nil {
			return stripeStatus(sess), nil
		}
	}
	return st, err
}

func (p *stripeProvider) void(ctx context.Context, sess *stripe.CheckoutSession, key string) (ProviderStatus, error) {
	pi := sess.PaymentIntent
	switch {
	case sess.Status == stripe.CheckoutSessionStatusOpen:
		params := &stripe.CheckoutSessionExpireParams{}
		params.AddExpand(stripeExpandPayment)
		params.SetIdempotencyKey(key)
		expired, err := p.client.V1CheckoutSessions.Expire(ctx, sess.ID, params)
		if err != nil {
			return ProviderStatus{}, fmt.Errorf("stripe: expire checkout session %s: %w", sess.ID, err)
		}
		return stripeStatus(expired), nil
	case pi != nil && pi.Status == stripe.PaymentIntentStatusRequiresCapture:
		params := &stripe.PaymentIntentCancelParams{}
		params.AddExpand("latest_charge")
		params.SetIdempotencyKey(key)
		canceled, err := p.client.V1PaymentIntents.Cancel(ctx, pi.ID, params)
		if err != nil {
			return ProviderStatus{}, fmt.Errorf("stripe: cancel payment intent %s: %w", pi.ID, err)
		}
		sess.PaymentIntent = canceled
		return stripeStatus(sess), nil
	}
	return stripeStatus(sess), nil
}

// stripeStatus translates a Checkout Session (with its payment intent and latest
// charge, when expanded) into our terms.
func stripeStatus(sess *stripe.CheckoutSession) ProviderStatus {
	var st ProviderStatus
	pi := sess.PaymentIntent
	switch {
	case sess.Currency != "" && sess.AmountTotal > 0:
		st.Amount = money.Amount{Minor: sess.AmountTotal, Currency: strings.ToUpper(string(sess.Currency))}
	case pi != nil && pi.Currency != "":
		st.Amount = money.Amount{Minor: pi.Amount, Currency: strings.ToUpper(string(pi.Currency))}
	}
	var (
		piStatus stripe.PaymentIntentStatus
		lastErr  *stripe.Error
		charged  int64
	)
	if pi != nil {
		piStatus, lastErr = pi.Status, pi.LastPaymentError
		if ch := pi.LatestCharge; ch != nil && ch.Currency != "" {
			st.Refunded = money.Amount{Minor: ch.AmountRefunded, Currency: strings.ToUpper(string(ch.Currency))}
			charged = ch.Amount
		}
	}
	switch {
	case sess.PaymentStatus == stripe.CheckoutSessionPaymentStatusPaid || piStatus == stripe.PaymentIntentStatusSucceeded:
		st.State = StatePaid
		if st.Refunded.Minor > 0 {
			st.State = StatePartiallyRefunded
			if st.Refunded.Minor >= charged {
				st.State = StateRefunded
			}
		}
	case piStatus == stripe.PaymentIntentStatusRequiresCapture:
		st.State = StateAuthorized
	case piStatus == stripe.PaymentIntentStatusCanceled || sess.Status == stripe.CheckoutSessionStatusExpired:
		st.State = StateVoided
		st.FailureReason = paymentErrorReason(lastErr)
	case sess.Status == stripe.CheckoutSessionStatusComplete && lastErr != nil &&
		piStatus == stripe.PaymentIntentStatusRequiresPaymentMethod:
		// A completed session whose intent wants a payment method again: a delayed
		// payment method (a bank debit) failed after the shopper left.
		st.State = StateFailed
		st.FailureReason = paymentErrorReason(lastErr)
	default:
		// An open session stays pending even after a declined card: the shopper is still
		// on Stripe's page and may try another one.
		st.State = StatePending
	}
	return st
}

func paymentErrorReason(e *stripe.Error) string {
	switch {
	case e == nil:
		return ""
	case e.DeclineCode != "":
		return string(e.DeclineCode)
	case e.Code != "":
		return string(e.Code)
	}
	return string(e.Type)
}

// refused reports whether Stripe turned the request down for good (the request itself
// is wrong for the object's state): asking again would get the same answer. Network
// failures, rate limits, Stripe's own errors and a wrong API key are not refusals.
func refused(err error) bool {
	var se *stripe.Error
	if !errors.As(err, &se) {
		return false
	}
	return se.HTTPStatusCode == http.StatusBadRequest || se.HTTPStatusCode == http.StatusPaymentRequired
}

func stripeErrorReason(err error) string {
	var se *stripe.Error
	if !errors.As(err, &se) {
		return "refused"
	}
	if se.Code != "" {
		return string(se.Code)
	}
	if se.Type != "" {
		return string(se.Type)
	}
	return "refused"
}

// stripeObject is the part of an event's object we read for events about payment
// intents and charges.
type stripeObject struct {
	ID            string            `json:"id"`
	Object        string            `json:"object"`
	PaymentIntent json.RawMessage   `json:"payment_intent"`
	Metadata      map[string]string `json:"metadata"`
}

// ParseWebhook implements Provider. Checkout Session events carry the session, which is
// read as it was then. Events about payment intents and charges (a refund made in the
// dashboard, an authorization cancelled) name no session, so the session is looked up
// by its payment intent and reported as it is now; only intents we created are looked
// up. Other events are acknowledged and dropped.
func (p *stripeProvider) ParseWebhook(r *http.Request) (WebhookEvent, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, stripeMaxWebhookBody+1))
	if err != nil {
		return WebhookEvent{}, apperr.Wrap(fmt.Errorf("stripe: read webhook body: %w", err), apperr.Invalid, "The webhook body could not be read.")
	}
	if len(body) > stripeMaxWebhookBody {
		return WebhookEvent{}, apperr.New(apperr.Invalid, "The webhook body is too large.")
	}
	// The API version of an event is the endpoint's, set in Stripe's dashboard; the few
	// fields read here are the same in all of them, and refusing a mismatch would lose
	// every event until someone noticed.
	ev, err := webhook.ConstructEventWithOptions(body, r.Header.Get(stripeSignatureHeader), p.webhookSecret,
		webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	if err != nil {
		msg := "The webhook signature is not valid."
		if errors.Is(err, webhook.ErrNotSigned) {
			msg = "The webhook is not signed."
		}
		return WebhookEvent{}, apperr.Wrap(fmt.Errorf("stripe: verify webhook: %w", err), apperr.Invalid, msg)
	}
	if ev.ID == "" || ev.Data == nil || len(ev.Data.Raw) == 0 {
		return WebhookEvent{}, apperr.New(apperr.Invalid, "The webhook body is not a valid event.")
	}
	out := WebhookEvent{ID: ev.ID, Type: string(ev.Type), Payload: body}
	switch ev.Type {
	case stripe.EventTypeCheckoutSessionCompleted, stripe.EventTypeCheckoutSessionAsyncPaymentSucceeded,
		stripe.EventTypeCheckoutSessionAsyncPaymentFailed, stripe.EventTypeCheckoutSessionExpired:
		var sess stripe.CheckoutSession
		if err := json.Unmarshal(ev.Data.Raw, &sess); err != nil {
			return WebhookEvent{}, apperr.Wrap(fmt.Errorf("stripe: decode %s %s: %w", ev.Type, ev.ID, err),
				apperr.Invalid, "The webhook's checkout session is not valid.")
		}
		if sess.Metadata[stripeMetaPaymentID] == "" {
			return out, nil // a session of another integration on the account
		}
		out.ProviderRef = sess.ID
		out.Status = stripeStatus(&sess)
		if ev.Type == stripe.EventTypeCheckoutSessionAsyncPaymentFailed {
			out.Status.State = StateFailed
			out.Status.FailureReason = "async_payment_failed"
		}
		return out, nil

	case stripe.EventTypePaymentIntentSucceeded, stripe.EventTypePaymentIntentAmountCapturableUpdated,
		stripe.EventTypePaymentIntentCanceled, stripe.EventTypePaymentIntentPaymentFailed,
		stripe.EventTypeChargeRefunded:
		var obj stripeObject
		if err := json.Unmarshal(ev.Data.Raw, &obj); err != nil {
			return WebhookEvent{}, apperr.Wrap(fmt.Errorf("stripe: decode %s %s: %w", ev.Type, ev.ID, err),
				apperr.Invalid, "The webhook's object is not valid.")
		}
		if obj.Metadata[stripeMetaPaymentID] == "" {
			return out, nil
		}
		intent := obj.ID
		if obj.Object == "charge" {
			intent, _ = stripe.ParseID(obj.PaymentIntent)
		}
		if intent == "" {
			return out, nil
		}
		sess, found, err := p.sessionOfIntent(r.Context(), intent)
		if err != nil {
			// Ours to retry: the handler answers 500 and Stripe delivers again.
			return WebhookEvent{}, err
		}
		if !found {
			return out, nil // the intent was not made by a Checkout Session
		}
		out.ProviderRef = sess.ID
		out.Status = stripeStatus(sess)
		return out, nil
	}
	return out, nil
}

// sessionOfIntent finds the Checkout Session that created a payment intent, with what
// Status needs expanded; found is false when no session did.
func (p *stripeProvider) sessionOfIntent(ctx context.Context, intent string) (sess *stripe.CheckoutSession, found bool, err error) {
	params := &stripe.CheckoutSessionListParams{PaymentIntent: stripe.String(intent)}
	params.Limit = stripe.Int64(1)
	params.AddExpand("data." + stripeExpandPayment)
	for s, err := range p.client.V1CheckoutSessions.List(ctx, params) {
		if err != nil {
			return nil, false, fmt.Errorf("stripe: find checkout session of payment intent %s: %w", intent, err)
		}
		return s, true, nil
	}
	return nil, false, nil
}

// stripeLogger hands stripe-go's logging to slog. Request lines are debug output; a
// failed request is also returned as an error, which the caller reports.
type stripeLogger struct{ log *slog.Logger }

func (l stripeLogger) Debugf(format string, v ...any) { l.log.Debug(fmt.Sprintf(format, v...)) }
func (l stripeLogger) Infof(format string, v ...any)  { l.log.Debug(fmt.Sprintf(format, v...)) }
func (l stripeLogger) Warnf(format string, v ...any)  { l.log.Warn(fmt.Sprintf(format, v...)) }
func (l stripeLogger) Errorf(format string, v ...any) { l.log.Warn(fmt.Sprintf(format, v...)) }
