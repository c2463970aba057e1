package catalogweb_test

import (
	"context"
	"encoding/json"
	"fmt"
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
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/catalog/catalogweb"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/web"
	"github.com/monoshop/monoshop/web/webtest"
)

// shopBaseURL is the public URL handlers build canonical links and sitemaps with.
const shopBaseURL = "https://shop.test"

// shopEnv is a seeded catalog on a database of its own; serve puts the catalog's routes
// on a real HTTP server in front of it.
type shopEnv struct {
	pool *pgxpool.Pool
	svc  *catalog.Service
}

type shopEnvOptions struct {
	products int // demo products to seed (seed 1)
	tracer   pgx.QueryTracer
}

func newShopEnv(t *testing.T, opts shopEnvOptions) *shopEnv {
	t.Helper()
	pool, err := db.Open(t.Context(), dbtest.URL(t), db.PoolOptions{MaxConns: 4, Tracer: opts.tracer, AppName: "catalogweb-test"})
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	svc := catalog.NewService(pool, nil)
	if opts.products > 0 {
		require.NoError(t, svc.SeedDemo(t.Context(), catalog.SeedOptions{Products: opts.products, Seed: 1}))
	}
	return &shopEnv{pool: pool, svc: svc}
}

type serveOptions struct {
	stock catalogweb.StockReader
	// sitemapPerFile replaces the sitemap protocol's 50,000 URLs per file when set.
	sitemapPerFile int
}

// serve starts the catalog's routes over HTTP and returns a client for them.
func (e *shopEnv) serve(t *testing.T, opts serveOptions) *shopClient {
	t.Helper()
	assets, err := web.NewAssets()
	require.NoError(t, err)
	log := slog.New(slog.DiscardHandler)
	rr := web.NewRenderer(web.Site{Name: "Test Shop", Assets: assets, Env: "dev"}, log)
	h := catalogweb.NewHandler(e.svc, rr, log, catalogweb.Options{BaseURL: shopBaseURL, Stock: opts.stock})
	r := chi.NewRouter()
	h.Routes(r)
	if opts.sitemapPerFile > 0 {
		// Registered after Routes: chi keeps the last handler for a pattern.
		h.SitemapRoutes(r, opts.sitemapPerFile)
	}
	r.NotFound(rr.NotFound)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return &shopClient{base: srv.URL, http: &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// product returns a storefront product as the catalog sees it.
func (e *shopEnv) product(t *testing.T, slug string) catalog.Product {
	t.Helper()
	p, err := e.svc.FindProductBySlug(t.Context(), slug)
	require.NoError(t, err)
	return p
}

// slugs lists every storefront product's slug in id order.
func (e *shopEnv) slugs(t *testing.T) []string {
	t.Helper()
	entries, err := e.svc.ListSitemapProducts(t.Context())
	require.NoError(t, err)
	out := make([]string, len(entries))
	for i, s := range entries {
		out[i] = s.Slug
	}
	return out
}

type shopClient struct {
	base string
	http *http.Client
}

type shopResponse struct {
	status int
	header http.Header
	body   string
}

// get fetches a root-relative URL without following redirects.
func (c *shopClient) get(t *testing.T, path string) shopResponse {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, c.base+path, nil)
	require.NoError(t, err)
	res, err := c.http.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return shopResponse{status: res.StatusCode, header: res.Header, body: string(body)}
}

// page fetches a URL that must answer 200 with HTML.
func (c *shopClient) page(t *testing.T, path string) shopDoc {
	t.Helper()
	res := c.get(t, path)
	require.Equal(t, http.StatusOK, res.status, "GET %s", path)
	return parseShopDoc(t, res.body)
}

// shopDoc is a parsed page queried by data-testid, as a shopper looks for what is shown
// rather than for markup.
type shopDoc struct {
	t    *testing.T
	root *html.Node
}

func parseShopDoc(t *testing.T, body string) shopDoc {
	t.Helper()
	return shopDoc{t: t, root: webtest.Parse(t, body)}
}

func (d shopDoc) under(n *html.Node) shopDoc { return shopDoc{t: d.t, root: n} }

func (d shopDoc) where(pred func(*html.Node) bool) []*html.Node { return webtest.All(d.root, pred) }

func (d shopDoc) find(testID string) []*html.Node { return webtest.ByTestID(d.root, testID) }

func (d shopDoc) single(testID string) *html.Node {
	d.t.Helper()
	return webtest.One(d.t, d.root, testID)
}

// main is the product itself, without the related products' cards, which use the same
// test ids for their titles, brands and prices.
func (d shopDoc) main() shopDoc { return d.under(d.single("product")) }

func (d shopDoc) meta(attrName, name string) string {
	for _, n := range d.where(func(n *html.Node) bool { return n.Data == "meta" && webtest.Attr(n, attrName) == name }) {
		return webtest.Attr(n, "content")
	}
	return ""
}

func (d shopDoc) link(rel string) string {
	for _, n := range d.where(func(n *html.Node) bool { return n.Data == "link" && webtest.Attr(n, "rel") == rel }) {
		return webtest.Attr(n, "href")
	}
	return ""
}

func (d shopDoc) title() string {
	return webtest.Text(d.where(func(n *html.Node) bool { return n.Data == "title" })[0])
}

// jsonLD decodes every JSON-LD block of the page, failing on one that is not JSON.
func (d shopDoc) jsonLD() map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, n := range d.where(func(n *html.Node) bool { return n.Data == "script" && webtest.Attr(n, "type") == "application/ld+json" }) {
		var v map[string]any
		require.NoError(d.t, json.Unmarshal([]byte(n.FirstChild.Data), &v), "JSON-LD: %s", n.FirstChild.Data)
		out[v["@type"].(string)] = v
	}
	return out
}

