package payments

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/payments/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// Capture takes the money of an authorized payment. The provider is called outside any
// transaction; its answer is applied like a webhook (OnPaid runs then). Capturing a paid
// payment returns it unchanged.
func (s *Service) Capture(ctx context.Context, id PaymentID) (Payment, error) {
	p, err := s.FindPayment(ctx, id)
	if err != nil {
		return Payment{}, err
	}
	switch p.State {
	case StatePaid, StatePartiallyRefunded, StateRefunded:
		return p, nil
	case StateAuthorized:
	default:
		return Payment{}, apperr.New(apperr.Conflict, fmt.Sprintf("Only an authorized payment can be captured; this one is %s.", stateWords(p.State)))
	}
	prov, err := s.provider(p.Provider)
	if err != nil {
		return Payment{}, err
	}
	// One capture per payment, so the payment's token makes the key.
	st, err := prov.Capture(ctx, p.ProviderRef, p.Amount, "capture:"+p.Token)
	if err != nil {
		return Payment{}, fmt.Errorf("payments: capture payment %d at %s: %w", id, p.Provider, err)
	}
	p, err = s.applyStatus(ctx, id, "capture:"+p.Token, "capture", st)
	if err != nil {
		return Payment{}, err
	}
	if p.State != StatePaid {
		return p, apperr.New(apperr.Conflict, fmt.Sprintf("The payment could not be captured; it is %s.", stateWords(p.State)))
	}
	return p, nil
}

// Void cancels a payment before money moves (an unpaid order cancelled or expired).
// Voiding a voided payment returns it unchanged. If the shopper paid in the meantime, the
// provider says so, the payment becomes paid (OnPaid runs) and Void answers Conflict: the
// money must be refunded instead.
func (s *Service) Void(ctx context.Context, id PaymentID) (Payment, error) {
	p, err := s.FindPayment(ctx, id)
	if err != nil {
		return Payment{}, err
	}
	switch p.State {
	case StateVoided:
		return p, nil
	case StatePending, StateAuthorized:
	default:
		return Payment{}, apperr.New(apperr.Conflict, fmt.Sprintf("A payment that is %s cannot be voided.", stateWords(p.State)))
	}
	// A payment never begun, or a manual one, is held by no one outside: cancelling it
	// is ours to say, for the payment's own amount.
	st := ProviderStatus{State: StateVoided, Amount: p.Amount}
	if p.ProviderRef != "" && p.Provider != ProviderManual {
		prov, err := s.provider(p.Provider)
		if err != nil {
			return Payment{}, err
		}
		if st, err = prov.Void(ctx, p.ProviderRef, "void:"+p.Token); err != nil {
			return Payment{}, fmt.Errorf("payments: void payment %d at %s: %w", id, p.Provider, err)
		}
	}
	p, err = s.applyStatus(ctx, id, "void:"+p.Token, "void", st)
	if err != nil {
		return Payment{}, err
	}
	if p.State != StateVoided {
		return p, apperr.New(apperr.Conflict, fmt.Sprintf("The payment could not be voided: it is %s. Refund it instead.", stateWords(p.State)))
	}
	return p, nil
}

// MarkPaidManually records that staff received the money of a manual payment (a bank
// transfer arrived, the courier brought the cash). OnPaid runs in the same transaction.
// Marking a paid payment again returns it unchanged.
func (s *Service) MarkPaidManually(ctx context.Context, id PaymentID, actor audit.Actor) (Payment, error) {
	var out Payment
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := s.q.PaymentLock(ctx, tx, int64(id))
		if err != nil {
			return interpretError(err, "Payment")
		}
		p := paymentFromRow(row)
		if p.Provider != ProviderManual {
			return apperr.New(apperr.Conflict, "Only manual payments (bank transfer, cash on delivery) can be marked paid by hand.")
		}
		switch {
		case p.State == StatePaid || p.State == StatePartiallyRefunded || p.State == StateRefunded:
			out = p
			return nil
		case !CanMove(p.State, StatePaid):
			return apperr.New(apperr.Conflict, fmt.Sprintf("A payment that is %s cannot be marked paid.", stateWords(p.State)))
		}
		payload, _ := json.Marshal(map[string]any{"actor_id": actor.ID, "actor_email": actor.Email, "actor_ip": actor.IP})
		out, err = s.applyTx(ctx, tx, row, change{
			eventID:   "mark-paid:" + p.Token,
			eventType: "manual.mark_paid",
			status:    ProviderStatus{State: StatePaid, Amount: p.Amount},
			payload:   payload,
			source:    "manual",
		})
		return err
	})
	if err != nil {
		return Payment{}, err
	}
	return out, nil
}

// applyStatus applies a provider's answer to an action of ours in one transaction.
func (s *Service) applyStatus(ctx context.Context, id PaymentID, eventID, eventType string, st ProviderStatus) (Payment, error) {
	var out Payment
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := s.q.PaymentLock(ctx, tx, int64(id))
		if err != nil {
			return interpretError(err, "Payment")
		}
		out, err = s.applyTx(ctx, tx, row, change{eventID: eventID, eventType: eventType, status: st, source: eventType})
		return err
	})
	if err != nil {
		return Payment{}, err
	}
	return out, nil
}

