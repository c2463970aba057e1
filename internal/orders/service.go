package orders

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/monoshop/monoshop/internal/cart"
	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/orders/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// DefaultExpireAfter is how long an unpaid order holds its stock: long enough to type a
// card number and pass a bank's check, short enough that a shopper who walked away does
// not keep the last units from everyone else for half an hour.
const DefaultExpireAfter = 15 * time.Minute

// DefaultHoldMaxUnits is how many units one client may hold in unpaid orders at once:
// more than a household buys in one go, far less than a shop's stock of a bestseller.
const DefaultHoldMaxUnits = 30

// expireBatch bounds how many orders one expiry run cancels per transaction.
const expireBatch = 100

// Inventory is what orders needs from the inventory module (*inventory.Service).
type Inventory interface {
	ReserveTx(ctx context.Context, tx pgx.Tx, ref string, lines []inventory.Line) error
	ReleaseTx(ctx context.Context, tx pgx.Tx, ref string) error
	CommitLinesTx(ctx context.Context, tx pgx.Tx, ref string, lines []inventory.Line) error
	ReleaseLinesTx(ctx context.Context, tx pgx.Tx, ref string, lines []inventory.Line) error
	RestockTx(ctx context.Context, tx pgx.Tx, ref string, lines []inventory.Line, note string) error
}

// Payments is what orders needs from the payments module (*payments.Service). Create
// runs in the order's transaction; every other call may reach a provider and so runs
// outside any transaction of ours (DESIGN.md §2.6).
type Payments interface {
	Create(ctx context.Context, tx pgx.Tx, in payments.CreateInput) (payments.Payment, error)
	FindPayment(ctx context.Context, id payments.PaymentID) (payments.Payment, error)
	Refunds(ctx context.Context, id payments.PaymentID) ([]payments.Refund, error)
	Capture(ctx context.Context, id payments.PaymentID) (payments.Payment, error)
	Void(ctx context.Context, id payments.PaymentID) (payments.Payment, error)
	MarkPaidManually(ctx context.Context, id payments.PaymentID, actor audit.Actor) (payments.Payment, error)
	Refund(ctx context.Context, id payments.PaymentID, amount money.Amount, idempotencyKey string) (payments.Refund, error)
}

// Cart is what orders needs from the cart module (*cart.Service): the order takes the
// cart's lines, so placing it empties the cart in the same transaction.
type Cart interface {
	ClearTx(ctx context.Context, tx pgx.Tx, ref cart.Ref) error
}

// Config configures the orders service.
type Config struct {
	// ExpireAfter is how long an unpaid order holds its stock waiting for its payment
	// (default 15 minutes); paying again after a refused card holds it that long again,
	// up to 4 × ExpireAfter after it was placed.
	ExpireAfter time.Duration
	// HoldMaxUnits caps the units one client may hold in unpaid orders at once (default
	// DefaultHoldMaxUnits): stock waiting for a payment is stock nobody else can buy.
	HoldMaxUnits int
	// Now is the clock (tests move it); nil means time.Now.
	Now func() time.Time
	// BaseURL is the shop's public address; emails link to BaseURL + "/orders/" + token.
	BaseURL string
	// Store is what the environment says the store is called, where shoppers write to
	// and what it sells in: the defaults of the details staff set in the back office
	// (name "Monoshop", currency USD when blank).
	Store StoreDefaults
	// TimeZone is the store's clock, on which the invoice retention period's years end;
	// nil means UTC.
	TimeZone *time.Location
}

// Service is the orders module's public API.
type Service struct {
	pool *pgxpool.Pool
	q    *dbsqlc.Queries
	log  *slog.Logger
	inv  Inventory
	pay  Payments
	cfg  Config
	// audit records staff writes (settings, discount codes, order actions); nil records
	// nothing (tests of pricing alone).
	audit audit.Recorder
	// outbox, cart and jobs are optional too: nil sends no email, leaves carts alone and
	// queues no void of an expired order's payment.
	outbox Outbox
	cart   Cart
	jobs   JobInserter
	hooks  hooks
	// settings is the pricing configuration read at most settingsTTL ago: checkout asks
	// for it on every page, and it changes a few times a year.
	settings atomic.Pointer[cachedSettings]
	// store is the store's name, contact address, currency and logo (store.go): every
	// page shows some of them.
	store storeDetailsCache
}

// UseCart makes placing an order empty the shopper's cart (cmd/shop passes the cart
// service).
func (s *Service) UseCart(c Cart) { s.cart = c }

// UseAudit makes staff writes go to the audit log (cmd/shop passes the users service).
func (s *Service) UseAudit(r audit.Recorder) { s.audit = r }

