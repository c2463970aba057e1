package payments

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/monoshop/monoshop/internal/payments/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/money"
)

func paymentFromRow(r dbsqlc.PaymentsPayment) Payment {
	p := Payment{
		ID:            PaymentID(r.ID),
		Token:         r.Token,
		OrderRef:      r.OrderRef,
		Description:   r.Description,
		Amount:        money.Amount{Minor: r.AmountMinor, Currency: r.Currency},
		Refunded:      money.Amount{Minor: r.RefundedMinor, Currency: r.Currency},
		Provider:      r.Provider,
		State:         State(r.State),
		FailureReason: r.FailureReason,
		CreatedAt:     r.CreatedAt,
		UpdatedAt:     r.UpdatedAt,

		idempotencyKey: r.IdempotencyKey,
	}
	if r.ProviderRef != nil {
		p.ProviderRef = *r.ProviderRef
	}
	return p
}

func refundFromRow(r dbsqlc.PaymentsRefund) Refund {
	out := Refund{
		ID:             RefundID(r.ID),
		PaymentID:      PaymentID(r.PaymentID),
		Amount:         money.Amount{Minor: r.AmountMinor, Currency: r.Currency},
		IdempotencyKey: r.IdempotencyKey,
		State:          RefundState(r.State),
		FailureReason:  r.FailureReason,
		CreatedAt:      r.CreatedAt,
	}
	if r.ProviderRef != nil {
		out.ProviderRef = *r.ProviderRef
	}
	return out
}

func eventFromRow(r dbsqlc.PaymentsEvent) Event {
	return Event{
		ID:              r.ID,
		PaymentID:       PaymentID(r.PaymentID),
		Provider:        r.Provider,
		ProviderEventID: r.ProviderEventID,
		Type:            r.Type,
		ReportedState:   State(r.ReportedState),
		Applied:         r.Applied,
		Note:            r.Note,
		ReceivedAt:      r.ReceivedAt,
	}
}

// interpretError turns a missing row into NotFound and a unique violation into Conflict;
// anything else stays internal, with context.
func interpretError(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.Wrap(err, apperr.NotFound, what+" not found.")
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return apperr.Wrap(err, apperr.Conflict, what+" already exists.")
	}
	return fmt.Errorf("payments: %s: %w", what, err)
}

// randomToken returns n random bytes in base64url without padding: unguessable, and safe
// in URLs and idempotency keys.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

func ptr[T any](v T) *T { return &v }
