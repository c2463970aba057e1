package payments

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/monoshop/monoshop/internal/payments/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// Config configures the payments module.
type Config struct {
	// DefaultProvider is used by Create when CreateInput.Provider is empty. Empty means
	// "test" when the test gateway is enabled, else "manual".
	DefaultProvider string
	// TestGateway enables the built-in test gateway (development only: it takes card
	// numbers). Nil leaves it out, and /pay/test/... answers 404.
	TestGateway *TestGatewayConfig
	// Stripe enables Stripe Checkout (provider "stripe"). Nil leaves it out.
	Stripe *StripeConfig
	// ReconcileAfter is how long a begun payment may stay pending before the recovery job
	// asks its provider (default 2 minutes: webhooks normally arrive within seconds).
	ReconcileAfter time.Duration
	// ReconcileInterval is how often the recovery job runs (default 1 minute).
	ReconcileInterval time.Duration
	// AfterPaidHooks, when set, runs inside the transaction that records a payment as
	// paid, after the hooks and before the commit. Recovery tests use it to kill the
	// process at the worst moment: the provider has the money, we have not written it.
	AfterPaidHooks func(ctx context.Context, p Payment, source string)
}

const (
	defaultReconcileAfter    = 2 * time.Minute
	defaultReconcileInterval = time.Minute
	// reconcileMaxAge: after this long a pending payment is an abandoned checkout, which
	// the orders module expires (voiding it); the provider is not asked about it forever.
	reconcileMaxAge = 3 * 24 * time.Hour
	maxOrderRefLen  = 100
	maxDescription  = 500
	maxKeyLen       = 200
	maxURLLen       = 2000
)

var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

// Service is the payments module's public API.
type Service struct {
	pool      *pgxpool.Pool
	q         *dbsqlc.Queries
	log       *slog.Logger
	cfg       Config
	providers map[string]Provider
	test      *TestGateway // nil unless Config.TestGateway is set
	jobs      JobInserter

	hooksMu      sync.RWMutex
	onAuthorized []Hook
	onPaid       []Hook
	onFailed     []Hook
	onVoided     []Hook
	onRefunded   []RefundHook
}

// NewService validates cfg and returns the payments service. The manual provider is
// always available; the test gateway when cfg.TestGateway is set, Stripe when cfg.Stripe
// is.
func NewService(pool *pgxpool.Pool, log *slog.Logger, cfg Config) (*Service, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.ReconcileAfter <= 0 {
		cfg.ReconcileAfter = defaultReconcileAfter
	}
	if cfg.ReconcileInterval <= 0 {
		cfg.ReconcileInterval = defaultReconcileInterval
	}
	s := &Service{pool: pool, q: dbsqlc.New(), log: log, providers: map[string]Provider{}}
	s.providers[ProviderManual] = manualProvider{}
	if cfg.TestGateway != nil {
		g, err := newTestGateway(pool, *cfg.TestGateway)
		if err != nil {
			return nil, err
		}
		s.test = g
		s.providers[ProviderTest] = g
	}
	if cfg.Stripe != nil {
		sp, err := newStripeProvider(*cfg.Stripe, log)
		if err != nil {
			return nil, err
		}
		s.providers[ProviderStripe] = sp
	}
	if cfg.DefaultProvider == "" {
		cfg.DefaultProvider = ProviderManual
		if s.test != nil {
			cfg.DefaultProvider = ProviderTest
		}
	}
	if _, ok := s.providers[cfg.DefaultProvider]; !ok {
		return nil, fmt.Errorf("payments: default provider %q is not configured", cfg.DefaultProvider)
	}
	s.cfg = cfg
	return s, nil
}

// DefaultProvider is the provider Create uses when none is named.
func (s *Service) DefaultProvider() string { return s.cfg.DefaultProvider }

// TestGateway returns the built-in test gateway, or nil when it is not enabled.
func (s *Service) TestGateway() *TestGateway { return s.test }