// NewService returns the orders service.
func NewService(pool *pgxpool.Pool, log *slog.Logger, inv Inventory, pay Payments, cfg Config) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.ExpireAfter <= 0 {
		cfg.ExpireAfter = DefaultExpireAfter
	}
	if cfg.HoldMaxUnits <= 0 {
		cfg.HoldMaxUnits = DefaultHoldMaxUnits
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Store.Name == "" {
		cfg.Store.Name = "Monoshop"
	}
	if cfg.Store.Currency == "" {
		cfg.Store.Currency = "USD"
	}
	return &Service{pool: pool, q: dbsqlc.New(), log: log, inv: inv, pay: pay, cfg: cfg}
}

// InventoryRef is the reservation reference of an order's stock.
func InventoryRef(number int64) string { return "order:" + strconv.FormatInt(number, 10) }

// PaymentRef is the order reference given to the payments module.
func PaymentRef(number int64) string { return strconv.FormatInt(number, 10) }

// PlaceOrderInput is a checkout submission, already validated field by field and priced
// live by the caller (cart + catalog).
type PlaceOrderInput struct {
	// IdempotencyKey names the checkout submission (a hidden form field): submitting it
	// again returns the order it created.
	IdempotencyKey string
	Lines          []Line
	// Options describes each line's variant options ("Size: M, Colour: red"), by index of
	// Lines; optional.
	Options   []string
	Email     string
	AccountID *int64
	// Shipping is the destination as pricing needs it.
	Shipping        Address
	ShippingAddress AddressDetails
	BillingAddress  AddressDetails
	Method          ShippingMethod
	DiscountCode    string
	Rates           []TaxRate
	Mode            TaxMode
	// PaymentProvider names the payments provider; "" is its default.
	PaymentProvider string
	// Actor is recorded in the "placed" event ("customer:42", "guest"); "" means "shopper".
	Actor string
	// Cart is the shopper's cart, emptied in the order's transaction; the zero Ref leaves
	// every cart alone.
	Cart cart.Ref
	// Client names who is placing the order (httpx.ClientKey: an address, an IPv6 /64):
	// what one client may hold in unpaid orders is capped (Config.HoldMaxUnits). ""
	// (staff, tests, imports) is not capped.
	Client string
}

// PlaceOrder creates the order, its lines, the discount use, the stock reservation and
// the payment, empties the cart and queues the confirmation email (when nothing is due or
// the payment is manual) in one transaction. A second call with the same idempotency key
// returns the first order. A sold-out line fails with an apperr Conflict whose cause is
// the *inventory.InsufficientStock (errors.As works); a used-up code with Conflict "This
// code has been used up".
func (s *Service) PlaceOrder(ctx context.Context, in PlaceOrderInput) (Order, error) {
	in.IdempotencyKey = strings.TrimSpace(in.IdempotencyKey)
	in.Email = strings.TrimSpace(in.Email)
	if in.IdempotencyKey == "" || len(in.IdempotencyKey) > 200 {
		return Order{}, apperr.New(apperr.Invalid, "The checkout form is out of date; please submit it again.")
	}
	if in.Email == "" {
		return Order{}, apperr.InvalidFields("The order cannot be placed.", map[string]string{"email": "Enter your email address."})
	}
	if len(in.Lines) == 0 {
		return Order{}, apperr.Wrap(ErrEmptyCart, apperr.Invalid, "Your cart is empty.")
	}
	// No look for an earlier order first: the unique key decides, and the common case (a
	// first submission) then costs one statement less under load.
	var order Order
	duplicate := false
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		order, duplicate, err = s.placeTx(ctx, tx, in)
		if duplicate {
			return errDuplicate
		}
		return err
	})
	if duplicate {
		// A concurrent submission with the same key won the insert: return its order.
		row, err := s.q.OrderGetByIdempotencyKey(ctx, s.pool, in.IdempotencyKey)
		if err != nil {
			return Order{}, fmt.Errorf("orders: re-read order after idempotency conflict: %w", err)
		}
		return orderFromRow(row), nil
	}
	if err != nil {
		// A submission made again after the first one succeeded can fail on what the
		// first one used up (the code's last use, the last unit) before reaching the key:
		// it still gets the first order.
		if row, ferr := s.q.OrderGetByIdempotencyKey(ctx, s.pool, in.IdempotencyKey); ferr == nil {
			return orderFromRow(row), nil
		}
		// Out of the transaction, so the stock's rows are no longer locked while asking.
		if short := (*inventory.InsufficientStock)(nil); errors.As(err, &short) {
			return Order{}, s.explainShortage(ctx, err, short, in.Lines)
		}
		return Order{}, err
	}
	return order, nil
}

var errDuplicate = errors.New("orders: idempotency key taken")

// tooMuchHeld refuses an order that would take a client's units held in unpaid orders
// over the cap: what they already hold in other orders, and what this one would add.
func (s *Service) tooMuchHeld(before, adding int) error {
	limit := s.cfg.HoldMaxUnits
	minutes := int(s.cfg.ExpireAfter.Round(time.Minute) / time.Minute)
	if before == 0 {
		return apperr.New(apperr.Conflict, fmt.Sprintf(
			"This order has %d items; at most %d can wait for payment at once. Please order fewer, or contact us for a larger order.",
			adding, limit))
	}
	return apperr.New(apperr.Conflict, fmt.Sprintf(
		"You already have %d items waiting for payment in other orders, and at most %d can wait at once. "+
			"Pay for those orders, or place this one when they are released (%d minutes after they were placed).",
		before, limit, minutes))
}

