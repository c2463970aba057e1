package orders

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/orders/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// Staff actions on an order. Each one is checked against the order's statuses under the
// order's row lock, recorded in the timeline with the staff member and in the audit log
// in the same transaction. Work that reaches a payment provider (capture, void, refund)
// happens first, outside any transaction, with a key derived from the order, so a retry
// after a crash repeats it harmlessly and then records what happened.

const (
	maxCarrierLen     = 100
	maxTrackingLen    = 100
	maxTrackingURLLen = 500
	maxReasonLen      = 500
	maxNoteLen        = 2000
	// The form's refund key is prefixed with the order before it reaches payments,
	// whose keys hold at most 200 bytes.
	maxRefundKeyLen = 150
)

// StaffActor is how a staff member is named in an order's timeline.
func StaffActor(a audit.Actor) string {
	if a.Email != "" {
		return "staff:" + a.Email
	}
	return "staff:" + strconv.FormatInt(a.ID, 10)
}

// Actions is what the state machine allows on an order now; pages offer only these.
type Actions struct{ MarkPaid, Capture, Fulfil, Cancel, Refund bool }

// AllowedActions reports which staff actions the order's state allows.
func (s *Service) AllowedActions(ctx context.Context, o Order) (Actions, error) {
	var a Actions
	var p payments.Payment
	if o.PaymentID != 0 {
		var err error
		if p, err = s.pay.FindPayment(ctx, payments.PaymentID(o.PaymentID)); err != nil {
			return Actions{}, fmt.Errorf("orders: payment of order %d: %w", o.Number, err)
		}
	}
	lines, err := s.Lines(ctx, o)
	if err != nil {
		return Actions{}, err
	}
	open := o.Status == StatusOpen
	a.MarkPaid = open && p.Provider == payments.ProviderManual && (p.State == payments.StatePending || p.State == payments.StateFailed)
	a.Capture = open && p.State == payments.StateAuthorized
	a.Fulfil = open && shippable(o, p) == nil && slices.ContainsFunc(lines, func(l OrderLine) bool { return l.Remaining() > 0 })
	a.Cancel = cancellable(o) == nil
	a.Refund = refundable(o) == nil
	return a, nil
}

// shippable says why an order's payment does not allow shipping, nil when it does: paid
// (possibly partly refunded), or a manual payment still to come (cash on delivery).
func shippable(o Order, p payments.Payment) error {
	switch o.PaymentStatus {
	case PaymentPaid, PaymentPartiallyRefunded:
		return nil
	case PaymentPending:
		if p.Provider == payments.ProviderManual && p.State == payments.StatePending {
			return nil
		}
		return apperr.New(apperr.Conflict, "This order is not paid yet; it can ship once the payment arrives.")
	case PaymentAuthorized:
		return apperr.New(apperr.Conflict, "Capture the payment before shipping this order.")
	case PaymentRefunded:
		return apperr.New(apperr.Conflict, "This order was refunded in full, so it cannot ship.")
	}
	return apperr.New(apperr.Conflict, "This order's payment "+paymentWords(o.PaymentStatus)+", so it cannot ship.")
}

func cancellable(o Order) error {
	switch {
	case o.Status == StatusCancelled:
		return apperr.New(apperr.Conflict, "This order is already cancelled.")
	case o.Status != StatusOpen:
		return apperr.New(apperr.Conflict, "A completed order cannot be cancelled; refund it instead.")
	case o.FulfillmentStatus != FulfillmentUnfulfilled:
		return apperr.New(apperr.Conflict, "Some items of this order have shipped, so it cannot be cancelled; refund it instead.")
	}
	return nil
}

func refundable(o Order) error {
	switch {
	case o.PaymentID == 0:
		return apperr.New(apperr.Conflict, "Nothing was paid for this order, so there is nothing to refund.")
	case o.PaymentStatus == PaymentRefunded || (o.PaymentStatus == PaymentPartiallyRefunded && o.RefundedTotal.Minor >= o.GrandTotal.Minor):
		return apperr.New(apperr.Conflict, "This order has been refunded in full already.")
	case o.PaymentStatus != PaymentPaid && o.PaymentStatus != PaymentPartiallyRefunded:
		return apperr.New(apperr.Conflict, "This order is not paid, so it cannot be refunded.")
	}
	return nil
}

func paymentWords(status string) string {
	switch status {
	case PaymentFailed:
		return "failed"
	case PaymentVoided:
		return "was voided"
	}
	return "is " + strings.ReplaceAll(status, "_", " ")
}

