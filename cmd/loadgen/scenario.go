package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sync"
)

// Scenario is one kind of traffic. Prepare runs once, before anything is timed, and finds
// what to request by reading the running server's pages (never its database). The engine
// then asks for one Worker per connection: the worker holds what a single simulated
// client remembers between requests, such as a session cookie or a cart in progress, so
// stateful scenarios (add to cart, checkout) fit without changing the engine.
type Scenario interface {
	Name() string
	Prepare(ctx context.Context, client *http.Client, base *url.URL) error
	// Describe says what Prepare found, for the report ("10000 product pages ...").
	Describe() string
	NewWorker() Worker
}

// Worker is one simulated client. The engine uses each worker from one goroutine only,
// so a worker needs no locking.
type Worker interface {
	// Next returns the request to send now.
	Next(ctx context.Context, rng *rand.Rand) (*http.Request, error)
	// Check judges the answer (its body read in full and decoded, unless the worker is
	// HeadersOnly) and may update the worker's state; an error counts the request as
	// failed. Redirects are not followed: a redirect is an answer to check, as a form's
	// POST-redirect-GET is.
	Check(resp *http.Response, body []byte) error
	// Jar keeps the worker's cookies; nil for anonymous browsing without cookies.
	Jar() http.CookieJar
}

// HeadersOnly is a Worker that may judge answers by their status and headers alone.
// When ChecksHeadersOnly says so, the engine gives Check a nil body and never decodes
// one: the load generator shares the machine's CPUs with the server, and unzipping pages
// nobody reads would take CPU from the server being measured. The body is still read in
// full (the latency is to the last byte) and counted as it crossed the network.
type HeadersOnly interface {
	Worker
	ChecksHeadersOnly() bool
}

// FlowScenario is a scenario whose workers walk a sequence of different requests (add to
// cart, checkout, payment, ...), each a step of its own. The report gives latency per
// step, in the order of Steps, and what the flows achieved.
type FlowScenario interface {
	Scenario
	Steps() []string
}

// Stepper is a Worker of a FlowScenario.
type Stepper interface {
	Worker
	// Step names the request the last Next returned; the engine asks right after Next.
	Step() string
	// Outcome names what the answer Check last accepted achieved ("" for nothing yet): a
	// completed order, or a refusal the flow expects and counts apart from errors.
	Outcome() string
}

// FixedConns is a scenario that sets its own number of clients instead of -c: its
// target is stated for a number of concurrent users, not for the machine's ceiling.
type FixedConns interface {
	Scenario
	Conns() int
}

// Background is a scenario with work of its own beside the measured load, such as the
// edit scenarios' writer. The engine starts it before the warm-up and takes a lap after
// the warm-up and after every measured run; the last lap stops it.
type Background interface {
	Scenario
	StartBackground(ctx context.Context)
	Lap(last bool) *editRun
	// Base names the plain scenario measuring the same pages without the background: its
	// figure in the same invocation is what this one is compared with.
	Base() string
}

// scenarioNames lists the scenarios in the order they run by default. Checkout comes
// last: it sells stock, which the other scenarios' pages show. The edit scenario comes
// after the other pages: it changes titles and prices, which search and cart discovery
// have read by then.
func scenarioNames() []string {
	return []string{"ceiling", "home", "product", "category", "search", "add-to-cart", "view-cart", "edit", "checkout"}
}

// optionalScenarios are known but run only when asked for: category and search pages
// while staff edit (the product pages' edit scenario runs by default).
func optionalScenarios() []string {
	return []string{"edit-category", "edit-search"}
}

// knownScenario reports whether name is a scenario loadgen can run.
func knownScenario(name string) bool {
	return slices.Contains(scenarioNames(), name) || slices.Contains(optionalScenarios(), name)
}

// Discovery sizes: enough distinct URLs that no cache of a few answers can serve the load.
const (
	wantFacetURLs    = 500
	wantQueries      = 500
	searchSampleSize = 300
	// discoveryParallel bounds the requests discovery keeps in flight.
	discoveryParallel = 4
)