func (s *Service) placeTx(ctx context.Context, tx pgx.Tx, in PlaceOrderInput) (Order, bool, error) {
	now := s.cfg.Now()
	var code *dbsqlc.OrdersDiscountCode
	var discount *Discount
	if c := strings.ToUpper(strings.TrimSpace(in.DiscountCode)); c != "" {
		row, err := s.q.DiscountCodeGet(ctx, tx, c)
		if errors.Is(err, pgx.ErrNoRows) {
			return Order{}, false, apperr.New(apperr.Invalid, "The code "+c+" does not exist.")
		}
		if err != nil {
			return Order{}, false, fmt.Errorf("orders: find discount code: %w", err)
		}
		if !row.Active || (row.StartsAt != nil && now.Before(*row.StartsAt)) || (row.EndsAt != nil && !now.Before(*row.EndsAt)) {
			return Order{}, false, apperr.New(apperr.Invalid, "The code "+c+" is not valid now.")
		}
		if row.UsageLimit != nil && row.UsedCount >= *row.UsageLimit {
			return Order{}, false, apperr.New(apperr.Conflict, "This code has been used up")
		}
		code = &row
		discount = discountFromRow(row, in.Lines[0].UnitPrice.Currency)
	}
	totals, err := ComputeTotals(TotalsInput{
		Lines: in.Lines, Address: in.Shipping, Method: in.Method, Discount: discount, Rates: in.Rates, Mode: in.Mode,
	})
	if err != nil {
		return Order{}, false, err
	}
	shipJSON, err := json.Marshal(nonNil(in.ShippingAddress))
	if err != nil {
		return Order{}, false, fmt.Errorf("orders: shipping address: %w", err)
	}
	billJSON, err := json.Marshal(nonNil(in.BillingAddress))
	if err != nil {
		return Order{}, false, fmt.Errorf("orders: billing address: %w", err)
	}
	var expires *time.Time
	if totals.GrandTotal.Minor > 0 {
		e := now.Add(s.cfg.ExpireAfter)
		expires = &e
	}
	codeText := ""
	if code != nil {
		codeText = code.Code
	}
	params := dbsqlc.OrderInsertParams{
		Token:              randomToken(32),
		AccountID:          in.AccountID,
		Email:              in.Email,
		Currency:           totals.GrandTotal.Currency,
		Subtotal:           totals.Subtotal.Minor,
		DiscountTotal:      totals.DiscountTotal.Minor,
		ShippingTotal:      totals.Shipping.Minor,
		ShippingTax:        totals.ShippingTax.Minor,
		TaxTotal:           totals.TaxTotal.Minor,
		GrandTotal:         totals.GrandTotal.Minor,
		TaxIncluded:        totals.TaxIncluded,
		ShippingMethodName: in.Method.Name,
		ShippingAddress:    shipJSON,
		BillingAddress:     billJSON,
		DiscountCode:       codeText,
		IdempotencyKey:     in.IdempotencyKey,
		ExpiresAt:          expires,
		ShippingMethodID:   nonZero(in.Method.ID),
	}
	invLines := make([]inventory.Line, 0, len(totals.LineTotals))
	for i, lt := range totals.LineTotals {
		opts := ""
		if i < len(in.Options) {
			opts = in.Options[i]
		}
		params.LineVariantIds = append(params.LineVariantIds, lt.VariantID)
		params.LineSkus = append(params.LineSkus, lt.SKU)
		params.LineNames = append(params.LineNames, lt.Name)
		params.LineOptions = append(params.LineOptions, opts)
		params.LineQuantities = append(params.LineQuantities, int32(lt.Quantity))
		params.LineUnitPrices = append(params.LineUnitPrices, lt.UnitPrice.Minor)
		params.LineGrosses = append(params.LineGrosses, lt.Gross.Minor)
		params.LineDiscounts = append(params.LineDiscounts, lt.Discount.Minor)
		params.LineTaxes = append(params.LineTaxes, lt.Tax.Minor)
		params.LineTaxRates = append(params.LineTaxRates, int32(lt.TaxRate))
		params.LineWeights = append(params.LineWeights, int32(lt.WeightGrams))
		invLines = append(invLines, inventory.Line{VariantID: lt.VariantID, Quantity: lt.Quantity})
	}
	if in.Client != "" && totals.GrandTotal.Minor > 0 {
		sum := sha256.Sum256([]byte(in.Client))
		params.HoldClient = sum[:]
		for _, lt := range totals.LineTotals {
			params.HeldUnits += int32(lt.Quantity)
		}
	}
	inserted, err := s.q.OrderInsert(ctx, tx, params)
	if errors.Is(err, pgx.ErrNoRows) {
		return Order{}, true, nil
	}
	if err != nil {
		return Order{}, false, fmt.Errorf("orders: insert order: %w", err)
	}
	row := dbsqlc.OrdersOrder(inserted)
	if code != nil {
		n, err := s.q.DiscountCodeRedeem(ctx, tx, code.ID)
		if err != nil {
			return Order{}, false, fmt.Errorf("orders: redeem discount code: %w", err)
		}
		if n == 0 {
			return Order{}, false, apperr.New(apperr.Conflict, "This code has been used up")
		}
		// The code's row is locked by the UPDATE above, so concurrent checkouts of one
		// customer count each other's redemptions.
		if code.PerCustomerLimit != nil {
			used, err := s.q.DiscountRedemptionsByCustomer(ctx, tx, dbsqlc.DiscountRedemptionsByCustomerParams{
				CodeID: code.ID, AccountID: in.AccountID, Email: in.Email,
			})
			if err != nil {
				return Order{}, false, fmt.Errorf("orders: count redemptions: %w", err)
			}
			if used >= int64(*code.PerCustomerLimit) {
				return Order{}, false, apperr.New(apperr.Conflict, "You have already used the code "+code.Code+".")
			}
		}
		if err := s.q.DiscountRedemptionInsert(ctx, tx, dbsqlc.DiscountRedemptionInsertParams{
			CodeID: code.ID, OrderID: row.ID, AccountID: in.AccountID, Email: in.Email,
		}); err != nil {
			return Order{}, false, fmt.Errorf("orders: record redemption: %w", err)
		}
	}

	order := orderFromRow(row)
	provider := ""
	if totals.GrandTotal.Minor > 0 {
		p, err := s.pay.Create(ctx, tx, payments.CreateInput{
			OrderRef:       PaymentRef(row.Number),
			Amount:         totals.GrandTotal,
			Provider:       in.PaymentProvider,
			Description:    "Order #" + PaymentRef(row.Number),
			IdempotencyKey: "order:" + in.IdempotencyKey,
		})
		if err != nil {
			return Order{}, false, err
		}
		order.PaymentID, order.PaymentProvider, order.Payment = int64(p.ID), p.Provider, &p
		provider = p.Provider
	} else {
		// Nothing to pay (a 100 % code with free shipping).
		row, err = s.q.OrderSetPaymentStatus(ctx, tx, dbsqlc.OrderSetPaymentStatusParams{PaymentStatus: PaymentPaid, ID: row.ID})
		if err != nil {
			return Order{}, false, fmt.Errorf("orders: mark free order paid: %w", err)
		}
		order = orderFromRow(row)
	}
	actor := in.Actor
	if actor == "" {
		actor = "shopper"
	}
	data, err := json.Marshal(map[string]any{
		"grand_total": totals.GrandTotal.Minor, "currency": totals.GrandTotal.Currency, "payment_id": order.PaymentID,
	})
	if err != nil {
		return Order{}, false, fmt.Errorf("orders: event data: %w", err)
	}
	// The "placed" event (EventPlaced), the payment's id and what the client now holds
	// unpaid, in one statement.
	holds, err := s.q.OrderRecordPlaced(ctx, tx, dbsqlc.OrderRecordPlacedParams{
		PaymentID: nonZero(order.PaymentID), OrderID: row.ID, Actor: actor, Data: data, HoldClient: params.HoldClient,
	})
	if err != nil {
		return Order{}, false, fmt.Errorf("orders: record placed order: %w", err)
	}
	if params.HoldClient != nil && holds > int64(s.cfg.HoldMaxUnits) {
		return Order{}, false, s.tooMuchHeld(int(holds)-int(params.HeldUnits), int(params.HeldUnits))
	}
	if s.cart != nil && !in.Cart.IsZero() {
		if err := s.cart.ClearTx(ctx, tx, in.Cart); err != nil {
			return Order{}, false, fmt.Errorf("orders: empty the cart of order %d: %w", order.Number, err)
		}
	}
	if err := s.hooks.run(ctx, tx, &s.hooks.placed, order); err != nil {
		return Order{}, false, err
	}
	switch {
	case totals.GrandTotal.Minor == 0:
		if err := s.hooks.run(ctx, tx, &s.hooks.paid, order); err != nil {
			return Order{}, false, err
		}
		if err := s.sendOrderEmailTx(ctx, tx, order, confirmationEmail(order, false)); err != nil {
			return Order{}, false, err
		}
	case provider == payments.ProviderManual:
		// A bank transfer or cash on delivery: the shopper learns now how the order
		// stands; the card providers' shoppers hear when the money arrives.
		if err := s.sendOrderEmailTx(ctx, tx, order, confirmationEmail(order, true)); err != nil {
			return Order{}, false, err
		}
	}
	// The stock last: its levels stay locked until commit, and shoppers buying the same
	// item (the last one, in a sale) queue on them, so nothing else may come after.
	if err := s.inv.ReserveTx(ctx, tx, InventoryRef(row.Number), invLines); err != nil {
		var short *inventory.InsufficientStock
		if errors.As(err, &short) {
			return Order{}, false, apperr.Wrap(err, apperr.Conflict, soldOutMessage(short, in.Lines))
		}
		return Order{}, false, err
	}
	return order, false, nil
}