// MarkPaid records that the money of a manual payment (bank transfer, cash on delivery)
// arrived. The order becomes paid through the payments module's OnPaid hook (MarkPaidTx),
// which also sends the confirmation email.
func (s *Service) MarkPaid(ctx context.Context, actor audit.Actor, number int64) (Order, error) {
	o, err := s.Order(ctx, number)
	if err != nil {
		return Order{}, err
	}
	if o.Status != StatusOpen {
		return Order{}, apperr.New(apperr.Conflict, "Only an open order can be marked paid; this one is "+o.Status+".")
	}
	if o.PaymentID == 0 {
		return Order{}, apperr.New(apperr.Conflict, "There is nothing to pay for this order.")
	}
	p, err := s.pay.FindPayment(ctx, payments.PaymentID(o.PaymentID))
	if err != nil {
		return Order{}, fmt.Errorf("orders: payment of order %d: %w", number, err)
	}
	switch {
	case p.Provider != payments.ProviderManual:
		return Order{}, apperr.New(apperr.Conflict, "Only manual payments (bank transfer, cash on delivery) can be marked paid; this order is paid through "+p.Provider+".")
	case p.State != payments.StatePending && p.State != payments.StateFailed:
		return Order{}, apperr.New(apperr.Conflict, "This order's payment "+paymentWords(string(p.State))+"; it cannot be marked paid.")
	}
	if _, err := s.pay.MarkPaidManually(ctx, p.ID, actor); err != nil {
		return Order{}, err
	}
	return s.recordStaffAction(ctx, actor, number, EventMarkedPaid, "order.mark_paid",
		map[string]any{"payment_id": int64(p.ID), "amount": p.Amount.Minor, "currency": p.Amount.Currency},
		map[string]audit.Change{"payment_status": {Before: o.PaymentStatus, After: PaymentPaid}})
}

// Capture takes the money of an authorized card payment. The order becomes paid through
// the payments module's OnPaid hook.
func (s *Service) Capture(ctx context.Context, actor audit.Actor, number int64) (Order, error) {
	o, err := s.Order(ctx, number)
	if err != nil {
		return Order{}, err
	}
	if o.Status != StatusOpen {
		return Order{}, apperr.New(apperr.Conflict, "Only an open order's payment can be captured; this one is "+o.Status+".")
	}
	if o.PaymentID == 0 {
		return Order{}, apperr.New(apperr.Conflict, "There is no payment to capture for this order.")
	}
	p, err := s.pay.FindPayment(ctx, payments.PaymentID(o.PaymentID))
	if err != nil {
		return Order{}, fmt.Errorf("orders: payment of order %d: %w", number, err)
	}
	if p.State != payments.StateAuthorized {
		return Order{}, apperr.New(apperr.Conflict, "Only an authorized payment can be captured; this order's payment "+paymentWords(string(p.State))+".")
	}
	if _, err := s.pay.Capture(ctx, p.ID); err != nil {
		return Order{}, err
	}
	return s.recordStaffAction(ctx, actor, number, EventCaptured, "order.capture",
		map[string]any{"payment_id": int64(p.ID), "amount": p.Amount.Minor, "currency": p.Amount.Currency},
		map[string]audit.Change{"payment_status": {Before: o.PaymentStatus, After: PaymentPaid}})
}

// recordStaffAction writes the timeline event and audit entry of an action whose effect
// another transaction (the payments module's) already committed.
func (s *Service) recordStaffAction(ctx context.Context, actor audit.Actor, number int64, event, action string, data map[string]any, changes map[string]audit.Change) (Order, error) {
	var out Order
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := s.lockOrder(ctx, tx, number)
		if err != nil {
			return err
		}
		if err := s.event(ctx, tx, row.ID, event, StaffActor(actor), data); err != nil {
			return err
		}
		out = orderFromRow(row)
		return s.auditTx(ctx, tx, actor, action, number, changes)
	})
	if err != nil {
		return Order{}, err
	}
	return out, nil
}

// FulfilInput is one shipment.
type FulfilInput struct {
	// Quantities maps order line id → units shipped now; empty ships everything that
	// remains. Lines at 0 are left out.
	Quantities                           map[int64]int
	Carrier, TrackingNumber, TrackingURL string
	// IdempotencyKey names the shipment form (made when the page was shown): sent again,
	// it returns the shipment it recorded the first time and ships nothing more.
	IdempotencyKey string
}

// QuantityField names the form field of a line's quantity in Invalid errors of Fulfil
// ("quantity_<line id>").
func QuantityField(lineID int64) string { return "quantity_" + strconv.FormatInt(lineID, 10) }

// RestockField names the form field of a line's restock quantity in Invalid errors of
// Refund ("restock_<line id>").
func RestockField(lineID int64) string { return "restock_" + strconv.FormatInt(lineID, 10) }

