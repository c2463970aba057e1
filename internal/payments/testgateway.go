package payments

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/monoshop/monoshop/internal/payments/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// TestGatewayConfig configures the built-in test gateway.
type TestGatewayConfig struct {
	// Secret signs the gateway's webhooks (HMAC-SHA256), at least 16 bytes. Empty (as the
	// shop runs it) uses the installation's own random key, kept in the database so that
	// every replica shares it: a webhook queued by one is verified by another. Tests set
	// one to sign events of their own.
	Secret string
	// CaptureManually makes a successful card only authorize the payment; Capture takes
	// the money. By default the money is taken at once.
	CaptureManually bool
	// DeliveryDelay holds back the first delivery of every webhook (0: at once). Tests use
	// it to let a status query win the race against the webhook.
	DeliveryDelay time.Duration
	// DuplicateDelay is how long after the first delivery a webhook is delivered a second
	// time (default 1s).
	DuplicateDelay time.Duration
	// DuplicateOneIn says how often a webhook is delivered twice: one event in
	// DuplicateOneIn, at random. 0 or 1 delivers every event twice (tests that count on
	// the duplicate); the shop's own gateway sends one in four, as real providers
	// duplicate sometimes, not always.
	DuplicateOneIn int
}

const (
	// TestSignatureHeader carries the signature of a test gateway webhook:
	// "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">" (the scheme Stripe uses).
	TestSignatureHeader = "Test-Gateway-Signature"
	// testSignatureTolerance bounds the age of a signed webhook, so a captured request
	// cannot be replayed forever.
	testSignatureTolerance = 5 * time.Minute
	// maxWebhookBody caps what a webhook may send; real events are a few hundred bytes.
	maxWebhookBody         = 64 << 10
	defaultDuplicateDelay  = time.Second
	minTestGatewaySecret   = 16
	testGatewayPagePrefix  = "/pay/test/"
	testGatewayWebhookPath = "/webhooks/payments/test"
)

// TestSessionState is where a payment stands at the test gateway.
type TestSessionState string

const (
	// TestSessionOpen: the hosted page waits for a card.
	TestSessionOpen TestSessionState = "open"
	// TestSessionRequiresAction: the card needs the extra confirmation step.
	TestSessionRequiresAction TestSessionState = "requires_action"
	TestSessionAuthorized     TestSessionState = "authorized"
	TestSessionPaid           TestSessionState = "paid"
	TestSessionFailed         TestSessionState = "failed"
	TestSessionCanceled       TestSessionState = "canceled"
)

// Failure codes of the test gateway, modelled on the public test cards of major
// providers.
const (
	TestFailureDeclined          = "card_declined"
	TestFailureInsufficientFunds = "insufficient_funds"
	TestFailureAuthentication    = "authentication_failed"
)

// TestCard is a card number the test gateway answers to.
type TestCard struct {
	Number string
	// Label says what the card does, for the hosted page's list.
	Label   string
	outcome testOutcome
}

type testOutcome int

const (
	outcomeSucceed testOutcome = iota
	outcomeDecline
	outcomeInsufficientFunds
	outcomeRequiresAction
)

// TestCards are the numbers the test gateway accepts; any other number is refused with a
// form error, so nobody types a real card into it.
var TestCards = []TestCard{
	{Number: "4242424242424242", Label: "Payment succeeds", outcome: outcomeSucceed},
	{Number: "4000000000000002", Label: "Card declined", outcome: outcomeDecline},
	{Number: "4000000000009995", Label: "Declined: insufficient funds", outcome: outcomeInsufficientFunds},
	{Number: "4000002500003155", Label: "Asks for an extra confirmation step", outcome: outcomeRequiresAction},
}

// TestSession is a payment as the test gateway's hosted page sees it.
type TestSession struct {
	Ref         string
	PaymentID   PaymentID
	Reference   string
	Description string
	Amount      money.Amount
	Refunded    money.Amount
	ReturnURL   string
	CancelURL   string
	State       TestSessionState
	FailureCode string
}

// TestWebhook is a test gateway event as it travels (JSON).
type TestWebhook struct {
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	Created int64           `json:"created"`
	Data    TestWebhookData `json:"data"`
}