// newScenario returns the named scenario; its discovery draws from the random stream
// (seed, stream). s is shared by the scenarios that read the sitemap; edit configures the
// edit scenarios.
func newScenario(name string, seed, stream uint64, s *site, edit editConfig) (Scenario, error) {
	rng := rand.New(rand.NewPCG(seed, stream))
	if base, ok := editBases()[name]; ok {
		// The pages of the plain scenario, found the same way: the same URLs.
		readers, err := newScenario(base, seed, streamOf(base), s, edit)
		if err != nil {
			return nil, err
		}
		return &editScenario{name: name, base: base, readers: readers.(*pageScenario), cfg: edit, rng: rng}, nil
	}
	var discover discoverFunc
	switch name {
	case "ceiling":
		discover = discoverCeiling
	case "home":
		discover = discoverHome
	case "product":
		discover = s.discoverProducts
	case "category":
		discover = s.discoverCategories
	case "search":
		discover = s.discoverSearches
	case "add-to-cart":
		return &cartScenario{name: name, mode: cartAdd, site: s, rng: rng}, nil
	case "view-cart":
		return &cartScenario{name: name, mode: cartView, site: s, rng: rng}, nil
	case "checkout":
		return &checkoutScenario{name: name, site: s, rng: rng, shoppers: checkoutShoppers}, nil
	default:
		return nil, fmt.Errorf("unknown scenario %q (known: %v and %v)", name, scenarioNames(), optionalScenarios())
	}
	return &pageScenario{name: name, discover: discover, rng: rng}, nil
}

// discoverFunc finds the URLs of a page scenario and says, in a few words, what they are.
type discoverFunc func(ctx context.Context, get getFunc, base *url.URL, rng *rand.Rand) ([]*url.URL, string, error)

// pageScenario is anonymous browsing: GET one of a fixed list of pages, picked at random
// per request, expecting 200.
type pageScenario struct {
	name     string
	discover discoverFunc
	rng      *rand.Rand
	urls     []string
	summary  string
}

func (p *pageScenario) Name() string     { return p.name }
func (p *pageScenario) Describe() string { return p.summary }

func (p *pageScenario) Prepare(ctx context.Context, client *http.Client, base *url.URL) error {
	urls, summary, err := p.discover(ctx, httpGet(client), base, p.rng)
	if err != nil {
		return err
	}
	p.urls = make([]string, len(urls))
	for i, u := range urls {
		p.urls[i] = u.String()
	}
	p.summary = summary
	return nil
}

func (p *pageScenario) NewWorker() Worker { return pageWorker{urls: p.urls} }

type pageWorker struct{ urls []string }

func (w pageWorker) Next(ctx context.Context, rng *rand.Rand) (*http.Request, error) {
	return http.NewRequestWithContext(ctx, http.MethodGet, w.urls[rng.IntN(len(w.urls))], nil)
}

func (pageWorker) Check(resp *http.Response, _ []byte) error {
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d, want 200", resp.StatusCode)
	}
	return nil
}

func (pageWorker) Jar() http.CookieJar { return nil }

// ChecksHeadersOnly is true: a page is judged by its status alone, so the engine never
// spends CPU decoding it.
func (pageWorker) ChecksHeadersOnly() bool { return true }

// ceilingPath is a static page served by the shop binary itself: the fastest answer the
// binary can give on this machine, against which every page is measured.
const ceilingPath = "/static/ceiling.html"

func discoverCeiling(ctx context.Context, get getFunc, base *url.URL, _ *rand.Rand) ([]*url.URL, string, error) {
	u := base.ResolveReference(&url.URL{Path: ceilingPath})
	body, err := get(ctx, u)
	if err != nil {
		if se, ok := errors.AsType[*statusError](err); ok && se.Status == http.StatusNotFound {
			return nil, "", fmt.Errorf("%w: the ceiling scenario needs the shop to serve a static page of about 20 KB at %s, under that exact name (not a content-hashed one)", err, ceilingPath)
		}
		return nil, "", err
	}
	return []*url.URL{u}, fmt.Sprintf("1 static page of %.1f KB", float64(len(body))/1024), nil
}

func discoverHome(ctx context.Context, get getFunc, base *url.URL, _ *rand.Rand) ([]*url.URL, string, error) {
	u := base.ResolveReference(&url.URL{Path: "/"})
	if _, err := get(ctx, u); err != nil {
		return nil, "", err
	}
	return []*url.URL{u}, "the home page", nil
}

