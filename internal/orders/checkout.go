package orders

// The shopper's side of orders: the checkout summary priced before anything is placed,
// the shipping method a posted id stands for, paying again after a refused payment, and
// the orders a customer reads in their account.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/orders/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/internal/users"
)

// AccountOrdersPerPage is how many orders a page of a customer's order history lists.
const AccountOrdersPerPage = 20

// EventPaymentRetried is the timeline entry of a new payment attempt for an order whose
// payment was refused.
const EventPaymentRetried = "payment_retried"

// Form fields a Quote reports problems on, named as the checkout form names them.
const (
	FieldDiscountCode   = "discount_code"
	FieldShippingMethod = "shipping_method"
	FieldShipCountry    = "ship_country"
)

// QuoteInput is a checkout form as pricing sees it: the live cart, where it goes, and
// what the shopper chose.
type QuoteInput struct {
	// Lines are the cart's lines priced live from the catalog, never from the form.
	Lines       []Line
	Destination Address
	// MethodID is the shipping method the shopper chose; 0 picks the first one offered.
	MethodID int64
	// FallbackToFirst quotes the first method offered when MethodID is not offered for
	// Destination, instead of refusing it: a shopper who changed country and pressed
	// "Update" expects that country's methods, not an error about the old one.
	FallbackToFirst bool
	DiscountCode    string
	// Email and AccountID identify the shopper for codes limited per customer.
	Email     string
	AccountID *int64
	// Settings, when the caller has just read them, spare Quote reading them again.
	Settings *PricingSettings
}

// Quote is what an order would cost now, for the checkout summary and for placing it.
type Quote struct {
	// Settings are the pricing settings the quote was made with; placing the order must
	// use the same (PlaceOrderInput.Rates and Mode).
	Settings PricingSettings
	// Methods are the shipping methods offered for the destination, priced for the cart.
	Methods []QuotedMethod
	// Method is the method quoted, nil when none could be (the destination is not served,
	// or the method chosen is not offered there).
	Method *QuotedMethod
	// DiscountCode is the code applied (upper-cased); "" when none was given or it was
	// refused.
	DiscountCode string
	Totals       Totals
	// Fields are the problems the shopper can fix, by form field (FieldDiscountCode,
	// FieldShippingMethod, FieldShipCountry). Totals leave out what was refused, so the
	// summary stays truthful while the form says what is wrong.
	Fields map[string]string
}

// Err is the quote's problems as a validation error, nil when the order can be placed.
func (q Quote) Err() error {
	if len(q.Fields) == 0 {
		return nil
	}
	return apperr.InvalidFields("Please correct the highlighted fields.", q.Fields)
}

// OfferedMethod finds the method with id among those offered. The checkout form posts a
// method id only; its price always comes from here, never from the form.
func OfferedMethod(offered []QuotedMethod, id int64) (QuotedMethod, bool) {
	for _, m := range offered {
		if m.Method.ID == id {
			return m, true
		}
	}
	return QuotedMethod{}, false
}

// Quote prices the checkout without placing anything: the methods offered for the
// destination, the chosen one, the discount code checked as placing would check it
// (existence, dates, usage, the shopper's own uses, currency, minimum subtotal) and the
// totals. Problems the shopper can fix are in Quote.Fields, not the error; the error is
// for an empty cart (apperr Invalid) and for failures of ours.
func (s *Service) Quote(ctx context.Context, in QuoteInput) (Quote, error) {
	var settings PricingSettings
	var err error
	if in.Settings != nil {
		settings = *in.Settings
	} else if settings, err = s.PricingSettings(ctx); err != nil {
		return Quote{}, err
	}
	cart, err := sumLines(in.Lines)
	if err != nil {
		return Quote{}, err
	}
	q := Quote{Settings: settings, Fields: map[string]string{}}
	q.Methods = AvailableShippingMethods(settings.Zones, in.Destination, in.Lines)
	switch chosen, ok := OfferedMethod(q.Methods, in.MethodID); {
	case len(q.Methods) == 0:
		if in.Destination.Country != "" {
			q.Fields[FieldShipCountry] = "Sorry, we do not ship to " + CountryName(in.Destination.Country) + "."
		}
	case ok:
		q.Method = &chosen
	case in.MethodID == 0 || in.FallbackToFirst:
		q.Method = &q.Methods[0]
	default:
		q.Fields[FieldShippingMethod] = "This shipping method is not available for " + CountryName(in.Destination.Country) + "."
	}

	var discount *Discount
	if code := strings.ToUpper(strings.TrimSpace(in.DiscountCode)); !plainText(code) {
		// PostgreSQL refuses such bytes with an error, not "no such code".
		q.Fields[FieldDiscountCode] = "This code does not exist."
	} else if code != "" {
		email := in.Email
		if !plainText(email) {
			email = "" // not an address anybody redeemed a code with; the form says what is wrong with it
		}
		d, problem, err := s.checkDiscount(ctx, code, cart.currency, email, in.AccountID)
		if err != nil {
			return Quote{}, err
		}
		if problem != "" {
			q.Fields[FieldDiscountCode] = problem
		} else {
			discount, q.DiscountCode = d, code
		}
	}

	// No method yet: price the goods alone, so the summary shows them while the form asks
	// for a destination or a method. A zero amount without a currency suits any cart.
	method := ShippingMethod{Kind: MethodFlat}
	if q.Method != nil {
		method = q.Method.Method
	}
	totalsIn := TotalsInput{Lines: in.Lines, Address: in.Destination, Method: method, Discount: discount,
		Rates: settings.Rates, Mode: settings.Mode}
	q.Totals, err = ComputeTotals(totalsIn)
	if errors.Is(err, ErrDiscountMinimum) {
		q.Fields[FieldDiscountCode] = apperr.MessageOf(err)
		q.DiscountCode, totalsIn.Discount = "", nil
		q.Totals, err = ComputeTotals(totalsIn)
	}
	if err != nil {
		return Quote{}, fmt.Errorf("orders: quote: %w", err)
	}
	return q, nil
}