// Fulfil ships units of an open order: the units leave stock (inventory commits exactly
// them from the order's reservation), the fulfilment status becomes partially_fulfilled
// or fulfilled, a fully shipped and paid order becomes completed, and the shopper gets
// the shipped email with tracking. Bad input is Invalid with a message per field; an
// order whose state forbids shipping is Conflict.
func (s *Service) Fulfil(ctx context.Context, actor audit.Actor, number int64, in FulfilInput) (Fulfillment, error) {
	in.Carrier = strings.TrimSpace(in.Carrier)
	in.TrackingNumber = strings.TrimSpace(in.TrackingNumber)
	in.TrackingURL = strings.TrimSpace(in.TrackingURL)
	fields := map[string]string{}
	if utf8.RuneCountInString(in.Carrier) > maxCarrierLen {
		fields["carrier"] = fmt.Sprintf("Use at most %d characters.", maxCarrierLen)
	}
	if utf8.RuneCountInString(in.TrackingNumber) > maxTrackingLen {
		fields["tracking_number"] = fmt.Sprintf("Use at most %d characters.", maxTrackingLen)
	}
	if in.TrackingURL != "" {
		if u, err := url.Parse(in.TrackingURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			fields["tracking_url"] = "Enter a web address starting with https:// (or http://)."
		} else if len(in.TrackingURL) > maxTrackingURLLen {
			fields["tracking_url"] = fmt.Sprintf("Use at most %d characters.", maxTrackingURLLen)
		}
	}
	for id, n := range in.Quantities {
		if n < 0 {
			fields[QuantityField(id)] = "Enter 0 or more."
		}
	}
	if len(fields) > 0 {
		return Fulfillment{}, apperr.InvalidFields("The shipment cannot be recorded.", fields)
	}

	var out Fulfillment
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		// The order's row lock makes concurrent shipments of one order take turns, so
		// each sees what the previous one shipped.
		row, err := s.lockOrder(ctx, tx, number)
		if err != nil {
			return err
		}
		o := orderFromRow(row)
		if in.IdempotencyKey != "" {
			// Under the order's lock, so a second submission waits for the first and finds it.
			prev, err := s.q.FulfillmentByKey(ctx, tx, dbsqlc.FulfillmentByKeyParams{OrderID: o.ID, IdempotencyKey: &in.IdempotencyKey})
			if err == nil {
				shipments, err := s.fulfillments(ctx, tx, o.ID)
				if err != nil {
					return err
				}
				for _, f := range shipments {
					if f.ID == prev.ID {
						out = f
					}
				}
				return nil
			}
			if !errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("orders: find shipment by key: %w", err)
			}
		}
		if o.Status != StatusOpen {
			return apperr.New(apperr.Conflict, "Only an open order can ship; this one is "+o.Status+".")
		}
		var p payments.Payment
		if o.PaymentStatus == PaymentPending && o.PaymentID != 0 {
			if p, err = s.pay.FindPayment(ctx, payments.PaymentID(o.PaymentID)); err != nil {
				return fmt.Errorf("orders: payment of order %d: %w", number, err)
			}
		}
		if err := shippable(o, p); err != nil {
			return err
		}
		lines, err := s.linesTx(ctx, tx, o)
		if err != nil {
			return err
		}
		ship, err := shipment(lines, in.Quantities)
		if err != nil {
			return err
		}

		frow, err := s.q.FulfillmentInsert(ctx, tx, dbsqlc.FulfillmentInsertParams{
			OrderID: o.ID, Carrier: in.Carrier, TrackingNumber: in.TrackingNumber, TrackingUrl: in.TrackingURL, Actor: StaffActor(actor),
			IdempotencyKey: nonEmpty(in.IdempotencyKey),
		})
		if err != nil {
			return fmt.Errorf("orders: record shipment of order %d: %w", number, err)
		}
		out = Fulfillment{ID: frow.ID, Carrier: frow.Carrier, TrackingNumber: frow.TrackingNumber, TrackingURL: frow.TrackingUrl,
			Actor: frow.Actor, CreatedAt: frow.CreatedAt, Lines: map[int64]int{}}
		var inv []inventory.Line
		remaining := 0
		for _, l := range lines {
			n := ship[l.ID]
			remaining += l.Remaining() - n
			if n == 0 {
				continue
			}
			if err := s.q.FulfillmentLineInsert(ctx, tx, dbsqlc.FulfillmentLineInsertParams{FulfillmentID: frow.ID, OrderLineID: l.ID, Quantity: int32(n)}); err != nil {
				return fmt.Errorf("orders: record shipped line %d: %w", l.ID, err)
			}
			if err := s.q.OrderLineAddFulfilled(ctx, tx, dbsqlc.OrderLineAddFulfilledParams{Quantity: int32(n), ID: l.ID}); err != nil {
				return fmt.Errorf("orders: count shipped units of line %d: %w", l.ID, err)
			}
			out.Lines[l.ID] = n
			inv = append(inv, inventory.Line{VariantID: l.VariantID, Quantity: n})
		}
		if err := s.inv.CommitLinesTx(ctx, tx, InventoryRef(number), inv); err != nil {
			return err
		}

		before := o.FulfillmentStatus
		fulfilment, status := FulfillmentPartial, StatusOpen
		if remaining == 0 {
			fulfilment = FulfillmentFulfilled
			if o.PaymentStatus != PaymentPending {
				status = StatusCompleted
			}
		}
		if row, err = s.q.OrderSetStatuses(ctx, tx, dbsqlc.OrderSetStatusesParams{Status: status, FulfillmentStatus: fulfilment, ID: o.ID}); err != nil {
			return fmt.Errorf("orders: set statuses of order %d: %w", number, err)
		}
		o = orderFromRow(row)
		if err := s.event(ctx, tx, o.ID, EventFulfilled, StaffActor(actor), map[string]any{
			"fulfillment_id": out.ID, "lines": lineMap(out.Lines), "carrier": out.Carrier,
			"tracking_number": out.TrackingNumber, "tracking_url": out.TrackingURL,
		}); err != nil {
			return err
		}
		if o.Status == StatusCompleted {
			if err := s.event(ctx, tx, o.ID, EventCompleted, StaffActor(actor), map[string]any{}); err != nil {
				return err
			}
		}
		if err := s.auditTx(ctx, tx, actor, "order.fulfil", number, map[string]audit.Change{
			"fulfillment_status": {Before: before, After: fulfilment},
			"shipped":            {After: lineMap(out.Lines)},
		}); err != nil {
			return err
		}
		if err := s.sendOrderEmailTx(ctx, tx, o, shippedEmail(o, out, remaining == 0)); err != nil {
			return err
		}
		return s.hooks.runShipped(ctx, tx, o, out)
	})
	if err != nil {
		return Fulfillment{}, err
	}
	return out, nil
}

