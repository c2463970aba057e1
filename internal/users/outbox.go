package users

import (
	"bytes"
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// sendEmailTx renders an email and queues it in the caller's transaction.
func (s *Service) sendEmailTx(ctx context.Context, tx pgx.Tx, kind, to string, e email) error {
	if s.opts.Outbox == nil {
		return fmt.Errorf("users: no outbox to send %s email", kind)
	}
	var html bytes.Buffer
	if err := e.HTML.Render(ctx, &html); err != nil {
		return fmt.Errorf("users: render %s email: %w", kind, err)
	}
	if _, err := s.opts.Outbox.QueueEmailTx(ctx, tx, kind, to, e.Subject, html.String(), e.Text); err != nil {
		return fmt.Errorf("users: queue %s email: %w", kind, err)
	}
	return nil
}
