package notify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/notify/internal/dbsqlc"
)

// What the log keeps of a message whose recipient deleted their account.
const (
	// RedactedRecipient stands for the recipient, and for the subject, which may name
	// them ("Your order, Ada").
	RedactedRecipient = "Deleted customer"
	// withdrawnError says why a message still waiting was never sent.
	withdrawnError = "Not sent: the recipient deleted their account."
	// removedError replaces a delivery error, which may quote the address.
	removedError = "Removed when the recipient deleted their account."
)

// RedactRecipientsTx removes, in the caller's transaction, the recipient, subject and body
// of every message sent to one of addresses since the given time: the log keeps that a
// message of that kind went out and when, not to whom or what it said. A message still
// waiting for delivery is given up. It returns how many messages it changed.
func (s *Service) RedactRecipientsTx(ctx context.Context, tx pgx.Tx, addresses []string, since time.Time) (int, error) {
	keys := make([]string, 0, len(addresses))
	for _, a := range addresses {
		if a = strings.ToLower(strings.TrimSpace(a)); a != "" {
			keys = append(keys, a)
		}
	}
	if len(keys) == 0 {
		return 0, nil
	}
	n, err := s.q.MessagesRedactRecipients(ctx, tx, dbsqlc.MessagesRedactRecipientsParams{
		Placeholder: RedactedRecipient, Withdrawn: withdrawnError, Removed: removedError,
		Addresses: keys, Since: since,
	})
	if err != nil {
		return 0, fmt.Errorf("notify: redact messages: %w", err)
	}
	return int(n), nil
}