func soldOutMessage(short *inventory.InsufficientStock, lines []Line) string {
	var names []string
	for _, sh := range short.Short {
		name := fmt.Sprintf("item %d", sh.VariantID)
		for _, l := range lines {
			if l.VariantID == sh.VariantID {
				name = l.Name
				break
			}
		}
		if sh.Available > 0 {
			name = fmt.Sprintf("%s (only %d left)", name, sh.Available)
		}
		names = append(names, name)
	}
	return "Sorry, " + strings.Join(names, ", ") + " is sold out"
}

// MarkPaidTx is the payments module's OnPaid hook: the order's payment status becomes
// paid and a "paid" event is recorded, once however often it is called.
func (s *Service) MarkPaidTx(ctx context.Context, tx pgx.Tx, p payments.Payment) error {
	return s.setPaymentStatusTx(ctx, tx, p, PaymentPaid, EventPaid)
}

// MarkPaymentFailedTx is the payments module's OnFailed hook: the shopper is told by
// email, and the order waits for another attempt until it expires.
func (s *Service) MarkPaymentFailedTx(ctx context.Context, tx pgx.Tx, p payments.Payment) error {
	return s.setPaymentStatusTx(ctx, tx, p, PaymentFailed, EventPaymentFailed)
}

// MarkAuthorizedTx is the payments module's OnAuthorized hook: the provider holds the
// money until staff capture it.
func (s *Service) MarkAuthorizedTx(ctx context.Context, tx pgx.Tx, p payments.Payment) error {
	return s.setPaymentStatusTx(ctx, tx, p, PaymentAuthorized, EventPaymentAuthorized)
}

