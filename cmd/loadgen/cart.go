package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
)

// Cart discovery: product pages read to find variants a shopper can add, and how many
// such variants are enough that the load spreads over many cart lines.
const (
	cartSamplePages  = 200
	wantCartVariants = 100
)

// cartMode says what a cart scenario measures.
type cartMode int

const (
	// cartAdd posts the product page's add-to-cart form again and again: a write per
	// request (session, cart and line), answered by a redirect.
	cartAdd cartMode = iota
	// cartView shows a cart holding one item: every request reads the session, the cart
	// and its stock.
	cartView
)

// cartScenario is a shopper with a session of their own: every worker keeps its cookies,
// so each virtual shopper has one cart, as real shoppers do.
type cartScenario struct {
	name    string
	mode    cartMode
	site    *site
	rng     *rand.Rand
	add     string   // the add-to-cart form's URL
	ids     []string // variant ids a shopper can add
	summary string
}

func (c *cartScenario) Name() string     { return c.name }
func (c *cartScenario) Describe() string { return c.summary }

func (c *cartScenario) Prepare(ctx context.Context, client *http.Client, base *url.URL) error {
	found, err := c.site.cartVariants(ctx, httpGet(client), base, c.rng,
		variantSearch{want: wantCartVariants, maxPages: cartSamplePages})
	if err != nil {
		return err
	}
	c.add, c.ids = found.action, found.ids
	// One shopper's first steps before anything is timed, so a broken cart fails here
	// with its reason rather than as thousands of errors in the measurement.
	w := c.newWorker()
	probe := *client
	probe.Jar = w.Jar()
	steps := 1
	if c.mode == cartView {
		steps = 2
	}
	for range steps {
		if err := w.step(ctx, &probe, c.rng); err != nil {
			return err
		}
	}
	what := "add one of %d in-stock variants (quantity 1) to the shopper's own cart, expecting 303"
	if c.mode == cartView {
		what = "view the shopper's own cart holding one of %d in-stock variants, expecting 200"
	}
	c.summary = fmt.Sprintf(what+" (%s)", len(c.ids), found.summary)
	return nil
}

func (c *cartScenario) NewWorker() Worker { return c.newWorker() }

func (c *cartScenario) newWorker() *cartWorker {
	jar, _ := cookiejar.New(nil) // never fails without options
	return &cartWorker{mode: c.mode, add: c.add, ids: c.ids, cart: c.cartURL(), jar: secureJar{jar}}
}

func (c *cartScenario) cartURL() string {
	u, err := url.Parse(c.add)
	if err != nil {
		return "/cart"
	}
	return u.ResolveReference(&url.URL{Path: "/cart"}).String()
}

// cartWorker is one shopper. In view mode its first request adds an item; every later
// one shows the cart.
type cartWorker struct {
	mode  cartMode
	add   string
	ids   []string
	cart  string
	jar   http.CookieJar
	added bool // view mode: the cart holds an item
	// adding says that the request in flight is an add.
	adding bool
}

func (w *cartWorker) Jar() http.CookieJar { return w.jar }

