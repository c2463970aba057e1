package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
)

// The checkout scenario's sizes. Its target is stated for a number of shoppers at once,
// not for this machine's ceiling, so it drives its own number of clients. Variants are
// many so that stock is spread thin: a shopper rarely meets an item others sold out, as
// in a real shop, where a thousand shoppers rarely want the same shirt.
const (
	checkoutShoppers     = 32
	wantCheckoutVariants = 1000
	// probeRequests bounds the steps of the shopper tried during discovery: enough for an
	// order even when a few items it picks are sold out.
	probeRequests = 60
)

// The steps of one order, each one request, in the order the report lists them.
const (
	stepAdd     = "add"
	stepForm    = "checkout-form"
	stepPlace   = "place"
	stepPay     = "pay"
	stepReturn  = "return"
	stepConfirm = "confirmation"
)

func checkoutSteps() []string {
	return []string{stepAdd, stepForm, stepPlace, stepPay, stepReturn, stepConfirm}
}

// Outcomes of the checkout flow, counted apart from requests.
const (
	// outcomeOrder is a confirmation page shown: one completed order.
	outcomeOrder = "order"
	// outcomeSoldOut is the shop refusing an item that ran out (the add, the checkout
	// page or the order at placing time, sent back to the cart): the right answer, not an
	// error.
	outcomeSoldOut = "sold-out"
)

// Shoppers reach a shop through its load balancer, which names each one's address in
// X-Forwarded-For; the shop limits orders per address (a script must not tie up stock
// with thousands of unpaid orders). Every visit that ends in an order is a different
// customer, so each gets an address of its own from 198.18.0.0/15, the range reserved
// for benchmarks (RFC 2544): 64 shoppers (the 32 measured and the one tried during
// discovery among them) of 2048 visits each before an address comes back, ten times what
// a shopper makes in the minute such limits look at. The server must trust loadgen as
// its proxy (bench/run-inner sets SHOP_TRUSTED_PROXIES).
const (
	visitorNet        = uint32(198)<<24 | uint32(18)<<16
	visitorsPerPerson = 1 << 11
	visitorPersons    = 1 << 6 // 2^6 * 2^11 = the /15's 2^17 addresses
)

// testCardNumber is the test gateway's card that is paid at once (Stripe's public test
// number, which the gateway mirrors).
const testCardNumber = "4242424242424242"

// checkoutScenario is shoppers buying: each has a session of its own and loops through
// add to cart, the checkout form, placing the order, the test gateway's payment page, the
// return to the shop and the confirmation, one request per step, never following a
// redirect on its own (a redirect is the next step's request).
type checkoutScenario struct {
	name     string
	site     *site
	rng      *rand.Rand
	shoppers int
	base     *url.URL
	add      string   // the add-to-cart form's URL
	ids      []string // variant ids a shopper can add
	summary  string
	// issued numbers the shoppers, so each writes email addresses of its own. NewWorker
	// is called from one goroutine (discovery, then newLoad), so a plain counter does.
	issued int
}

func (c *checkoutScenario) Name() string     { return c.name }
func (c *checkoutScenario) Describe() string { return c.summary }
func (c *checkoutScenario) Steps() []string  { return checkoutSteps() }
func (c *checkoutScenario) Conns() int       { return c.shoppers }