// TestWebhookData is the payment an event is about, as the gateway saw it then.
type TestWebhookData struct {
	// Payment is the gateway's reference (our provider_ref).
	Payment       string `json:"payment"`
	PaymentID     int64  `json:"payment_id"`
	State         string `json:"state"`
	AmountMinor   int64  `json:"amount_minor"`
	Currency      string `json:"currency"`
	RefundedMinor int64  `json:"refunded_minor"`
	FailureCode   string `json:"failure_code,omitempty"`
}

// TestGateway plays an outside payment provider inside the app, for development and
// tests. It keeps its own books (payments.test_gateway_*), talks to the rest of the module
// only through the Provider interface and signed webhooks, and delivers every webhook
// twice, asynchronously, through River. It never stores a card number.
type TestGateway struct {
	pool *pgxpool.Pool
	q    *dbsqlc.Queries
	cfg  TestGatewayConfig
	jobs JobInserter

	keyMu sync.Mutex
	key   []byte // the webhook key once known; see webhookKey
}

func newTestGateway(pool *pgxpool.Pool, cfg TestGatewayConfig) (*TestGateway, error) {
	if cfg.Secret != "" && len(cfg.Secret) < minTestGatewaySecret {
		return nil, fmt.Errorf("payments: the test gateway's webhook secret must be at least %d bytes", minTestGatewaySecret)
	}
	if cfg.DuplicateDelay <= 0 {
		cfg.DuplicateDelay = defaultDuplicateDelay
	}
	if cfg.DeliveryDelay < 0 {
		return nil, errors.New("payments: the test gateway's DeliveryDelay must not be negative")
	}
	g := &TestGateway{pool: pool, q: dbsqlc.New(), cfg: cfg}
	if cfg.Secret != "" {
		g.key = []byte(cfg.Secret)
	}
	return g, nil
}

// Name implements Provider.
func (g *TestGateway) Name() string { return ProviderTest }

// Begin implements Provider: it opens a session and returns its hosted page, a path on
// this site. A repeated idempotency key returns the first session.
func (g *TestGateway) Begin(ctx context.Context, req BeginRequest) (string, string, error) {
	if req.ReturnURL == "" {
		return "", "", apperr.New(apperr.Invalid, "The test gateway needs a return URL.")
	}
	if req.CancelURL == "" {
		req.CancelURL = req.ReturnURL
	}
	row, err := g.q.TestSessionInsert(ctx, g.pool, dbsqlc.TestSessionInsertParams{
		Ref:             "tgs_" + randomToken(24),
		IdempotencyKey:  req.IdempotencyKey,
		PaymentID:       int64(req.PaymentID),
		Reference:       req.Reference,
		Description:     req.Description,
		AmountMinor:     req.Amount.Minor,
		Currency:        req.Amount.Currency,
		ReturnUrl:       req.ReturnURL,
		CancelUrl:       req.CancelURL,
		CaptureManually: g.cfg.CaptureManually,
	})
	if errors.Is(err, pgx.ErrNoRows) {
		row, err = g.q.TestSessionGetByKey(ctx, g.pool, req.IdempotencyKey)
		if err != nil {
			return "", "", fmt.Errorf("test gateway: find session of key %q: %w", req.IdempotencyKey, err)
		}
		if row.PaymentID != int64(req.PaymentID) || row.AmountMinor != req.Amount.Minor || row.Currency != req.Amount.Currency {
			// What a real provider answers to a reused key with other parameters.
			return "", "", fmt.Errorf("test gateway: idempotency key %q was used for another payment", req.IdempotencyKey)
		}
	} else if err != nil {
		return "", "", fmt.Errorf("test gateway: open session: %w", err)
	}
	return testGatewayPagePrefix + row.Ref, row.Ref, nil
}

// Status implements Provider.
func (g *TestGateway) Status(ctx context.Context, ref string) (ProviderStatus, error) {
	row, err := g.q.TestSessionGet(ctx, g.pool, ref)
	if err != nil {
		return ProviderStatus{}, fmt.Errorf("test gateway: session %q: %w", ref, err)
	}
	return testStatus(TestSessionState(row.State), row.AmountMinor, row.Currency, row.RefundedMinor, row.FailureCode), nil
}

