package catalog

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5"
)

// searchCacheLimit bounds the remembered queries of one snapshot; past it the cache starts
// over, which costs one query per search until it refills.
const searchCacheLimit = 4096

// searchLimit bounds the results of one search.
const searchLimit = 1000

// searchCache remembers, for one snapshot, the ranked products of each tsquery and the
// correction of each misspelt word.
//
// A change to a few products does not empty it (staff editing all day would otherwise
// send every search to the database): the next snapshot's cache keeps every result,
// corrected for the changed products by asking the database which of them each query now
// matches and at what rank (searchCache.after). A product's rank depends on its own
// document only, so the other results keep their places. Corrections are kept while the
// vocabulary is unchanged.
type searchCache struct {
	mu          sync.RWMutex
	results     map[string]searchResult
	corrections map[string]string
}

// searchResult is a query's products, best first, with the rank each was found at.
type searchResult struct {
	ids   []ProductID
	ranks []float32
}

func newSearchCache() *searchCache { return &searchCache{} }

func (c *searchCache) result(key string) ([]ProductID, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	r, ok := c.results[key]
	return r.ids, ok
}

func (c *searchCache) putResult(key string, r searchResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.results == nil || len(c.results) >= searchCacheLimit {
		c.results = make(map[string]searchResult)
	}
	c.results[key] = r
}

func (c *searchCache) correction(word string) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	w, ok := c.corrections[word]
	return w, ok
}

func (c *searchCache) putCorrection(word, fixed string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.corrections == nil || len(c.corrections) >= searchCacheLimit {
		c.corrections = make(map[string]string)
	}
	c.corrections[word] = fixed
}

// after returns the cache for the snapshot that follows a change to the given products,
// reading from tx how each remembered query now matches them. keepCorrections says the
// vocabulary did not change.
func (c *searchCache) after(ctx context.Context, tx pgx.Tx, changed []ProductID, keepCorrections bool) (*searchCache, error) {
	c.mu.RLock()
	results := maps.Clone(c.results)
	var corrections map[string]string
	if keepCorrections {
		corrections = maps.Clone(c.corrections)
	}
	c.mu.RUnlock()
	next := &searchCache{results: results, corrections: corrections}
	if len(results) == 0 {
		return next, nil
	}
	queries := slices.Collect(maps.Keys(results))
	ids := make([]int64, len(changed))
	for i, id := range changed {
		ids[i] = int64(id)
	}
	rows, err := tx.Query(ctx, `
		SELECT q.n, p.id, ts_rank_cd(p.search_vector, to_tsquery('english', q.text))
		FROM unnest($1::text[]) WITH ORDINALITY q(text, n)
		JOIN catalog.products p ON p.id = ANY ($2::bigint[]) AND p.status = 'active'
			AND p.search_vector @@ to_tsquery('english', q.text)`, queries, ids)
	if err != nil {
		return nil, fmt.Errorf("catalog: recheck searches: %w", err)
	}
	found := map[string]searchResult{}
	for rows.Next() {
		var n int64
		var id int64
		var rank float32
		if err := rows.Scan(&n, &id, &rank); err != nil {
			return nil, fmt.Errorf("catalog: recheck searches: %w", err)
		}
		q := queries[n-1]
		r := found[q]
		r.ids, r.ranks = append(r.ids, ProductID(id)), append(r.ranks, rank)
		found[q] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: recheck searches: %w", err)
	}
	isChanged := make(map[ProductID]bool, len(changed))
	for _, id := range changed {
		isChanged[id] = true
	}
	for q, r := range results {
		if patched, ok := r.patch(isChanged, found[q], searchLimit); ok {
			results[q] = patched
		} else {
			delete(results, q)
		}
	}
	return next, nil
}

// patch corrects a result for changed products: the changed ones leave it and come back
// at the ranks in add (those of them that match now). It reports false when the result
// can no longer be known without asking the database: a full result (limit products)
// whose end is in doubt.
func (r searchResult) patch(changed map[ProductID]bool, add searchResult, limit int) (searchResult, bool) {
	kept := searchResult{ids: make([]ProductID, 0, len(r.ids)+len(add.ids)), ranks: make([]float32, 0, len(r.ids)+len(add.ids))}
	for i, id := range r.ids {
		if !changed[id] {
			kept.ids, kept.ranks = append(kept.ids, id), append(kept.ranks, r.ranks[i])
		}
	}
	if len(add.ids) == 0 && len(kept.ids) == len(r.ids) {
		return r, true
	}
	for i, id := range add.ids {
		kept = kept.insert(id, add.ranks[i])
	}
	if len(kept.ids) > limit {
		kept.ids, kept.ranks = kept.ids[:limit], kept.ranks[:limit]
	}
	if len(r.ids) >= limit {
		// Products beyond the list were never seen; all of them come after its old last
		// one. The list stays exact only if it is full again and ends no later than
		// that: else one of them might belong at its end.
		last, n := len(r.ids)-1, len(kept.ids)-1
		if len(kept.ids) < limit || compareRanked(kept.ranks[n], kept.ids[n], r.ranks[last], r.ids[last]) > 0 {
			return searchResult{}, false
		}
	}
	return kept, true
}

// insert places a product at its rank, in the database's order: rank descending, then ID.
func (r searchResult) insert(id ProductID, rank float32) searchResult {
	i := sortIndex(len(r.ids), func(j int) bool { return compareRanked(r.ranks[j], r.ids[j], rank, id) > 0 })
	r.ids = slices.Insert(r.ids, i, id)
	r.ranks = slices.Insert(r.ranks, i, rank)
	return r
}

// compareRanked orders results as the database does: rank descending, then ID.
func compareRanked(rankA float32, a ProductID, rankB float32, b ProductID) int {
	return cmp.Or(-cmp.Compare(rankA, rankB), cmp.Compare(a, b))
}

// sortIndex is the first j in [0, n) for which after(j) holds, after being monotone.
func sortIndex(n int, after func(j int) bool) int {
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if after(m) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}
