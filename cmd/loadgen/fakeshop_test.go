package main

import (
	"fmt"
	"html"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fakeShop is a throwaway server that follows the storefront contract loadgen relies on
// (URL map, sitemap, data-testid markup), so discovery and the engine can be tried end to
// end without the real shop or a database.
type fakeShop struct {
	*httptest.Server
	products   []fakeProduct
	categories []string
	// noCeiling leaves /static/ceiling.html out; failEvery > 0 answers every failEvery-th
	// product request with 500 (after the first few, so discovery succeeds).
	noCeiling bool
	failEvery int
	// noCart leaves the cart routes out, as a shop before its cart was built.
	noCart bool

	mu       sync.Mutex
	hits     map[string]map[string]int // first path segment -> request URI -> count
	requests map[string]int            // first path segment -> count
	carts    map[string][]string       // session cookie -> variant ids added
}

type fakeProduct struct{ slug, title, brand string }

// The fake catalog's stock, by product index: some sold out (the form's button is
// disabled), some nearly (the page says "Only 2 left"); loadgen must add neither.
func soldOut(i int) bool    { return i%5 == 4 }
func nearlyGone(i int) bool { return i%7 == 6 }
func variantOf(i int) int   { return 1000 + i }

// facetValues are the filters of every fake category, by group.
func facetValues() map[string][]string {
	return map[string][]string{
		"brand":    {"acme", "borealis", "cascade", "dune", "ember"},
		"size":     {"xs", "s", "m", "l", "xl"},
		"color":    {"red", "navy", "olive", "black", "white", "sand"},
		"material": {"cotton", "linen", "wool", "denim"},
		"price":    {"0-50", "50-100", "100-"},
	}
}

func newFakeShop(t *testing.T, configure func(*fakeShop)) *fakeShop {
	t.Helper()
	s := &fakeShop{hits: map[string]map[string]int{}, requests: map[string]int{}, carts: map[string][]string{}}
	rng := rand.New(rand.NewPCG(42, 42))
	adjectives := []string{"Relaxed", "Slim", "Classic", "Heavyweight", "Everyday", "Oversized", "Cropped", "Vintage"}
	colors := []string{"Red", "Navy", "Olive", "Black", "White", "Sand", "Forest", "Stone"}
	materials := []string{"Cotton", "Linen", "Merino", "Denim", "Canvas", "Fleece"}
	nouns := []string{"T-Shirt", "Hoodie", "Jacket", "Sneakers", "Chinos", "Sweater", "Parka", "Shorts"}
	brands := []string{"Acme", "Borealis", "Cascade Outfitters", "Dune", "Ember & Co"}
	for i := range 200 {
		pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
		s.products = append(s.products, fakeProduct{
			slug:  fmt.Sprintf("product-%d", i),
			title: strings.Join([]string{pick(adjectives), pick(colors), pick(materials), pick(nouns)}, " "),
			brand: pick(brands),
		})
	}
	s.categories = []string{"tops", "bottoms", "outerwear", "footwear", "sale"}
	if configure != nil {
		configure(s)
	}

	mux := http.NewServeMux()
	if !s.noCeiling {
		mux.HandleFunc("GET /static/ceiling.html", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, "<!DOCTYPE html><title>ceiling</title><p>%s</p>", strings.Repeat("x", 20<<10))
		})
	}
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `<!DOCTYPE html><title>Fake shop</title><h1>Welcome</h1>`)
	})
	mux.HandleFunc("GET /sitemap.xml", s.sitemapIndex)
	mux.HandleFunc("GET /sitemap-pages.xml", s.sitemapPages)
	mux.HandleFunc("GET /sitemap-products.xml", s.sitemapProducts)
	mux.HandleFunc("GET /c/{slug}", s.category)
	mux.HandleFunc("GET /p/{slug}", s.product)
	mux.HandleFunc("GET /search", s.search)
	if !s.noCart {
		mux.HandleFunc("POST /cart/items", s.cartAdd)
		mux.HandleFunc("GET /cart", s.cartShow)
	}
	s.Server = httptest.NewServer(s.count(mux))
	t.Cleanup(s.Close)
	return s
}

func (s *fakeShop) count(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		section, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		s.mu.Lock()
		if s.hits[section] == nil {
			s.hits[section] = map[string]int{}
		}
		s.hits[section][r.URL.RequestURI()]++
		s.requests[section]++
		total := s.requests[section]
		s.mu.Unlock()
		if section == "p" && s.failEvery > 0 && total > 5 && total%s.failEvery == 0 {
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// distinct returns how many different URIs under /<section>/ were requested.
func (s *fakeShop) distinct(section string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.hits[section])
}

// The sitemap is an index whose locations name the public address, not the test server,
// as a shop behind a load balancer would write them.
func (s *fakeShop) sitemapIndex(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/xml")
	fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://shop.example.com/sitemap-pages.xml</loc></sitemap>
<sitemap><loc>https://shop.example.com/sitemap-products.xml</loc></sitemap>
</sitemapindex>`)
}

func (s *fakeShop) sitemapPages(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/xml")
	fmt.Fprint(w, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://shop.example.com/</loc></url>`)
	for _, c := range s.categories {
		fmt.Fprintf(w, "<url><loc>https://shop.example.com/c/%s</loc></url>", c)
	}
	fmt.Fprint(w, `</urlset>`)
}

