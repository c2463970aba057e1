package catalogweb_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/web/webtest"
)

// allResults follows the pagination from path and returns every card of every page.
func (e *listingEnv) allResults(t *testing.T, path string) []cardInfo {
	t.Helper()
	var out []cardInfo
	for range 20 {
		d := e.page(t, path)
		out = append(out, d.cards()...)
		if !d.has("pagination-next") {
			return out
		}
		path = webtest.Attr(d.one("pagination-next"), "href")
	}
	t.Fatalf("more than 20 pages of results from %s", path)
	return nil
}

// slugsWhere lists the active products matching a SQL condition on catalog.products p.
func (e *listingEnv) slugsWhere(t *testing.T, cond string, args ...any) []string {
	t.Helper()
	rows, err := e.pool.Query(t.Context(), `SELECT slug FROM catalog.products p WHERE status = 'active' AND `+cond+` ORDER BY slug`, args...)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(t, rows.Err())
	return out
}

func searchURL(q string, extra ...string) string {
	v := url.Values{"q": {q}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Add(extra[i], extra[i+1])
	}
	return "/search?" + v.Encode()
}

func TestSearchPage(t *testing.T) {
	t.Parallel()
	env := newListingEnv(t)

	t.Run("OKFindsTShirts", func(t *testing.T) {
		t.Parallel()
		d := env.page(t, searchURL("t-shirt"))
		require.Equal(t, "Results for “t-shirt”", webtest.Text(d.one("search-title")))
		require.Equal(t, "noindex", d.meta("robots"))
		require.Empty(t, d.canonical())
		require.False(t, d.has("search-corrected"), "a correct spelling is not corrected")
		require.False(t, d.has("no-results"))

		cards := d.cards()
		require.NotEmpty(t, cards)
		require.Contains(t, cards[0].title, "T-Shirt", "the best match comes first")
		tshirts := env.slugsWhere(t, `p.title LIKE '%T-Shirt%'`)
		require.NotEmpty(t, tshirts)
		found := slugsOf(env.allResults(t, searchURL("t-shirt")))
		require.Len(t, found, d.count(), "the count matches the pages")
		for _, s := range tshirts {
			require.Contains(t, found[:len(tshirts)], s, "every T-shirt ranks ahead of other results")
		}
	})

	t.Run("OKCorrectsTypos", func(t *testing.T) {
		t.Parallel()
		d := env.page(t, searchURL("tshrit"))
		notice := d.one("search-corrected")
		require.Contains(t, webtest.Text(notice), "Showing results for tshirt")
		instead := d.one("search-instead")
		require.Equal(t, "Search instead for tshrit", webtest.Text(instead))
		require.Equal(t, "/search?exact=1&q=tshrit", webtest.Attr(instead, "href"))
		require.Positive(t, d.count())
		for _, c := range d.cards() {
			require.Contains(t, c.title, "T-Shirt")
		}
		require.False(t, d.has("no-results"))

		// Following "search instead" searches the typed text without correcting it.
		typed := env.page(t, webtest.Attr(instead, "href"))
		require.False(t, typed.has("search-corrected"))
		require.True(t, typed.has("no-results"))
	})

	t.Run("OKAccentInsensitive", func(t *testing.T) {
		t.Parallel()
		want := env.slugsWhere(t, `p.brand = 'Björn Borg'`)
		require.NotEmpty(t, want)
		for _, q := range []string{"bjorn borg", "Björn Borg", "BJORN BORG"} {
			cards := env.allResults(t, searchURL(q))
			got := slugsOf(cards)
			slices.Sort(got)
			require.Equal(t, want, got, "search %q", q)
			for _, c := range cards {
				require.Equal(t, "Björn Borg", c.brand)
			}
		}
	})

	t.Run("OKNoResults", func(t *testing.T) {
		t.Parallel()
		d := env.page(t, searchURL("qwxzvbnm"))
		require.Equal(t, "Results for “qwxzvbnm”", webtest.Text(d.one("search-title")))
		require.Equal(t, "0 products", webtest.Text(d.one("result-count")))
		nr := d.within(d.one("no-results"))
		var cats []string
		for n := range nr.one("suggested-categories").Descendants() {
			if n.Type == html.ElementNode && n.Data == "a" {
				cats = append(cats, webtest.Attr(n, "href"))
			}
		}
		require.Equal(t, []string{"/c/clothing", "/c/footwear", "/c/accessories", "/c/sale"}, cats)
		require.Len(t, nr.within(nr.one("suggested-products")).all("product-card"), 8)
		require.False(t, d.has("listing"), "no empty facet column or sort control")
		require.Equal(t, "noindex", d.meta("robots"))
	})

	t.Run("OKEmptyQuery", func(t *testing.T) {
		t.Parallel()
		for _, path := range []string{"/search", "/search?q=", "/search?q=+++", "/search?q=%00%01", "/search?brand=Nike&page=3"} {
			d := env.page(t, path)
			require.Equal(t, "Search the shop", webtest.Text(d.one("search-title")), path)
			require.True(t, d.has("search-page-form"))
			require.Len(t, d.within(d.one("top-categories")).all("product-card"), 0)
			require.Contains(t, webtest.Text(d.one("top-categories")), "Clothing")
			require.False(t, d.has("listing"))
			require.False(t, d.has("no-results"))
			require.Equal(t, "noindex", d.meta("robots"))
		}
	})

	t.Run("OKFilterNarrows", func(t *testing.T) {
		t.Parallel()
		all := env.page(t, searchURL("shirt"))
		brands := all.facet("brand")
		i := slices.IndexFunc(brands, func(v facetLink) bool { return v.count > 1 && v.count < all.count() })
		require.GreaterOrEqual(t, i, 0)
		brand := brands[i]
		require.Equal(t, searchURL("shirt", "brand", brand.value), brand.href, "links keep the search text")

		d := env.page(t, brand.href)
		require.Equal(t, brand.count, d.count(), "the count beside a value is what clicking it shows")
		require.Less(t, d.count(), all.count())
		for _, c := range d.cards() {
			require.Equal(t, brand.value, c.brand)
		}
		require.Len(t, d.all("active-filter"), 1)
		require.Equal(t, searchURL("shirt"), webtest.Attr(d.one("clear-filters"), "href"))
		require.Equal(t, searchURL("shirt"), d.facetValue("brand", brand.value).href, "toggling off restores the URL")

		// The sort form keeps the search text and the filter.
		var hidden []string
		for n := range d.one("sort-form").Descendants() {
			if n.Type == html.ElementNode && n.Data == "input" && webtest.Attr(n, "type") == "hidden" {
				hidden = append(hidden, webtest.Attr(n, "name")+"="+webtest.Attr(n, "value"))
			}
		}
		require.Equal(t, []string{"brand=" + brand.value, "q=shirt"}, hidden)
	})

	t.Run("OKFiltersExcludingEverything", func(t *testing.T) {
		t.Parallel()
		// Birkenstock makes only sandals: the search finds shirts, the filter leaves none.
		d := env.page(t, searchURL("shirt", "brand", "Birkenstock"))
		require.Equal(t, 0, d.count())
		require.False(t, d.has("no-results"), "the way out is to loosen the filters")
		require.True(t, d.has("listing-empty"))
		require.Equal(t, searchURL("shirt"), webtest.Attr(d.one("clear-filters"), "href"))
		require.True(t, d.facetValue("brand", "Birkenstock").selected)
	})

	t.Run("OKSortAndPages", func(t *testing.T) {
		t.Parallel()
		d := env.page(t, searchURL("shirt", "sort", "price_asc"))
		require.Greater(t, d.count(), 24)
		cards := d.cards()
		for i := 1; i < len(cards); i++ {
			require.LessOrEqual(t, cards[i-1].price, cards[i].price)
		}
		next := webtest.Attr(d.one("pagination-next"), "href")
		require.Equal(t, "/search?page=2&q=shirt&sort=price_asc", next)
		p2 := env.page(t, next).cards()
		require.NotEmpty(t, p2)
		require.LessOrEqual(t, cards[len(cards)-1].price, p2[0].price)
		for _, s := range slugsOf(p2) {
			require.NotContains(t, slugsOf(cards), s)
		}
	})

	t.Run("OKBadInput", func(t *testing.T) {
		t.Parallel()
		long := strings.Repeat("shirt ", 2000)
		for _, q := range []string{
			"q=" + url.QueryEscape(long), "q=%ff", "q=shirt%ff%fe", "q=%00", "q=" + url.QueryEscape("a & | ! ( ) :* ' \""),
			"q=" + url.QueryEscape("<script>alert(1)</script>"), "q=shirt&page=-1", "q=shirt&page=abc",
			"q=shirt&page=999999", "q=shirt&sort=bogus", "q=shirt&brand=%ff", "q=shirt&brand=" + strings.Repeat("x", 10<<10),
			"q=shirt&q=hoodie", "q=ADI-00001", "q=" + strings.Repeat("%ff", 3000),
		} {
			res := env.get(t, "/search?"+q)
			require.Equal(t, http.StatusOK, res.status, "query %.60q", q)
			require.True(t, res.doc.has("search-title"), "query %.60q", q)
		}
		d := env.page(t, "/search?q=shirt&page=999999")
		require.Equal(t, "Page "+strconv.Itoa((d.count()+23)/24), webtest.Text(d.one("pagination-current")))
	})
}
