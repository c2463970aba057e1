package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
)

// Limits of category discovery: enough pages to find the combinations asked for on any
// sensible catalog, few enough that a server without facets fails fast.
const (
	maxFacetCategories = 50
	maxFacetFetches    = 1000
)

// sortOrders are the values of the category page's sort parameter.
func sortOrders() []string {
	return []string{"relevance", "newest", "price_asc", "price_desc", "name"}
}

// facetGroup is one group of filters on a category page (brand, size, ...) and the links
// that apply each of its values.
type facetGroup struct {
	key   string
	links []*url.URL
}

// facetGroups reads the filters of a category page: every element with
// data-testid="facet" and data-facet="<key>" is a group, and each anchor inside it with
// data-testid="facet-value" applies one value. Hrefs are resolved against page and kept
// on page's host, like sitemap locations.
func facetGroups(doc *node, page *url.URL) []facetGroup {
	var groups []facetGroup
	for _, f := range doc.findAll(func(n *node) bool { return n.hasTestID("facet") }) {
		key, _ := f.attr("data-facet")
		if key == "" {
			continue
		}
		g := facetGroup{key: key}
		values := f.findAll(func(n *node) bool { return n.tag == "a" && n.hasTestID("facet-value") })
		for _, a := range values {
			href, _ := a.attr("href")
			ref, err := url.Parse(strings.TrimSpace(href))
			if href == "" || err != nil {
				continue
			}
			u := page.ResolveReference(ref)
			u.Scheme, u.Host, u.Fragment = page.Scheme, page.Host, ""
			g.links = append(g.links, u)
		}
		if len(g.links) > 0 {
			groups = append(groups, g)
		}
	}
	return groups
}

// filterParams is the query of u without the parameters that order or page a listing.
func filterParams(u *url.URL) url.Values {
	q := u.Query()
	q.Del("sort")
	q.Del("page")
	return q
}

// addsFilter reports whether next is from's listing with at least one more filter and
// none of from's dropped: following a facet link must narrow the page, not replace its
// filters (which would not give a two-facet URL).
func addsFilter(from, next *url.URL) bool {
	if from.Path != next.Path {
		return false
	}
	have, want := filterParams(next), filterParams(from)
	n, m := 0, 0
	for k, vs := range want {
		for _, v := range vs {
			if !slices.Contains(have[k], v) {
				return false
			}
			m++
		}
	}
	for _, vs := range have {
		n += len(vs)
	}
	return n > m
}

// withSort returns a copy of u with its sort parameter set to order (replacing any).
func withSort(u *url.URL, order string) *url.URL {
	c := *u
	q := c.Query()
	q.Set("sort", order)
	c.RawQuery = q.Encode()
	return &c
}

// filterKey identifies a filtered listing regardless of parameter order and sorting.
func filterKey(u *url.URL) string {
	return u.Path + "?" + filterParams(u).Encode()
}

// firstFacet is a facet link of a category page: the first filter of a combination.
type firstFacet struct {
	group string
	url   *url.URL
}

// facetDiscovery reports how the category URLs were found.
type facetDiscovery struct {
	categories int // category pages read
	withFacets int // of which offered at least two facet groups
	followed   int // one-facet pages read
}

// buildFacetURLs finds up to want (and at most a page's worth more) distinct category
// listings with two filters from different groups: it reads a sample of category pages,
// follows one facet link, then takes the facet links of the other groups on that page.
// Each URL gets a random sort order, so the server cannot answer them all from one sorted
// result.
func buildFacetURLs(ctx context.Context, get getFunc, categories []*url.URL, want int, rng *rand.Rand) ([]*url.URL, facetDiscovery, error) {
	var stats facetDiscovery
	cats := shuffled(categories, rng)
	if len(cats) > maxFacetCategories {
		cats = cats[:maxFacetCategories]
	}
	var firsts []firstFacet
	for _, c := range cats {
		doc, err := getPage(ctx, get, c)
		if err != nil {
			return nil, stats, err
		}
		stats.categories++
		groups := facetGroups(doc, c)
		if len(groups) < 2 {
			continue
		}
		stats.withFacets++
		for _, g := range groups {
			for _, l := range g.links {
				if addsFilter(c, l) {
					firsts = append(firsts, firstFacet{group: g.key, url: l})
				}
			}
		}
	}
	firsts = shuffled(firsts, rng)

	seen := map[string]bool{}
	var found []*url.URL
	for _, f := range firsts {
		if len(found) >= want || stats.categories+stats.followed >= maxFacetFetches {
			break
		}
		doc, err := getPage(ctx, get, f.url)
		if err != nil {
			return nil, stats, err
		}
		stats.followed++
		for _, g := range facetGroups(doc, f.url) {
			if g.key == f.group {
				continue
			}
			for _, l := range g.links {
				if !addsFilter(f.url, l) || seen[filterKey(l)] {
					continue
				}
				seen[filterKey(l)] = true
				found = append(found, l)
			}
		}
	}
	if len(found) == 0 {
		return nil, stats, fmt.Errorf("no category URL with two facets found (read %d category pages, %d with two or more facet groups, followed %d facet links); "+
			"category pages must mark each filter group with data-testid=\"facet\" data-facet=\"<key>\" and each value link with data-testid=\"facet-value\", "+
			"and a value link must keep the filters already applied",
			stats.categories, stats.withFacets, stats.followed)
	}
	orders := sortOrders()
	for i, u := range found {
		found[i] = withSort(u, orders[rng.IntN(len(orders))])
	}
	return found, stats, nil
}

// shuffled returns a shuffled copy of xs.
func shuffled[T any](xs []T, rng *rand.Rand) []T {
	out := append([]T(nil), xs...)
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}
