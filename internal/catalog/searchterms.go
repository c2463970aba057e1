package catalog

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// refreshSearchTerms brings the vocabulary up to date with the given products: each
// product's previous words are taken away and its current ones added (see migration
// 00018), so a save costs its own words, not the catalog's. Saves of different products
// run side by side; the counts are increments, so neither loses the other's.
func refreshSearchTerms(ctx context.Context, tx pgx.Tx, ids []ProductID) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `SELECT catalog.refresh_search_terms($1::bigint[])`, rawProductIDs(ids)); err != nil {
		return fmt.Errorf("catalog: refresh search terms: %w", err)
	}
	return nil
}

// refreshCategorySearch follows a category change: the vocabulary's category names are
// recounted, and the search documents of the products filed in the given categories or
// below them (their documents carry the names of every ancestor) are rebuilt. Nothing
// else in the catalog is touched, so renaming a small category is cheap at any size.
func refreshCategorySearch(ctx context.Context, tx pgx.Tx, productIDs []ProductID) error {
	for start := 0; start < len(productIDs); start += searchRefreshBatch {
		batch := productIDs[start:min(start+searchRefreshBatch, len(productIDs))]
		if _, err := tx.Exec(ctx, `SELECT catalog.refresh_search($1::bigint[])`, rawProductIDs(batch)); err != nil {
			return fmt.Errorf("catalog: refresh search: %w", err)
		}
	}
	if _, err := tx.Exec(ctx, `SELECT catalog.refresh_category_search_terms()`); err != nil {
		return fmt.Errorf("catalog: refresh category search terms: %w", err)
	}
	return nil
}

// searchRefreshBatch bounds one refresh statement, so renaming a category that holds most
// of a large catalog stays within the statement timeout.
const searchRefreshBatch = 2000

// categorySubtreeProducts lists the products filed in the category or any category below
// it: the ones whose search documents carry its name.
func categorySubtreeProducts(ctx context.Context, tx pgx.Tx, id CategoryID) ([]ProductID, error) {
	rows, err := tx.Query(ctx, `
		WITH RECURSIVE sub(id) AS (
			SELECT $1::bigint
			UNION
			SELECT c.id FROM catalog.categories c JOIN sub ON c.parent_id = sub.id)
		SELECT DISTINCT pc.product_id FROM catalog.product_categories pc JOIN sub ON sub.id = pc.category_id
		ORDER BY 1`, int64(id))
	if err != nil {
		return nil, fmt.Errorf("catalog: products of category %d: %w", id, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[ProductID])
	if err != nil {
		return nil, fmt.Errorf("catalog: products of category %d: %w", id, err)
	}
	return ids, nil
}

func rawProductIDs(ids []ProductID) []int64 {
	raw := make([]int64, len(ids))
	for i, id := range ids {
		raw[i] = int64(id)
	}
	return raw
}