// shipment decides how many units of each line ship: what was asked, checked against
// what remains, or everything that remains when nothing was asked.
func shipment(lines []OrderLine, asked map[int64]int) (map[int64]int, error) {
	out := map[int64]int{}
	if len(asked) == 0 {
		for _, l := range lines {
			if r := l.Remaining(); r > 0 {
				out[l.ID] = r
			}
		}
		if len(out) == 0 {
			return nil, apperr.New(apperr.Conflict, "Everything in this order has shipped already.")
		}
		return out, nil
	}
	fields := map[string]string{}
	byID := make(map[int64]OrderLine, len(lines))
	for _, l := range lines {
		byID[l.ID] = l
	}
	for id, n := range asked {
		l, ok := byID[id]
		switch {
		case !ok:
			fields[QuantityField(id)] = "This item is not part of the order."
		case n > l.Remaining() && l.Remaining() == 0:
			fields[QuantityField(id)] = "Nothing of this item is left to ship."
		case n > l.Remaining():
			fields[QuantityField(id)] = fmt.Sprintf("Only %d left to ship.", l.Remaining())
		case n > 0:
			out[id] = n
		}
	}
	if len(fields) > 0 {
		return nil, apperr.InvalidFields("The shipment cannot be recorded.", fields)
	}
	if len(out) == 0 {
		return nil, apperr.InvalidFields("Choose what ships.", map[string]string{"quantities": "Enter how many units of at least one item ship now."})
	}
	return out, nil
}

// Cancel cancels an open order of which nothing has shipped: a pending or authorized
// payment is voided at the provider, a paid one refunded in full (idempotency key
// "cancel:<number>"), then the reservation is released, the discount use returned and
// the shopper emailed, in one transaction.
func (s *Service) Cancel(ctx context.Context, actor audit.Actor, number int64, reason string) (Order, error) {
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > maxReasonLen {
		return Order{}, apperr.InvalidFields("The order cannot be cancelled.", map[string]string{"reason": fmt.Sprintf("Use at most %d characters.", maxReasonLen)})
	}
	o, err := s.Order(ctx, number)
	if err != nil {
		return Order{}, err
	}
	if err := cancellable(o); err != nil {
		return Order{}, err
	}
	var refunding money.Amount
	if o.PaymentID != 0 {
		if refunding, err = s.settlePaymentForCancel(ctx, o); err != nil {
			return Order{}, err
		}
	}
	var out Order
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := s.lockOrder(ctx, tx, number)
		if err != nil {
			return err
		}
		before := orderFromRow(row)
		if err := cancellable(before); err != nil {
			return err
		}
		if out, err = s.cancelTx(ctx, tx, row, cancellation{actor: StaffActor(actor), reason: reason, event: EventCancelled, refunding: refunding}); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, actor, "order.cancel", number, map[string]audit.Change{
			"status":         {Before: before.Status, After: out.Status},
			"payment_status": {Before: before.PaymentStatus, After: out.PaymentStatus},
			"reason":         {After: reason},
		})
	})
	if err != nil {
		return Order{}, err
	}
	return out, nil
}