func (c *checkoutScenario) Prepare(ctx context.Context, client *http.Client, base *url.URL) error {
	found, err := c.site.cartVariants(ctx, httpGet(client), base, c.rng,
		variantSearch{want: wantCheckoutVariants, maxPages: math.MaxInt})
	if err != nil {
		return err
	}
	c.base, c.add, c.ids = base, found.action, found.ids
	// One shopper buys before anything is timed, so a broken step fails here with its
	// reason rather than as thousands of errors in the measurement.
	w := c.newWorker()
	probe := *client
	probe.Jar = w.Jar()
	soldOut := 0
	for range probeRequests {
		if err := w.probe(ctx, &probe, c.rng); err != nil {
			return err
		}
		switch w.Outcome() {
		case outcomeOrder:
			c.summary = fmt.Sprintf("%d shoppers, a session each, in a loop: add one of %d in-stock variants (%s), "+
				"checkout form, place the order, pay on the test gateway's page, return, confirmation",
				c.shoppers, len(c.ids), found.summary)
			return nil
		case outcomeSoldOut:
			soldOut++
		}
	}
	return fmt.Errorf("no order completed in %d requests of one shopper (%d times sold out)", probeRequests, soldOut)
}

func (c *checkoutScenario) NewWorker() Worker { return c.newWorker() }

func (c *checkoutScenario) newWorker() *checkoutWorker {
	c.issued++
	return &checkoutWorker{
		base:     c.base,
		add:      c.add,
		checkout: c.base.ResolveReference(&url.URL{Path: "/checkout"}).String(),
		ids:      c.ids,
		shopper:  c.issued,
		jar:      newSessionJar(),
		next:     stepAdd,
	}
}

// checkoutWorker is one shopper. It remembers where it stands in the flow and what the
// last answer told it (the form's hidden fields, the payment page, the order's page).
type checkoutWorker struct {
	base     *url.URL
	add      string
	checkout string
	ids      []string
	shopper  int
	jar      *sessionJar

	next     string // the step Next sends
	inflight string // the step sent and not yet checked; "" when none
	outcome  string // what the last answer checked achieved
	orders   int    // orders attempted, so every attempt has an email of its own
	visits   int    // flows started, so every visit has an address of its own
	place    url.Values
	placeURL string
	payURL   string
	retURL   string
	orderURL string
}

func (w *checkoutWorker) Jar() http.CookieJar { return w.jar }
func (w *checkoutWorker) Step() string        { return w.inflight }
func (w *checkoutWorker) Outcome() string     { return w.outcome }

func (w *checkoutWorker) Next(ctx context.Context, rng *rand.Rand) (*http.Request, error) {
	if w.inflight != "" {
		// The last request got no answer to check (a timeout, a reset connection): where
		// this shopper stands is unknown, so a new one starts.
		w.restart()
	}
	w.outcome = ""
	w.inflight = w.next
	var (
		req *http.Request
		err error
	)
	switch w.next {
	case stepAdd:
		req, err = postForm(ctx, w.add, url.Values{"variant_id": {w.ids[rng.IntN(len(w.ids))]}, "quantity": {"1"}})
	case stepForm:
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, w.checkout, nil)
	case stepPlace:
		req, err = postForm(ctx, w.placeURL, w.place)
	case stepPay:
		req, err = postForm(ctx, w.payURL, url.Values{"card_number": {testCardNumber}})
	case stepReturn:
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, w.retURL, nil)
	case stepConfirm:
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, w.orderURL, nil)
	default:
		return nil, fmt.Errorf("checkout: unknown step %q", w.next)
	}
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-Forwarded-For", w.visitor())
	return req, nil
}

// visitor is the network address of the shopper's current visit.
func (w *checkoutWorker) visitor() string {
	n := visitorNet + uint32(w.shopper%visitorPersons)*visitorsPerPerson + uint32(w.visits%visitorsPerPerson)
	return fmt.Sprintf("%d.%d.%d.%d", n>>24, n>>16&0xff, n>>8&0xff, n&0xff)
}

// Check judges the answer to the step in flight. Any unexpected answer starts a new
// shopper: a flow that went wrong once cannot be trusted to go on.
func (w *checkoutWorker) Check(resp *http.Response, body []byte) error {
	step := w.inflight
	w.inflight = ""
	if err := w.check(step, resp, body); err != nil {
		w.restart()
		return err
	}
	return nil
}