func (s *fakeShop) sitemapProducts(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/xml")
	fmt.Fprint(w, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	for _, p := range s.products {
		fmt.Fprintf(w, "<url><loc>https://shop.example.com/p/%s</loc></url>", p.slug)
	}
	fmt.Fprint(w, `</urlset>`)
}

// category renders the facets of a listing. It refuses parameters it does not know, so
// a URL loadgen built wrongly shows up as errors; every value link keeps the filters
// already applied, and the link of a selected value removes it.
func (s *fakeShop) category(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	if !slices.Contains(s.categories, slug) {
		http.NotFound(w, r)
		return
	}
	groups := facetValues()
	q := r.URL.Query()
	for k, vs := range q {
		switch {
		case k == "sort" && slices.Contains(sortOrders(), q.Get(k)):
		case k == "page":
		case groups[k] != nil && len(vs) == 1 && slices.Contains(groups[k], vs[0]):
		default:
			http.Error(w, "bad filter "+k, http.StatusBadRequest)
			return
		}
	}
	fmt.Fprintf(w, `<!DOCTYPE html><title>%s</title><h1>%s</h1><aside>`, slug, slug)
	for _, k := range []string{"brand", "size", "color", "material", "price"} {
		fmt.Fprintf(w, `<section data-testid="facet" data-facet="%s"><h2>%s</h2><ul>`, k, k)
		for _, v := range groups[k] {
			next := url.Values{}
			for kk, vv := range q {
				next[kk] = slices.Clone(vv)
			}
			if q.Get(k) == v {
				next.Del(k)
			} else {
				next.Set(k, v)
			}
			href := "/c/" + slug + "?" + next.Encode()
			if k == "brand" {
				href = "?" + next.Encode() // a relative link, as a template might write it
			}
			fmt.Fprintf(w, `<li><a data-testid="facet-value" href="%s">%s</a></li>`, html.EscapeString(href), v)
		}
		fmt.Fprint(w, `</ul></section>`)
	}
	fmt.Fprint(w, `</aside><ul>`)
	for _, p := range s.products[:12] {
		fmt.Fprintf(w, `<li><a href="/p/%s" data-testid="product-title">%s</a></li>`, p.slug, html.EscapeString(p.title))
	}
	fmt.Fprint(w, `</ul>`)
}

func (s *fakeShop) product(w http.ResponseWriter, r *http.Request) {
	i := slices.IndexFunc(s.products, func(p fakeProduct) bool { return p.slug == r.PathValue("slug") })
	if i < 0 {
		http.NotFound(w, r)
		return
	}
	p, related := s.products[i], s.products[(i+1)%len(s.products)]
	fmt.Fprintf(w, `<!DOCTYPE html><title>%[1]s</title>
<h1 data-testid="product-title">%[1]s</h1><p data-testid="product-brand">%[2]s</p>`,
		html.EscapeString(p.title), html.EscapeString(p.brand))
	stock, disabled := "in-stock", ""
	switch {
	case soldOut(i):
		stock, disabled = "out", " disabled"
	case nearlyGone(i):
		stock = "low"
	}
	fmt.Fprintf(w, `<p class="stock" data-testid="stock-status" data-stock="%s">…</p>
<form class="add-to-cart" method="post" action="/cart/items" data-testid="add-to-cart">
<input type="hidden" name="variant_id" value="%d"/><input type="number" name="quantity" value="1"/>
<button class="button" type="submit"%s data-testid="add-to-cart-submit">Add to cart</button></form>`, stock, variantOf(i), disabled)
	fmt.Fprintf(w, `<aside><h2>You may also like</h2><a href="/p/%s" data-testid="product-title">%s</a></aside>`,
		related.slug, html.EscapeString(related.title))
}

// cartAdd keeps a cart per session cookie. Like the real shop in production, the cookie
// is Secure: loadgen must send it back over plain HTTP all the same.
func (s *fakeShop) cartAdd(w http.ResponseWriter, r *http.Request) {
	id := r.PostFormValue("variant_id")
	n, err := strconv.Atoi(id)
	i := n - variantOf(0)
	if err != nil || i < 0 || i >= len(s.products) || soldOut(i) || nearlyGone(i) || r.PostFormValue("quantity") != "1" {
		http.Error(w, "cannot add "+id, http.StatusUnprocessableEntity)
		return
	}
	s.mu.Lock()
	sess := ""
	if c, err := r.Cookie("sess"); err == nil && s.carts[c.Value] != nil {
		sess = c.Value
	} else {
		sess = fmt.Sprintf("s%d", len(s.carts)+1)
		http.SetCookie(w, &http.Cookie{Name: "sess", Value: sess, Path: "/", Secure: true, HttpOnly: true})
	}
	s.carts[sess] = append(s.carts[sess], id)
	s.mu.Unlock()
	http.Redirect(w, r, "/p/"+s.products[i].slug+"?variant="+id, http.StatusSeeOther)
}

func (s *fakeShop) cartShow(w http.ResponseWriter, r *http.Request) {
	var lines []string
	if c, err := r.Cookie("sess"); err == nil {
		s.mu.Lock()
		lines = slices.Clone(s.carts[c.Value])
		s.mu.Unlock()
	}
	fmt.Fprint(w, `<!DOCTYPE html><title>Your cart</title><h1>Your cart</h1>`)
	if len(lines) == 0 {
		fmt.Fprint(w, `<p data-testid="cart-empty">Your cart is empty.</p>`)
		return
	}
	for _, id := range lines {
		fmt.Fprintf(w, `<tr data-testid="cart-line" data-variant-id="%s"><td>%s</td></tr>`, id, id)
	}
}

// sessions counts the carts the fake shop made: one per shopper when cookies are kept.
func (s *fakeShop) sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.carts)
}

// requestsTo counts the requests under /<section>/.
func (s *fakeShop) requestsTo(section string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[section]
}

func (s *fakeShop) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	if strings.TrimSpace(q) == "" {
		http.Error(w, "empty query", http.StatusBadRequest)
		return
	}
	fmt.Fprintf(w, `<!DOCTYPE html><title>Search</title><h1>Results for %s</h1>`, html.EscapeString(q))
}
