package orders

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/orders/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// What a customer's account deletion does to their orders.
//
// Orders stay: they are the shop's sales and tax records, so their number, dates,
// statuses, lines and totals are kept and still count in every figure. What named the
// customer goes: the email address, the names, street addresses and phone numbers of both
// addresses (only the countries stay, which the tax of a sale depends on), what staff
// typed about the order (notes and reasons, in its timeline and, through the caller, in
// the audit log), and the order's link (a new token). The caller also erases the emails
// sent about the orders (ErasedOrders). An order that was paid keeps
// one thing more, apart from the order and for its invoice only: the buyer's name and
// billing address, which an issued invoice must show and tax law makes the seller keep,
// until InvoiceRetentionYears after the end of the year of payment. A daily job then
// clears them. An order not paid yet is cancelled, its stock released. An order still in
// progress (paid or authorized but not shipped, shipped but not paid) stops the deletion:
// the shop needs the address to deliver it and the customer to reach about it.
//
// Only orders placed from the account are touched. Guest orders placed with the same
// email address stay as they are: the shop never checked that the account's holder owns
// that address, so an account opened with someone else's address must not erase that
// person's orders.

const (
	// DeletedCustomer stands where a deleted customer's email address and name were.
	DeletedCustomer = "Deleted customer"
	// InvoiceRetentionYears is how long the buyer's invoice fields of a deleted customer's
	// paid order are kept, counted from the end of the calendar year of payment. Ten years
	// is what German tax law asks of invoices (§ 147 AO, § 14b UStG) and the longest of the
	// usual periods (the UK asks six, France ten for accounting records): one period for
	// every shop, the longest, rather than one per country.
	InvoiceRetentionYears = 10
	// RemovedText replaces what staff typed about an erased order.
	RemovedText = "Removed when the customer deleted their account."
	// erasedCancelReason is why an erased order that was never paid is cancelled.
	erasedCancelReason = "The customer deleted their account before paying."
	// clearBatch bounds how many retained buyers one transaction clears.
	clearBatch = 500
)

// invoiceBuyerKeys are the fields of an address an invoice names its buyer with. The
// phone, and anything else an address may carry, is not among them.
var invoiceBuyerKeys = []string{"name", "company", "line1", "line2", "city", "region", "postal_code", "country"}

// ErasedOrders is what EraseCustomerTx erased, for the caller to erase the rest: the
// emails sent about them and the audit entries of staff actions on them.
type ErasedOrders struct {
	// Emails are the addresses the orders were placed with, lower case.
	Emails []string
	// AuditObjects are the orders in the audit log (object type AuditObjectType), and
	// AuditTextFields the fields of those entries that hold what staff typed.
	AuditObjects    []string
	AuditTextFields []string
}

// AuditObjectType is the object type of the audit entries of staff actions on orders.
const AuditObjectType = "order"

// EraseCustomerTx erases what the customer's orders say about them, in the caller's
// transaction (the account deletion's), and returns what the caller must erase elsewhere.
// An order still in progress refuses the deletion with an Invalid error the shopper can
// read.
func (s *Service) EraseCustomerTx(ctx context.Context, tx pgx.Tx, accountID int64) (ErasedOrders, error) {
	out := ErasedOrders{AuditTextFields: []string{"note", "reason"}}
	rows, err := s.q.OrdersOfAccountLock(ctx, tx, &accountID)
	if err != nil {
		return out, fmt.Errorf("orders: lock orders of account %d: %w", accountID, err)
	}
	if len(rows) == 0 {
		return out, nil
	}
	for _, r := range rows {
		if r.Status == StatusOpen && !cancelledOnErasure(r) {
			return out, apperr.New(apperr.Invalid, fmt.Sprintf(
				"Your order #%d is still in progress. You can delete your account once it has shipped, or ask us to cancel it first.", r.Number))
		}
	}
	params := dbsqlc.OrdersAnonymiseParams{Placeholder: DeletedCustomer, Removed: RemovedText}
	for _, r := range rows {
		if e := strings.ToLower(strings.TrimSpace(r.Email)); e != "" && !slices.Contains(out.Emails, e) {
			out.Emails = append(out.Emails, e)
		}
		out.AuditObjects = append(out.AuditObjects, strconv.FormatInt(r.Number, 10))
		var ship, bill AddressDetails
		_ = json.Unmarshal(r.ShippingAddress, &ship)
		_ = json.Unmarshal(r.BillingAddress, &bill)
		buyer := ""
		if r.PaidAt != nil {
			b, err := json.Marshal(invoiceBuyer(ship, bill))
			if err != nil {
				return out, fmt.Errorf("orders: invoice buyer of order %d: %w", r.Number, err)
			}
			buyer = string(b)
		}
		shipJSON, err := json.Marshal(countryOnly(ship))
		if err != nil {
			return out, fmt.Errorf("orders: erase shipping address of order %d: %w", r.Number, err)
		}
		billJSON, err := json.Marshal(countryOnly(bill))
		if err != nil {
			return out, fmt.Errorf("orders: erase billing address of order %d: %w", r.Number, err)
		}
		params.AIds = append(params.AIds, r.ID)
		params.ATokens = append(params.ATokens, randomToken(32))
		params.AShipping = append(params.AShipping, string(shipJSON))
		params.ABilling = append(params.ABilling, string(billJSON))
		params.AInvoiceBuyers = append(params.AInvoiceBuyers, buyer)
	}
	erased, err := s.q.OrdersAnonymise(ctx, tx, params)
	if err != nil {
		return out, fmt.Errorf("orders: erase orders of account %d: %w", accountID, err)
	}
	if err := s.q.OrderEventsRedactStaffText(ctx, tx, dbsqlc.OrderEventsRedactStaffTextParams{Removed: RemovedText, OrderIds: params.AIds}); err != nil {
		return out, fmt.Errorf("orders: erase staff notes of account %d's orders: %w", accountID, err)
	}
	if err := s.q.DiscountRedemptionsAnonymise(ctx, tx, dbsqlc.DiscountRedemptionsAnonymiseParams{Placeholder: DeletedCustomer, OrderIds: params.AIds}); err != nil {
		return out, fmt.Errorf("orders: erase discount uses of account %d: %w", accountID, err)
	}
	slices.SortFunc(erased, func(a, b dbsqlc.OrdersOrder) int { return int(a.ID - b.ID) })
	for _, r := range erased {
		if !cancelledOnErasure(r) {
			continue
		}
		// Erased first, so the cancellation emails nobody: the address is gone.
		if _, err := s.cancelTx(ctx, tx, r, cancellation{actor: "system", reason: erasedCancelReason, event: EventCancelled, erasing: true}); err != nil {
			return out, err
		}
		if r.PaymentID != nil && r.PaymentStatus != PaymentVoided && s.jobs != nil {
			if _, err := s.jobs.InsertTx(ctx, tx, VoidPaymentArgs{PaymentID: *r.PaymentID, OrderNumber: r.Number}, nil); err != nil {
				return out, fmt.Errorf("orders: queue the void of order %d's payment: %w", r.Number, err)
			}
		}
	}
	return out, nil
}