// MarkVoidedTx is the payments module's OnVoided hook (an expired or cancelled order's
// payment, cancelled before money moved).
func (s *Service) MarkVoidedTx(ctx context.Context, tx pgx.Tx, p payments.Payment) error {
	return s.setPaymentStatusTx(ctx, tx, p, PaymentVoided, EventPaymentVoided)
}

func (s *Service) setPaymentStatusTx(ctx context.Context, tx pgx.Tx, p payments.Payment, status, event string) error {
	data := map[string]any{"payment_id": int64(p.ID), "amount": p.Amount.Minor, "currency": p.Amount.Currency}
	if p.FailureReason != "" {
		data["reason"] = p.FailureReason
	}
	row, moved, err := s.movePaymentOfOpenOrderTx(ctx, tx, p, status, event, data)
	if err != nil {
		return err
	}
	cancelled := false
	if !moved {
		// Not the common case: look at the order under its lock.
		var ok bool
		row, ok, err = s.lockOrderOfPayment(ctx, tx, p, "payment", "payment_id", p.ID)
		if !ok || err != nil {
			return err
		}
		if !paymentMoveAllowed(row.PaymentStatus, status) {
			return nil // already there, or a late failure after success: nothing changes
		}
		if status != PaymentPaid && row.PaymentID != nil && *row.PaymentID != int64(p.ID) {
			// News about an earlier attempt the shopper has since replaced ("Pay now" after
			// a refused card): only money arriving matters, a late failure or void of the
			// old attempt must not mark the new one failed.
			return nil
		}
		cancelled = row.Status == StatusCancelled
		if cancelled && status == PaymentPaid {
			// Paid after it expired: staff must refund or reinstate; the timeline says so.
			data["order_cancelled"] = true
			s.log.WarnContext(ctx, "orders: payment arrived for a cancelled order", "order", row.Number, "payment_id", p.ID)
		}
		eventData, err := json.Marshal(data)
		if err != nil {
			return fmt.Errorf("orders: event data: %w", err)
		}
		recorded, err := s.q.OrderSetPaymentStatusRecorded(ctx, tx, dbsqlc.OrderSetPaymentStatusRecordedParams{
			PaymentStatus: status, OrderID: row.ID, Type: event, Actor: "payments:" + p.Provider, Data: eventData,
		})
		if err != nil {
			return fmt.Errorf("orders: set payment status of order %d: %w", row.Number, err)
		}
		row = dbsqlc.OrdersOrder(recorded)
	}
	if status == PaymentPaid && row.Status == StatusOpen && row.FulfillmentStatus == FulfillmentFulfilled {
		// Cash on delivery: everything shipped before the money came.
		if row, err = s.q.OrderSetStatuses(ctx, tx, dbsqlc.OrderSetStatusesParams{
			Status: StatusCompleted, FulfillmentStatus: row.FulfillmentStatus, ID: row.ID}); err != nil {
			return fmt.Errorf("orders: complete order %d: %w", row.Number, err)
		}
	}
	if row.Status == StatusCompleted {
		if err := s.event(ctx, tx, row.ID, EventCompleted, "payments:"+p.Provider, map[string]any{}); err != nil {
			return err
		}
	}
	if cancelled {
		// The shopper was told the order is cancelled; staff decide what happens next.
		return nil
	}
	o := orderFromRow(row)
	switch status {
	case PaymentPaid:
		if err := s.hooks.run(ctx, tx, &s.hooks.paid, o); err != nil {
			return err
		}
		return s.sendOrderEmailTx(ctx, tx, o, confirmationEmail(o, false))
	case PaymentFailed:
		return s.sendOrderEmailTx(ctx, tx, o, paymentFailedEmail(o, p.FailureReason))
	}
	return nil
}