func (w *checkoutWorker) check(step string, resp *http.Response, body []byte) error {
	switch step {
	case stepAdd:
		loc, err := w.redirect(resp, body)
		if err != nil {
			return err
		}
		if loc.Path == "/cart" {
			// A refused add goes back to the cart with the reason (a browser's Referer would
			// lead to the product page; loadgen sends none). The item ran out since
			// discovery: another one is tried in the same session, whose cart is unchanged.
			w.outcome = outcomeSoldOut
			return nil
		}
		w.next = stepForm
	case stepForm:
		if resp.StatusCode == http.StatusSeeOther && pathOf(resp.Header.Get("Location")) == "/cart" {
			// The item sold out between the add and this page (the last units, late in a
			// run): the shop sends the shopper back to the cart to see it, as it does when
			// placing. A new shopper tries next. A shop that lost sessions would end here
			// too, but on every visit: the probe before the run (no order completes) and
			// the orders/s target catch that.
			w.restart()
			w.outcome = outcomeSoldOut
			return nil
		}
		if resp.StatusCode != http.StatusOK {
			if loc := resp.Header.Get("Location"); loc != "" {
				return fmt.Errorf("status %d to %s, want 200", resp.StatusCode, pathOf(loc))
			}
			return fmt.Errorf("status %d, want 200%s", resp.StatusCode, pageProblems(body))
		}
		form, err := parseCheckoutForm(parseHTML(string(body)))
		if err != nil {
			return err
		}
		action, err := w.rebase(resp, form.action)
		if err != nil {
			return fmt.Errorf("checkout form action: %w", err)
		}
		w.orders++
		w.placeURL, w.place = action.String(), form.placeValues(w.shopper, w.orders)
		w.next = stepPlace
	case stepPlace:
		loc, err := w.redirect(resp, body)
		if err != nil {
			return err
		}
		switch {
		case strings.HasPrefix(loc.Path, "/pay/test/") && len(loc.Path) > len("/pay/test/"):
			w.payURL, w.next = loc.String(), stepPay
		case loc.Path == "/cart":
			// Sold out between the add and the order: the cart now holds an item that
			// cannot be bought, so the next attempt is a new shopper with an empty cart.
			w.restart()
			w.outcome = outcomeSoldOut
		default:
			return fmt.Errorf("303 to %s, want /pay/test/{ref} (the test gateway) or /cart (sold out)", loc.Path)
		}
	case stepPay:
		loc, err := w.redirect(resp, body)
		if err != nil {
			return err
		}
		switch {
		case strings.HasPrefix(loc.Path, "/checkout/return/") && len(loc.Path) > len("/checkout/return/"):
			w.retURL, w.next = loc.String(), stepReturn
		case strings.HasPrefix(loc.Path, "/pay/test/"):
			return fmt.Errorf("303 to %s: card %s was not paid at once (it asks for a confirmation step or was refused)", loc.Path, testCardNumber)
		default:
			return fmt.Errorf("303 to %s, want the shop's /checkout/return/{token}", loc.Path)
		}
	case stepReturn:
		loc, err := w.redirect(resp, body)
		if err != nil {
			return err
		}
		if !strings.HasPrefix(loc.Path, "/orders/") || len(loc.Path) == len("/orders/") {
			return fmt.Errorf("303 to %s, want /orders/{token}", loc.Path)
		}
		w.orderURL, w.next = loc.String(), stepConfirm
	case stepConfirm:
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d, want 200%s", resp.StatusCode, pageProblems(body))
		}
		for _, id := range []string{"order-confirmation", "order-number"} {
			if !bytes.Contains(body, []byte(`data-testid="`+id+`"`)) {
				return fmt.Errorf(`no data-testid="%s" on the order page`, id)
			}
		}
		// The order emptied the cart: the shopper buys again in the same session, on a
		// visit of its own.
		w.outcome, w.next = outcomeOrder, stepAdd
		w.visits++
	default:
		return fmt.Errorf("an answer with no request in flight (step %q)", step)
	}
	return nil
}