// cancelledOnErasure reports whether an order is cancelled when its customer deletes
// their account: open, nothing shipped, and no money received or held.
func cancelledOnErasure(r dbsqlc.OrdersOrder) bool {
	if r.Status != StatusOpen || r.FulfillmentStatus != FulfillmentUnfulfilled {
		return false
	}
	switch r.PaymentStatus {
	case PaymentPending, PaymentFailed, PaymentVoided:
		return true
	}
	return false
}

// invoiceBuyer is who an invoice is made out to: the billing address (the shipping one
// when checkout stored none), without phone or anything an invoice does not show.
func invoiceBuyer(ship, bill AddressDetails) AddressDetails {
	from := bill
	if strings.TrimSpace(bill["name"]) == "" && strings.TrimSpace(bill["line1"]) == "" {
		from = ship
	}
	out := AddressDetails{}
	for _, k := range invoiceBuyerKeys {
		if v := strings.TrimSpace(from[k]); v != "" {
			out[k] = v
		}
	}
	return out
}

// countryOnly is what an erased order keeps of an address: the country, which the tax of
// the sale depended on.
func countryOnly(a AddressDetails) AddressDetails {
	out := AddressDetails{}
	if c := strings.TrimSpace(a["country"]); c != "" {
		out["country"] = c
	}
	return out
}

// InvoiceBuyerKeptUntil is when the retained buyer of an erased order is cleared: the
// first of January InvoiceRetentionYears years after the end of the year the order was
// paid (or erased, when it never was), on the store's clock.
func (s *Service) InvoiceBuyerKeptUntil(o Order) time.Time {
	from := o.CreatedAt
	switch {
	case o.PaidAt != nil:
		from = *o.PaidAt
	case o.AnonymisedAt != nil:
		from = *o.AnonymisedAt
	}
	loc := s.location()
	return time.Date(from.In(loc).Year()+InvoiceRetentionYears+1, time.January, 1, 0, 0, 0, 0, loc)
}

// ClearExpiredInvoiceBuyers drops the buyers kept for invoices whose retention period is
// over (see InvoiceBuyerKeptUntil) and returns how many it cleared. What is left of such
// an order is what every erased order keeps: lines, totals, dates and countries.
func (s *Service) ClearExpiredInvoiceBuyers(ctx context.Context) (int, error) {
	loc := s.location()
	now := s.cfg.Now().In(loc)
	// Paid before this instant means paid in a year whose period ended by now.
	cutoff := time.Date(now.Year()-InvoiceRetentionYears, time.January, 1, 0, 0, 0, 0, loc)
	total := 0
	for {
		var n int64
		err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			var err error
			n, err = s.q.OrdersClearInvoiceBuyers(ctx, tx, dbsqlc.OrdersClearInvoiceBuyersParams{Cutoff: cutoff, MaxRows: clearBatch})
			return err
		})
		if err != nil {
			return total, fmt.Errorf("orders: clear retained invoice buyers: %w", err)
		}
		total += int(n)
		if n < clearBatch {
			return total, nil
		}
	}
}