func (w *cartWorker) Next(ctx context.Context, rng *rand.Rand) (*http.Request, error) {
	w.adding = w.mode == cartAdd || !w.added
	if !w.adding {
		return http.NewRequestWithContext(ctx, http.MethodGet, w.cart, nil)
	}
	form := url.Values{"variant_id": {w.ids[rng.IntN(len(w.ids))]}, "quantity": {"1"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.add, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req, nil
}

func (w *cartWorker) Check(resp *http.Response, body []byte) error {
	if w.adding {
		if resp.StatusCode != http.StatusSeeOther {
			return fmt.Errorf("add to cart: status %d, want 303", resp.StatusCode)
		}
		if resp.Header.Get("Location") == "" {
			return errors.New("add to cart: 303 without a Location")
		}
		w.added = true
		return nil
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("view cart: status %d, want 200", resp.StatusCode)
	}
	if !bytes.Contains(body, []byte(`data-testid="cart-line"`)) {
		// The session was lost (a cookie not kept, a cart not found): the page is an empty
		// cart, not the one being measured.
		return errors.New(`view cart: no data-testid="cart-line": the shopper's cart is empty`)
	}
	return nil
}

// step sends the worker's next request with client, as the engine does.
func (w *cartWorker) step(ctx context.Context, client *http.Client, rng *rand.Rand) error {
	req, err := w.Next(ctx, rng)
	if err != nil {
		return err
	}
	resp, body, err := do(client, req)
	if err != nil {
		return err
	}
	return w.Check(resp, body)
}

// secureJar keeps cookies as if the shop were reached over HTTPS. A shop in production
// marks its session cookie Secure, and browsers reach it through a TLS load balancer; the
// benchmark talks plain HTTP to the binary, where a standard jar would never send such a
// cookie back and every request would start a new session.
type secureJar struct{ jar http.CookieJar }

func (j secureJar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	j.jar.SetCookies(asHTTPS(u), cookies)
}

func (j secureJar) Cookies(u *url.URL) []*http.Cookie { return j.jar.Cookies(asHTTPS(u)) }

func asHTTPS(u *url.URL) *url.URL {
	v := *u
	v.Scheme = "https"
	return &v
}

// cartVariantsFound is what cart discovery learnt from product pages.
type cartVariantsFound struct {
	action  string
	ids     []string
	summary string
}

// variantSearch is how many in-stock variants a scenario wants, and how many product
// pages it may read to find them.
type variantSearch struct {
	want     int
	maxPages int
}

// cartVariants reads product pages for their add-to-cart forms: the form's URL and the
// variant each offers, keeping the variants a shopper can buy now (the button enabled,
// and in stock or on backorder when the page says). Pages are read in batches of twice
// the variants wanted until enough are found or maxPages were read. Scenarios that want
// the same use one result, so it is found once.
func (s *site) cartVariants(ctx context.Context, get getFunc, base *url.URL, rng *rand.Rand, search variantSearch) (cartVariantsFound, error) {
	products, err := s.products(ctx, get, base)
	if err != nil {
		return cartVariantsFound{}, err
	}
	s.mu.Lock()
	done := s.carts[search]
	s.mu.Unlock()
	if done != nil {
		return *done, nil
	}
	sample := shuffled(products, rng)
	if len(sample) > search.maxPages {
		sample = sample[:search.maxPages]
	}
	var found cartVariantsFound
	seen := map[string]bool{}
	forms, read := 0, 0
	for read < len(sample) && len(found.ids) < search.want {
		batch := sample[read:min(len(sample), read+2*search.want)]
		docs, err := getPages(ctx, get, batch, discoveryParallel)
		if err != nil {
			return cartVariantsFound{}, err
		}
		read += len(batch)
		for i, d := range docs {
			action, id, ok := addToCartForm(d)
			if action == "" {
				continue
			}
			forms++
			if !ok || seen[id] {
				continue
			}
			if found.action == "" {
				a, err := batch[i].Parse(action)
				if err != nil {
					return cartVariantsFound{}, fmt.Errorf("%s: add-to-cart form action %q: %w", batch[i].RequestURI(), action, err)
				}
				found.action = a.String()
			}
			seen[id] = true
			found.ids = append(found.ids, id)
			if len(found.ids) == search.want {
				break
			}
		}
	}
	if len(found.ids) == 0 {
		return cartVariantsFound{}, fmt.Errorf("none of %d product pages offers an in-stock variant to add: want a form with "+
			`data-testid="add-to-cart", a variant_id input and an enabled submit button (%d such forms found)`, read, forms)
	}
	found.summary = fmt.Sprintf("found on %d product pages", read)
	if len(found.ids) < search.want {
		found.summary += fmt.Sprintf("; ONLY %d of the %d wanted", len(found.ids), search.want)
	}
	s.mu.Lock()
	if s.carts == nil {
		s.carts = map[variantSearch]*cartVariantsFound{}
	}
	s.carts[search] = &found
	s.mu.Unlock()
	return found, nil
}

// addToCartForm reads a product page's add-to-cart form: its action and the variant it
// adds, and whether a shopper can use it now. The action is empty when there is no form.
func addToCartForm(page *node) (action, variant string, ok bool) {
	forms := page.findAll(func(n *node) bool { return n.hasTestID("add-to-cart") })
	if len(forms) == 0 {
		return "", "", false
	}
	form := forms[0]
	action, _ = form.attr("action")
	if action == "" {
		return "", "", false
	}
	for _, in := range form.findAll(func(n *node) bool { return n.tag == "input" }) {
		if name, _ := in.attr("name"); name == "variant_id" {
			variant, _ = in.attr("value")
		}
	}
	if _, err := strconv.ParseInt(variant, 10, 64); err != nil {
		return action, "", false
	}
	for _, b := range form.findAll(func(n *node) bool { return n.tag == "button" }) {
		if _, disabled := b.attr("disabled"); disabled {
			return action, variant, false
		}
	}
	for _, st := range page.findAll(func(n *node) bool { return n.hasTestID("stock-status") }) {
		// Pages that show stock say which variants are sold out or nearly: a shopper
		// adding one again and again would only meet the stock limit.
		if kind, _ := st.attr("data-stock"); kind == "out" || kind == "low" {
			return action, variant, false
		}
	}
	return action, variant, true
}