// movePaymentOfOpenOrderTx is the common case of setPaymentStatusTx in one statement:
// the payment's order is open and its payment status may move. moved is false when it
// is not that case (or the order is not found): the caller then looks under the lock.
func (s *Service) movePaymentOfOpenOrderTx(ctx context.Context, tx pgx.Tx, p payments.Payment, status, event string, data map[string]any) (dbsqlc.OrdersOrder, bool, error) {
	number, err := strconv.ParseInt(p.OrderRef, 10, 64)
	if err != nil {
		return dbsqlc.OrdersOrder{}, false, nil
	}
	eventData, err := json.Marshal(data)
	if err != nil {
		return dbsqlc.OrdersOrder{}, false, fmt.Errorf("orders: event data: %w", err)
	}
	id := int64(p.ID)
	row, err := s.q.OrderMovePaymentOfOpenOrder(ctx, tx, dbsqlc.OrderMovePaymentOfOpenOrderParams{
		PaymentStatus: status, Number: number, FromStatuses: paymentMovesFrom(status), PaymentID: &id,
		Type: event, Actor: "payments:" + p.Provider, Data: eventData,
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return dbsqlc.OrdersOrder{}, false, nil
	}
	if err != nil {
		return dbsqlc.OrdersOrder{}, false, fmt.Errorf("orders: set payment status of order %d: %w", number, err)
	}
	return dbsqlc.OrdersOrder(row), true, nil
}

// paymentMovesFrom lists the payment statuses an order's may move to `to` from.
func paymentMovesFrom(to string) []string {
	switch to {
	case PaymentPaid:
		return []string{PaymentPending, PaymentAuthorized, PaymentFailed}
	case PaymentFailed:
		return []string{PaymentPending, PaymentAuthorized}
	case PaymentAuthorized:
		return []string{PaymentPending, PaymentFailed}
	case PaymentVoided:
		return []string{PaymentPending, PaymentAuthorized, PaymentFailed}
	}
	return nil
}

func paymentMoveAllowed(from, to string) bool { return slices.Contains(paymentMovesFrom(to), from) }

// ExpireUnpaid cancels open orders still unpaid after their expiry time: their stock is
// released, their discount use returned, the shopper emailed, OnCancelled fired and a
// job queued that voids the payment (the provider is called outside this transaction).
// Concurrent runs split the work (FOR UPDATE SKIP LOCKED), so each order is expired once.
// It returns how many orders it cancelled.
func (s *Service) ExpireUnpaid(ctx context.Context) (int, error) {
	total := 0
	for {
		n := 0
		err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			rows, err := s.q.OrdersExpiredLock(ctx, tx, dbsqlc.OrdersExpiredLockParams{Now: ptrTime(s.cfg.Now()), MaxRows: expireBatch})
			if err != nil {
				return fmt.Errorf("orders: find expired orders: %w", err)
			}
			for _, r := range rows {
				if _, err := s.cancelTx(ctx, tx, r, cancellation{
					actor: "system", reason: "Not paid in time", event: EventExpired, expired: true,
					data: map[string]any{"expires_at": r.ExpiresAt},
				}); err != nil {
					return err
				}
				if r.PaymentID != nil && s.jobs != nil {
					if _, err := s.jobs.InsertTx(ctx, tx, VoidPaymentArgs{PaymentID: *r.PaymentID, OrderNumber: r.Number}, nil); err != nil {
						return fmt.Errorf("orders: queue the void of order %d's payment: %w", r.Number, err)
					}
				}
			}
			n = len(rows)
			return nil
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < expireBatch {
			return total, nil
		}
	}
}

// Order returns an order by number.
func (s *Service) Order(ctx context.Context, number int64) (Order, error) {
	row, err := s.q.OrderGetByNumber(ctx, s.pool, number)
	if errors.Is(err, pgx.ErrNoRows) {
		return Order{}, apperr.Wrap(err, apperr.NotFound, "Order not found.")
	}
	if err != nil {
		return Order{}, fmt.Errorf("orders: find order: %w", err)
	}
	return orderFromRow(row), nil
}

// OrderByToken returns an order by its guest-link token.
func (s *Service) OrderByToken(ctx context.Context, token string) (Order, error) {
	row, err := s.q.OrderGetByToken(ctx, s.pool, token)
	if errors.Is(err, pgx.ErrNoRows) {
		return Order{}, apperr.Wrap(err, apperr.NotFound, "Order not found.")
	}
	if err != nil {
		return Order{}, fmt.Errorf("orders: find order: %w", err)
	}
	return orderFromRow(row), nil
}

// Lines returns an order's lines.
func (s *Service) Lines(ctx context.Context, o Order) ([]OrderLine, error) {
	rows, err := s.q.OrderLines(ctx, s.pool, o.ID)
	if err != nil {
		return nil, fmt.Errorf("orders: lines: %w", err)
	}
	return linesFromRows(rows, o.GrandTotal.Currency), nil
}

func linesFromRows(rows []dbsqlc.OrdersOrderLine, currency string) []OrderLine {
	out := make([]OrderLine, 0, len(rows))
	for _, r := range rows {
		out = append(out, OrderLine{
			ID: r.ID, VariantID: r.VariantID, SKU: r.Sku, Name: r.Name, Options: r.Options, Quantity: int(r.Quantity),
			UnitPrice: money.New(r.UnitPrice, currency), Gross: money.New(r.Gross, currency),
			Discount: money.New(r.Discount, currency), Tax: money.New(r.Tax, currency),
			TaxRate: int(r.TaxRate), WeightGrams: int(r.WeightGrams),
			FulfilledQuantity: int(r.FulfilledQuantity), RestockedQuantity: int(r.RestockedQuantity),
		})
	}
	return out
}

// Events returns an order's timeline, oldest first.
func (s *Service) Events(ctx context.Context, orderID int64) ([]OrderEvent, error) {
	rows, err := s.q.OrderEvents(ctx, s.pool, orderID)
	if err != nil {
		return nil, fmt.Errorf("orders: events: %w", err)
	}
	out := make([]OrderEvent, 0, len(rows))
	for _, r := range rows {
		e := OrderEvent{ID: r.ID, Type: r.Type, Actor: r.Actor, CreatedAt: r.CreatedAt}
		_ = json.Unmarshal(r.Data, &e.Data)
		out = append(out, e)
	}
	return out, nil
}

// CreateDiscountCodeInput describes a new discount code (back office).
type CreateDiscountCodeInput struct {
	Code             string
	Kind             DiscountKind
	BasisPoints      int
	Amount           money.Amount
	MinSubtotal      money.Amount
	StartsAt         *time.Time
	EndsAt           *time.Time
	UsageLimit       *int
	PerCustomerLimit *int
}

// CreateDiscountCode stores a new active code (upper-cased).
func (s *Service) CreateDiscountCode(ctx context.Context, in CreateDiscountCodeInput) (DiscountCode, error) {
	code := strings.ToUpper(strings.TrimSpace(in.Code))
	if code == "" {
		return DiscountCode{}, apperr.InvalidFields("The code cannot be saved.", map[string]string{"code": "Enter a code."})
	}
	cur := in.Amount.Currency
	if cur == "" {
		cur = in.MinSubtotal.Currency
	}
	row, err := s.q.DiscountCodeInsert(ctx, s.pool, dbsqlc.DiscountCodeInsertParams{
		Code: code, Kind: string(in.Kind), BasisPoints: int32(in.BasisPoints), AmountMinor: in.Amount.Minor,
		Currency: cur, MinSubtotalMinor: in.MinSubtotal.Minor, StartsAt: in.StartsAt, EndsAt: in.EndsAt,
		UsageLimit: int32Ptr(in.UsageLimit), PerCustomerLimit: int32Ptr(in.PerCustomerLimit), Active: true,
	})
	if err != nil {
		return DiscountCode{}, fmt.Errorf("orders: create discount code: %w", err)
	}
	return discountCodeFromRow(row), nil
}

func (s *Service) event(ctx context.Context, tx pgx.Tx, orderID int64, typ, actor string, data map[string]any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("orders: event data: %w", err)
	}
	if err := s.q.OrderEventInsert(ctx, tx, dbsqlc.OrderEventInsertParams{OrderID: orderID, Type: typ, Actor: actor, Data: b}); err != nil {
		return fmt.Errorf("orders: record event: %w", err)
	}
	return nil
}