// checkDiscount looks a code up and says, in the shopper's words, why it cannot be used
// now ("" when it can). PlaceOrder checks the same again under the code's row lock, so a
// code used up between the summary and the order is still refused.
func (s *Service) checkDiscount(ctx context.Context, code, currency, email string, accountID *int64) (*Discount, string, error) {
	row, err := s.q.DiscountCodeGet(ctx, s.pool, code)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, "The code " + code + " does not exist.", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("orders: find discount code: %w", err)
	}
	now := s.cfg.Now()
	switch {
	case !row.Active:
		return nil, "The code " + code + " is not valid now.", nil
	case row.StartsAt != nil && now.Before(*row.StartsAt):
		return nil, "The code " + code + " is not valid yet.", nil
	case row.EndsAt != nil && !now.Before(*row.EndsAt):
		return nil, "The code " + code + " has expired.", nil
	case row.UsageLimit != nil && row.UsedCount >= *row.UsageLimit:
		return nil, "The code " + code + " has been used up.", nil
	case row.Currency != "" && row.Currency != currency && (row.AmountMinor > 0 || row.MinSubtotalMinor > 0):
		return nil, "The code " + code + " is for orders in " + row.Currency + "; your cart is in " + currency + ".", nil
	}
	if row.PerCustomerLimit != nil && (email != "" || accountID != nil) {
		used, err := s.q.DiscountRedemptionsByCustomer(ctx, s.pool, dbsqlc.DiscountRedemptionsByCustomerParams{
			CodeID: row.ID, AccountID: accountID, Email: email,
		})
		if err != nil {
			return nil, "", fmt.Errorf("orders: count redemptions: %w", err)
		}
		if used >= int64(*row.PerCustomerLimit) {
			return nil, "You have already used the code " + code + ".", nil
		}
	}
	return discountFromRow(row, currency), "", nil
}

// plainText reports whether s can be looked up in the database as it is: valid UTF-8
// without NUL bytes.
func plainText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// CountryName is a country code as people read it ("FR" → "France"); a code the shop
// does not know by name is shown as it is.
func CountryName(code string) string {
	for _, c := range users.Countries {
		if strings.EqualFold(c.Code, code) {
			return c.Name
		}
	}
	return code
}

// OrderByIdempotencyKey returns the order a checkout submission created, NotFound when it
// created none (yet). The key is a random value the checkout form carried, as secret as
// the order's token.
func (s *Service) OrderByIdempotencyKey(ctx context.Context, key string) (Order, error) {
	key = strings.TrimSpace(key)
	if key == "" || len(key) > 200 || !plainText(key) {
		return Order{}, apperr.New(apperr.NotFound, "Order not found.")
	}
	row, err := s.q.OrderGetByIdempotencyKey(ctx, s.pool, key)
	if errors.Is(err, pgx.ErrNoRows) {
		return Order{}, apperr.Wrap(err, apperr.NotFound, "Order not found.")
	}
	if err != nil {
		return Order{}, fmt.Errorf("orders: find order by checkout key: %w", err)
	}
	return orderFromRow(row), nil
}

// ListOrdersForAccount returns one page (1-based) of a customer's orders, newest first,
// and how many orders they have in all.
func (s *Service) ListOrdersForAccount(ctx context.Context, accountID int64, page int) ([]Order, int, error) {
	page = max(page, 1)
	total, err := s.q.OrdersByAccountCount(ctx, s.pool, &accountID)
	if err != nil {
		return nil, 0, fmt.Errorf("orders: count orders of account %d: %w", accountID, err)
	}
	if total == 0 || int64(page-1)*AccountOrdersPerPage >= total {
		return []Order{}, int(total), nil
	}
	out, err := s.RecentOrdersForAccount(ctx, accountID, AccountOrdersPerPage, (page-1)*AccountOrdersPerPage)
	return out, int(total), err
}