// shownVariant is what a product page says about the variant it shows.
type shownVariant struct {
	sku, price, compareAt, variantID string
	// current maps option name to the value marked aria-current.
	current map[string]string
	// links maps option name and value to the link's href ("" for a disabled value).
	links map[[2]string]string
}

func readVariant(t *testing.T, d shopDoc) shownVariant {
	t.Helper()
	m := d.main()
	v := shownVariant{current: map[string]string{}, links: map[[2]string]string{}}
	v.sku = webtest.Text(m.single("variant-sku"))
	price := m.under(m.single("product-price"))
	v.price = webtest.Text(price.single("price-current"))
	if c := price.find("price-compare-at"); len(c) == 1 {
		v.compareAt = strings.TrimPrefix(webtest.Text(c[0]), "Regular price ")
	}
	for _, n := range m.where(func(n *html.Node) bool { return n.Data == "input" && webtest.Attr(n, "name") == "variant_id" }) {
		v.variantID = webtest.Attr(n, "value")
	}
	for _, o := range m.find("option") {
		name := webtest.Attr(o, "data-option")
		for _, val := range m.under(o).find("option-value") {
			value := webtest.Attr(val, "data-value")
			if val.Data == "a" {
				v.links[[2]string{name, value}] = webtest.Attr(val, "href")
			} else {
				require.Equal(t, "true", webtest.Attr(val, "aria-disabled"))
				v.links[[2]string{name, value}] = ""
			}
			if webtest.Attr(val, "aria-current") == "true" {
				_, dup := v.current[name]
				require.False(t, dup, "one value of %s is current", name)
				v.current[name] = value
			}
		}
	}
	return v
}

// valuesOf names a variant's option values by option name.
func valuesOf(p catalog.Product, v catalog.Variant) map[string]string {
	out := map[string]string{}
	for _, o := range p.Options {
		for _, ov := range o.Values {
			for _, id := range v.OptionValueIDs {
				if id == ov.ID {
					out[o.Name] = ov.Value
				}
			}
		}
	}
	return out
}

func variantByID(t *testing.T, p catalog.Product, id string) catalog.Variant {
	t.Helper()
	for _, v := range p.Variants {
		if strconv.FormatInt(int64(v.ID), 10) == id {
			return v
		}
	}
	t.Fatalf("variant %s is not one of %s", id, p.Slug)
	return catalog.Variant{}
}

// fakeStock stands in for the inventory module, which does not exist yet; it answers from
// a fixed map, and variants missing from it are untracked.
type fakeStock map[catalog.VariantID]catalogweb.StockLevel

func (f fakeStock) StockLevels(_ context.Context, ids []catalog.VariantID) (map[catalog.VariantID]catalogweb.StockLevel, error) {
	out := map[catalog.VariantID]catalogweb.StockLevel{}
	for _, id := range ids {
		if l, ok := f[id]; ok {
			out[id] = l
		}
	}
	return out, nil
}