// settlePaymentForCancel voids or refunds the payment of an order being cancelled and
// returns what it asked to refund. It talks to the provider, so it runs outside any
// transaction; run again (a retry), it finds the payment voided or refunded and does
// nothing.
func (s *Service) settlePaymentForCancel(ctx context.Context, o Order) (money.Amount, error) {
	id := payments.PaymentID(o.PaymentID)
	p, err := s.pay.FindPayment(ctx, id)
	if err != nil {
		return money.Amount{}, fmt.Errorf("orders: payment of order %d: %w", o.Number, err)
	}
	if p.State == payments.StatePending || p.State == payments.StateAuthorized {
		voided, err := s.pay.Void(ctx, id)
		switch {
		case err == nil:
			return money.Amount{}, nil
		case voided.State == payments.StatePaid:
			// The shopper paid in the meantime: the money goes back instead.
			p = voided
		default:
			return money.Amount{}, err
		}
	}
	if p.State != payments.StatePaid && p.State != payments.StatePartiallyRefunded {
		return money.Amount{}, nil // failed, voided or refunded already: no money to give back
	}
	left := p.Refundable()
	if left.Minor > 0 {
		if _, err := s.pay.Refund(ctx, id, left, cancelRefundKey(o.Number)); err != nil {
			return money.Amount{}, err
		}
	}
	return left, nil
}

func cancelRefundKey(number int64) string { return "cancel:" + strconv.FormatInt(number, 10) }

// cancellation says who cancels an order and why.
type cancellation struct {
	actor, reason, event string
	// expired: the expiry job, not a person, cancels (the email says the items were
	// released because the payment did not come).
	expired bool
	// erasing: the customer's account deletion cancels an order it has just erased;
	// nothing was paid, so no payment is looked at here (the caller queues its void).
	erasing bool
	// refunding is what Cancel asked the provider to give back; the order's refunded
	// total lags behind it while the provider is still working on the refund.
	refunding money.Amount
	data      map[string]any
}

// cancelTx cancels a locked open order: the units not shipped are released and counted
// as restocked, the discount code's use is returned, the order is marked cancelled (and
// its payment voided when the provider has confirmed that), the event recorded, the
// shopper emailed and OnCancelled fired.
func (s *Service) cancelTx(ctx context.Context, tx pgx.Tx, row dbsqlc.OrdersOrder, c cancellation) (Order, error) {
	o := orderFromRow(row)
	lines, err := s.linesTx(ctx, tx, o)
	if err != nil {
		return Order{}, err
	}
	released := map[int64]int{}
	for _, l := range lines {
		if n := l.Remaining(); n > 0 {
			if err := s.q.OrderLineAddRestocked(ctx, tx, dbsqlc.OrderLineAddRestockedParams{Quantity: int32(n), ID: l.ID}); err != nil {
				return Order{}, fmt.Errorf("orders: count released units of line %d: %w", l.ID, err)
			}
			released[l.ID] = n
		}
	}
	if err := s.inv.ReleaseTx(ctx, tx, InventoryRef(o.Number)); err != nil {
		return Order{}, fmt.Errorf("orders: release stock of order %d: %w", o.Number, err)
	}
	codes, err := s.q.DiscountRedemptionDeleteByOrder(ctx, tx, o.ID)
	if err != nil {
		return Order{}, fmt.Errorf("orders: return discount use of order %d: %w", o.Number, err)
	}
	for _, id := range codes {
		if err := s.q.DiscountCodeUnredeem(ctx, tx, id); err != nil {
			return Order{}, fmt.Errorf("orders: return discount use of order %d: %w", o.Number, err)
		}
	}
	if row, err = s.q.OrderCancel(ctx, tx, dbsqlc.OrderCancelParams{Reason: c.reason, ID: o.ID}); err != nil {
		return Order{}, fmt.Errorf("orders: cancel order %d: %w", o.Number, err)
	}
	if o.PaymentID != 0 && !c.expired && !c.erasing && paymentMoveAllowed(row.PaymentStatus, PaymentVoided) {
		// Cancel voided the payment before this transaction; the payments hook may
		// not be subscribed, so the order records it itself.
		p, err := s.pay.FindPayment(ctx, payments.PaymentID(o.PaymentID))
		if err != nil {
			return Order{}, fmt.Errorf("orders: payment of order %d: %w", o.Number, err)
		}
		if p.State == payments.StateVoided {
			if row, err = s.q.OrderSetPaymentStatus(ctx, tx, dbsqlc.OrderSetPaymentStatusParams{PaymentStatus: PaymentVoided, ID: o.ID}); err != nil {
				return Order{}, fmt.Errorf("orders: record voided payment of order %d: %w", o.Number, err)
			}
		}
	}
	o = orderFromRow(row)
	data := map[string]any{"reason": c.reason, "released": lineMap(released), "discount_returned": len(codes) > 0}
	for k, v := range c.data {
		data[k] = v
	}
	if err := s.event(ctx, tx, o.ID, c.event, c.actor, data); err != nil {
		return Order{}, err
	}
	refunded := o.RefundedTotal
	if c.refunding.Minor > refunded.Minor {
		refunded = c.refunding
	}
	if err := s.sendOrderEmailTx(ctx, tx, o, cancelledEmail(o, c.expired, refunded)); err != nil {
		return Order{}, err
	}
	if err := s.hooks.run(ctx, tx, &s.hooks.cancelled, o); err != nil {
		return Order{}, err
	}
	return o, nil
}

