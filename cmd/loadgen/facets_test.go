package main

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// categoryFixture is a category page as the contract describes it, with the distractions
// a real page has: links outside the facets, a group without a key, a value without the
// test id, relative and absolute hrefs.
const categoryFixture = `<!DOCTYPE html>
<html><body>
<nav><a href="/c/bottoms" data-testid="facet-value">Bottoms (navigation, not a facet)</a></nav>
<aside data-testid="facets">
  <section data-testid="facet" data-facet="brand">
    <h2>Brand</h2>
    <ul>
      <li><a data-testid="facet-value" href="/c/tops?brand=acme&amp;sort=newest">Acme <span>(12)</span></a></li>
      <li><a data-testid="facet-value" href="?brand=borealis">Borealis</a></li>
      <li><a href="/c/tops?brand=all">Show all brands</a></li>
    </ul>
  </section>
  <section data-testid="facet" data-facet="size">
    <a data-testid="facet-value" href="https://shop.example.com/c/tops?size=m#results">M</a>
    <a data-testid="facet-value" href="">empty</a>
  </section>
  <section data-testid="facet">
    <a data-testid="facet-value" href="/c/tops?mystery=1">no data-facet: ignored</a>
  </section>
  <section data-testid="facet" data-facet="color"></section>
</aside>
</body></html>`

func TestFacetGroups(t *testing.T) {
	t.Parallel()

	page, err := url.Parse("http://127.0.0.1:18080/c/tops?sort=name")
	require.NoError(t, err)
	groups := facetGroups(parseHTML(categoryFixture), page)

	got := map[string][]string{}
	var keys []string
	for _, g := range groups {
		keys = append(keys, g.key)
		for _, l := range g.links {
			got[g.key] = append(got[g.key], l.String())
		}
	}
	require.Equal(t, []string{"brand", "size"}, keys, "groups in page order; no key or no links: no group")
	require.Equal(t, []string{
		"http://127.0.0.1:18080/c/tops?brand=acme&sort=newest",
		"http://127.0.0.1:18080/c/tops?brand=borealis",
	}, got["brand"])
	require.Equal(t, []string{"http://127.0.0.1:18080/c/tops?size=m"}, got["size"],
		"absolute links move to the server under test and lose their fragment")
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}

func TestAddsFilter(t *testing.T) {
	t.Parallel()

	for _, tc := range []struct {
		from, next string
		want       bool
	}{
		{"/c/tops", "/c/tops?brand=acme", true},
		{"/c/tops?brand=acme", "/c/tops?brand=acme&size=m", true},
		{"/c/tops?brand=acme&sort=name", "/c/tops?size=m&brand=acme&sort=price_asc&page=1", true},
		{"/c/tops?brand=acme", "/c/tops?brand=acme&brand=borealis", true},
		{"/c/tops?brand=acme", "/c/tops?size=m", false},               // replaces instead of adding
		{"/c/tops?brand=acme", "/c/tops", false},                      // removes
		{"/c/tops?brand=acme", "/c/tops?brand=acme&sort=name", false}, // only reorders
		{"/c/tops", "/c/bottoms?brand=acme", false},                   // another listing
	} {
		require.Equal(t, tc.want, addsFilter(mustURL(t, tc.from), mustURL(t, tc.next)), "%s -> %s", tc.from, tc.next)
	}
}

func TestWithSort(t *testing.T) {
	t.Parallel()

	require.Equal(t, "/c/tops?brand=acme&sort=newest", withSort(mustURL(t, "/c/tops?brand=acme"), "newest").String())
	u := mustURL(t, "/c/tops?sort=name&brand=a+b")
	require.Equal(t, "/c/tops?brand=a+b&sort=price_desc", withSort(u, "price_desc").String(), "replaces, and escapes properly")
	require.Equal(t, "/c/tops?sort=name&brand=a+b", u.String(), "the original is left alone")
}