// site remembers the server's sitemap, which most scenarios read, and the variants the
// cart and checkout scenarios add: each is found once (variants once per size wanted).
type site struct {
	mu    sync.Mutex
	pages []*url.URL
	files sitemapFiles // of the sitemap index, when it is one
	carts map[variantSearch]*cartVariantsFound
}

func (s *site) sitemap(ctx context.Context, get getFunc, base *url.URL) ([]*url.URL, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pages != nil {
		return s.pages, nil
	}
	pages, files, err := crawlSitemapSample(ctx, get, base, "/sitemap.xml", maxSitemapFiles)
	if err != nil {
		return nil, fmt.Errorf("read the sitemap (product, category and search pages are found through it): %w", err)
	}
	s.pages, s.files = pages, files
	return pages, nil
}

func (s *site) products(ctx context.Context, get getFunc, base *url.URL) ([]*url.URL, error) {
	pages, err := s.sitemap(ctx, get, base)
	if err != nil {
		return nil, err
	}
	products := pagesUnder(pages, "/p/")
	if len(products) == 0 {
		return nil, fmt.Errorf("the sitemap lists %d pages but no product page (path /p/...)", len(pages))
	}
	return products, nil
}

func (s *site) discoverProducts(ctx context.Context, get getFunc, base *url.URL, rng *rand.Rand) ([]*url.URL, string, error) {
	products, err := s.products(ctx, get, base)
	if err != nil {
		return nil, "", err
	}
	// One page up front, so a broken product page fails here with its URL rather than as
	// thousands of errors in the measurement.
	if _, err := get(ctx, products[rng.IntN(len(products))]); err != nil {
		return nil, "", err
	}
	summary := fmt.Sprintf("%d product pages from the sitemap", len(products))
	s.mu.Lock()
	if f := s.files; f.read < f.total {
		summary += fmt.Sprintf(" (%d of its %d files, spread over it)", f.read, f.total)
	}
	s.mu.Unlock()
	return products, summary, nil
}

func (s *site) discoverCategories(ctx context.Context, get getFunc, base *url.URL, rng *rand.Rand) ([]*url.URL, string, error) {
	pages, err := s.sitemap(ctx, get, base)
	if err != nil {
		return nil, "", err
	}
	cats := pagesUnder(pages, "/c/")
	if len(cats) == 0 {
		return nil, "", fmt.Errorf("the sitemap lists %d pages but no category page (path /c/...)", len(pages))
	}
	urls, st, err := buildFacetURLs(ctx, get, cats, wantFacetURLs, rng)
	if err != nil {
		return nil, "", err
	}
	summary := fmt.Sprintf("%d two-facet listings with a random sort, from %d category pages (%d of the sitemap's %d read)",
		len(urls), st.withFacets, st.categories, len(cats))
	if len(urls) < wantFacetURLs {
		summary += fmt.Sprintf("; ONLY %d of the %d wanted: the catalog offers too few facet combinations", len(urls), wantFacetURLs)
	}
	return urls, summary, nil
}

func (s *site) discoverSearches(ctx context.Context, get getFunc, base *url.URL, rng *rand.Rand) ([]*url.URL, string, error) {
	products, err := s.products(ctx, get, base)
	if err != nil {
		return nil, "", err
	}
	sample := shuffled(products, rng)
	if len(sample) > searchSampleSize {
		sample = sample[:searchSampleSize]
	}
	docs, err := getPages(ctx, get, sample, discoveryParallel)
	if err != nil {
		return nil, "", err
	}
	vocab := make([][]string, len(docs))
	for i, d := range docs {
		vocab[i] = productWords(d)
	}
	queries, typos := buildQueries(vocab, wantQueries, rng)
	if len(queries) == 0 {
		return nil, "", fmt.Errorf("no search query could be built: none of %d product pages has text in data-testid=\"product-title\" or \"product-brand\"", len(docs))
	}
	urls := make([]*url.URL, len(queries))
	for i, q := range queries {
		urls[i] = base.ResolveReference(&url.URL{Path: "/search", RawQuery: url.Values{"q": {q}}.Encode()})
	}
	summary := fmt.Sprintf("%d queries (%d with a typo) from the titles and brands of %d product pages", len(queries), typos, len(docs))
	if len(queries) < wantQueries {
		summary += fmt.Sprintf("; ONLY %d of the %d wanted: product titles have too few words", len(queries), wantQueries)
	}
	return urls, summary, nil
}