// restart makes the worker a new shopper: a new session (so an empty cart) at the first
// step.
func (w *checkoutWorker) restart() {
	w.jar.reset()
	w.visits++
	w.next, w.inflight = stepAdd, ""
	w.place, w.placeURL, w.payURL, w.retURL, w.orderURL = nil, "", "", "", ""
}

// redirect requires a 303 and returns where it leads, on the server under test.
func (w *checkoutWorker) redirect(resp *http.Response, body []byte) (*url.URL, error) {
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("status %d, want 303%s", resp.StatusCode, pageProblems(body))
	}
	loc := resp.Header.Get("Location")
	if loc == "" {
		return nil, errors.New("303 without a Location")
	}
	return w.rebase(resp, loc)
}

// rebase resolves ref against the request it answers and moves it to the server under
// test: the payment provider returns the shopper to the shop's public address
// (SHOP_BASE_URL), which need not be where the benchmarked binary listens.
func (w *checkoutWorker) rebase(resp *http.Response, ref string) (*url.URL, error) {
	from := w.base
	if resp.Request != nil && resp.Request.URL != nil {
		from = resp.Request.URL
	}
	u, err := url.Parse(ref)
	if err != nil {
		return nil, fmt.Errorf("location %q: %w", ref, err)
	}
	return rebase(w.base, from.ResolveReference(u).String())
}

// probe sends the worker's next request with client, as the engine does, and names the
// step in an error.
func (w *checkoutWorker) probe(ctx context.Context, client *http.Client, rng *rand.Rand) error {
	req, err := w.Next(ctx, rng)
	step := w.Step()
	if err != nil {
		return fmt.Errorf("%s: %w", step, err)
	}
	resp, body, err := do(client, req)
	if err != nil {
		return fmt.Errorf("%s: %w", step, err)
	}
	if err := w.Check(resp, body); err != nil {
		return fmt.Errorf("%s: %s %s: %w", step, req.Method, req.URL.Path, err)
	}
	return nil
}

func postForm(ctx context.Context, target string, form url.Values) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req, nil
}

func pathOf(ref string) string {
	if u, err := url.Parse(ref); err == nil && u.Path != "" {
		return u.Path
	}
	return ref
}

// sessionJar is a shopper's cookies, which the shopper can throw away to come back as a
// new visitor with an empty cart. The engine's http.Client keeps the jar it was given,
// so the jar itself starts over. Like the worker, it is used from one goroutine only.
type sessionJar struct{ jar http.CookieJar }

func newSessionJar() *sessionJar {
	j := &sessionJar{}
	j.reset()
	return j
}

func (j *sessionJar) reset() {
	jar, _ := cookiejar.New(nil) // never fails without options
	j.jar = secureJar{jar}
}

func (j *sessionJar) SetCookies(u *url.URL, cookies []*http.Cookie) { j.jar.SetCookies(u, cookies) }
func (j *sessionJar) Cookies(u *url.URL) []*http.Cookie             { return j.jar.Cookies(u) }

// checkoutForm is what a shopper reads on the checkout page before placing the order.
type checkoutForm struct {
	action string
	// hidden are the form's hidden inputs (idempotency key, cart fingerprint, whatever
	// else the shop keeps there), sent back as they are.
	hidden  url.Values
	method  string // the shipping method chosen; "" when the page offers none yet
	country string
}