// facetSite is an in-memory shop whose category pages link every value of every group,
// keeping the filters already applied, as the contract asks.
func facetSite(categories []string, groups map[string][]string) memSite {
	site := memSite{}
	keys := slices.Sorted(maps.Keys(groups))
	var render func(path string, q url.Values, depth int)
	render = func(path string, q url.Values, depth int) {
		var b strings.Builder
		for _, k := range keys {
			fmt.Fprintf(&b, `<div data-testid="facet" data-facet="%s">`, k)
			for _, v := range groups[k] {
				next := url.Values{}
				for kk, vv := range q {
					next[kk] = slices.Clone(vv)
				}
				next.Set(k, v)
				fmt.Fprintf(&b, `<a data-testid="facet-value" href="%s?%s">%s</a>`, path, strings.ReplaceAll(next.Encode(), "&", "&amp;"), v)
				if depth < 1 && q.Get(k) == "" {
					render(path, next, depth+1)
				}
			}
			b.WriteString(`</div>`)
		}
		uri := path
		if len(q) > 0 {
			uri += "?" + q.Encode()
		}
		site[uri] = b.String()
	}
	for _, c := range categories {
		render(c, url.Values{}, 0)
	}
	return site
}

func TestBuildFacetURLs(t *testing.T) {
	t.Parallel()

	groups := map[string][]string{
		"brand": {"acme", "borealis", "cascade", "dune"},
		"size":  {"xs", "s", "m", "l", "xl"},
		"color": {"red", "blue", "green"},
	}
	// Two facets from different groups: 4*5 + 4*3 + 5*3 = 47 per category.
	var cats []*url.URL
	var paths []string
	for i := range 12 {
		p := fmt.Sprintf("/c/cat-%d", i)
		paths = append(paths, p)
		cats = append(cats, mustURL(t, "http://127.0.0.1:18080"+p))
	}
	site := facetSite(paths, groups)

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		urls, stats, err := buildFacetURLs(context.Background(), site.get, cats, 500, rand.New(rand.NewPCG(1, 2)))
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(urls), 500)
		require.Equal(t, 12, stats.categories)
		require.Equal(t, 12, stats.withFacets)

		seen := map[string]bool{}
		sorts := map[string]bool{}
		for _, u := range urls {
			require.Equal(t, "127.0.0.1:18080", u.Host)
			q := u.Query()
			require.Contains(t, sortOrders(), q.Get("sort"))
			sorts[q.Get("sort")] = true
			f := filterParams(u)
			require.Len(t, f, 2, "%s: two facets from different groups", u)
			for k := range f {
				require.Contains(t, groups, k)
			}
			require.False(t, seen[filterKey(u)], "%s is a duplicate", u)
			seen[filterKey(u)] = true
		}
		require.Len(t, sorts, len(sortOrders()), "every sort order is used")

		again, _, err := buildFacetURLs(context.Background(), site.get, cats, 500, rand.New(rand.NewPCG(1, 2)))
		require.NoError(t, err)
		require.Equal(t, urls, again, "the same seed gives the same URLs")
	})

	t.Run("FewerThanWanted", func(t *testing.T) {
		t.Parallel()
		urls, _, err := buildFacetURLs(context.Background(), site.get, cats[:2], 500, rand.New(rand.NewPCG(1, 2)))
		require.NoError(t, err)
		require.Len(t, urls, 2*47, "every combination the catalog offers, and no more")
	})

	t.Run("ErrNoFacets", func(t *testing.T) {
		t.Parallel()
		bare := memSite{"/c/cat-0": `<h1>Tops</h1>`}
		_, _, err := buildFacetURLs(context.Background(), bare.get, cats[:1], 500, rand.New(rand.NewPCG(1, 2)))
		require.ErrorContains(t, err, `data-testid="facet"`)
	})

	t.Run("ErrPageFails", func(t *testing.T) {
		t.Parallel()
		_, _, err := buildFacetURLs(context.Background(), memSite{}.get, cats[:1], 500, rand.New(rand.NewPCG(1, 2)))
		require.ErrorContains(t, err, "GET /c/cat-0: status 404")
	})
}