// RefundInput is one refund.
type RefundInput struct {
	Amount money.Amount
	// Restock maps order line id → units put back into stock. Units not shipped yet are
	// released from the reservation (taken first); shipped ones go back on hand.
	Restock map[int64]int
	Reason  string
	// IdempotencyKey comes from the refund form: a resubmitted form refunds once.
	IdempotencyKey string
}

// Refund gives amount of a paid order back through the payments module (outside any
// transaction, keyed by the form's idempotency key) and then, in one transaction, puts
// the restocked units back and records the refund. The order's refunded total and
// payment status change in RecordRefundTx, the payments module's OnRefunded hook.
func (s *Service) Refund(ctx context.Context, actor audit.Actor, number int64, in RefundInput) (Order, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	in.IdempotencyKey = strings.TrimSpace(in.IdempotencyKey)
	if in.IdempotencyKey == "" || len(in.IdempotencyKey) > maxRefundKeyLen {
		return Order{}, apperr.New(apperr.Invalid, "The refund form is out of date; reload the page and submit it again.")
	}
	o, err := s.Order(ctx, number)
	if err != nil {
		return Order{}, err
	}
	if in.Amount.Currency == "" {
		// A form's amount is typed without a currency: it is the order's.
		in.Amount.Currency = o.GrandTotal.Currency
	}
	key := "order:" + strconv.FormatInt(number, 10) + ":refund:" + in.IdempotencyKey
	done, err := s.refundIssued(ctx, o, in.IdempotencyKey)
	if err != nil || done {
		return o, err
	}
	repeat, err := s.refundKeyUsed(ctx, o, key)
	if err != nil {
		return Order{}, err
	}
	if !repeat {
		// A retry after a crash skips these checks: the money already moved, and
		// payments answers the same key with the same refund.
		if err := refundable(o); err != nil {
			return Order{}, err
		}
		lines, err := s.Lines(ctx, o)
		if err != nil {
			return Order{}, err
		}
		if err := checkRefund(o, lines, in); err != nil {
			return Order{}, err
		}
	}
	r, err := s.pay.Refund(ctx, payments.PaymentID(o.PaymentID), in.Amount, key)
	if err != nil {
		return Order{}, err
	}
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := s.lockOrder(ctx, tx, number)
		if err != nil {
			return err
		}
		o := orderFromRow(row)
		if done, err := s.q.OrderEventExists(ctx, tx, dbsqlc.OrderEventExistsParams{
			OrderID: o.ID, Type: EventRefundIssued, Field: "key", Value: in.IdempotencyKey}); err != nil {
			return fmt.Errorf("orders: look up refund of order %d: %w", number, err)
		} else if done {
			return nil // a concurrent submission of the same form recorded it
		}
		lines, err := s.linesTx(ctx, tx, o)
		if err != nil {
			return err
		}
		// Checked again under the lock: another refund may have restocked meanwhile.
		if err := checkRestock(lines, in.Restock); err != nil {
			return err
		}
		if err := s.restockTx(ctx, tx, o, lines, in.Restock, actor, in.IdempotencyKey); err != nil {
			return err
		}
		if err := s.event(ctx, tx, o.ID, EventRefundIssued, StaffActor(actor), map[string]any{
			"key": in.IdempotencyKey, "refund_id": int64(r.ID), "amount": in.Amount.Minor, "currency": in.Amount.Currency,
			"reason": in.Reason, "restock": lineMap(in.Restock), "state": string(r.State),
		}); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, actor, "order.refund", number, map[string]audit.Change{
			"refund": {After: in.Amount.String()}, "reason": {After: in.Reason}, "restock": {After: lineMap(in.Restock)},
		})
	})
	if err != nil {
		return Order{}, err
	}
	// The hook changed the order in the payments module's transaction; read it as it is.
	return s.Order(ctx, number)
}

func (s *Service) refundIssued(ctx context.Context, o Order, formKey string) (bool, error) {
	done, err := s.q.OrderEventExists(ctx, s.pool, dbsqlc.OrderEventExistsParams{
		OrderID: o.ID, Type: EventRefundIssued, Field: "key", Value: formKey})
	if err != nil {
		return false, fmt.Errorf("orders: look up refund of order %d: %w", o.Number, err)
	}
	return done, nil
}

// refundKeyUsed reports whether payments already holds a refund under key: a refund
// whose recording crashed, resubmitted.
func (s *Service) refundKeyUsed(ctx context.Context, o Order, key string) (bool, error) {
	if o.PaymentID == 0 {
		return false, nil
	}
	refunds, err := s.pay.Refunds(ctx, payments.PaymentID(o.PaymentID))
	if err != nil {
		return false, fmt.Errorf("orders: refunds of order %d: %w", o.Number, err)
	}
	return slices.ContainsFunc(refunds, func(r payments.Refund) bool { return r.IdempotencyKey == key }), nil
}