// OnAuthorized subscribes h to payments becoming authorized. Hooks are registered at
// start-up, before any payment moves.
func (s *Service) OnAuthorized(h Hook) { s.addHook(&s.onAuthorized, h) }

// OnPaid subscribes h to payments becoming paid (once per payment, whatever the number
// of webhooks and status queries that report it).
func (s *Service) OnPaid(h Hook) { s.addHook(&s.onPaid, h) }

// OnFailed subscribes h to payments the provider refused.
func (s *Service) OnFailed(h Hook) { s.addHook(&s.onFailed, h) }

// OnVoided subscribes h to payments cancelled before money moved.
func (s *Service) OnVoided(h Hook) { s.addHook(&s.onVoided, h) }

// OnRefunded subscribes h to every succeeded refund, ours or one the provider reports.
func (s *Service) OnRefunded(h RefundHook) {
	s.hooksMu.Lock()
	defer s.hooksMu.Unlock()
	s.onRefunded = append(s.onRefunded, h)
}

func (s *Service) addHook(list *[]Hook, h Hook) {
	s.hooksMu.Lock()
	defer s.hooksMu.Unlock()
	*list = append(*list, h)
}

// Create records a new pending payment inside the caller's transaction (the order's),
// so an order and its payment exist together or not at all. Nothing is sent to the
// provider yet: that is Begin, outside any transaction.
func (s *Service) Create(ctx context.Context, tx pgx.Tx, in CreateInput) (Payment, error) {
	in.OrderRef = strings.TrimSpace(in.OrderRef)
	if in.Provider == "" {
		in.Provider = s.cfg.DefaultProvider
	}
	if in.Description == "" {
		in.Description = "Order " + in.OrderRef
	}
	fields := map[string]string{}
	switch {
	case in.OrderRef == "":
		fields["order_ref"] = "A payment needs the order it is for."
	case utf8.RuneCountInString(in.OrderRef) > maxOrderRefLen:
		fields["order_ref"] = fmt.Sprintf("The order reference is longer than %d characters.", maxOrderRefLen)
	}
	if in.Amount.Minor <= 0 {
		fields["amount"] = "A payment must be for more than zero."
	}
	if !currencyRE.MatchString(in.Amount.Currency) {
		fields["currency"] = "The currency must be a three-letter ISO 4217 code, like EUR."
	}
	if _, ok := s.providers[in.Provider]; !ok {
		fields["provider"] = fmt.Sprintf("The payment provider %q is not available.", in.Provider)
	}
	if utf8.RuneCountInString(in.Description) > maxDescription {
		fields["description"] = fmt.Sprintf("The description is longer than %d characters.", maxDescription)
	}
	if len(in.IdempotencyKey) > maxKeyLen {
		fields["idempotency_key"] = fmt.Sprintf("The idempotency key is longer than %d bytes.", maxKeyLen)
	}
	if len(fields) > 0 {
		return Payment{}, apperr.InvalidFields("The payment cannot be created.", fields)
	}
	if in.IdempotencyKey == "" {
		in.IdempotencyKey = "pay_" + randomToken(24)
	}
	row, err := s.q.PaymentInsert(ctx, tx, dbsqlc.PaymentInsertParams{
		Token:          randomToken(32),
		OrderRef:       in.OrderRef,
		Description:    in.Description,
		AmountMinor:    in.Amount.Minor,
		Currency:       in.Amount.Currency,
		Provider:       in.Provider,
		IdempotencyKey: in.IdempotencyKey,
	})
	if errors.Is(err, pgx.ErrNoRows) {
		// The key is taken: this is a retry of an earlier Create, which is fine as long
		// as it asks for the same payment.
		existing, err := s.q.PaymentGetByIdempotencyKey(ctx, tx, in.IdempotencyKey)
		if err != nil {
			return Payment{}, interpretError(err, "Payment")
		}
		p := paymentFromRow(existing)
		if p.OrderRef != in.OrderRef || p.Amount != in.Amount || p.Provider != in.Provider {
			return Payment{}, apperr.New(apperr.Conflict, "This idempotency key was used for a different payment.")
		}
		return p, nil
	}
	if err != nil {
		return Payment{}, interpretError(err, "Payment")
	}
	return paymentFromRow(row), nil
}

