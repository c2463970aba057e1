package catalog

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// refreshSearchTerms rebuilds the vocabulary. Two writers rebuilding at once would each
// re-insert the words the other just committed, so rebuilds take turns on a transaction
// lock.
func refreshSearchTerms(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('catalog.search_terms'))`); err != nil {
		return fmt.Errorf("catalog: lock search terms: %w", err)
	}
	if _, err := tx.Exec(ctx, `SELECT catalog.refresh_search_terms()`); err != nil {
		return fmt.Errorf("catalog: refresh search terms: %w", err)
	}
	return nil
}