// Capture implements Provider: an authorized session becomes paid (and a webhook says
// so); a paid one stays paid.
func (g *TestGateway) Capture(ctx context.Context, ref string, amount money.Amount, _ string) (ProviderStatus, error) {
	return g.change(ctx, ref, func(row dbsqlc.PaymentsTestGatewaySession) (TestSessionState, string, string, error) {
		switch TestSessionState(row.State) {
		case TestSessionAuthorized:
			if amount.Minor != row.AmountMinor || amount.Currency != row.Currency {
				return "", "", "", apperr.New(apperr.Invalid, "The test gateway captures the whole amount only.")
			}
			return TestSessionPaid, "", "payment.captured", nil
		case TestSessionPaid:
			return "", "", "", nil
		}
		return "", "", "", apperr.New(apperr.Conflict, fmt.Sprintf("The test gateway cannot capture a payment that is %s.", row.State))
	})
}

// Void implements Provider: a session nobody paid is cancelled (and its page says so); a
// paid or failed one is reported as it is.
func (g *TestGateway) Void(ctx context.Context, ref string, _ string) (ProviderStatus, error) {
	return g.change(ctx, ref, func(row dbsqlc.PaymentsTestGatewaySession) (TestSessionState, string, string, error) {
		switch TestSessionState(row.State) {
		case TestSessionOpen, TestSessionRequiresAction, TestSessionAuthorized:
			return TestSessionCanceled, "", "payment.canceled", nil
		}
		return "", "", "", nil
	})
}

// change runs decide on the locked session and, if it names a new state, stores it and
// queues the webhook in the same transaction. The keys of Capture and Void need no
// table: the state itself makes a repeat harmless.
func (g *TestGateway) change(ctx context.Context, ref string,
	decide func(dbsqlc.PaymentsTestGatewaySession) (to TestSessionState, failure, eventType string, err error),
) (ProviderStatus, error) {
	var st ProviderStatus
	err := db.InTx(ctx, g.pool, func(tx pgx.Tx) error {
		row, err := g.q.TestSessionLock(ctx, tx, ref)
		if err != nil {
			return fmt.Errorf("test gateway: session %q: %w", ref, err)
		}
		to, failure, eventType, err := decide(row)
		if err != nil {
			return err
		}
		if to != "" {
			if row, err = g.q.TestSessionUpdate(ctx, tx, dbsqlc.TestSessionUpdateParams{
				Ref: ref, State: string(to), FailureCode: failure, RefundedMinor: row.RefundedMinor,
			}); err != nil {
				return fmt.Errorf("test gateway: update session %q: %w", ref, err)
			}
			if err := g.emitTx(ctx, tx, row, eventType); err != nil {
				return err
			}
		}
		st = testStatus(TestSessionState(row.State), row.AmountMinor, row.Currency, row.RefundedMinor, row.FailureCode)
		return nil
	})
	return st, err
}