func discountFromRow(r dbsqlc.OrdersDiscountCode, cartCurrency string) *Discount {
	cur := r.Currency
	if cur == "" {
		cur = cartCurrency
	}
	d := &Discount{Code: r.Code, Kind: DiscountKind(r.Kind), BasisPoints: int(r.BasisPoints)}
	if r.AmountMinor > 0 {
		d.Amount = money.New(r.AmountMinor, cur)
	}
	if r.MinSubtotalMinor > 0 {
		d.MinSubtotal = money.New(r.MinSubtotalMinor, cur)
	}
	return d
}

func discountCodeFromRow(r dbsqlc.OrdersDiscountCode) DiscountCode {
	d := DiscountCode{
		ID: r.ID, Code: r.Code, Kind: DiscountKind(r.Kind), BasisPoints: int(r.BasisPoints),
		Amount: money.New(r.AmountMinor, r.Currency), MinSubtotal: money.New(r.MinSubtotalMinor, r.Currency),
		StartsAt: r.StartsAt, EndsAt: r.EndsAt, UsedCount: int(r.UsedCount), Active: r.Active,
	}
	if r.UsageLimit != nil {
		v := int(*r.UsageLimit)
		d.UsageLimit = &v
	}
	if r.PerCustomerLimit != nil {
		v := int(*r.PerCustomerLimit)
		d.PerCustomerLimit = &v
	}
	return d
}