func TestProductPage(t *testing.T) {
	t.Parallel()
	env := newShopEnv(t, shopEnvOptions{products: 200})
	shop := env.serve(t, serveOptions{})
	slugs := env.slugs(t)

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		p := env.product(t, slugs[3])
		def := p.Variants[0]

		d := shop.page(t, "/p/"+p.Slug)
		m := d.main()

		require.Equal(t, "h1", m.single("product-title").Data)
		require.Equal(t, p.Title, webtest.Text(m.single("product-title")))
		require.Equal(t, p.Brand, webtest.Text(m.single("product-brand")))
		require.Equal(t, def.Price.String(), webtest.Text(m.single("price-current")),
			"the page opens on the cheapest variant, first among equals")
		require.Equal(t, def.SKU, webtest.Text(m.single("variant-sku")))
		require.Contains(t, webtest.Text(m.single("product-description")), p.Description)
		attrs := webtest.Text(m.single("product-attributes"))
		for _, a := range p.Attributes {
			require.Contains(t, attrs, a.Name+" "+a.Value)
		}
		require.True(t, m.single("gallery-placeholder") != nil, "no images yet: a placeholder, not a broken <img>")
		require.Empty(t, m.find("product-image"))
		require.Empty(t, m.find("stock-status"), "stock is not tracked: nothing is said about it")

		crumbs := d.under(d.single("breadcrumbs"))
		var trail []string
		for _, li := range crumbs.where(func(n *html.Node) bool { return n.Data == "li" }) {
			trail = append(trail, webtest.Text(li))
		}
		want := []string{"Home"}
		cats, err := env.svc.CategoryTrail(t.Context(), p.CategoryIDs[0])
		require.NoError(t, err)
		for _, c := range cats {
			want = append(want, c.Name)
		}
		require.Equal(t, append(want, p.Title), trail)

		form := m.single("add-to-cart")
		require.Equal(t, "post", webtest.Attr(form, "method"))
		require.Equal(t, "/cart/items", webtest.Attr(form, "action"))
		f := m.under(form)
		hidden := f.where(func(n *html.Node) bool { return webtest.Attr(n, "name") == "variant_id" })
		require.Len(t, hidden, 1)
		require.Equal(t, "hidden", webtest.Attr(hidden[0], "type"))
		require.Equal(t, strconv.FormatInt(int64(def.ID), 10), webtest.Attr(hidden[0], "value"))
		qty := f.where(func(n *html.Node) bool { return webtest.Attr(n, "name") == "quantity" })
		require.Len(t, qty, 1)
		require.Equal(t, "number", webtest.Attr(qty[0], "type"))
		require.Equal(t, "1", webtest.Attr(qty[0], "min"))
		require.Equal(t, "99", webtest.Attr(qty[0], "max"))
		require.Len(t, f.where(func(n *html.Node) bool {
			return n.Data == "label" && webtest.Attr(n, "for") == webtest.Attr(qty[0], "id")
		}), 1,
			"the quantity has a label")
		submit := m.single("add-to-cart-submit")
		require.Equal(t, "Add to cart", webtest.Text(submit))
		require.False(t, webtest.HasAttr(submit, "disabled"))

		require.Equal(t, p.Title+" · Test Shop", d.title())
		desc := d.meta("name", "description")
		require.NotEmpty(t, desc)
		require.LessOrEqual(t, len([]rune(desc)), 156)
		require.True(t, strings.HasPrefix(p.Description, strings.TrimSuffix(desc, "…")), "the description's beginning: %q", desc)
		require.Equal(t, shopBaseURL+"/p/"+p.Slug, d.link("canonical"))
		require.Equal(t, "product", d.meta("property", "og:type"))
		require.Equal(t, p.Title, d.meta("property", "og:title"))
		require.Equal(t, desc, d.meta("property", "og:description"))
		require.Equal(t, shopBaseURL+"/p/"+p.Slug, d.meta("property", "og:url"))
		require.Empty(t, d.meta("property", "og:image"), "no image, no og:image")

		scripts := d.where(func(n *html.Node) bool { return n.Data == "script" && webtest.Attr(n, "src") != "" })
		require.Len(t, scripts, 1)
		require.Regexp(t, `^/static/suggest\.[0-9a-f]{10}\.js$`, webtest.Attr(scripts[0], "src"))
		require.True(t, webtest.HasAttr(scripts[0], "defer"))
	})

	t.Run("OKCanonicalIgnoresVariant", func(t *testing.T) {
		t.Parallel()
		p := env.product(t, slugs[5])
		last := p.Variants[len(p.Variants)-1]

		d := shop.page(t, fmt.Sprintf("/p/%s?variant=%d&utm_source=mail", p.Slug, last.ID))

		require.Equal(t, shopBaseURL+"/p/"+p.Slug, d.link("canonical"))
		require.Equal(t, last.SKU, webtest.Text(d.main().single("variant-sku")))
	})

	t.Run("OKEveryVariantReachableByLinks", func(t *testing.T) {
		t.Parallel()
		// Walk the picker's links from the default page of every tenth product: each page
		// must show the variant its URL names, mark that variant's values as current,
		// and all variants must be reachable.
		for i := 0; i < len(slugs); i += 10 {
			p := env.product(t, slugs[i])
			require.NotEmpty(t, p.Options)
			want := map[string]bool{}
			for _, v := range p.Variants {
				want[v.SKU] = true
			}
			seen := map[string]bool{}
			visited := map[string]bool{}
			queue := []string{"/p/" + p.Slug}
			for len(queue) > 0 {
				u := queue[0]
				queue = queue[1:]
				if visited[u] {
					continue
				}
				visited[u] = true
				shown := readVariant(t, shop.page(t, u))
				v := variantByID(t, p, shown.variantID)
				require.Equal(t, v.SKU, shown.sku, "GET %s", u)
				require.Equal(t, v.Price.String(), shown.price)
				require.Equal(t, valuesOf(p, v), shown.current, "GET %s marks the variant's values", u)
				if parsed, _ := url.Parse(u); parsed.RawQuery != "" {
					require.Equal(t, parsed.Query().Get("variant"), shown.variantID)
				}
				seen[v.SKU] = true
				for _, href := range shown.links {
					require.NotEmpty(t, href, "demo products have a variant for every value")
					require.True(t, strings.HasPrefix(href, "/p/"+p.Slug+"?variant="), href)
					queue = append(queue, href)
				}
			}
			require.Equal(t, want, seen, "every variant of %s is reachable", p.Slug)
		}
	})

	t.Run("OKSwitchingKeepsOtherChoices", func(t *testing.T) {
		t.Parallel()
		var p catalog.Product
		for _, s := range slugs {
			if p = env.product(t, s); len(p.Options) == 2 && len(p.Options[0].Values) > 1 && len(p.Options[1].Values) > 1 {
				break
			}
		}
		require.Len(t, p.Options, 2)
		size, colour := p.Options[0], p.Options[1]
		start := shop.page(t, "/p/"+p.Slug)
		shown := readVariant(t, start)

		// Pick another colour: the size stays.
		other := colour.Values[len(colour.Values)-1].Value
		if other == shown.current[colour.Name] {
			other = colour.Values[0].Value
		}
		next := readVariant(t, shop.page(t, shown.links[[2]string{colour.Name, other}]))
		require.Equal(t, other, next.current[colour.Name])
		require.Equal(t, shown.current[size.Name], next.current[size.Name], "changing the colour keeps the size")
		require.NotEqual(t, shown.sku, next.sku)
	})

	t.Run("OKUnknownVariantShowsDefault", func(t *testing.T) {
		t.Parallel()
		p := env.product(t, slugs[7])
		foreign := env.product(t, slugs[8]).Variants[1].ID
		for _, q := range []string{"999999999", "abc", "-1", "", "1e3", strconv.FormatInt(int64(foreign), 10), "99999999999999999999999"} {
			d := shop.page(t, "/p/"+p.Slug+"?variant="+url.QueryEscape(q))
			require.Equal(t, p.Variants[0].SKU, webtest.Text(d.main().single("variant-sku")), "?variant=%s", q)
		}
	})

	t.Run("OKJSONLD", func(t *testing.T) {
		t.Parallel()
		p := env.product(t, slugs[11])
		v := p.Variants[len(p.Variants)-1]

		ld := shop.page(t, fmt.Sprintf("/p/%s?variant=%d", p.Slug, v.ID)).jsonLD()

		prod := ld["Product"]
		require.NotNil(t, prod, "a Product block")
		require.Equal(t, "https://schema.org", prod["@context"])
		require.Equal(t, p.Title, prod["name"])
		require.Equal(t, v.SKU, prod["sku"])
		require.Equal(t, p.Description, prod["description"])
		require.Equal(t, shopBaseURL+"/p/"+p.Slug, prod["url"])
		require.Equal(t, map[string]any{"@type": "Brand", "name": p.Brand}, prod["brand"])
		offer := prod["offers"].(map[string]any)
		require.Equal(t, v.Price.Decimal(), offer["price"], "the price is a decimal string, never a float")
		require.Equal(t, v.Price.Currency, offer["priceCurrency"])
		require.NotContains(t, offer, "availability", "stock not tracked: availability unknown")

		crumbs := ld["BreadcrumbList"]
		require.NotNil(t, crumbs)
		items := crumbs["itemListElement"].([]any)
		first, last := items[0].(map[string]any), items[len(items)-1].(map[string]any)
		require.Equal(t, shopBaseURL+"/", first["item"])
		require.EqualValues(t, 1, first["position"])
		require.Equal(t, p.Title, last["name"])
		require.Equal(t, shopBaseURL+"/p/"+p.Slug, last["item"])
	})

	t.Run("OKRelatedProducts", func(t *testing.T) {
		t.Parallel()
		for _, s := range slugs[:20] {
			d := shop.page(t, "/p/"+s)
			related := d.under(d.single("related-products"))
			cards := related.find("product-card")
			require.NotEmpty(t, cards)
			require.LessOrEqual(t, len(cards), 8)
			for _, title := range related.find("product-title") {
				require.NotEqual(t, "/p/"+s, webtest.Attr(title, "href"), "a product is not related to itself")
			}
		}
	})

	t.Run("OKStock", func(t *testing.T) {
		t.Parallel()
		p := env.product(t, slugs[12])
		require.GreaterOrEqual(t, len(p.Variants), 5)
		v := p.Variants
		stocked := env.serve(t, serveOptions{stock: fakeStock{
			v[0].ID: {Available: 40},
			v[1].ID: {Available: 3},
			v[2].ID: {Available: 0, Backorder: true},
			v[3].ID: {Available: 0},
			// v[4] is untracked.
		}})
		cases := []struct {
			variant      catalog.Variant
			status, kind string
			schema       string
			buyable      bool
			max          string
		}{
			{v[0], "In stock", "in-stock", "https://schema.org/InStock", true, "40"},
			{v[1], "Only 3 left", "low", "https://schema.org/LimitedAvailability", true, "3"},
			{v[2], "Available on backorder", "backorder", "https://schema.org/BackOrder", true, "99"},
			{v[3], "Out of stock", "out", "https://schema.org/OutOfStock", false, "99"},
			{v[4], "", "", "", true, "99"},
		}
		for _, c := range cases {
			d := stocked.page(t, fmt.Sprintf("/p/%s?variant=%d", p.Slug, c.variant.ID))
			m := d.main()
			offer := d.jsonLD()["Product"]["offers"].(map[string]any)
			if c.status == "" {
				require.Empty(t, m.find("stock-status"), "untracked variant: nothing said")
				require.NotContains(t, offer, "availability")
			} else {
				require.Equal(t, c.status, webtest.Text(m.single("stock-status")))
				require.Equal(t, c.kind, webtest.Attr(m.single("stock-status"), "data-stock"))
				require.Equal(t, c.schema, offer["availability"])
			}
			require.Equal(t, !c.buyable, webtest.HasAttr(m.single("add-to-cart-submit"), "disabled"), c.status)
			qty := m.where(func(n *html.Node) bool { return webtest.Attr(n, "name") == "quantity" })[0]
			require.Equal(t, c.max, webtest.Attr(qty, "max"), c.status)
		}

		// The picker marks the choices that lead to a variant nobody can buy now; one on
		// backorder or untracked is not sold out.
		soldOut := map[string]bool{}
		for _, a := range stocked.page(t, fmt.Sprintf("/p/%s?variant=%d", p.Slug, v[0].ID)).main().find("option-value") {
			if href := webtest.Attr(a, "href"); href != "" {
				soldOut[href] = webtest.Attr(a, "data-sold-out") == "true"
				require.Equal(t, soldOut[href], strings.Contains(webtest.Text(a), "(sold out)"), "the mark is spoken too")
			}
		}
		linkTo := func(id catalog.VariantID) string { return fmt.Sprintf("/p/%s?variant=%d", p.Slug, id) }
		for _, tc := range []struct {
			variant catalog.Variant
			sold    bool
		}{{v[1], false}, {v[2], false}, {v[3], true}, {v[4], false}} {
			if marked, linked := soldOut[linkTo(tc.variant.ID)]; linked {
				require.Equal(t, tc.sold, marked, "choice leading to %s", tc.variant.SKU)
			}
		}
		require.True(t, soldOut[linkTo(v[3].ID)], "the out-of-stock variant is one click away from the first and marked")
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		for _, path := range []string{"/p/no-such-product", "/p/" + url.PathEscape("<script>")} {
			res := shop.get(t, path)
			require.Equal(t, http.StatusNotFound, res.status, path)
			require.Contains(t, res.header.Get("Content-Type"), "text/html")
			require.NotContains(t, res.body, "<script>")
		}
	})
}

