package catalogweb

import "sync"

// listingCacheLimit bounds the remembered listings (tens of kilobytes each); past it the
// cache starts over.
const listingCacheLimit = 1024

// listingCache remembers the listing view of a category URL (facets with their counts and
// links, the page of products) for one catalog generation. A category page with two
// facets costs milliseconds of filtering, counting and link building; the same URL asked
// again before the catalog changes is the same answer. Listings filtered by stock are
// not remembered: stock changes without the catalog changing.
type listingCache struct {
	mu         sync.RWMutex
	generation int64
	entries    map[string]cachedListing
}

type cachedListing struct {
	vm       listingVM
	page     int
	filtered bool
}

func (c *listingCache) get(generation int64, key string) (cachedListing, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.generation != generation {
		return cachedListing{}, false
	}
	e, ok := c.entries[key]
	return e, ok
}

func (c *listingCache) put(generation int64, key string, e cachedListing) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.generation != generation || c.entries == nil || len(c.entries) >= listingCacheLimit {
		c.generation = generation
		c.entries = make(map[string]cachedListing)
	}
	c.entries[key] = e
}

// canonicalQuery writes the parameters in one fixed order, so equivalent URLs share an
// entry (the page and sort as parsed, filters sorted by key and value).
func canonicalQuery(p listingParams) string {
	u := listingURLs{path: "", filters: p.Filters, sort: p.Sort}
	return u.buildWith(p.Filters, "", nil, p.Sort, p.Page)
}