// RecentOrdersForAccount returns up to limit of a customer's orders, newest first, after
// skipping skip of them.
func (s *Service) RecentOrdersForAccount(ctx context.Context, accountID int64, limit, skip int) ([]Order, error) {
	rows, err := s.q.OrdersByAccount(ctx, s.pool, dbsqlc.OrdersByAccountParams{
		AccountID: &accountID, MaxRows: int32(limit), SkipRows: int32(skip),
	})
	if err != nil {
		return nil, fmt.Errorf("orders: orders of account %d: %w", accountID, err)
	}
	out := make([]Order, len(rows))
	for i, r := range rows {
		out[i] = orderFromRow(r)
	}
	return out, nil
}

// OrderForAccount returns one of a customer's orders by number. Another account's order,
// or a guest's, is NotFound with the same message as a number that does not exist, so an
// account page reveals nothing about orders that are not the customer's.
func (s *Service) OrderForAccount(ctx context.Context, accountID, number int64) (Order, error) {
	o, err := s.Order(ctx, number)
	if err != nil {
		return Order{}, err
	}
	if o.AccountID == nil || *o.AccountID != accountID {
		return Order{}, apperr.New(apperr.NotFound, "Order not found.")
	}
	return o, nil
}

// RetryPayment gives an open, unpaid order the payment to send the shopper to: its
// current payment while that is still pending (an abandoned hosted page is opened again,
// so the shopper never ends up with two payments to complete), else a new attempt,
// created and recorded as the order's payment in one transaction under the order's row
// lock. Either way the order's wait for payment starts again (up to 4 × ExpireAfter after
// it was placed), so the stock it holds is not released while the shopper pays. Paid and cancelled orders are refused (Conflict).
// The caller begins the returned payment (payments.Begin), outside any transaction.
func (s *Service) RetryPayment(ctx context.Context, number int64) (payments.Payment, error) {
	var out payments.Payment
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := s.q.OrderLockByNumber(ctx, tx, number)
		if errors.Is(err, pgx.ErrNoRows) {
			return apperr.Wrap(err, apperr.NotFound, "Order not found.")
		}
		if err != nil {
			return fmt.Errorf("orders: lock order %d: %w", number, err)
		}
		if row.Status != StatusOpen {
			return apperr.New(apperr.Conflict, "This order was cancelled, so it can no longer be paid.")
		}
		if !awaitingPayment(row.PaymentStatus) || row.GrandTotal == 0 {
			return apperr.New(apperr.Conflict, "This order is already paid.")
		}
		// Back on the payment page: the stock is held for another ExpireAfter, but never
		// more than 4 × ExpireAfter after the order was placed, or one unpaid order could
		// keep the last units from everyone for good.
		holdUntil := s.cfg.Now().Add(s.cfg.ExpireAfter)
		if last := row.CreatedAt.Add(4 * s.cfg.ExpireAfter); holdUntil.After(last) {
			holdUntil = last
		}
		if !holdUntil.After(s.cfg.Now()) {
			return apperr.New(apperr.Conflict, "This order waited too long for its payment, so its items are going back on sale. Please place it again from your cart.")
		}
		var previous int64
		if row.PaymentID != nil {
			previous = *row.PaymentID
			p, err := s.pay.FindPayment(ctx, payments.PaymentID(previous))
			if err != nil {
				return fmt.Errorf("orders: payment of order %d: %w", number, err)
			}
			switch p.State {
			case payments.StatePending:
				if err := s.q.OrderExtendHold(ctx, tx, dbsqlc.OrderExtendHoldParams{ExpiresAt: holdUntil, ID: row.ID}); err != nil {
					return fmt.Errorf("orders: extend the hold of order %d: %w", number, err)
				}
				out = p
				return nil
			case payments.StateFailed, payments.StateVoided:
			default:
				// Paid at the provider, and the order has not heard yet.
				return apperr.New(apperr.Conflict, "This order is already paid.")
			}
		}
		p, err := s.pay.Create(ctx, tx, payments.CreateInput{
			OrderRef:    PaymentRef(number),
			Amount:      money.New(row.GrandTotal, row.Currency),
			Description: "Order #" + PaymentRef(number),
			// One new attempt per refused one: two clicks on "Pay now" make one payment.
			IdempotencyKey: "order:" + PaymentRef(number) + ":after:" + strconv.FormatInt(previous, 10),
		})
		if err != nil {
			return err
		}
		id := int64(p.ID)
		if _, err := s.q.OrderPaymentRetry(ctx, tx, dbsqlc.OrderPaymentRetryParams{
			PaymentID: &id, ExpiresAt: holdUntil, ID: row.ID,
		}); err != nil {
			return fmt.Errorf("orders: record new payment of order %d: %w", number, err)
		}
		if err := s.event(ctx, tx, row.ID, EventPaymentRetried, "shopper", map[string]any{
			"payment_id": id, "previous_payment_id": previous,
		}); err != nil {
			return err
		}
		out = p
		return nil
	})
	if err != nil {
		return payments.Payment{}, err
	}
	return out, nil
}

// awaitingPayment reports whether an order in this payment status still waits for money
// from the shopper.
func awaitingPayment(status string) bool {
	return status == PaymentPending || status == PaymentFailed || status == PaymentVoided
}