// Refund implements Provider. The key is stored with the refund, so a repeat returns the
// first refund.
func (g *TestGateway) Refund(ctx context.Context, ref string, amount money.Amount, key string) (ProviderRefund, error) {
	var out ProviderRefund
	err := db.InTx(ctx, g.pool, func(tx pgx.Tx) error {
		row, err := g.q.TestSessionLock(ctx, tx, ref)
		if err != nil {
			return fmt.Errorf("test gateway: session %q: %w", ref, err)
		}
		if prev, err := g.q.TestRefundGetByKey(ctx, tx, key); err == nil {
			if prev.SessionRef != ref || prev.AmountMinor != amount.Minor {
				return fmt.Errorf("test gateway: idempotency key %q was used for another refund", key)
			}
			out = ProviderRefund{Ref: prev.Ref, State: RefundSucceeded}
			return nil
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("test gateway: find refund %q: %w", key, err)
		}
		switch {
		case TestSessionState(row.State) != TestSessionPaid:
			out = ProviderRefund{State: RefundFailed, FailureReason: "payment_not_captured"}
			return nil
		case amount.Currency != row.Currency || row.RefundedMinor+amount.Minor > row.AmountMinor:
			out = ProviderRefund{State: RefundFailed, FailureReason: "amount_too_large"}
			return nil
		}
		refund, err := g.q.TestRefundInsert(ctx, tx, dbsqlc.TestRefundInsertParams{
			Ref: "tgr_" + randomToken(24), SessionRef: ref, AmountMinor: amount.Minor, IdempotencyKey: key,
		})
		if err != nil {
			return fmt.Errorf("test gateway: store refund: %w", err)
		}
		if row, err = g.q.TestSessionUpdate(ctx, tx, dbsqlc.TestSessionUpdateParams{
			Ref: ref, State: row.State, FailureCode: row.FailureCode, RefundedMinor: row.RefundedMinor + amount.Minor,
		}); err != nil {
			return fmt.Errorf("test gateway: update session %q: %w", ref, err)
		}
		// Real providers announce refunds by webhook too; it arrives while, or after, the
		// shop records the refund's answer and must not count it twice.
		if err := g.emitTx(ctx, tx, row, "payment.refunded"); err != nil {
			return err
		}
		out = ProviderRefund{Ref: refund.Ref, State: RefundSucceeded}
		return nil
	})
	return out, err
}

// ParseWebhook implements Provider: it verifies the signature and reads the event.
func (g *TestGateway) ParseWebhook(r *http.Request) (WebhookEvent, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxWebhookBody+1))
	if err != nil {
		return WebhookEvent{}, apperr.Wrap(err, apperr.Invalid, "The webhook body could not be read.")
	}
	if len(body) > maxWebhookBody {
		return WebhookEvent{}, apperr.New(apperr.Invalid, "The webhook body is too large.")
	}
	key, err := g.webhookKey(r.Context())
	if err != nil {
		return WebhookEvent{}, err // ours: the handler answers 500 and the sender tries again
	}
	if err := verifyTestSignature(key, r.Header.Get(TestSignatureHeader), body, time.Now()); err != nil {
		return WebhookEvent{}, apperr.Wrap(err, apperr.Invalid, "The webhook signature is not valid.")
	}
	var ev TestWebhook
	if err := json.Unmarshal(body, &ev); err != nil {
		return WebhookEvent{}, apperr.Wrap(err, apperr.Invalid, "The webhook body is not a valid event.")
	}
	d := ev.Data
	return WebhookEvent{
		ID:          ev.ID,
		Type:        ev.Type,
		ProviderRef: d.Payment,
		Status:      testStatus(TestSessionState(d.State), d.AmountMinor, d.Currency, d.RefundedMinor, d.FailureCode),
		Payload:     body,
	}, nil
}

// Sign returns the signature header value for body at t.
func (g *TestGateway) Sign(ctx context.Context, body []byte, t time.Time) (string, error) {
	key, err := g.webhookKey(ctx)
	if err != nil {
		return "", err
	}
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + testMAC(key, ts, body), nil
}

// WebhookRequest builds the signed POST a delivery of ev makes to url (the shop's
// /webhooks/payments/test). Tests use it to send events of their own choosing.
func (g *TestGateway) WebhookRequest(ctx context.Context, url string, ev TestWebhook) (*http.Request, error) {
	body, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("test gateway: encode event %s: %w", ev.ID, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("test gateway: webhook request: %w", err)
	}
	signature, err := g.Sign(ctx, body, time.Now())
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(TestSignatureHeader, signature)
	return req, nil
}

func testMAC(key []byte, ts string, body []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(ts))
	m.Write([]byte("."))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

func verifyTestSignature(key []byte, header string, body []byte, now time.Time) error {
	if header == "" {
		return errors.New("test gateway: no signature header")
	}
	var ts string
	var sigs []string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("test gateway: signature without a valid timestamp")
	}
	if age := now.Sub(time.Unix(sec, 0)); age > testSignatureTolerance || age < -testSignatureTolerance {
		return fmt.Errorf("test gateway: signature timestamp is %s away from now", age.Round(time.Second))
	}
	want := testMAC(key, ts, body)
	for _, s := range sigs {
		// Constant time: a timing difference would let an attacker find a valid
		// signature byte by byte.
		if hmac.Equal([]byte(s), []byte(want)) {
			return nil
		}
	}
	return errors.New("test gateway: signature does not match")
}