// checkRefund validates a refund against the order: the amount, the reason and what is
// restocked, every problem on its field.
func checkRefund(o Order, lines []OrderLine, in RefundInput) error {
	fields := map[string]string{}
	left := money.New(o.GrandTotal.Minor-o.RefundedTotal.Minor, o.GrandTotal.Currency)
	switch {
	case in.Amount.Currency != left.Currency:
		fields["amount"] = "Refund in " + left.Currency + "."
	case in.Amount.Minor <= 0:
		fields["amount"] = "Enter an amount greater than zero."
	case in.Amount.Minor > left.Minor:
		fields["amount"] = fmt.Sprintf("At most %s can be refunded (%s paid, %s refunded already).", left, o.GrandTotal, o.RefundedTotal)
	}
	if utf8.RuneCountInString(in.Reason) > maxReasonLen {
		fields["reason"] = fmt.Sprintf("Use at most %d characters.", maxReasonLen)
	}
	if err := checkRestock(lines, in.Restock); err != nil {
		for k, v := range apperr.FieldsOf(err) {
			fields[k] = v
		}
	}
	if len(fields) > 0 {
		return apperr.InvalidFields("The refund cannot be made.", fields)
	}
	return nil
}

func checkRestock(lines []OrderLine, restock map[int64]int) error {
	fields := map[string]string{}
	for id, n := range restock {
		i := slices.IndexFunc(lines, func(l OrderLine) bool { return l.ID == id })
		switch {
		case i < 0:
			fields[RestockField(id)] = "This item is not part of the order."
		case n < 0:
			fields[RestockField(id)] = "Enter 0 or more."
		case n > lines[i].Restockable():
			fields[RestockField(id)] = fmt.Sprintf("At most %d can go back into stock.", lines[i].Restockable())
		}
	}
	if len(fields) > 0 {
		return apperr.InvalidFields("The refund cannot be made.", fields)
	}
	return nil
}

// restockTx puts units of a refund back: those not shipped yet are released from the
// order's reservation, shipped ones go back on hand.
func (s *Service) restockTx(ctx context.Context, tx pgx.Tx, o Order, lines []OrderLine, restock map[int64]int, actor audit.Actor, key string) error {
	var release, back []inventory.Line
	restocked := map[int64]int{}
	for _, l := range lines {
		n := restock[l.ID]
		if n <= 0 {
			continue
		}
		unshipped := min(n, l.Remaining())
		if unshipped > 0 {
			release = append(release, inventory.Line{VariantID: l.VariantID, Quantity: unshipped})
		}
		if n > unshipped {
			back = append(back, inventory.Line{VariantID: l.VariantID, Quantity: n - unshipped})
		}
		if err := s.q.OrderLineAddRestocked(ctx, tx, dbsqlc.OrderLineAddRestockedParams{Quantity: int32(n), ID: l.ID}); err != nil {
			return fmt.Errorf("orders: count restocked units of line %d: %w", l.ID, err)
		}
		restocked[l.ID] = n
	}
	if len(restocked) == 0 {
		return nil
	}
	ref := InventoryRef(o.Number)
	if len(release) > 0 {
		if err := s.inv.ReleaseLinesTx(ctx, tx, ref, release); err != nil {
			return fmt.Errorf("orders: release refunded units of order %d: %w", o.Number, err)
		}
	}
	if len(back) > 0 {
		if err := s.inv.RestockTx(ctx, tx, ref, back, "Returned: order #"+strconv.FormatInt(o.Number, 10)); err != nil {
			return fmt.Errorf("orders: restock returned units of order %d: %w", o.Number, err)
		}
	}
	if err := s.updateFulfilmentAfterRestock(ctx, tx, o, lines, restocked, actor); err != nil {
		return err
	}
	return s.event(ctx, tx, o.ID, EventRestocked, StaffActor(actor), map[string]any{"key": key, "lines": lineMap(restocked)})
}

// updateFulfilmentAfterRestock completes an order whose last unshipped units were
// released by a refund: nothing is left to ship.
func (s *Service) updateFulfilmentAfterRestock(ctx context.Context, tx pgx.Tx, o Order, lines []OrderLine, restocked map[int64]int, actor audit.Actor) error {
	if o.Status != StatusOpen {
		return nil
	}
	shipped, remaining := 0, 0
	for _, l := range lines {
		l.RestockedQuantity += restocked[l.ID]
		shipped += l.FulfilledQuantity
		remaining += l.Remaining()
	}
	if remaining > 0 || shipped == 0 {
		return nil
	}
	status := StatusOpen
	if o.PaymentStatus != PaymentPending {
		status = StatusCompleted
	}
	if _, err := s.q.OrderSetStatuses(ctx, tx, dbsqlc.OrderSetStatusesParams{Status: status, FulfillmentStatus: FulfillmentFulfilled, ID: o.ID}); err != nil {
		return fmt.Errorf("orders: set statuses of order %d: %w", o.Number, err)
	}
	if status == StatusCompleted {
		return s.event(ctx, tx, o.ID, EventCompleted, StaffActor(actor), map[string]any{})
	}
	return nil
}