// Begin asks the payment's provider to open its hosted payment page and returns where
// to send the shopper: "" means nowhere (manual payments: show the bank details or the
// cash-on-delivery note instead). It calls the provider, so it must run outside any
// database transaction. Calling it again returns the same page (the provider call
// carries the payment's idempotency key).
//
// returnURL is where the provider sends the shopper afterwards and cancelURL where its
// "cancel" leads (returnURL when empty); both are absolute http(s) URLs or paths on this
// site. They come from the shop, never from the shopper.
func (s *Service) Begin(ctx context.Context, id PaymentID, returnURL, cancelURL string) (string, error) {
	row, err := s.q.PaymentGet(ctx, s.pool, int64(id))
	if err != nil {
		return "", interpretError(err, "Payment")
	}
	return s.begin(ctx, paymentFromRow(row), row.IdempotencyKey, returnURL, cancelURL)
}

// BeginCreated is Begin for a payment the caller has just created (Create's answer, as
// committed): checkout sends the shopper on without reading the payment back.
func (s *Service) BeginCreated(ctx context.Context, p Payment, returnURL, cancelURL string) (string, error) {
	return s.begin(ctx, p, p.idempotencyKey, returnURL, cancelURL)
}

func (s *Service) begin(ctx context.Context, p Payment, key, returnURL, cancelURL string) (string, error) {
	if p.State != StatePending {
		return "", apperr.New(apperr.Conflict, fmt.Sprintf("This payment is %s and cannot be started again.", stateWords(p.State)))
	}
	prov, err := s.provider(p.Provider)
	if err != nil {
		return "", err
	}
	if cancelURL == "" {
		cancelURL = returnURL
	}
	for _, u := range []string{returnURL, cancelURL} {
		if u != "" && !validRedirect(u) {
			return "", apperr.New(apperr.Invalid, "The return address must be an http(s) URL or a path on this site.")
		}
	}
	redirect, ref, err := prov.Begin(ctx, BeginRequest{
		PaymentID:      p.ID,
		Amount:         p.Amount,
		Reference:      p.OrderRef,
		Description:    p.Description,
		ReturnURL:      returnURL,
		CancelURL:      cancelURL,
		IdempotencyKey: "begin:" + key,
	})
	if err != nil {
		return "", fmt.Errorf("payments: begin payment %d with %s: %w", p.ID, p.Provider, err)
	}
	if ref == "" {
		return "", fmt.Errorf("payments: begin payment %d: provider %s returned no reference", p.ID, p.Provider)
	}
	if _, err := s.q.PaymentSetProviderRef(ctx, s.pool, dbsqlc.PaymentSetProviderRefParams{ID: int64(p.ID), ProviderRef: &ref}); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			// The provider answered a repeated key with a new payment: it broke its
			// idempotency promise, and the shopper could end up paying twice.
			return "", fmt.Errorf("payments: begin payment %d: provider %s returned reference %q, another one is stored", p.ID, p.Provider, ref)
		}
		return "", fmt.Errorf("payments: store reference of payment %d: %w", p.ID, err)
	}
	return redirect, nil
}

// FindPayment returns a payment, or NotFound.
func (s *Service) FindPayment(ctx context.Context, id PaymentID) (Payment, error) {
	row, err := s.q.PaymentGet(ctx, s.pool, int64(id))
	if err != nil {
		return Payment{}, interpretError(err, "Payment")
	}
	return paymentFromRow(row), nil
}

