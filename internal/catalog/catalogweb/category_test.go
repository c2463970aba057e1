package catalogweb_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/catalog/catalogweb"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/web"
	"github.com/monoshop/monoshop/web/webtest"
)

// listingBaseURL is the public URL the handler builds canonical links with.
const listingBaseURL = "https://shop.example"

// listingEnv is the catalog's storefront on a freshly seeded database, served over real
// HTTP through the catalog handler's routes.
type listingEnv struct {
	pool   *pgxpool.Pool
	svc    *catalog.Service
	base   string
	client *http.Client
}

func newListingEnv(t *testing.T) *listingEnv {
	t.Helper()
	pool := dbtest.DB(t)
	svc := catalog.NewService(pool, nil)
	require.NoError(t, svc.SeedDemo(t.Context(), catalog.SeedOptions{Products: 300, Seed: 1}))

	log := slog.New(slog.DiscardHandler)
	rr := web.NewRenderer(web.Site{Name: "Monoshop"}, log)
	r := chi.NewRouter()
	// Like the chrome middleware of cmd/shop, which echoes ?q= in the header search box.
	r.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := web.WithChrome(r.Context(), web.Chrome{Query: r.URL.Query().Get("q")})
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	})
	catalogweb.NewHandler(svc, rr, log, catalogweb.Options{BaseURL: listingBaseURL}).Routes(r)
	r.NotFound(rr.NotFound)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)

	return &listingEnv{
		pool: pool,
		svc:  svc,
		base: srv.URL,
		client: &http.Client{
			Timeout:       10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// listingResponse is a fetched page, its HTML parsed.
type listingResponse struct {
	status int
	header http.Header
	doc    listingDoc
}

// get fetches a root-relative URL exactly as written (no re-encoding of its query).
func (e *listingEnv) get(t *testing.T, path string) listingResponse {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, e.base+path, nil)
	require.NoError(t, err)
	res, err := e.client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return listingResponse{status: res.StatusCode, header: res.Header, doc: listingDoc{t: t, root: webtest.Parse(t, string(body))}}
}

// page fetches a URL that must answer 200 with a page.
func (e *listingEnv) page(t *testing.T, path string) listingDoc {
	t.Helper()
	res := e.get(t, path)
	require.Equal(t, http.StatusOK, res.status, "GET %s", path)
	return res.doc
}

// listingDoc finds elements by data-testid, the way a test looks for what a shopper sees.
type listingDoc struct {
	t    *testing.T
	root *html.Node
}

func (d listingDoc) within(n *html.Node) listingDoc { return listingDoc{t: d.t, root: n} }

func (d listingDoc) all(testID string) []*html.Node { return webtest.ByTestID(d.root, testID) }

func (d listingDoc) has(testID string) bool { return len(d.all(testID)) > 0 }

func (d listingDoc) one(testID string) *html.Node {
	d.t.Helper()
	return webtest.One(d.t, d.root, testID)
}

// meta returns the content of <meta name=name>, or "" when absent.
func (d listingDoc) meta(name string) string {
	for n := range d.root.Descendants() {
		if n.Type == html.ElementNode && n.Data == "meta" && webtest.Attr(n, "name") == name {
			return webtest.Attr(n, "content")
		}
	}
	return ""
}

func (d listingDoc) canonical() string {
	for n := range d.root.Descendants() {
		if n.Type == html.ElementNode && n.Data == "link" && webtest.Attr(n, "rel") == "canonical" {
			return webtest.Attr(n, "href")
		}
	}
	return ""
}

// count is the number in the result count ("124 products").
func (d listingDoc) count() int {
	d.t.Helper()
	s := webtest.Text(d.one("result-count"))
	n, err := strconv.Atoi(strings.Fields(s)[0])
	require.NoError(d.t, err, "result count %q", s)
	return n
}

type cardInfo struct {
	slug, title, brand string
	price              int64 // minor units
}

// cards lists the product cards of the result grid (not of any suggestions).
func (d listingDoc) cards() []cardInfo {
	d.t.Helper()
	if !d.has("listing") {
		return nil
	}
	var out []cardInfo
	for _, c := range d.within(d.one("listing")).all("product-card") {
		cd := d.within(c)
		href := webtest.Attr(cd.one("product-title"), "href")
		slug, ok := strings.CutPrefix(href, "/p/")
		require.True(d.t, ok, "card link %q", href)
		ci := cardInfo{slug: slug, title: webtest.Text(cd.one("product-title"))}
		if cd.has("product-brand") {
			ci.brand = webtest.Text(cd.one("product-brand"))
		}
		ci.price = parsePrice(d.t, webtest.Text(cd.one("price-current")))
		out = append(out, ci)
	}
	return out
}

func slugsOf(cards []cardInfo) []string {
	out := make([]string, len(cards))
	for i, c := range cards {
		out[i] = c.slug
	}
	return out
}

// parsePrice reads "€1,234.50" as 123450.
func parsePrice(t *testing.T, s string) int64 {
	t.Helper()
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	n, err := strconv.ParseInt(digits, 10, 64)
	require.NoError(t, err, "price %q", s)
	return n
}

type facetLink struct {
	value, label string
	count        int
	selected     bool
	href         string
}

// facet lists the values of the facet with key, in page order; nil when there is none.
func (d listingDoc) facet(key string) []facetLink {
	d.t.Helper()
	for _, f := range d.all("facet") {
		if webtest.Attr(f, "data-facet") != key {
			continue
		}
		var out []facetLink
		for _, a := range d.within(f).all("facet-value") {
			cnt := strings.Trim(webtest.Text(d.within(a).one("facet-count")), "()")
			n, err := strconv.Atoi(cnt)
			require.NoError(d.t, err)
			out = append(out, facetLink{
				value:    webtest.Attr(a, "data-value"),
				label:    webtest.Text(d.within(a).one("facet-label")),
				count:    n,
				selected: webtest.Attr(a, "aria-current") == "true",
				href:     webtest.Attr(a, "href"),
			})
		}
		return out
	}
	return nil
}

// facetValue finds one value of a facet, failing when the page does not offer it.
func (d listingDoc) facetValue(key, value string) facetLink {
	d.t.Helper()
	for _, v := range d.facet(key) {
		if v.value == value {
			return v
		}
	}
	d.t.Fatalf("facet %s has no value %q", key, value)
	return facetLink{}
}

// subtreeCount counts the active products filed in the category or below it, straight
// from the tables rather than through the code under test.
func (e *listingEnv) subtreeCount(t *testing.T, slug string) int {
	t.Helper()
	var n int
	require.NoError(t, e.pool.QueryRow(t.Context(), `
		WITH RECURSIVE tree AS (
			SELECT id FROM catalog.categories WHERE slug = $1
			UNION ALL
			SELECT c.id FROM catalog.categories c JOIN tree ON c.parent_id = tree.id
		)
		SELECT count(DISTINCT p.id) FROM catalog.products p
		JOIN catalog.product_categories pc ON pc.product_id = p.id
		WHERE p.status = 'active' AND pc.category_id IN (SELECT id FROM tree)`, slug).Scan(&n))
	return n
}

// hasOptionValue reports whether one of the product's variants has value for option name.
func hasOptionValue(p catalog.Product, name, value string) bool {
	ids := map[int64]bool{}
	for _, o := range p.Options {
		if o.Name != name {
			continue
		}
		for _, v := range o.Values {
			if v.Value == value {
				ids[v.ID] = true
			}
		}
	}
	for _, v := range p.Variants {
		for _, id := range v.OptionValueIDs {
			if ids[id] {
				return true
			}
		}
	}
	return false
}

func TestCategoryPage(t *testing.T) {
	t.Parallel()
	env := newListingEnv(t)

	t.Run("OKSubtree", func(t *testing.T) {
		t.Parallel()
		d := env.page(t, "/c/clothing")
		require.Equal(t, "Clothing", webtest.Text(d.one("category-title")))
		require.NotEmpty(t, webtest.Text(d.one("category-description")))

		want := env.subtreeCount(t, "clothing")
		require.Positive(t, want)
		require.Equal(t, want, d.count(), "a parent category lists its children's products")
		require.Equal(t, strconv.Itoa(want)+" products", webtest.Text(d.one("result-count")))
		require.Len(t, d.cards(), 24, "first page is full")
		require.True(t, d.has("pagination"))

		// Every card is filed under clothing or one of its children.
		cat, err := env.svc.FindCategoryBySlug(t.Context(), "clothing")
		require.NoError(t, err)
		kids, err := env.svc.ListChildCategories(t.Context(), cat.ID)
		require.NoError(t, err)
		inTree := map[catalog.CategoryID]bool{cat.ID: true}
		for _, k := range kids {
			inTree[k.ID] = true
		}
		for _, c := range d.cards() {
			p, err := env.svc.FindProductBySlug(t.Context(), c.slug)
			require.NoError(t, err)
			require.True(t, slices.ContainsFunc(p.CategoryIDs, func(id catalog.CategoryID) bool { return inTree[id] }),
				"%s is not in clothing", c.slug)
		}
	})

	t.Run("OKBreadcrumbsAndSubcategories", func(t *testing.T) {
		t.Parallel()
		d := env.page(t, "/c/t-shirts")
		require.Equal(t, "Home Clothing T-Shirts & Polos", webtest.Text(d.one("breadcrumbs")))
		var hrefs []string
		for n := range d.one("breadcrumbs").Descendants() {
			if n.Type == html.ElementNode && n.Data == "a" {
				hrefs = append(hrefs, webtest.Attr(n, "href"))
			}
		}
		require.Equal(t, []string{"/", "/c/clothing"}, hrefs, "the current page is not a link")
		require.False(t, d.has("subcategories"), "a leaf has no subcategories")
		require.Equal(t, env.subtreeCount(t, "t-shirts"), d.count())

		d = env.page(t, "/c/clothing")
		require.Equal(t, "Home Clothing", webtest.Text(d.one("breadcrumbs")))
		subs := d.within(d.one("subcategories")).all("subcategory")
		require.Len(t, subs, 9)
		require.Equal(t, "T-Shirts & Polos", webtest.Text(subs[0]))
		require.Equal(t, "/c/t-shirts", webtest.Attr(subs[0], "href"))
	})

	t.Run("OKFacetsNarrow", func(t *testing.T) {
		t.Parallel()
		all := env.page(t, "/c/clothing")
		nike := all.facetValue("brand", "Nike")
		require.False(t, nike.selected)
		require.Equal(t, "/c/clothing?brand=Nike", nike.href)

		byBrand := env.page(t, nike.href)
		require.Less(t, byBrand.count(), all.count())
		require.True(t, byBrand.facetValue("brand", "Nike").selected)
		require.Equal(t, "noindex", byBrand.meta("robots"), "filtered views stay out of search engines")
		require.Empty(t, byBrand.canonical())
		chips := byBrand.all("active-filter")
		require.Len(t, chips, 1)
		require.Contains(t, webtest.Text(chips[0]), "Brand: Nike")
		require.Equal(t, "/c/clothing", webtest.Attr(chips[0], "href"))
		require.Equal(t, "/c/clothing", webtest.Attr(byBrand.one("clear-filters"), "href"))

		// A size that not every Nike product comes in, so that choosing it narrows.
		sizes := byBrand.facet("size")
		i := slices.IndexFunc(sizes, func(v facetLink) bool { return v.count < byBrand.count() })
		require.GreaterOrEqual(t, i, 0, "some size narrows the list: %v", sizes)
		size := sizes[i]
		require.Equal(t, "/c/clothing?brand=Nike&size="+url.QueryEscape(size.value), size.href)
		bySize := env.page(t, size.href)
		require.Less(t, bySize.count(), byBrand.count())
		require.Positive(t, bySize.count())
		require.Len(t, bySize.all("active-filter"), 2)

		cards := bySize.cards()
		require.Len(t, cards, min(24, bySize.count()))
		for _, c := range cards {
			require.Equal(t, "Nike", c.brand)
			p, err := env.svc.FindProductBySlug(t.Context(), c.slug)
			require.NoError(t, err)
			require.Equal(t, "Nike", p.Brand)
			require.True(t, hasOptionValue(p, "Size", size.value), "%s has no size %s", c.slug, size.value)
		}
	})

	t.Run("OKFacetCountsMatchResults", func(t *testing.T) {
		t.Parallel()
		d := env.page(t, "/c/clothing")
		checked := 0
		for _, key := range []string{"brand", "price", "size", "color", "material"} {
			values := d.facet(key)
			require.NotEmpty(t, values, "facet %s", key)
			for _, v := range values[:min(3, len(values))] {
				after := env.page(t, v.href)
				require.Equal(t, v.count, after.count(), "count next to %s=%s", key, v.value)
				checked++
			}
		}
		// After one facet is chosen, the other facets' counts follow the narrowed list.
		filtered := env.page(t, d.facetValue("brand", "Adidas").href)
		for _, v := range filtered.facet("color")[:3] {
			require.Equal(t, v.count, env.page(t, v.href).count(), "color %s within Adidas", v.value)
			checked++
		}
		require.GreaterOrEqual(t, checked, 15)
	})

	t.Run("OKPriceFacetShowsCurrency", func(t *testing.T) {
		t.Parallel()
		var labels []string
		for _, v := range env.page(t, "/c/clothing").facet("price") {
			labels = append(labels, v.label)
		}
		require.Contains(t, labels, "€25 – €50")
		require.Contains(t, labels, "Under €25")
	})

	t.Run("OKSortPriceAsc", func(t *testing.T) {
		t.Parallel()
		for _, path := range []string{"/c/clothing?sort=price_asc", "/c/clothing?page=2&sort=price_asc"} {
			cards := env.page(t, path).cards()
			require.Len(t, cards, 24)
			for i := 1; i < len(cards); i++ {
				require.LessOrEqual(t, cards[i-1].price, cards[i].price, "%s: card %d", path, i)
			}
		}
		desc := env.page(t, "/c/clothing?sort=price_desc").cards()
		for i := 1; i < len(desc); i++ {
			require.GreaterOrEqual(t, desc[i-1].price, desc[i].price)
		}
		// The cheapest of page 1 is the cheapest of the category.
		d := env.page(t, "/c/clothing?sort=price_asc")
		last := env.page(t, "/c/clothing?sort=price_asc&page=999").cards()
		require.LessOrEqual(t, d.cards()[23].price, last[0].price)
	})

	t.Run("OKSortForm", func(t *testing.T) {
		t.Parallel()
		d := env.page(t, "/c/clothing?size=M&brand=Nike&page=2&sort=name")
		form := d.within(d.one("sort-form"))
		require.Equal(t, "/c/clothing", webtest.Attr(d.one("sort-form"), "action"))
		require.Equal(t, "get", strings.ToLower(webtest.Attr(d.one("sort-form"), "method")))
		var hidden []string
		var options []string
		selected := ""
		for n := range form.root.Descendants() {
			if n.Type != html.ElementNode {
				continue
			}
			switch {
			case n.Data == "input" && webtest.Attr(n, "type") == "hidden":
				hidden = append(hidden, webtest.Attr(n, "name")+"="+webtest.Attr(n, "value"))
			case n.Data == "option":
				options = append(options, webtest.Attr(n, "value"))
				if webtest.HasAttr(n, "selected") {
					selected = webtest.Attr(n, "value")
				}
			}
		}
		require.Equal(t, []string{"brand=Nike", "size=M"}, hidden, "the form keeps the filters but not the page")
		require.Equal(t, []string{"relevance", "newest", "price_asc", "price_desc", "name"}, options)
		require.Equal(t, "name", selected)
		var buttons []string
		for n := range form.root.Descendants() {
			if n.Type == html.ElementNode && n.Data == "button" {
				buttons = append(buttons, webtest.Attr(n, "type")+":"+webtest.Text(n))
			}
		}
		require.Equal(t, []string{"submit:Sort"}, buttons, "sorting works without JavaScript")
	})

	t.Run("OKPagination", func(t *testing.T) {
		t.Parallel()
		total := env.subtreeCount(t, "clothing")
		lastPage := (total + 23) / 24
		require.Greater(t, lastPage, 2)

		p1 := env.page(t, "/c/clothing")
		require.Equal(t, "Page 1", webtest.Text(p1.one("pagination-current")))
		require.Equal(t, "/c/clothing?page=2", webtest.Attr(p1.one("pagination-next"), "href"))
		require.Equal(t, listingBaseURL+"/c/clothing", p1.canonical())
		require.Empty(t, p1.meta("robots"))

		p2 := env.page(t, "/c/clothing?page=2")
		require.Len(t, p2.cards(), 24)
		for _, s := range slugsOf(p2.cards()) {
			require.NotContains(t, slugsOf(p1.cards()), s, "page 2 repeats a product of page 1")
		}
		require.Equal(t, "/c/clothing", webtest.Attr(p2.one("pagination-prev"), "href"), "page 1 has no page parameter")
		require.Equal(t, listingBaseURL+"/c/clothing?page=2", p2.canonical())

		last := env.page(t, "/c/clothing?page="+strconv.Itoa(lastPage))
		for _, huge := range []string{"999999", "99999999999999999999999"} {
			beyond := env.page(t, "/c/clothing?page="+huge)
			require.Equal(t, "Page "+strconv.Itoa(lastPage), webtest.Text(beyond.one("pagination-current")))
			require.Equal(t, slugsOf(last.cards()), slugsOf(beyond.cards()), "page %s shows the last page", huge)
			require.False(t, beyond.has("pagination-next"))
		}
		require.Len(t, last.cards(), total-(lastPage-1)*24)
	})

	t.Run("OKLongFacetListsShowMore", func(t *testing.T) {
		t.Parallel()
		more := func(d listingDoc, key string) (shown int, hidden *html.Node) {
			t.Helper()
			for _, f := range d.all("facet") {
				if webtest.Attr(f, "data-facet") != key {
					continue
				}
				boxes := webtest.All(f, func(n *html.Node) bool { return webtest.Attr(n, "class") == "facet__more" })
				if len(boxes) == 0 {
					return len(d.within(f).all("facet-value")), nil
				}
				return len(d.within(f).all("facet-value")) - len(d.within(boxes[0]).all("facet-value")), boxes[0]
			}
			t.Fatalf("no facet %s", key)
			return 0, nil
		}
		d := env.page(t, "/c/clothing")
		brands := d.facet("brand")
		require.Greater(t, len(brands), 10, "clothing has many brands")
		shown, box := more(d, "brand")
		require.Equal(t, 8, shown, "the first eight brands show")
		require.NotNil(t, box, "the rest are behind Show more")
		require.False(t, webtest.HasAttr(box, "open"))
		require.Contains(t, webtest.Text(box), "Show "+strconv.Itoa(len(brands)-8)+" more")

		// A brand chosen from the hidden part stays in view on the filtered page.
		d = env.page(t, brands[len(brands)-1].href)
		_, box = more(d, "brand")
		require.NotNil(t, box)
		require.True(t, webtest.HasAttr(box, "open"), "a selected value is never hidden")

		sizes := len(d.facet("size"))
		shownSizes, none := more(d, "size")
		require.Nil(t, none, "a short list shows whole")
		require.Equal(t, sizes, shownSizes)
	})

	t.Run("OKHomeCanonicalIsAbsolute", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, listingBaseURL+"/", env.page(t, "/").canonical())
	})

	t.Run("OKSizesInTheirNaturalOrder", func(t *testing.T) {
		t.Parallel()
		// The demo's products start their size runs at XS or at S; the facet must still
		// read XS, S, M, L, XL, XXL, as the size picker on a product page does.
		var sizes []string
		for _, v := range env.page(t, "/c/clothing").facet("size") {
			sizes = append(sizes, v.value)
		}
		natural := []string{"XS", "S", "M", "L", "XL", "XXL"}
		require.GreaterOrEqual(t, len(sizes), 5, "clothing offers sizes: %v", sizes)
		want := slices.DeleteFunc(slices.Clone(natural), func(s string) bool { return !slices.Contains(sizes, s) })
		require.Equal(t, want, sizes)
	})

	t.Run("OKURLStability", func(t *testing.T) {
		t.Parallel()
		start := "/c/clothing?sort=price_asc"
		d := env.page(t, start)
		withNike := d.facetValue("brand", "Nike").href
		require.Equal(t, "/c/clothing?brand=Nike&sort=price_asc", withNike)

		d = env.page(t, withNike)
		withBoth := d.facetValue("brand", "Adidas").href
		require.Equal(t, "/c/clothing?brand=Adidas&brand=Nike&sort=price_asc", withBoth, "values sorted")
		d = env.page(t, withBoth)
		withSize := d.facetValue("size", "XL").href
		require.Equal(t, "/c/clothing?brand=Adidas&brand=Nike&size=XL&sort=price_asc", withSize)

		// Toggling each one off again walks back to the URLs it came from.
		d = env.page(t, withSize)
		require.True(t, d.facetValue("size", "XL").selected)
		require.Equal(t, withBoth, d.facetValue("size", "XL").href)
		d = env.page(t, withBoth)
		require.Equal(t, withNike, d.facetValue("brand", "Adidas").href)
		d = env.page(t, withNike)
		require.Equal(t, start, d.facetValue("brand", "Nike").href)

		// The same selection written in another order, with page and junk, links the same.
		scrambled := env.page(t, "/c/clothing?size=XL&sort=price_asc&brand=Nike&page=2&brand=Adidas&brand=Nike&bogus=1&brand=Nobody")
		require.Equal(t, withBoth, scrambled.facetValue("size", "XL").href)
		require.Len(t, scrambled.all("active-filter"), 3, "unknown keys and values are not filters")
	})

	t.Run("OKRetiredSlugRedirects", func(t *testing.T) {
		t.Parallel()
		_, err := env.pool.Exec(t.Context(), `INSERT INTO catalog.category_slug_redirects (old_slug, category_id)
			SELECT 'tees', id FROM catalog.categories WHERE slug = 't-shirts'`)
		require.NoError(t, err)
		env.svc.Invalidate()

		res := env.get(t, "/c/tees?brand=Nike&page=2")
		require.Equal(t, http.StatusMovedPermanently, res.status)
		require.Equal(t, "/c/t-shirts?brand=Nike&page=2", res.header.Get("Location"))
		res = env.get(t, "/c/tees")
		require.Equal(t, http.StatusMovedPermanently, res.status)
		require.Equal(t, "/c/t-shirts", res.header.Get("Location"))
	})

	t.Run("ErrUnknownSlug", func(t *testing.T) {
		t.Parallel()
		for _, path := range []string{"/c/no-such-category", "/c/%ff", "/c/" + strings.Repeat("x", 3000)} {
			res := env.get(t, path)
			require.Equal(t, http.StatusNotFound, res.status, path)
			require.True(t, res.doc.has("error-page"))
			require.Equal(t, "noindex", res.doc.meta("robots"))
		}
	})

	t.Run("OKBadInput", func(t *testing.T) {
		t.Parallel()
		want := env.subtreeCount(t, "clothing")
		long := strings.Repeat("A", 10<<10)
		manyBrands := strings.Repeat("brand=Nike&brand=x&", 300)
		var junk strings.Builder
		for i := range 200 {
			junk.WriteString("brand=junk" + strconv.Itoa(i) + "&")
		}
		capped := junk.String() + "brand=Nike"
		for _, q := range []string{
			"page=-1", "page=0", "page=abc", "page=1.5", "page=%00", "page=999999",
			"sort=bogus", "sort=", "sort=price_asc&sort=name",
			"brand=%ff", "%ff=%ff", "brand=%ff%fe%fd", "brand=Nik%ffe", "brand=%zz", "brand",
			"brand=" + long, long + "=1", "q=" + long, "size=" + url.QueryEscape(long),
			manyBrands, capped, "price=abc", "price=-", "price=25-50&price=bogus", "=&&=&",
			"brand=%3Cscript%3Ealert(1)%3C/script%3E",
		} {
			res := env.get(t, "/c/clothing?"+q)
			require.Equal(t, http.StatusOK, res.status, "query %.60q", q)
			d := res.doc
			require.Equal(t, "Clothing", webtest.Text(d.one("category-title")))
			require.Positive(t, d.count(), "query %.60q", q)
			if !strings.HasPrefix(q, "brand=Nike") && !strings.HasPrefix(q, "price=25") {
				require.Equal(t, want, d.count(), "bad input filters nothing: %.60q", q)
			}
		}
		// Values past the cap are not read at all, even a real one; below it, a real value
		// among junk still applies.
		require.Equal(t, want, env.page(t, "/c/clothing?"+capped).count())
		d := env.page(t, "/c/clothing?"+manyBrands)
		require.Equal(t, d.facetValue("brand", "Nike").count, d.count())
		for _, v := range d.all("facet-value") {
			require.NotContains(t, webtest.Attr(v, "href"), "brand=x", "unknown values never reach links")
		}
	})
}