// parseCheckoutForm reads the form data-testid="checkout-form". The shop may keep more
// hidden fields than loadgen knows of; those are posted back untouched, as a browser
// would.
func parseCheckoutForm(page *node) (checkoutForm, error) {
	forms := page.findAll(func(n *node) bool { return n.tag == "form" && n.hasTestID("checkout-form") })
	if len(forms) == 0 {
		return checkoutForm{}, errors.New(`no form data-testid="checkout-form" on the checkout page`)
	}
	form := forms[0]
	f := checkoutForm{hidden: url.Values{}}
	f.action, _ = form.attr("action")
	if f.action == "" {
		f.action = "/checkout" // a form without an action posts to its own page
	}
	firstMethod := ""
	for _, in := range form.findAll(func(n *node) bool { return n.tag == "input" }) {
		name, _ := in.attr("name")
		if name == "" {
			continue
		}
		typ, _ := in.attr("type")
		value, _ := in.attr("value")
		_, checked := in.attr("checked")
		switch strings.ToLower(typ) {
		case "hidden":
			f.hidden.Add(name, value)
		case "radio":
			if name != "shipping_method" {
				continue
			}
			if firstMethod == "" {
				firstMethod = value
			}
			if checked && f.method == "" {
				f.method = value
			}
		}
	}
	if f.method == "" {
		f.method = firstMethod
	}
	f.country = countryChoice(form)
	return f, nil
}

// countryChoice picks the shipping country: the one the form has selected, since the
// shipping methods on the page are priced for it and the shop refuses a method it does
// not offer for the destination; France when none is selected and the shop lists it (the
// address loadgen writes is French); else the first country listed.
func countryChoice(form *node) string {
	selects := form.findAll(func(n *node) bool {
		name, _ := n.attr("name")
		return n.tag == "select" && name == "ship_country"
	})
	if len(selects) == 0 {
		return "FR"
	}
	var first string
	france := false
	for _, o := range selects[0].findAll(func(n *node) bool { return n.tag == "option" }) {
		v, ok := o.attr("value")
		if !ok {
			v = o.textContent()
		}
		if v == "" {
			continue // a "Choose a country" placeholder
		}
		if _, ok := o.attr("selected"); ok {
			return v
		}
		france = france || v == "FR"
		if first == "" {
			first = v
		}
	}
	if france {
		return "FR"
	}
	return first
}

// placeValues is the form as posted to place the order: the hidden fields as they were,
// and what a guest types. Every order attempt has an email of its own, as every order of
// a real shop is a different customer's or a different visit.
func (f checkoutForm) placeValues(shopper, order int) url.Values {
	v := url.Values{}
	for k, vs := range f.hidden {
		v[k] = append([]string(nil), vs...)
	}
	city, postal := "Paris", "75001"
	if f.country != "FR" {
		city, postal = "Springfield", "12345"
	}
	v.Set("action", "place")
	v.Set("email", fmt.Sprintf("shopper%d.order%d@loadgen.example.com", shopper, order))
	v.Set("ship_name", fmt.Sprintf("Shopper %d", shopper))
	v.Set("ship_line1", "12 rue de Rivoli")
	v.Set("ship_city", city)
	v.Set("ship_postal_code", postal)
	v.Set("ship_country", f.country)
	v.Set("billing_same", "on")
	if f.method != "" {
		v.Set("shipping_method", f.method)
	}
	return v
}

// pageProblems quotes what a page says went wrong (the form's summary, its field errors,
// an error page's message), so an error names its cause rather than a status alone.
func pageProblems(body []byte) string {
	if len(body) == 0 {
		return ""
	}
	page := parseHTML(string(body))
	var parts []string
	for _, n := range page.findAll(func(n *node) bool {
		id, _ := n.attr("data-testid")
		return id == "form-error" || id == "error-message" || strings.HasPrefix(id, "field-error-")
	}) {
		id, _ := n.attr("data-testid")
		text := n.textContent()
		if name, ok := strings.CutPrefix(id, "field-error-"); ok {
			text = name + ": " + text
		}
		if text != "" {
			parts = append(parts, text)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	s := []rune(strings.Join(parts, "; "))
	if len(s) > 200 {
		// Kept short: the message becomes an error kind, and the report lists kinds.
		s = append(s[:200], '…')
	}
	return " (the page says: " + string(s) + ")"
}