// TestProductPageEdited covers what the demo catalog does not have (images, prices that
// differ between variants, SEO fields, hostile text, a renamed product) on a database of
// its own, since it changes the catalog.
func TestProductPageEdited(t *testing.T) {
	t.Parallel()
	env := newShopEnv(t, shopEnvOptions{products: 30})
	shop := env.serve(t, serveOptions{})
	slugs := env.slugs(t)
	renamed, edited := env.product(t, slugs[0]), env.product(t, slugs[1])
	cheap := edited.Variants[len(edited.Variants)-1]

	ctx := t.Context()
	_, err := env.pool.Exec(ctx, `UPDATE catalog.products SET slug = $1 WHERE id = $2`, renamed.Slug+"-2026", renamed.ID)
	require.NoError(t, err)
	_, err = env.pool.Exec(ctx, `INSERT INTO catalog.product_slug_redirects (old_slug, product_id) VALUES ($1, $2)`, renamed.Slug, renamed.ID)
	require.NoError(t, err)
	_, err = env.pool.Exec(ctx, `
		UPDATE catalog.products
		SET seo_title = 'Best </title><script>alert(1)</script> deal',
		    seo_description = 'Buy it & love it',
		    description = 'Says </script><script>alert(2)</script> & more.'
		WHERE id = $1`, edited.ID)
	require.NoError(t, err)
	_, err = env.pool.Exec(ctx, `UPDATE catalog.variants SET compare_at_minor = NULL WHERE product_id = $1`, edited.ID)
	require.NoError(t, err)
	_, err = env.pool.Exec(ctx, `UPDATE catalog.variants SET price_minor = 1995, compare_at_minor = 2995 WHERE id = $1`, cheap.ID)
	require.NoError(t, err)
	// A value of the first variant the cheap one does not have (its colour, or its size).
	var otherValue int64
	for _, id := range edited.Variants[0].OptionValueIDs {
		if !slices.Contains(cheap.OptionValueIDs, id) {
			otherValue = id
		}
	}
	require.NotZero(t, otherValue)
	_, err = env.pool.Exec(ctx, `
		INSERT INTO catalog.images (product_id, option_value_id, position, alt, width, height, hash, rendered_at) VALUES
			($1, NULL, 0, 'Front view', 1600, 2000, 'aaaaaaaaaaaaaaaaaaaaa111', now()),
			($1, NULL, 1, '', 1600, 2000, 'bbbbbbbbbbbbbbbbbbbbb222', now()),
			($1, $2, 2, 'Only on the other variant', 1600, 2000, 'ccccccccccccccccccccc333', now()),
			($1, NULL, 3, 'Still rendering', 1600, 2000, 'ddddddddddddddddddddd444', NULL)`,
		edited.ID, otherValue)
	require.NoError(t, err)
	env.svc.Invalidate()

	t.Run("OKRenamedRedirects", func(t *testing.T) {
		t.Parallel()
		res := shop.get(t, "/p/"+renamed.Slug+"?variant=12&utm_source=mail")
		require.Equal(t, http.StatusMovedPermanently, res.status)
		require.Equal(t, "/p/"+renamed.Slug+"-2026?variant=12&utm_source=mail", res.header.Get("Location"),
			"the query string survives the redirect")
		d := shop.page(t, res.header.Get("Location"))
		require.Equal(t, renamed.Title, webtest.Text(d.main().single("product-title")))
	})

	t.Run("OKImages", func(t *testing.T) {
		t.Parallel()
		d := shop.page(t, fmt.Sprintf("/p/%s?variant=%d", edited.Slug, cheap.ID))
		m := d.main()
		require.Empty(t, m.find("gallery-placeholder"))
		imgs := m.find("product-image")
		require.Len(t, imgs, 2, "pictures of another variant, and those not rendered yet, are left out")
		require.Equal(t, "/media/aaaaaaaaaaaaaaaaaaaaa111-640.webp", webtest.Attr(imgs[0], "src"))
		require.Equal(t, "/media/aaaaaaaaaaaaaaaaaaaaa111-320.webp 320w, /media/aaaaaaaaaaaaaaaaaaaaa111-640.webp 640w, /media/aaaaaaaaaaaaaaaaaaaaa111-1280.webp 1280w", webtest.Attr(imgs[0], "srcset"))
		require.NotEmpty(t, webtest.Attr(imgs[0], "sizes"))
		require.Equal(t, "1600", webtest.Attr(imgs[0], "width"))
		require.Equal(t, "2000", webtest.Attr(imgs[0], "height"))
		require.Equal(t, "Front view", webtest.Attr(imgs[0], "alt"))
		require.Equal(t, "eager", webtest.Attr(imgs[0], "loading"))
		require.Equal(t, "lazy", webtest.Attr(imgs[1], "loading"))
		require.Equal(t, edited.Title, webtest.Attr(imgs[1], "alt"), "an image without alt text is described by the title")
		require.Equal(t, shopBaseURL+"/media/aaaaaaaaaaaaaaaaaaaaa111-1280.webp", d.meta("property", "og:image"))
		require.Equal(t, []any{shopBaseURL + "/media/aaaaaaaaaaaaaaaaaaaaa111-1280.webp", shopBaseURL + "/media/bbbbbbbbbbbbbbbbbbbbb222-1280.webp"},
			d.jsonLD()["Product"]["image"])

		withOwn := shop.page(t, fmt.Sprintf("/p/%s?variant=%d", edited.Slug, edited.Variants[0].ID)).main()
		own := withOwn.find("product-image")
		require.Len(t, own, 3, "a variant shows the pictures of its values too")
		require.Equal(t, "/media/ccccccccccccccccccccc333-640.webp", webtest.Attr(own[0], "src"), "and them first")
	})

	t.Run("OKVariantPriceAndSEO", func(t *testing.T) {
		t.Parallel()
		d := shop.page(t, "/p/"+edited.Slug)
		shown := readVariant(t, d)
		require.Equal(t, cheap.SKU, shown.sku, "the default variant is the cheapest")
		require.Equal(t, "€19.95", shown.price)
		require.Equal(t, "€29.95", shown.compareAt)

		other := readVariant(t, shop.page(t, fmt.Sprintf("/p/%s?variant=%d", edited.Slug, edited.Variants[0].ID)))
		require.NotEqual(t, shown.sku, other.sku)
		require.Equal(t, edited.Variants[0].Price.String(), other.price, "switching the variant switches the price")
		require.Empty(t, other.compareAt)

		require.Equal(t, "Best </title><script>alert(1)</script> deal · Test Shop", d.title())
		require.Equal(t, "Buy it & love it", d.meta("name", "description"))
		ld := d.jsonLD()["Product"]
		require.Equal(t, "Says </script><script>alert(2)</script> & more.", ld["description"])
		require.Equal(t, "19.95", ld["offers"].(map[string]any)["price"])
		scripts := d.where(func(n *html.Node) bool { return n.Data == "script" })
		require.Len(t, scripts, 3, "two JSON-LD blocks and suggest.js; no script from data")
	})

	t.Run("OKRawHTMLEscaped", func(t *testing.T) {
		t.Parallel()
		res := shop.get(t, "/p/"+edited.Slug)
		require.NotContains(t, res.body, "<script>alert")
		require.Contains(t, res.body, `\u003c/script\u003e\u003cscript\u003ealert(2)`)
	})
}