// FindPaymentByToken returns the payment with this public token, or NotFound.
func (s *Service) FindPaymentByToken(ctx context.Context, token string) (Payment, error) {
	row, err := s.q.PaymentGetByToken(ctx, s.pool, token)
	if err != nil {
		return Payment{}, interpretError(err, "Payment")
	}
	return paymentFromRow(row), nil
}

// PaymentsForOrder returns an order's payments, oldest first.
func (s *Service) PaymentsForOrder(ctx context.Context, orderRef string) ([]Payment, error) {
	rows, err := s.q.PaymentListByOrderRef(ctx, s.pool, orderRef)
	if err != nil {
		return nil, fmt.Errorf("payments: list payments of order %q: %w", orderRef, err)
	}
	out := make([]Payment, len(rows))
	for i, r := range rows {
		out[i] = paymentFromRow(r)
	}
	return out, nil
}

// Events returns what happened to a payment, oldest first.
func (s *Service) Events(ctx context.Context, id PaymentID) ([]Event, error) {
	rows, err := s.q.EventListByPayment(ctx, s.pool, int64(id))
	if err != nil {
		return nil, fmt.Errorf("payments: list events of payment %d: %w", id, err)
	}
	out := make([]Event, len(rows))
	for i, r := range rows {
		out[i] = eventFromRow(r)
	}
	return out, nil
}

// Refunds returns a payment's refunds, oldest first.
func (s *Service) Refunds(ctx context.Context, id PaymentID) ([]Refund, error) {
	rows, err := s.q.RefundListByPayment(ctx, s.pool, int64(id))
	if err != nil {
		return nil, fmt.Errorf("payments: list refunds of payment %d: %w", id, err)
	}
	out := make([]Refund, len(rows))
	for i, r := range rows {
		out[i] = refundFromRow(r)
	}
	return out, nil
}

// HandleWebhook verifies a provider's webhook, records its event once, and applies what
// it says to the payment in one transaction, with the hooks. The error classifies the
// outcome for the HTTP layer: apperr.Invalid (bad signature, malformed event) and
// apperr.NotFound (unknown provider, unknown payment reference) are the sender's fault
// and answered 400; anything else is ours (500, and the provider delivers again). A
// duplicate or late event returns nil: it was received and there is nothing to do.
func (s *Service) HandleWebhook(ctx context.Context, provider string, r *http.Request) error {
	prov, ok := s.providers[provider]
	if !ok {
		return apperr.New(apperr.NotFound, "Unknown payment provider.")
	}
	ev, err := prov.ParseWebhook(r)
	if err != nil {
		return fmt.Errorf("payments: %s webhook: %w", provider, err)
	}
	if ev.Status.State == "" {
		// An event type we do not act on; acknowledging it stops the provider resending.
		return nil
	}
	if ev.ID == "" || ev.ProviderRef == "" || len(ev.ID) > 255 {
		return apperr.New(apperr.Invalid, "The event has no valid id or payment reference.")
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := s.q.PaymentLockByProviderRef(ctx, tx, dbsqlc.PaymentLockByProviderRefParams{Provider: provider, ProviderRef: &ev.ProviderRef})
		if errors.Is(err, pgx.ErrNoRows) {
			return apperr.Wrap(fmt.Errorf("payments: %s webhook %s: no payment with reference %q", provider, ev.ID, ev.ProviderRef),
				apperr.NotFound, "Unknown payment reference.")
		}
		if err != nil {
			return fmt.Errorf("payments: %s webhook %s: lock payment: %w", provider, ev.ID, err)
		}
		_, err = s.applyTx(ctx, tx, row, change{
			eventID: ev.ID, eventType: ev.Type, status: ev.Status, payload: ev.Payload, source: "webhook",
		})
		return err
	})
}