// Session returns the test gateway's session, for its hosted page; NotFound if unknown.
func (g *TestGateway) Session(ctx context.Context, ref string) (TestSession, error) {
	row, err := g.q.TestSessionGet(ctx, g.pool, ref)
	if err != nil {
		return TestSession{}, interpretError(err, "Payment")
	}
	return testSessionFromRow(row), nil
}

// SubmitCard is the hosted page's card form. A known test card decides the outcome; the
// number itself is forgotten when this returns (only the outcome is stored). A session
// already decided (a double submit, the back button) is returned unchanged: the handler
// sends the shopper on according to its state.
func (g *TestGateway) SubmitCard(ctx context.Context, ref, number string) (TestSession, error) {
	card, err := lookupTestCard(number)
	if err != nil {
		return TestSession{}, err
	}
	return g.hostedStep(ctx, ref, TestSessionOpen, func(capture bool) (TestSessionState, string, string) {
		switch card.outcome {
		case outcomeDecline:
			return TestSessionFailed, TestFailureDeclined, "payment.failed"
		case outcomeInsufficientFunds:
			return TestSessionFailed, TestFailureInsufficientFunds, "payment.failed"
		case outcomeRequiresAction:
			// Nothing is decided yet: no webhook until the shopper confirms.
			return TestSessionRequiresAction, "", ""
		}
		return succeeded(capture)
	})
}

// Confirm is the extra confirmation step: complete succeeds, anything else fails.
func (g *TestGateway) Confirm(ctx context.Context, ref string, complete bool) (TestSession, error) {
	return g.hostedStep(ctx, ref, TestSessionRequiresAction, func(capture bool) (TestSessionState, string, string) {
		if !complete {
			return TestSessionFailed, TestFailureAuthentication, "payment.failed"
		}
		return succeeded(capture)
	})
}

func succeeded(captureManually bool) (TestSessionState, string, string) {
	if captureManually {
		return TestSessionAuthorized, "", "payment.authorized"
	}
	return TestSessionPaid, "", "payment.succeeded"
}

// hostedStep moves a session that is in state from, under its lock, and queues the
// webhook with it: concurrent submits of one page decide once.
func (g *TestGateway) hostedStep(ctx context.Context, ref string, from TestSessionState,
	decide func(captureManually bool) (TestSessionState, string, string),
) (TestSession, error) {
	var out TestSession
	err := db.InTx(ctx, g.pool, func(tx pgx.Tx) error {
		row, err := g.q.TestSessionLock(ctx, tx, ref)
		if err != nil {
			return interpretError(err, "Payment")
		}
		if TestSessionState(row.State) != from {
			out = testSessionFromRow(row)
			return nil
		}
		to, failure, eventType := decide(row.CaptureManually)
		if row, err = g.q.TestSessionUpdate(ctx, tx, dbsqlc.TestSessionUpdateParams{
			Ref: ref, State: string(to), FailureCode: failure, RefundedMinor: row.RefundedMinor,
		}); err != nil {
			return fmt.Errorf("test gateway: update session %q: %w", ref, err)
		}
		if eventType != "" {
			if err := g.emitTx(ctx, tx, row, eventType); err != nil {
				return err
			}
		}
		out = testSessionFromRow(row)
		return nil
	})
	return out, err
}

