package catalog

import (
	"strconv"
	"strings"
)

// A change notification's payload is categoriesChanged, everythingChanged or a
// comma-separated list of product IDs. Postgres refuses payloads of 8,000 bytes or more.
//
// A payload about products or categories starts with the writing cache's origin and
// originSep. The writing process applies its own change as soon as it commits (so staff
// see their edit at once); its listener then skips the echo instead of reading the same
// products again, or for the category tree the whole catalog again.
const (
	categoriesChanged  = "categories"
	everythingChanged  = "*"
	originSep          = "|"
	notifyPayloadLimit = 7900
)

// encodeChange splits ids into payloads, each starting with prefix, that each fit a
// notification.
func encodeChange(prefix string, ids []ProductID) []string {
	var out []string
	var b strings.Builder
	for _, id := range ids {
		s := strconv.FormatInt(int64(id), 10)
		if b.Len() > len(prefix) && b.Len()+1+len(s) > notifyPayloadLimit {
			out = append(out, b.String())
			b.Reset()
		}
		if b.Len() == 0 {
			b.WriteString(prefix)
		} else {
			b.WriteByte(',')
		}
		b.WriteString(s)
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

// change is what one or more notifications said changed.
type change struct {
	// all asks for a full reload: a payload this process could not read, or a
	// notification it may have missed.
	all        bool
	categories bool
	products   map[ProductID]struct{}
}

// add merges a payload into the change.
func (c *change) add(payload string) {
	switch payload {
	case categoriesChanged:
		c.categories = true
		return
	case everythingChanged, "":
		c.all = true
		return
	}
	for _, f := range strings.Split(payload, ",") {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			c.all = true
			return
		}
		if c.products == nil {
			c.products = make(map[ProductID]struct{})
		}
		c.products[ProductID(id)] = struct{}{}
	}
}

// merge adds another change to this one.
func (c *change) merge(o change) {
	c.all = c.all || o.all
	c.categories = c.categories || o.categories
	for id := range o.products {
		if c.products == nil {
			c.products = make(map[ProductID]struct{})
		}
		c.products[id] = struct{}{}
	}
}

func (c *change) empty() bool { return !c.all && !c.categories && len(c.products) == 0 }
