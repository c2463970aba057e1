package catalog

import "sync"

// searchCacheLimit bounds the remembered queries of one snapshot; past it the cache starts
// over, which costs one query per search until it refills.
const searchCacheLimit = 4096

// searchCache remembers, for one snapshot, the ranked products of each tsquery and the
// correction of each misspelt word. It lives inside the snapshot, so a catalog change
// (which replaces the snapshot on every replica) starts a new one: results are never
// staler than the rest of the storefront.
type searchCache struct {
	mu          sync.RWMutex
	results     map[string][]ProductID
	corrections map[string]string
}

func (c *searchCache) result(key string) ([]ProductID, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	ids, ok := c.results[key]
	return ids, ok
}

func (c *searchCache) putResult(key string, ids []ProductID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.results == nil || len(c.results) >= searchCacheLimit {
		c.results = make(map[string][]ProductID)
	}
	c.results[key] = ids
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

func newSearchCache() *searchCache { return &searchCache{} }

// after returns the cache for the snapshot that follows a change to the given products.
func (c *searchCache) after(changed []ProductID) *searchCache { return newSearchCache() }
