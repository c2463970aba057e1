package catalogweb

import (
	"sync"

	"github.com/monoshop/monoshop/internal/catalog"
)

// listingCacheLimit bounds the remembered listings (tens of kilobytes each); past it the
// cache starts over.
const listingCacheLimit = 1024

// listingCache remembers the listing view of a category URL (facets with their counts and
// links, the page of products), each with the category's listing generation for its sort
// and the products it shows: it stays valid until a product of that category joins,
// leaves, moves or changes a facet value or its sort key (catalog.Service.
// ListingGeneration), or one of the products shown changes. Staff editing descriptions
// and prices all day therefore empty only the pages that show what they edit. A category page with
// two facets costs milliseconds of filtering, counting and link building; the same URL
// asked again before the category changes is the same answer. Listings filtered by stock
// are not remembered: stock changes without the catalog changing.
type listingCache struct {
	mu      sync.RWMutex
	entries map[string]cachedListing
}

type cachedListing struct {
	generation int64
	// products are the ones shown, and at the catalog generation they were read at.
	products []catalog.ProductID
	at       int64
	vm       listingVM
	page     int
	filtered bool
}

func (c *listingCache) get(generation int64, key string) (cachedListing, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.entries[key]
	return e, ok && e.generation == generation
}

func (c *listingCache) put(generation int64, key string, e cachedListing) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= listingCacheLimit {
		c.entries = make(map[string]cachedListing)
	}
	e.generation = generation
	c.entries[key] = e
}

// canonicalQuery writes the parameters in one fixed order, so equivalent URLs share an
// entry (the page and sort as parsed, filters sorted by key and value).
func canonicalQuery(p listingParams) string {
	u := listingURLs{path: "", filters: p.Filters, sort: p.Sort}
	return u.buildWith(p.Filters, "", nil, p.Sort, p.Page)
}