func (s *Service) location() *time.Location {
	if s.cfg.TimeZone == nil {
		return time.UTC
	}
	return s.cfg.TimeZone
}

// ExportedOrder is one order in a customer's "download my data". The JSON names are part
// of the download; they must not follow Go renames.
type ExportedOrder struct {
	Number            int64               `json:"number"`
	PlacedAt          time.Time           `json:"placed_at"`
	Status            string              `json:"status"`
	PaymentStatus     string              `json:"payment_status"`
	FulfillmentStatus string              `json:"fulfillment_status"`
	PaidAt            *time.Time          `json:"paid_at,omitempty"`
	CancelledAt       *time.Time          `json:"cancelled_at,omitempty"`
	Email             string              `json:"email"`
	ShippingAddress   AddressDetails      `json:"shipping_address"`
	BillingAddress    AddressDetails      `json:"billing_address"`
	ShippingMethod    string              `json:"shipping_method,omitempty"`
	DiscountCode      string              `json:"discount_code,omitempty"`
	Lines             []ExportedOrderLine `json:"lines"`
	Totals            ExportedOrderTotals `json:"totals"`
	Currency          string              `json:"currency"`
	TaxIncluded       bool                `json:"tax_included"`
}

// ExportedOrderLine is one line of an exported order; amounts are decimal strings in the
// order's currency ("12.50").
type ExportedOrderLine struct {
	SKU       string `json:"sku"`
	Name      string `json:"name"`
	Options   string `json:"options,omitempty"`
	Quantity  int    `json:"quantity"`
	UnitPrice string `json:"unit_price"`
	Total     string `json:"total"`
	Discount  string `json:"discount,omitempty"`
	Tax       string `json:"tax"`
}

// ExportedOrderTotals are an exported order's totals, decimal strings like the lines'.
type ExportedOrderTotals struct {
	Subtotal string `json:"subtotal"`
	Discount string `json:"discount,omitempty"`
	Shipping string `json:"shipping"`
	Tax      string `json:"tax"`
	Total    string `json:"total"`
	Refunded string `json:"refunded,omitempty"`
}

// ExportCustomerOrders is the "orders" section of a customer's data export: every order
// placed from the account, oldest first, with its lines, totals and addresses.
func (s *Service) ExportCustomerOrders(ctx context.Context, accountID int64) ([]ExportedOrder, error) {
	rows, err := s.q.OrdersOfAccount(ctx, s.pool, &accountID)
	if err != nil {
		return nil, fmt.Errorf("orders: orders of account %d: %w", accountID, err)
	}
	out := make([]ExportedOrder, 0, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	lineRows, err := s.q.OrderLinesOfOrders(ctx, s.pool, ids)
	if err != nil {
		return nil, fmt.Errorf("orders: lines of account %d's orders: %w", accountID, err)
	}
	byOrder := map[int64][]dbsqlc.OrdersOrderLine{}
	for _, l := range lineRows {
		byOrder[l.OrderID] = append(byOrder[l.OrderID], l)
	}
	decimal := func(a money.Amount) string { return a.Decimal() }
	optional := func(a money.Amount) string {
		if a.Minor == 0 {
			return ""
		}
		return a.Decimal()
	}
	for _, r := range rows {
		o := orderFromRow(r)
		e := ExportedOrder{
			Number: o.Number, PlacedAt: o.CreatedAt.UTC(), Status: o.Status, PaymentStatus: o.PaymentStatus,
			FulfillmentStatus: o.FulfillmentStatus, PaidAt: utcOrNil(o.PaidAt), CancelledAt: utcOrNil(o.CancelledAt),
			Email: o.Email, ShippingAddress: nonNil(o.ShippingAddress), BillingAddress: nonNil(o.BillingAddress),
			ShippingMethod: o.ShippingMethod, DiscountCode: o.DiscountCode,
			Currency: o.GrandTotal.Currency, TaxIncluded: o.TaxIncluded,
			Lines: []ExportedOrderLine{},
			Totals: ExportedOrderTotals{
				Subtotal: decimal(o.Subtotal), Discount: optional(o.DiscountTotal), Shipping: decimal(o.ShippingTotal),
				Tax: decimal(o.TaxTotal), Total: decimal(o.GrandTotal), Refunded: optional(o.RefundedTotal),
			},
		}
		for _, l := range linesFromRows(byOrder[r.ID], o.GrandTotal.Currency) {
			e.Lines = append(e.Lines, ExportedOrderLine{
				SKU: l.SKU, Name: l.Name, Options: l.Options, Quantity: l.Quantity, UnitPrice: decimal(l.UnitPrice),
				Total: decimal(l.Gross), Discount: optional(l.Discount), Tax: decimal(l.Tax),
			})
		}
		out = append(out, e)
	}
	return out, nil
}

func utcOrNil(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