func orderFromRow(r dbsqlc.OrdersOrder) Order {
	m := func(v int64) money.Amount { return money.New(v, r.Currency) }
	o := Order{
		ID: r.ID, Number: r.Number, Token: r.Token, AccountID: r.AccountID, Email: r.Email,
		Status: r.Status, PaymentStatus: r.PaymentStatus, FulfillmentStatus: r.FulfillmentStatus,
		Subtotal: m(r.Subtotal), DiscountTotal: m(r.DiscountTotal), ShippingTotal: m(r.ShippingTotal),
		ShippingTax: m(r.ShippingTax), TaxTotal: m(r.TaxTotal), GrandTotal: m(r.GrandTotal),
		TaxIncluded: r.TaxIncluded, ShippingMethod: r.ShippingMethodName, DiscountCode: r.DiscountCode,
		IdempotencyKey: r.IdempotencyKey, ExpiresAt: r.ExpiresAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		RefundedTotal: m(r.RefundedTotal), PaidAt: r.PaidAt, CancelledAt: r.CancelledAt, CancelReason: r.CancelReason,
		InvoiceNumber: orZero(r.InvoiceNumber), InvoicedAt: r.InvoicedAt,
		AnonymisedAt: r.AnonymisedAt,
	}
	if len(r.InvoiceBuyer) > 0 {
		_ = json.Unmarshal(r.InvoiceBuyer, &o.InvoiceBuyer)
	}
	if r.PaymentID != nil {
		o.PaymentID = *r.PaymentID
	}
	if r.ShippingMethodID != nil {
		o.ShippingMethodID = *r.ShippingMethodID
	}
	_ = json.Unmarshal(r.ShippingAddress, &o.ShippingAddress)
	_ = json.Unmarshal(r.BillingAddress, &o.BillingAddress)
	return o
}

func orZero(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func nonNil(a AddressDetails) AddressDetails {
	if a == nil {
		return AddressDetails{}
	}
	return a
}

func int32Ptr(p *int) *int32 {
	if p == nil {
		return nil
	}
	v := int32(*p)
	return &v
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

func ptrTime(t time.Time) *time.Time { return &t }

func nonZero(v int64) *int64 {
	if v == 0 {
		return nil
	}
	return &v
}

// Fulfillments returns an order's shipments, oldest first, with the quantities of each.
func (s *Service) Fulfillments(ctx context.Context, orderID int64) ([]Fulfillment, error) {
	return s.fulfillments(ctx, s.pool, orderID)
}

func (s *Service) fulfillments(ctx context.Context, q dbsqlc.DBTX, orderID int64) ([]Fulfillment, error) {
	rows, err := s.q.FulfillmentsByOrder(ctx, q, orderID)
	if err != nil {
		return nil, fmt.Errorf("orders: fulfilments: %w", err)
	}
	out := make([]Fulfillment, 0, len(rows))
	for _, r := range rows {
		f := Fulfillment{ID: r.ID, Carrier: r.Carrier, TrackingNumber: r.TrackingNumber,
			TrackingURL: r.TrackingUrl, Actor: r.Actor, CreatedAt: r.CreatedAt, Lines: make(map[int64]int, len(r.LineIds))}
		for i, id := range r.LineIds {
			f.Lines[id] = int(r.Quantities[i])
		}
		out = append(out, f)
	}
	return out, nil
}

// lockOrderOfPayment locks the order a payment belongs to (its reference is the order
// number), for the payments module's hooks. A payment of no order of ours is logged and
// skipped (ok false, no error): failing the hook would make a provider resend forever.
func (s *Service) lockOrderOfPayment(ctx context.Context, tx pgx.Tx, p payments.Payment, what string, attrs ...any) (dbsqlc.OrdersOrder, bool, error) {
	number, err := strconv.ParseInt(p.OrderRef, 10, 64)
	if err != nil {
		s.log.WarnContext(ctx, "orders: "+what+" for an unknown order reference", append([]any{"order_ref", p.OrderRef}, attrs...)...)
		return dbsqlc.OrdersOrder{}, false, nil
	}
	row, err := s.q.OrderLockByNumber(ctx, tx, number)
	if errors.Is(err, pgx.ErrNoRows) {
		s.log.WarnContext(ctx, "orders: "+what+" for a missing order", append([]any{"order_ref", p.OrderRef}, attrs...)...)
		return dbsqlc.OrdersOrder{}, false, nil
	}
	if err != nil {
		return dbsqlc.OrdersOrder{}, false, fmt.Errorf("orders: lock order %d: %w", number, err)
	}
	return row, true, nil
}
