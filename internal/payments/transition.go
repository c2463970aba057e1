package payments

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/payments/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// change is a status reported about a payment, with the event that reported it.
type change struct {
	// eventID names the event within the payment's provider; a second change with the
	// same id is a duplicate and does nothing.
	eventID   string
	eventType string
	status    ProviderStatus
	// payload is the event as received (JSON); nil stores the status itself.
	payload []byte
	// source says where the change came from, for the logs: webhook, status, capture, ...
	source string
}

// moveOneStepTx records c and moves p one step, to pl.to, in one statement (PaymentMove),
// if p is still in the state it was read in and c is new; markChecked also records a
// status check. moved is false, with nothing written, when it is not that case. The hooks
// of the state entered run in tx.
func (s *Service) moveOneStepTx(ctx context.Context, tx pgx.Tx, p Payment, c change, pl plan, markChecked bool) (Payment, bool, error) {
	row, err := s.q.PaymentMove(ctx, tx, dbsqlc.PaymentMoveParams{
		PaymentID:       int64(p.ID),
		FromState:       string(p.State),
		Provider:        p.Provider,
		ProviderEventID: c.eventID,
		Type:            c.eventType,
		ReportedState:   string(c.status.State),
		Note:            pl.note,
		Payload:         c.payloadJSON(),
		State:           string(pl.to),
		RefundedMinor:   p.Refunded.Minor,
		FailureReason:   pl.failureReason,
		MarkChecked:     markChecked,
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return p, false, nil
	}
	if err != nil {
		return p, false, fmt.Errorf("payments: record event %s moving payment %d to %s: %w", c.eventID, p.ID, pl.to, err)
	}
	next, err := s.enteredTx(ctx, tx, p, paymentFromRow(row), c.source)
	return next, true, err
}

// payloadJSON is the event as stored: as received, or the status itself when there is
// no valid JSON to keep.
func (c change) payloadJSON() []byte {
	if len(c.payload) > 0 && json.Valid(c.payload) {
		return c.payload
	}
	b, _ := json.Marshal(map[string]any{
		"state": c.status.State, "amount_minor": c.status.Amount.Minor, "currency": c.status.Amount.Currency,
		"refunded_minor": c.status.Refunded.Minor, "failure_reason": c.status.FailureReason,
	})
	return b
}

// plan is what applying a change will do, decided before anything is written.
type plan struct {
	// to is the state to move to; "" changes nothing.
	to            State
	failureReason string
	// paidFirst moves the payment to paid before recording a refund: the provider
	// reports money refunded on a payment we never saw paid (both webhooks lost).
	paidFirst bool
	// externalRefund is money the provider reports refunded that no refund of ours
	// explains (made in its dashboard): it is recorded as a succeeded refund.
	externalRefund int64
	note           string
}

// applyTx records c and moves the payment (locked by the caller in tx) as far as the
// state machine allows, calling the hooks of every state it enters. It returns the
// payment as it stands afterwards. A duplicate event changes nothing and is no error.
func (s *Service) applyTx(ctx context.Context, tx pgx.Tx, row dbsqlc.PaymentsPayment, c change) (Payment, error) {
	p := paymentFromRow(row)
	pl, err := s.plan(ctx, tx, p, c.status)
	if err != nil {
		return p, err
	}
	if pl.to != "" && !pl.paidFirst && pl.externalRefund == 0 {
		// The common case, a payment moving one step (paid, failed, ...): the event and the
		// move are one statement.
		next, moved, err := s.moveOneStepTx(ctx, tx, p, c, pl, false)
		if err == nil && !moved {
			// The payment is locked, so its state cannot have moved: the event was seen.
			s.log.DebugContext(ctx, "payment event already processed", "payment", p.ID, "event", c.eventID, "source", c.source)
		}
		return next, err
	}
	_, err = s.q.EventInsert(ctx, tx, dbsqlc.EventInsertParams{
		Provider:        p.Provider,
		ProviderEventID: c.eventID,
		PaymentID:       int64(p.ID),
		Type:            c.eventType,
		ReportedState:   string(c.status.State),
		Applied:         pl.to != "",
		Note:            pl.note,
		Payload:         c.payloadJSON(),
	})
	if errors.Is(err, pgx.ErrNoRows) {
		s.log.DebugContext(ctx, "payment event already processed", "payment", p.ID, "event", c.eventID, "source", c.source)
		return p, nil
	}
	if err != nil {
		return p, fmt.Errorf("payments: record event %s of payment %d: %w", c.eventID, p.ID, err)
	}
	if pl.to == "" {
		s.log.InfoContext(ctx, "payment event changes nothing", "payment", p.ID, "state", p.State,
			"reported", c.status.State, "event", c.eventID, "source", c.source, "note", pl.note)
		return p, nil
	}

	if pl.paidFirst {
		if p, err = s.moveTx(ctx, tx, p, StatePaid, p.Refunded.Minor, "", c.source); err != nil {
			return p, err
		}
	}
	if pl.externalRefund > 0 {
		refunded := p.Refunded.Minor + pl.externalRefund
		r, err := s.q.RefundInsertSucceeded(ctx, tx, dbsqlc.RefundInsertSucceededParams{
			PaymentID:      int64(p.ID),
			AmountMinor:    pl.externalRefund,
			Currency:       p.Amount.Currency,
			IdempotencyKey: "external:" + p.Provider + ":" + c.eventID,
			ProviderRef:    nil,
		})
		if err != nil {
			return p, fmt.Errorf("payments: record refund reported for payment %d: %w", p.ID, err)
		}
		if p, err = s.moveTx(ctx, tx, p, refundState(p, refunded), refunded, "", c.source); err != nil {
			return p, err
		}
		return p, s.refundedHooks(ctx, tx, p, refundFromRow(r))
	}
	return s.moveTx(ctx, tx, p, pl.to, p.Refunded.Minor, pl.failureReason, c.source)
}

// plan decides what a reported status does to p. It only reads.
func (s *Service) plan(ctx context.Context, tx pgx.Tx, p Payment, st ProviderStatus) (plan, error) {
	switch {
	case !st.State.valid():
		return plan{note: fmt.Sprintf("unknown state %q", st.State)}, nil
	case st.State == StatePending:
		return plan{note: "provider reports the payment pending"}, nil
	case st.Amount != p.Amount:
		// A payment for another amount (or one that does not say, or says zero) is not this
		// payment being paid: marking the order paid would ship goods for less money, or
		// for none. The provider always states the amount; staff must look.
		s.log.ErrorContext(ctx, "payment amount mismatch", "payment", p.ID, "expected", p.Amount, "reported", st.Amount)
		return plan{note: amountMismatchNote(p.Amount, st.Amount)}, nil
	}

	if st.State == StatePartiallyRefunded || st.State == StateRefunded {
		pl := plan{}
		if p.State != StatePaid && p.State != StatePartiallyRefunded {
			if !CanMove(p.State, StatePaid) {
				return plan{note: fmt.Sprintf("ignored: the payment is %s", p.State)}, nil
			}
			pl.paidFirst = true
		}
		// Our own refunds in flight explain part of what the provider reports: the
		// provider's refund webhook may arrive before we record its answer.
		sums, err := s.q.RefundSums(ctx, tx, int64(p.ID))
		if err != nil {
			return plan{}, fmt.Errorf("payments: sum refunds of payment %d: %w", p.ID, err)
		}
		excess := st.Refunded.Minor - sums.Succeeded - sums.Pending
		if excess <= 0 {
			if pl.paidFirst {
				pl.to = StatePaid
				return pl, nil
			}
			return plan{note: "refund already recorded"}, nil
		}
		if p.Refunded.Minor+excess > p.Amount.Minor {
			return plan{note: "provider reports more refunded than the payment's amount"}, nil
		}
		pl.externalRefund = excess
		pl.to = refundState(p, p.Refunded.Minor+excess)
		return pl, nil
	}

	if st.State == p.State {
		return plan{note: fmt.Sprintf("already %s", p.State)}, nil
	}
	if !CanMove(p.State, st.State) {
		return plan{note: fmt.Sprintf("ignored: the payment is already %s", p.State)}, nil
	}
	return plan{to: st.State, failureReason: st.FailureReason}, nil
}

// amountMismatchNote says, for staff, how a reported amount differs from the payment's.
func amountMismatchNote(want, got money.Amount) string {
	switch {
	case got.Minor == 0 && got.Currency == "":
		return fmt.Sprintf("amount mismatch: provider reports no amount, payment is for %s %d", want.Currency, want.Minor)
	case got.Currency == "":
		return fmt.Sprintf("amount mismatch: provider reports %d without a currency, payment is for %s %d", got.Minor, want.Currency, want.Minor)
	}
	return fmt.Sprintf("amount mismatch: provider reports %s %d, payment is for %s %d", got.Currency, got.Minor, want.Currency, want.Minor)
}

// moveTx changes the state of p (locked by the caller) and calls the hooks of the state
// entered.
func (s *Service) moveTx(ctx context.Context, tx pgx.Tx, p Payment, to State, refunded int64, reason, source string) (Payment, error) {
	row, err := s.q.PaymentUpdateState(ctx, tx, dbsqlc.PaymentUpdateStateParams{
		ID:            int64(p.ID),
		FromState:     string(p.State),
		State:         string(to),
		RefundedMinor: refunded,
		FailureReason: reason,
	})
	if err != nil {
		// No row would mean the state changed under our lock: a bug, never a race.
		return p, fmt.Errorf("payments: move payment %d from %s to %s: %w", p.ID, p.State, to, err)
	}
	return s.enteredTx(ctx, tx, p, paymentFromRow(row), source)
}

// enteredTx follows a move of a payment from p to next: it logs it and calls the hooks
// of the state entered (refund hooks are the caller's: they need the refund).
func (s *Service) enteredTx(ctx context.Context, tx pgx.Tx, p, next Payment, source string) (Payment, error) {
	to := next.State
	s.log.InfoContext(ctx, "payment state changed", "payment", p.ID, "order", p.OrderRef,
		"from", p.State, "to", to, "source", source)

	s.hooksMu.RLock()
	var hooks []Hook
	switch to {
	case StateAuthorized:
		hooks = s.onAuthorized
	case StatePaid:
		hooks = s.onPaid
	case StateFailed:
		hooks = s.onFailed
	case StateVoided:
		hooks = s.onVoided
	}
	s.hooksMu.RUnlock()
	for _, h := range hooks {
		if err := h(ctx, tx, next); err != nil {
			return next, fmt.Errorf("payments: %s hook for payment %d: %w", to, p.ID, err)
		}
	}
	if to == StatePaid && s.cfg.AfterPaidHooks != nil {
		s.cfg.AfterPaidHooks(ctx, next, source)
	}
	return next, nil
}

func (s *Service) refundedHooks(ctx context.Context, tx pgx.Tx, p Payment, r Refund) error {
	s.hooksMu.RLock()
	hooks := s.onRefunded
	s.hooksMu.RUnlock()
	for _, h := range hooks {
		if err := h(ctx, tx, p, r); err != nil {
			return fmt.Errorf("payments: refund hook for payment %d: %w", p.ID, err)
		}
	}
	return nil
}

// refundState is the state of p once refunded minor units are given back in all.
func refundState(p Payment, refunded int64) State {
	if refunded >= p.Amount.Minor {
		return StateRefunded
	}
	return StatePartiallyRefunded
}
