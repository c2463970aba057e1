package notify

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/notify/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
)

func messageFromRow(r dbsqlc.NotifyMessage) Message {
	return Message{
		ID:        r.ID,
		Kind:      r.Kind,
		To:        r.Recipient,
		Subject:   r.Subject,
		HTML:      r.Html,
		Text:      r.Text,
		MessageID: r.MessageID,
		Status:    r.Status,
		Attempts:  int(r.Attempts),
		LastError: r.LastError,
		CreatedAt: r.CreatedAt,
		SentAt:    r.SentAt,
		Redacted:  r.RedactedAt,
	}
}

// interpretError turns a missing row into NotFound; anything else stays internal, with
// context.
func interpretError(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.Wrap(err, apperr.NotFound, what+" not found.")
	}
	return fmt.Errorf("notify: %s: %w", what, err)
}
