package payments

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// testGatewayKeyBytes is the length of an installation's webhook key: the size of the
// HMAC-SHA256 output, as RFC 2104 recommends.
const testGatewayKeyBytes = 32

// webhookKey returns the key the gateway signs and verifies webhooks with: the configured
// secret, or else the installation's own, read from the database once per process and
// made there by the first process that ever asks. A key written in the code would be known
// to everyone who read it, and any development server would accept their forged events.
func (g *TestGateway) webhookKey(ctx context.Context) ([]byte, error) {
	g.keyMu.Lock()
	defer g.keyMu.Unlock()
	if g.key != nil {
		return g.key, nil
	}
	key, err := g.q.TestGatewayKeyGet(ctx, g.pool)
	if errors.Is(err, pgx.ErrNoRows) {
		fresh := make([]byte, testGatewayKeyBytes)
		_, _ = rand.Read(fresh) // crypto/rand.Read never fails
		// Replicas starting together may all get here: the single row keeps the first
		// key written and the others write nothing. The read that follows is a statement
		// of its own, so it sees whichever key won.
		if err := g.q.TestGatewayKeyInsert(ctx, g.pool, fresh); err != nil {
			return nil, fmt.Errorf("test gateway: store the installation's webhook key: %w", err)
		}
		key, err = g.q.TestGatewayKeyGet(ctx, g.pool)
	}
	if err != nil {
		return nil, fmt.Errorf("test gateway: read the installation's webhook key: %w", err)
	}
	g.key = key
	return key, nil
}