// Refund gives amount of a paid payment back. idempotencyKey names this refund (the
// caller's: an order's refund form carries one): calling Refund again with it returns the
// same refund instead of refunding twice, even if the first call crashed halfway.
//
// The refund is written (pending) under the payment's lock before the provider is asked,
// so concurrent refunds can never add up to more than was paid; the provider is called
// outside any transaction with the same key; its answer is recorded in a second
// transaction that moves the payment to partially_refunded or refunded and calls the
// OnRefunded hooks. A provider that refuses gives an apperr.Conflict.
func (s *Service) Refund(ctx context.Context, id PaymentID, amount money.Amount, idempotencyKey string) (Refund, error) {
	if idempotencyKey == "" || len(idempotencyKey) > maxKeyLen {
		return Refund{}, apperr.New(apperr.Invalid, "A refund needs an idempotency key of at most 200 bytes.")
	}
	if amount.Minor <= 0 {
		return Refund{}, apperr.InvalidFields("Enter an amount to refund.", map[string]string{"amount": "The amount must be more than zero."})
	}
	var (
		p Payment
		r Refund
	)
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := s.q.PaymentLock(ctx, tx, int64(id))
		if err != nil {
			return interpretError(err, "Payment")
		}
		p = paymentFromRow(row)
		existing, err := s.q.RefundGetByKey(ctx, tx, idempotencyKey)
		switch {
		case err == nil:
			r = refundFromRow(existing)
			if r.PaymentID != id || r.Amount != amount {
				return apperr.New(apperr.Conflict, "This refund key was used for a different refund.")
			}
			return nil
		case !errors.Is(err, pgx.ErrNoRows):
			return fmt.Errorf("payments: look up refund %q: %w", idempotencyKey, err)
		}
		if amount.Currency != p.Amount.Currency {
			return apperr.InvalidFields("The refund's currency must be the payment's.",
				map[string]string{"amount": fmt.Sprintf("Refund in %s.", p.Amount.Currency)})
		}
		if p.State != StatePaid && p.State != StatePartiallyRefunded {
			return apperr.New(apperr.Conflict, fmt.Sprintf("Only a paid payment can be refunded; this one is %s.", stateWords(p.State)))
		}
		sums, err := s.q.RefundSums(ctx, tx, int64(id))
		if err != nil {
			return fmt.Errorf("payments: sum refunds of payment %d: %w", id, err)
		}
		left := p.Amount.Minor - sums.Succeeded - sums.Pending
		if amount.Minor > left {
			return apperr.InvalidFields("That is more than can be refunded.", map[string]string{
				"amount": fmt.Sprintf("At most %s can be refunded.", money.Amount{Minor: max(left, 0), Currency: p.Amount.Currency}),
			})
		}
		row2, err := s.q.RefundInsert(ctx, tx, dbsqlc.RefundInsertParams{
			PaymentID: int64(id), AmountMinor: amount.Minor, Currency: amount.Currency, IdempotencyKey: idempotencyKey,
		})
		if err != nil {
			return interpretError(err, "Refund")
		}
		r = refundFromRow(row2)
		return nil
	})
	if err != nil {
		return Refund{}, err
	}
	switch r.State {
	case RefundSucceeded:
		return r, nil
	case RefundFailed:
		return Refund{}, refusedRefund(r)
	}
	return s.completeRefund(ctx, p, r)
}

// completeRefund asks the provider for a pending refund (again, after a crash: the key
// makes that safe) and records the answer.
func (s *Service) completeRefund(ctx context.Context, p Payment, r Refund) (Refund, error) {
	prov, err := s.provider(p.Provider)
	if err != nil {
		return Refund{}, err
	}
	ans, err := prov.Refund(ctx, p.ProviderRef, r.Amount, "refund:"+r.IdempotencyKey)
	if err != nil {
		// The refund stays pending and keeps its amount reserved; a retry with the same
		// key, or the recovery job, asks again.
		return Refund{}, fmt.Errorf("payments: refund %d of payment %d at %s: %w", r.ID, p.ID, p.Provider, err)
	}
	if ans.State == RefundPending {
		// The provider is still working on it; its webhook or the recovery job finishes it.
		return r, nil
	}
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := s.q.PaymentLock(ctx, tx, int64(p.ID))
		if err != nil {
			return interpretError(err, "Payment")
		}
		p = paymentFromRow(row)
		locked, err := s.q.RefundLock(ctx, tx, int64(r.ID))
		if err != nil {
			return interpretError(err, "Refund")
		}
		if RefundState(locked.State) != RefundPending {
			// Another caller with the same key recorded the answer first.
			r = refundFromRow(locked)
			return nil
		}
		var ref *string
		if ans.Ref != "" {
			ref = ptr(ans.Ref)
		}
		finished, err := s.q.RefundFinish(ctx, tx, dbsqlc.RefundFinishParams{
			ID: int64(r.ID), State: string(ans.State), ProviderRef: ref, FailureReason: ans.FailureReason,
		})
		if err != nil {
			return fmt.Errorf("payments: record refund %d: %w", r.ID, err)
		}
		r = refundFromRow(finished)
		if r.State != RefundSucceeded {
			return nil
		}
		refunded := p.Refunded.Minor + r.Amount.Minor
		if p, err = s.moveTx(ctx, tx, p, refundState(p, refunded), refunded, "", "refund"); err != nil {
			return err
		}
		return s.refundedHooks(ctx, tx, p, r)
	})
	if err != nil {
		return Refund{}, err
	}
	if r.State == RefundFailed {
		return Refund{}, refusedRefund(r)
	}
	return r, nil
}

func refusedRefund(r Refund) error {
	msg := "The payment provider refused the refund."
	if r.FailureReason != "" {
		msg = fmt.Sprintf("The payment provider refused the refund (%s).", r.FailureReason)
	}
	return apperr.New(apperr.Conflict, msg)
}