// Reconcile asks the provider where a pending (or authorized) payment stands and applies
// the answer exactly as a webhook would, so a payment whose webhook was lost, or whose
// processing crashed before commit, still ends up paid, once. A payment that is settled,
// never begun, or manual is returned as it is.
func (s *Service) Reconcile(ctx context.Context, id PaymentID) (Payment, error) {
	p, err := s.FindPayment(ctx, id)
	if err != nil {
		return Payment{}, err
	}
	if (p.State != StatePending && p.State != StateAuthorized) || p.ProviderRef == "" {
		return p, nil
	}
	prov, err := s.provider(p.Provider)
	if err != nil {
		return Payment{}, err
	}
	st, err := prov.Status(ctx, p.ProviderRef)
	if errors.Is(err, errNoRemoteStatus) {
		return p, nil
	}
	if err != nil {
		// Asked and got no answer: count it as a check, so the recovery job backs off
		// instead of hammering a provider that is down.
		if merr := s.q.PaymentMarkChecked(context.WithoutCancel(ctx), s.pool, int64(id)); merr != nil {
			s.log.WarnContext(ctx, "payment check not recorded", "payment", id, "err", merr)
		}
		return Payment{}, fmt.Errorf("payments: status of payment %d at %s: %w", id, p.Provider, err)
	}
	// One event per payment and reported status: asking twice and hearing the same answer
	// records it once.
	c := change{
		eventID:   fmt.Sprintf("status:%s:%s:%d", p.Token, st.State, st.Refunded.Minor),
		eventType: "status",
		status:    st,
		source:    "status",
	}
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if moved, ok, err := s.moveCheckedTx(ctx, tx, p, c); err != nil || ok {
			p = moved
			return err
		}
		row, err := s.q.PaymentLockChecked(ctx, tx, int64(id))
		if err != nil {
			return interpretError(err, "Payment")
		}
		if st.State == "" || st.State == State(row.State) {
			p = paymentFromRow(row)
			return nil
		}
		p, err = s.applyTx(ctx, tx, row, c)
		return err
	})
	if err != nil {
		return Payment{}, err
	}
	return p, nil
}

// moveCheckedTx is Reconcile's common case in one statement: a payment still as read
// before asking (p) moves one step to what the provider says (pending to paid, say).
// ok is false, with nothing written, when it is not that case: the caller then locks the
// payment and applies the answer the general way.
func (s *Service) moveCheckedTx(ctx context.Context, tx pgx.Tx, p Payment, c change) (Payment, bool, error) {
	switch c.status.State {
	case StatePaid, StateAuthorized, StateFailed, StateVoided:
	default:
		return p, false, nil // refunds and the rest need their sums read under the lock
	}
	pl, err := s.plan(ctx, tx, p, c.status)
	if err != nil || pl.to == "" || pl.paidFirst || pl.externalRefund != 0 {
		return p, false, err
	}
	return s.moveOneStepTx(ctx, tx, p, c, pl, true)
}

func (s *Service) provider(name string) (Provider, error) {
	prov, ok := s.providers[name]
	if !ok {
		// The payment was made with a provider this process is not configured for (the
		// shop switched providers): staff must look, the shopper can do nothing.
		return nil, fmt.Errorf("payments: provider %q is not configured in this process", name)
	}
	return prov, nil
}

// validRedirect accepts absolute http(s) URLs and paths on this site ("/orders/..."), and
// refuses "//host" (another site) and anything with a line break.
func validRedirect(u string) bool {
	if len(u) > maxURLLen || strings.ContainsAny(u, "\r\n\\") {
		return false
	}
	if strings.HasPrefix(u, "/") {
		return !strings.HasPrefix(u, "//")
	}
	parsed, err := url.Parse(u)
	return err == nil && (parsed.Scheme == "http" || parsed.Scheme == "https") && parsed.Host != ""
}

// stateWords is a state as a shopper or staff member would say it.
func stateWords(s State) string {
	switch s {
	case StatePartiallyRefunded:
		return "partially refunded"
	default:
		return string(s)
	}
}