// emitTx queues two deliveries of one event (same id) in the gateway's transaction: the
// second, DuplicateDelay later, keeps the shop's duplicate handling honest on every
// payment.
func (g *TestGateway) emitTx(ctx context.Context, tx pgx.Tx, row dbsqlc.PaymentsTestGatewaySession, eventType string) error {
	if g.jobs == nil {
		return errors.New("test gateway: no job queue attached (Service.UseJobs was not called)")
	}
	ev := TestWebhook{
		ID:      "evt_" + randomToken(18),
		Type:    eventType,
		Created: time.Now().Unix(),
		Data: TestWebhookData{
			Payment:       row.Ref,
			PaymentID:     row.PaymentID,
			State:         row.State,
			AmountMinor:   row.AmountMinor,
			Currency:      row.Currency,
			RefundedMinor: row.RefundedMinor,
			FailureCode:   row.FailureCode,
		},
	}
	first := time.Now().Add(g.cfg.DeliveryDelay)
	deliveries := []time.Time{first, first.Add(g.cfg.DuplicateDelay)}
	if g.cfg.DuplicateOneIn > 1 && rand.IntN(g.cfg.DuplicateOneIn) != 0 {
		deliveries = deliveries[:1]
	}
	for i, at := range deliveries {
		if _, err := g.jobs.InsertTx(ctx, tx, testWebhookArgs{Event: ev, Delivery: i + 1, NotBefore: at}, nil); err != nil {
			return fmt.Errorf("test gateway: queue webhook %s: %w", ev.ID, err)
		}
	}
	return nil
}

// deliver sends one delivery of an event to the shop: a signed request handed to
// HandleWebhook, exactly what the HTTP endpoint would do with it.
func (g *TestGateway) deliver(ctx context.Context, s *Service, ev TestWebhook) error {
	req, err := g.WebhookRequest(ctx, testGatewayWebhookPath, ev)
	if err != nil {
		return err
	}
	return s.HandleWebhook(ctx, ProviderTest, req)
}

// testStatus translates the gateway's view of a payment into ours.
func testStatus(state TestSessionState, amountMinor int64, currency string, refundedMinor int64, failure string) ProviderStatus {
	st := ProviderStatus{
		Amount:        money.Amount{Minor: amountMinor, Currency: currency},
		Refunded:      money.Amount{Minor: refundedMinor, Currency: currency},
		FailureReason: failure,
	}
	switch state {
	case TestSessionOpen, TestSessionRequiresAction:
		st.State = StatePending
	case TestSessionAuthorized:
		st.State = StateAuthorized
	case TestSessionPaid:
		st.State = StatePaid
		if refundedMinor > 0 {
			st.State = StatePartiallyRefunded
			if refundedMinor >= amountMinor {
				st.State = StateRefunded
			}
		}
	case TestSessionFailed:
		st.State = StateFailed
	case TestSessionCanceled:
		st.State = StateVoided
	}
	return st
}

func testSessionFromRow(r dbsqlc.PaymentsTestGatewaySession) TestSession {
	return TestSession{
		Ref:         r.Ref,
		PaymentID:   PaymentID(r.PaymentID),
		Reference:   r.Reference,
		Description: r.Description,
		Amount:      money.Amount{Minor: r.AmountMinor, Currency: r.Currency},
		Refunded:    money.Amount{Minor: r.RefundedMinor, Currency: r.Currency},
		ReturnURL:   r.ReturnUrl,
		CancelURL:   r.CancelUrl,
		State:       TestSessionState(r.State),
		FailureCode: r.FailureCode,
	}
}

// lookupTestCard normalizes what was typed (spaces and dashes are how people write card
// numbers) and finds the test card, or says what is wrong with the number.
func lookupTestCard(number string) (TestCard, error) {
	digits := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(number))
	if digits == "" {
		return TestCard{}, apperr.InvalidFields("Enter a card number.", map[string]string{"card_number": "Enter a card number."})
	}
	if !luhnValid(digits) {
		return TestCard{}, apperr.InvalidFields("Check the card number.", map[string]string{"card_number": "This is not a valid card number."})
	}
	for _, c := range TestCards {
		if c.Number == digits {
			return c, nil
		}
	}
	return TestCard{}, apperr.InvalidFields("Use a test card.", map[string]string{
		"card_number": "This gateway only takes the test card numbers listed on this page: no real money can be paid here.",
	})
}

// luhnValid checks the length and the Luhn check digit every card number carries.
func luhnValid(digits string) bool {
	if len(digits) < 12 || len(digits) > 19 {
		return false
	}
	sum := 0
	for i := range len(digits) {
		c := digits[len(digits)-1-i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// compile-time check that the gateway is a provider, and River args live in jobs.go.
var (
	_ Provider      = (*TestGateway)(nil)
	_ river.JobArgs = testWebhookArgs{}
)