// RecordRefundTx is the payments module's OnRefunded hook: the order's refunded total
// and payment status follow the payment, and the shopper is emailed, once per refund
// however often the hook runs (the refund id is recorded in the event).
func (s *Service) RecordRefundTx(ctx context.Context, tx pgx.Tx, p payments.Payment, r payments.Refund) error {
	row, ok, err := s.lockOrderOfPayment(ctx, tx, p, "refund", "refund_id", r.ID)
	if !ok || err != nil {
		return err
	}
	number := row.Number
	seen, err := s.q.OrderEventExists(ctx, tx, dbsqlc.OrderEventExistsParams{
		OrderID: row.ID, Type: EventRefunded, Field: "refund_id", Value: strconv.FormatInt(int64(r.ID), 10)})
	if err != nil {
		return fmt.Errorf("orders: look up refund %d: %w", r.ID, err)
	}
	if seen {
		return nil
	}
	status := PaymentPartiallyRefunded
	if p.State == payments.StateRefunded {
		status = PaymentRefunded
	}
	if row, err = s.q.OrderAddRefunded(ctx, tx, dbsqlc.OrderAddRefundedParams{Amount: r.Amount.Minor, PaymentStatus: status, ID: row.ID}); err != nil {
		return fmt.Errorf("orders: record refund %d of order %d: %w", r.ID, number, err)
	}
	if err := s.event(ctx, tx, row.ID, EventRefunded, "payments:"+p.Provider, map[string]any{
		"refund_id": int64(r.ID), "amount": r.Amount.Minor, "currency": r.Amount.Currency, "payment_id": int64(p.ID),
	}); err != nil {
		return err
	}
	if r.IdempotencyKey == cancelRefundKey(number) {
		return nil // the cancellation email tells of this refund
	}
	o := orderFromRow(row)
	return s.sendOrderEmailTx(ctx, tx, o, refundedEmail(o, r.Amount))
}

// AddNote adds an internal note (staff only, never shown to the shopper) to the order's
// timeline.
func (s *Service) AddNote(ctx context.Context, actor audit.Actor, number int64, text string) error {
	text = strings.TrimSpace(text)
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		return apperr.InvalidFields("The note cannot be added.", map[string]string{"note": "Write a note."})
	case n > maxNoteLen:
		return apperr.InvalidFields("The note cannot be added.", map[string]string{"note": fmt.Sprintf("Use at most %d characters.", maxNoteLen)})
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := s.lockOrder(ctx, tx, number)
		if err != nil {
			return err
		}
		if err := s.event(ctx, tx, row.ID, EventNote, StaffActor(actor), map[string]any{"text": text}); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, actor, "order.note", number, map[string]audit.Change{"note": {After: text}})
	})
}

func (s *Service) lockOrder(ctx context.Context, tx pgx.Tx, number int64) (dbsqlc.OrdersOrder, error) {
	row, err := s.q.OrderLockByNumber(ctx, tx, number)
	if errors.Is(err, pgx.ErrNoRows) {
		return row, apperr.Wrap(err, apperr.NotFound, "Order not found.")
	}
	if err != nil {
		return row, fmt.Errorf("orders: lock order %d: %w", number, err)
	}
	return row, nil
}

// linesTx reads an order's lines inside tx, locked.
func (s *Service) linesTx(ctx context.Context, tx pgx.Tx, o Order) ([]OrderLine, error) {
	rows, err := s.q.OrderLinesLock(ctx, tx, o.ID)
	if err != nil {
		return nil, fmt.Errorf("orders: lines of order %d: %w", o.Number, err)
	}
	return linesFromRows(rows, o.GrandTotal.Currency), nil
}

func (s *Service) auditTx(ctx context.Context, tx pgx.Tx, actor audit.Actor, action string, number int64, changes map[string]audit.Change) error {
	if s.audit == nil {
		return nil
	}
	if err := s.audit.RecordTx(ctx, tx, audit.Entry{Actor: actor, Action: action, ObjectType: AuditObjectType,
		ObjectID: strconv.FormatInt(number, 10), Changes: changes}); err != nil {
		return fmt.Errorf("orders: audit %s of order %d: %w", action, number, err)
	}
	return nil
}

// lineMap turns line quantities into JSON-friendly event data (object keys are text).
func lineMap(m map[int64]int) map[string]int {
	out := make(map[string]int, len(m))
	for id, n := range m {
		if n > 0 {
			out[strconv.FormatInt(id, 10)] = n
		}
	}
	return out
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
