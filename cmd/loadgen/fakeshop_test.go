package main

import (
	"fmt"
	"html"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeShop is a throwaway server that follows the storefront contract loadgen relies on
// (URL map, sitemap, data-testid markup), so discovery and the engine can be tried end to
// end without the real shop or a database. Like the shop, it compresses its answers for
// clients that ask (fakecompress_test.go).
type fakeShop struct {
	*httptest.Server
	products   []fakeProduct
	categories []string
	// noCeiling leaves /static/ceiling.html out; failEvery > 0 answers every failEvery-th
	// product request with 500 (after the first few, so discovery succeeds).
	noCeiling bool
	failEvery int
	// noCart leaves the cart routes out, as a shop before its cart was built; noCheckout
	// the checkout, payment and order pages.
	noCart     bool
	noCheckout bool
	// stock > 0 is every variant's stock for checkout (a refused add or order at placing
	// time sends the shopper to the cart, as the shop does); 0 is unlimited.
	stock int
	// noAdmin leaves the back office out; editLag is how long a saved title takes to
	// show on the product page.
	noAdmin bool
	editLag time.Duration
	// compressUnasked is the encoding of answers to requests that list neither zstd nor
	// gzip, as a server that compresses whatever the client says ("" for none). mislabel
	// answers a request that lists that encoding with the plain body under its name.
	compressUnasked string
	mislabel        string

	mu       sync.Mutex
	hits     map[string]map[string]int // first path segment -> request URI -> count
	requests map[string]int            // first path segment -> count
	carts    map[string][]string       // session cookie -> variant ids added
	checkout fakeCheckout
	edits    fakeEdits
	sent     map[string]map[string]*fakeTally // first path segment -> Accept-Encoding -> what was sent
}

// fakeCheckout is the fake shop's orders and what its checkout forms issued.
type fakeCheckout struct {
	keys     map[string]string     // session -> idempotency key of the last form shown
	byKey    map[string]string     // idempotency key -> order token
	orders   map[string]*fakeOrder // token -> order
	payments map[string]string     // payment ref -> order token
	emails   map[string]bool
	byAddr   map[string]int // client address -> orders placed
	sold     map[string]int // variant id -> units ordered
	soldOut  int            // adds and orders refused for want of stock
	shown    int            // confirmation pages shown
	issued   int            // idempotency keys issued
}

// fakeOrdersPerAddress is the fake shop's limit of orders per client address.
const fakeOrdersPerAddress = 30

type fakeOrder struct {
	number int
	lines  []string
	paid   bool
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
	s := &fakeShop{hits: map[string]map[string]int{}, requests: map[string]int{}, carts: map[string][]string{},
		sent: map[string]map[string]*fakeTally{},
		checkout: fakeCheckout{keys: map[string]string{}, byKey: map[string]string{}, orders: map[string]*fakeOrder{},
			payments: map[string]string{}, emails: map[string]bool{}, byAddr: map[string]int{}, sold: map[string]int{}}}
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
	s.edits.init()
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
	if !s.noAdmin {
		s.routeAdmin(mux)
	}
	if !s.noCheckout {
		mux.HandleFunc("GET /checkout", s.checkoutShow)
		mux.HandleFunc("POST /checkout", s.checkoutPlace)
		mux.HandleFunc("POST /pay/test/{ref}", s.pay)
		mux.HandleFunc("GET /checkout/return/{token}", s.paymentReturn)
		mux.HandleFunc("GET /orders/{token}", s.orderShow)
	}
	s.Server = httptest.NewServer(s.compress(s.count(mux)))
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
	s.mu.Lock()
	title, relatedTitle := s.title(i), s.title((i+1)%len(s.products))
	s.mu.Unlock()
	fmt.Fprintf(w, `<!DOCTYPE html><title>%[1]s</title>
<h1 data-testid="product-title">%[1]s</h1><p data-testid="product-brand">%[2]s</p>`,
		html.EscapeString(title), html.EscapeString(p.brand))
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
		related.slug, html.EscapeString(relatedTitle))
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
	if s.stock > 0 && s.checkout.sold[id] >= s.stock {
		// Sold out since the page was read: back to the cart, the cart unchanged.
		s.checkout.soldOut++
		s.mu.Unlock()
		http.Redirect(w, r, "/cart", http.StatusSeeOther)
		return
	}
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

// session returns the caller's session cookie value, "" without one.
func session(r *http.Request) string {
	c, err := r.Cookie("sess")
	if err != nil {
		return ""
	}
	return c.Value
}

// checkoutShow renders a checkout form much like the shop's: hidden fields loadgen must
// send back as they are, a country list with the first country the shop ships to
// selected, two shipping methods priced for it (the second checked), and another form
// on the page whose fields must not be sent.
func (s *fakeShop) checkoutShow(w http.ResponseWriter, r *http.Request) {
	sess := session(r)
	s.mu.Lock()
	lines := s.carts[sess]
	s.checkout.issued++
	key := fmt.Sprintf("key-%d", s.checkout.issued)
	if len(lines) > 0 {
		s.checkout.keys[sess] = key
	}
	s.mu.Unlock()
	if len(lines) == 0 {
		http.Redirect(w, r, "/cart", http.StatusSeeOther)
		return
	}
	fmt.Fprintf(w, `<!DOCTYPE html><title>Checkout</title>
<form method="get" action="/search" data-testid="search-form"><input type="hidden" name="from" value="header"/><input name="q"/></form>
<h1>Checkout</h1>
<form class="form" method="post" action="/checkout" data-testid="checkout-form" novalidate>
<input type="hidden" name="idempotency_key" value="%s"/>
<input type="hidden" name="cart_fingerprint" value="%s"/>
<label>Email <input type="email" name="email" value="" autocomplete="email"/></label>
<input name="ship_name"/><input name="ship_line1"/><input name="ship_line2"/><input name="ship_city"/><input name="ship_postal_code"/>
<select name="ship_country" data-testid="ship-country"><option value="">Choose…</option><option value="BE">Belgium</option><option value="FR" selected>France</option><option value="US">United States</option></select>
<fieldset><input type="radio" name="shipping_method" value="7" data-testid="shipping-method"/> Standard
<input type="radio" name="shipping_method" value="8" checked data-testid="shipping-method"/> Express</fieldset>
<input type="checkbox" name="billing_same" checked/>
<input name="discount_code" value=""/>
<button type="submit" name="action" value="update">Update</button>
<button class="button" type="submit" name="action" value="place" data-testid="place-order">Place order</button>
</form>`, html.EscapeString(key), html.EscapeString(strings.Join(lines, ",")))
}

// checkoutPlace checks the form as strictly as the shop would, then places the order
// (one per idempotency key), or sends the shopper back to the cart when stock ran out.
func (s *fakeShop) checkoutPlace(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f := r.PostForm
	sess := session(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &s.checkout
	if token, ok := c.byKey[f.Get("idempotency_key")]; ok {
		http.Redirect(w, r, "/pay/test/pay-"+token, http.StatusSeeOther) // a double submit
		return
	}
	lines := s.carts[sess]
	problems := map[string]string{}
	switch {
	case f.Get("action") != "place":
		problems["action"] = "not a place"
	case f.Has("from") || f.Has("q"):
		problems["form"] = "fields of another form"
	case f.Get("idempotency_key") == "" || f.Get("idempotency_key") != c.keys[sess]:
		problems["idempotency_key"] = "stale form"
	case f.Get("cart_fingerprint") != strings.Join(lines, ","):
		problems["cart_fingerprint"] = "the cart changed"
	}
	email := f.Get("email")
	if !strings.Contains(email, "@") || c.emails[email] {
		problems["email"] = "missing or used before"
	}
	for _, k := range []string{"ship_name", "ship_line1", "ship_city"} {
		if f.Get(k) == "" {
			problems[k] = "required"
		}
	}
	if f.Get("ship_country") != "FR" || f.Get("ship_postal_code") != "75001" || f.Get("billing_same") != "on" {
		problems["ship_country"] = "a French address billed to itself, please"
	}
	if f.Get("shipping_method") != "8" {
		problems["shipping_method"] = "not the method chosen"
	}
	if len(problems) > 0 {
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprint(w, `<p data-testid="form-error">Please correct the highlighted fields.</p>`)
		for _, k := range slices.Sorted(maps.Keys(problems)) {
			fmt.Fprintf(w, `<p data-testid="field-error-%s">%s</p>`, k, problems[k])
		}
		return
	}
	// Like the shop, a limit of orders per client address, as the load balancer names it.
	addr, _, _ := strings.Cut(r.RemoteAddr, ":")
	if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
		addr = xff
	}
	if c.byAddr[addr] >= fakeOrdersPerAddress {
		http.Error(w, "too many orders from "+addr, http.StatusTooManyRequests)
		return
	}
	c.byAddr[addr]++
	for _, id := range lines {
		if s.stock > 0 && c.sold[id] >= s.stock {
			c.soldOut++
			http.Redirect(w, r, "/cart", http.StatusSeeOther)
			return
		}
	}
	for _, id := range lines {
		c.sold[id]++
	}
	token := fmt.Sprintf("t%d", len(c.orders)+1)
	c.orders[token] = &fakeOrder{number: 1000 + len(c.orders) + 1, lines: lines}
	c.payments["pay-"+token] = token
	c.byKey[f.Get("idempotency_key")] = token
	c.emails[email] = true
	s.carts[sess] = []string{}
	http.Redirect(w, r, "/pay/test/pay-"+token, http.StatusSeeOther)
}

// pay is the test gateway's page: the card that succeeds returns the shopper to the
// shop's public address, as the gateway knows it, not to the test server.
func (s *fakeShop) pay(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	token, ok := s.checkout.payments[r.PathValue("ref")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.PostFormValue("card_number") != "4242424242424242" {
		http.Error(w, "declined", http.StatusUnprocessableEntity)
		return
	}
	s.checkout.orders[token].paid = true
	http.Redirect(w, r, "https://shop.example.com/checkout/return/"+token, http.StatusSeeOther)
}

func (s *fakeShop) paymentReturn(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	_, ok := s.checkout.orders[r.PathValue("token")]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	http.Redirect(w, r, "/orders/"+r.PathValue("token"), http.StatusSeeOther)
}

func (s *fakeShop) orderShow(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	o, ok := s.checkout.orders[r.PathValue("token")]
	if ok {
		s.checkout.shown++
	}
	s.mu.Unlock()
	if !ok || !o.paid {
		http.NotFound(w, r)
		return
	}
	fmt.Fprintf(w, `<!DOCTYPE html><title>Thank you</title><section data-testid="order-confirmation">
<h1>Thank you</h1><p>Order <strong data-testid="order-number">#%d</strong></p></section>`, o.number)
}

// checkoutCounts returns the orders placed, the confirmations shown, the refusals for
// want of stock, and the most units of one variant ordered.
func (s *fakeShop) checkoutCounts() (orders, shown, soldOut, maxSold int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.checkout.sold {
		maxSold = max(maxSold, n)
	}
	return len(s.checkout.orders), s.checkout.shown, s.checkout.soldOut, maxSold
}
