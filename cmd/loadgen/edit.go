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
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The edit scenarios measure storefront pages while staff edit the catalog: a writer signs
// in to the back office as a catalog manager and, at a steady rate, changes the title or a
// variant's price of a random product through the editor's own forms (read the page,
// post the form with the version it was opened with), as a person would. The pages are
// those of a plain scenario (product, category or search), driven the same way, so the
// plain scenario of the same invocation is the figure without edits. After each title
// change the writer reads the product page until the new title shows: how long an edit
// takes to reach the shop.
const (
	// editPoolPages is how many pages of the back office's product list (50 products
	// each, picked at random) are read for products to edit.
	editPoolPages = 10
	// editsInFlight bounds the edits (and visibility checks) running at once; a tick of
	// the writer's clock that finds them all busy is counted as missed, not queued.
	editsInFlight = 64
	// defaultVisibleTimeout is how long the writer reads a product page for its new
	// title before counting the edit as not visible (-visible-timeout).
	defaultVisibleTimeout = 30 * time.Second
	// visiblePollMax is the longest pause between two reads of an edited page.
	visiblePollMax = 200 * time.Millisecond
	// adminProductsPath is the back office's product list; the editor of each product is
	// linked from its row.
	adminProductsPath = "/admin/catalog/products"
)

// editConfig is how the edit scenarios edit, from the command line.
type editConfig struct {
	staffEmail    string
	staffPassword string
	rate          float64 // edits per second
	// edits > 0 is a soak: the measured runs go on until this many edits were made.
	edits int
	// visibleTimeout is how long an edited title may take to show.
	visibleTimeout time.Duration
	pid            int // the server, for its memory during the edits (0: not read)
}

// editBases maps each edit scenario to the plain scenario whose pages it measures.
func editBases() map[string]string {
	return map[string]string{"edit": "product", "edit-category": "category", "edit-search": "search"}
}

// editProduct is one product the writer may edit.
type editProduct struct {
	editor string // the back-office editor page
	shop   string // its storefront page
	title  string // its title without loadgen's edit mark
}

// editScenario is a page scenario (readers) with a writer beside it.
type editScenario struct {
	name    string
	base    string
	readers *pageScenario
	cfg     editConfig
	rng     *rand.Rand

	staff    *http.Client // signed in; its own connections
	anon     *http.Client // reads the storefront for edited titles; its own connections
	products []editProduct
	pool     string // how the products were found, for Describe
	summary  string

	writer *editWriter // while the background runs
	// titles numbers the titles written, so that every title edit is a change.
	titles atomic.Int64
}

func (e *editScenario) Name() string      { return e.name }
func (e *editScenario) Describe() string  { return e.summary }
func (e *editScenario) NewWorker() Worker { return e.readers.NewWorker() }
func (e *editScenario) Base() string      { return e.base }

func (e *editScenario) Prepare(ctx context.Context, client *http.Client, base *url.URL) error {
	if e.cfg.staffEmail == "" || e.cfg.staffPassword == "" {
		return errors.New("the edit scenarios sign in to the back office: give -staff-email and the password in " +
			staffPasswordEnv + " (a staff member with the catalog_manager role or above; bench/run-inner creates one)")
	}
	if e.cfg.rate <= 0 {
		return errors.New("-edit-rate must be positive")
	}
	if err := e.readers.Prepare(ctx, client, base); err != nil {
		return err
	}
	jar, _ := cookiejar.New(nil) // never fails without options
	// As many connections as edits may run at once: a request of the writer waiting for a
	// connection of its own would count the load generator's queue as the shop's time.
	e.staff = &http.Client{Transport: newTransport(editsInFlight), Jar: secureJar{jar}, CheckRedirect: noRedirects, Timeout: requestTimeout}
	e.anon = &http.Client{Transport: newTransport(editsInFlight), CheckRedirect: noRedirects, Timeout: requestTimeout}
	if err := signIn(ctx, e.staff, base, e.cfg.staffEmail, e.cfg.staffPassword); err != nil {
		return err
	}
	if err := e.findProducts(ctx, base); err != nil {
		return err
	}
	// One edit of each kind before anything is timed, so a broken editor fails here with
	// its reason rather than as errors in the measurement.
	w := newEditWriter(e, ctx)
	for _, kind := range []string{editTitle, editPrice} {
		res := w.edit(ctx, 0, kind)
		if res.err != nil {
			return fmt.Errorf("try an edit (%s of %s): %w", kind, e.products[0].editor, res.err)
		}
		if kind == editTitle && !res.visible {
			return fmt.Errorf("try an edit: the new title of %s did not show on %s within %s", e.products[0].editor, e.products[0].shop, e.cfg.visibleTimeout)
		}
	}
	e.summary = fmt.Sprintf("%s; meanwhile %.3g edits/s by a catalog manager in the back office (title or a variant's price, "+
		"alternately) of %s, each title checked on its product page until it shows", e.readers.Describe(), e.cfg.rate, e.pool)
	return nil
}

// signIn signs the staff member in through the shop's login form.
func signIn(ctx context.Context, client *http.Client, base *url.URL, email, password string) error {
	login := base.ResolveReference(&url.URL{Path: "/login"}).String()
	req, err := postForm(ctx, login, url.Values{"email": {email}, "password": {password}})
	if err != nil {
		return err
	}
	resp, body, err := do(client, req)
	if err != nil {
		return fmt.Errorf("sign in as %s: %w", email, err)
	}
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("sign in as %s: status %d, want 303%s", email, resp.StatusCode, pageProblems(body))
	}
	return nil
}

// findProducts reads random pages of the back office's list of active products for the
// products to edit: each row links the editor and the storefront page.
func (e *editScenario) findProducts(ctx context.Context, base *url.URL) error {
	get := httpGet(e.staff)
	listURL := func(page int) *url.URL {
		q := url.Values{"status": {"active"}}
		if page > 1 {
			q.Set("page", strconv.Itoa(page))
		}
		return base.ResolveReference(&url.URL{Path: adminProductsPath, RawQuery: q.Encode()})
	}
	first, err := getPage(ctx, get, listURL(1))
	if err != nil {
		if se, ok := errors.AsType[*statusError](err); ok && se.Status == http.StatusSeeOther {
			return fmt.Errorf("%w: the back office sent the staff member away (signed out, or a role without the catalog)", err)
		}
		return err
	}
	pages := lastPage(first)
	picked := []int{1}
	if pages > 1 {
		picked = shuffled(seq(1, pages), e.rng)
		picked = picked[:min(len(picked), editPoolPages)]
	}
	seen := map[string]bool{}
	for _, n := range picked {
		page := first
		if n != 1 {
			if page, err = getPage(ctx, get, listURL(n)); err != nil {
				return err
			}
		}
		for _, p := range productRows(page) {
			ed, err1 := url.Parse(p.editor)
			shop, err2 := url.Parse(p.shop)
			if err1 != nil || err2 != nil || seen[p.editor] {
				continue
			}
			seen[p.editor] = true
			p.editor = listURL(n).ResolveReference(ed).String()
			if p.shop, err = rebaseRef(base, listURL(n), shop); err != nil {
				continue
			}
			e.products = append(e.products, p)
		}
	}
	if len(e.products) == 0 {
		return fmt.Errorf(`%s?status=active lists no product to edit: want rows data-testid="product-row" with a `+
			`data-testid="product-edit-link" and a data-testid="product-shop-link"`, adminProductsPath)
	}
	e.pool = fmt.Sprintf("%d active products from %d of the back office's %d list pages", len(e.products), len(picked), max(pages, 1))
	return nil
}

// rebaseRef resolves ref against from and moves it to base (the shop links its public
// address, which need not be the server under test).
func rebaseRef(base, from, ref *url.URL) (string, error) {
	u, err := rebase(base, from.ResolveReference(ref).String())
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

func seq(from, to int) []int {
	out := make([]int, 0, to-from+1)
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

// lastPage is the highest page number a list's pagination links, 1 without pagination.
func lastPage(page *node) int {
	last := 1
	for _, nav := range page.findAll(func(n *node) bool { return n.hasTestID("pagination") }) {
		for _, a := range nav.findAll(func(n *node) bool { return n.tag == "a" }) {
			href, _ := a.attr("href")
			u, err := url.Parse(href)
			if err != nil {
				continue
			}
			if n, err := strconv.Atoi(u.Query().Get("page")); err == nil {
				last = max(last, n)
			}
		}
	}
	return last
}

// productRows reads the rows of the back office's product list that link both an editor
// and a storefront page.
func productRows(page *node) []editProduct {
	var out []editProduct
	for _, row := range page.findAll(func(n *node) bool { return n.hasTestID("product-row") }) {
		var p editProduct
		for _, a := range row.findAll(func(n *node) bool { return n.tag == "a" }) {
			href, _ := a.attr("href")
			switch {
			case a.hasTestID("product-edit-link"):
				p.editor, p.title = href, baseTitle(a.textContent())
			case a.hasTestID("product-shop-link"):
				p.shop = href
			}
		}
		if p.editor != "" && p.shop != "" && p.title != "" {
			out = append(out, p)
		}
	}
	return out
}

// editMark is what loadgen appends to a title it changes; a title keeps one mark only.
var editMark = regexp.MustCompile(`\s*\(edit \d+\)$`)

func baseTitle(title string) string {
	t := editMark.ReplaceAllString(title, "")
	if r := []rune(t); len(r) > 150 {
		t = strings.TrimSpace(string(r[:150]))
	}
	return t
}

// The kinds of edit, made alternately.
const (
	editTitle = "title"
	editPrice = "price"
)

// StartBackground starts the writer; the engine calls it before the warm-up.
func (e *editScenario) StartBackground(ctx context.Context) {
	e.writer = newEditWriter(e, ctx)
	e.writer.start()
}

// Lap returns what the writer did since the last lap. The last lap stops the writer and
// waits for the edits in flight and their visibility checks, so none is left out.
func (e *editScenario) Lap(last bool) *editRun {
	if e.writer == nil {
		return nil
	}
	if last {
		e.writer.stop()
	}
	r := e.writer.lap()
	if last {
		e.writer = nil
	}
	return r
}

// editWriter edits products at the scenario's rate, each edit in a goroutine of its own,
// never two on the same product at once (the second would find the version changed).
type editWriter struct {
	e *editScenario
	// ctx ends the edits in flight; loop ends the clock that starts new ones.
	ctx      context.Context
	cancel   context.CancelFunc
	loopStop chan struct{}
	loopDone chan struct{}
	edits    sync.WaitGroup
	stopOnce sync.Once
	mu       sync.Mutex
	rng      *rand.Rand
	busy     map[int]bool
	inflight int
	ticks    int
	cur      editLap
}

// editLap is what the writer did since the last lap.
type editLap struct {
	start time.Time
	// started counts the edits begun in the lap: the writer's rate. The others count
	// edits as they end, which may be in the next lap.
	started    int
	titles     int
	prices     int
	errors     int
	kinds      map[string]int
	missed     int
	read       []time.Duration
	save       []time.Duration
	visible    []time.Duration
	notVisible int
	maxRSS     int64
}

func newEditWriter(e *editScenario, parent context.Context) *editWriter {
	ctx, cancel := context.WithCancel(parent)
	return &editWriter{
		e: e, ctx: ctx, cancel: cancel,
		loopStop: make(chan struct{}), loopDone: make(chan struct{}),
		rng:  rand.New(rand.NewPCG(e.rng.Uint64(), e.rng.Uint64())),
		busy: map[int]bool{},
		cur:  editLap{start: time.Now(), kinds: map[string]int{}},
	}
}

// start runs the writer's clock. A ticker drops ticks when its reader falls behind (a
// busy machine, a fast rate), so each tick starts every edit due by then: the rate is
// kept over time, and a tick that cannot start its edit is counted as missed.
func (w *editWriter) start() {
	go func() {
		defer close(w.loopDone)
		began, due := time.Now(), 0
		tick := time.NewTicker(time.Duration(float64(time.Second) / w.e.cfg.rate))
		defer tick.Stop()
		mem := time.NewTicker(500 * time.Millisecond)
		defer mem.Stop()
		for {
			select {
			case <-w.ctx.Done():
				return
			case <-w.loopStop:
				return
			case <-mem.C:
				w.sampleMemory()
			case now := <-tick.C:
				for n := int(now.Sub(began).Seconds() * w.e.cfg.rate); due < n; due++ {
					w.tick()
				}
			}
		}
	}()
}

// tick starts one edit, or counts it missed when too many are in flight or every product
// is being edited.
func (w *editWriter) tick() {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := len(w.e.products)
	if w.inflight >= editsInFlight || len(w.busy) >= n {
		w.cur.missed++
		return
	}
	i := w.rng.IntN(n)
	for w.busy[i] {
		i = (i + 1) % n
	}
	w.busy[i] = true
	w.inflight++
	w.ticks++
	w.cur.started++
	kind := editTitle
	if w.ticks%2 == 0 {
		kind = editPrice
	}
	w.edits.Go(func() {
		res := w.edit(w.ctx, i, kind)
		w.mu.Lock()
		defer w.mu.Unlock()
		delete(w.busy, i)
		w.inflight--
		if w.ctx.Err() != nil && res.err != nil {
			return // stopped, not the server's fault
		}
		w.cur.add(res)
	})
}

func (w *editWriter) sampleMemory() {
	if w.e.cfg.pid <= 0 {
		return
	}
	if m, err := readMemory(w.e.cfg.pid); err == nil {
		w.mu.Lock()
		w.cur.maxRSS = max(w.cur.maxRSS, m.RSS)
		w.mu.Unlock()
	}
}

// stop ends the clock and waits for the edits in flight (their visibility checks end on
// their own within visibleTimeout).
func (w *editWriter) stop() {
	w.stopOnce.Do(func() {
		close(w.loopStop)
		<-w.loopDone
		done := make(chan struct{})
		go func() { w.edits.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(w.e.cfg.visibleTimeout + 2*requestTimeout):
		}
		w.cancel()
		w.edits.Wait()
	})
}

// lap returns the figures since the last lap and starts the next.
func (w *editWriter) lap() *editRun {
	w.sampleMemory()
	var rss int64
	if w.e.cfg.pid > 0 {
		if m, err := readMemory(w.e.cfg.pid); err == nil {
			rss = m.RSS
		}
	}
	w.mu.Lock()
	l := w.cur
	now := time.Now()
	w.cur = editLap{start: now, kinds: map[string]int{}}
	w.mu.Unlock()
	return l.run(now.Sub(l.start), w.e.cfg.rate, rss)
}

// editResult is one edit: what it changed, how long saving took and when the change
// showed in the shop.
type editResult struct {
	kind      string
	read      time.Duration // the editor page
	save      time.Duration // posting the form
	checked   bool          // a title whose product page was read until it showed or timed out
	visible   bool
	visibleIn time.Duration
	err       error
}

func (l *editLap) add(r editResult) {
	if r.err != nil {
		l.errors++
		addKind(l.kinds, r.kind+": "+errorKind(r.err), 1)
		return
	}
	if r.kind == editTitle {
		l.titles++
	} else {
		l.prices++
	}
	l.read = append(l.read, r.read)
	l.save = append(l.save, r.save)
	if r.checked {
		if r.visible {
			l.visible = append(l.visible, r.visibleIn)
		} else {
			l.notVisible++
		}
	}
}

// edit makes one edit of product i: read its editor, post the form with the change, and
// for a title read the product page until the new title shows.
func (w *editWriter) edit(ctx context.Context, i int, kind string) editResult {
	p := w.e.products[i]
	res := editResult{kind: kind}
	start := time.Now()
	editor, err := url.Parse(p.editor)
	if err != nil {
		res.err = err
		return res
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.editor, nil)
	if err != nil {
		res.err = err
		return res
	}
	resp, body, err := do(w.e.staff, req)
	if err != nil {
		res.err = fmt.Errorf("read the editor: %w", err)
		return res
	}
	if resp.StatusCode != http.StatusOK {
		res.err = fmt.Errorf("read the editor: status %d, want 200%s", resp.StatusCode, pageProblems(body))
		return res
	}
	res.read = time.Since(start)
	page := parseHTML(string(body))
	var (
		form  htmlForm
		title string
	)
	if kind == editPrice {
		form, err = formByTestID(page, editor, "variants-form")
		if err == nil && !changePrice(form.values, w.pick) {
			err = errors.New("no variant price to change")
		}
		if err != nil {
			// A product without variants, or with prices loadgen cannot read: its title
			// then.
			kind, res.kind = editTitle, editTitle
		}
	}
	if kind == editTitle {
		if form, err = formByTestID(page, editor, "product-form"); err != nil {
			res.err = err
			return res
		}
		title = fmt.Sprintf("%s (edit %d)", p.title, w.e.titles.Add(1))
		form.values.Set("title", title)
	}
	if form.readOnly {
		res.err = errors.New("the editor is read-only for this staff member: give a catalog_manager, admin or owner")
		return res
	}
	if form.values.Get("version") == "" {
		res.err = errors.New(`the form has no "version" field: an edit must say which version it changes`)
		return res
	}
	req, err = postForm(ctx, form.action, form.values)
	if err != nil {
		res.err = err
		return res
	}
	posted := time.Now()
	resp, body, err = do(w.e.staff, req)
	if err != nil {
		res.err = fmt.Errorf("save: %w", err)
		return res
	}
	saved := time.Now()
	res.save = saved.Sub(posted)
	if resp.StatusCode != http.StatusSeeOther {
		res.err = fmt.Errorf("save: status %d, want 303%s", resp.StatusCode, pageProblems(body))
		return res
	}
	if kind != editTitle {
		return res
	}
	res.checked = true
	res.visible, res.visibleIn, res.err = w.waitVisible(ctx, p.shop, title, saved)
	return res
}

// pick returns a random index below n for the writer's choices.
func (w *editWriter) pick(n int) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.rng.IntN(n)
}

// waitVisible reads the product page until its title is want, from saved on, for at most
// visibleTimeout, pausing a little longer after each read.
func (w *editWriter) waitVisible(ctx context.Context, page, want string, saved time.Time) (bool, time.Duration, error) {
	pause := 10 * time.Millisecond
	deadline := saved.Add(w.e.cfg.visibleTimeout)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, page, nil)
		if err != nil {
			return false, 0, err
		}
		resp, body, err := do(w.e.anon, req)
		if err != nil {
			return false, 0, fmt.Errorf("read the product page: %w", err)
		}
		at := time.Now()
		if resp.StatusCode != http.StatusOK {
			return false, 0, fmt.Errorf("read the product page: status %d, want 200", resp.StatusCode)
		}
		if shownTitle(body) == want {
			return true, at.Sub(saved), nil
		}
		if at.After(deadline) {
			return false, 0, nil
		}
		select {
		case <-ctx.Done():
			return false, 0, context.Cause(ctx)
		case <-time.After(pause):
		}
		pause = min(2*pause, visiblePollMax)
	}
}

// shownTitle is the product's title on its page: the first data-testid="product-title"
// (related products further down carry the same mark).
func shownTitle(body []byte) string {
	i := bytes.Index(body, []byte(`data-testid="product-title"`))
	if i < 0 {
		return ""
	}
	// Parse from the element's start tag only: a whole page per read would cost the
	// machine the server shares.
	start := bytes.LastIndexByte(body[:i], '<')
	if start < 0 {
		return ""
	}
	rest := parseHTML(string(body[start:min(len(body), i+4096)]))
	for _, n := range rest.findAll(func(n *node) bool { return n.hasTestID("product-title") }) {
		return n.textContent()
	}
	return ""
}

// changePrice moves the price of one random variant of a variants form by one minor unit
// (down from an odd amount, up from an even one, so repeated edits stay near the seeded
// price), keeping it below a compare-at price, which must stay higher. It reports false
// when no price could be read.
func changePrice(v url.Values, pick func(int) int) bool {
	var ids []string
	for _, id := range v["variant"] {
		if _, ok := parseAmount(v.Get("variants." + id + ".price")); ok {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return false
	}
	id := ids[pick(len(ids))]
	key := "variants." + id + ".price"
	a, _ := parseAmount(v.Get(key))
	next := a.minor + 1
	if a.minor%2 == 1 && a.minor > 1 {
		next = a.minor - 1
	}
	if c, ok := parseAmount(v.Get("variants." + id + ".compare_at")); ok && next >= c.minor && a.minor > 1 {
		next = a.minor - 1
	}
	a.minor = next
	v.Set(key, a.String())
	return true
}

// amount is a price as typed in a form: minor units and how it was written.
type amount struct {
	minor    int64
	decimals int
	sep      byte
}

// parseAmount reads "19.99", "19,99" or "1999" (no thousands separators, as the editor
// writes them).
func parseAmount(s string) (amount, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return amount{}, false
	}
	a := amount{sep: '.'}
	whole, frac := s, ""
	if i := strings.IndexAny(s, ".,"); i >= 0 {
		a.sep = s[i]
		whole, frac = s[:i], s[i+1:]
	}
	if whole == "" || len(frac) > 4 {
		return amount{}, false
	}
	digits := whole + frac
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n < 0 || strings.ContainsAny(digits, "+-") {
		return amount{}, false
	}
	a.minor, a.decimals = n, len(frac)
	return a, true
}

func (a amount) String() string {
	s := strconv.FormatInt(a.minor, 10)
	if a.decimals == 0 {
		return s
	}
	for len(s) <= a.decimals {
		s = "0" + s
	}
	return s[:len(s)-a.decimals] + string(a.sep) + s[len(s)-a.decimals:]
}

// editFigures are what the writer did, over one measured run (editRun) or all of a
// scenario's runs (editSummary).
type editFigures struct {
	Asked float64 `json:"asked_per_sec"`
	// Started edits make the rate (PerSec); Made are the edits saved, Errors those that
	// failed, each counted when it ended.
	PerSec     float64        `json:"per_sec"`
	Started    int            `json:"started"`
	Made       int            `json:"made"`
	Titles     int            `json:"titles"`
	Prices     int            `json:"prices"`
	Errors     int            `json:"errors"`
	ErrorKinds map[string]int `json:"error_kinds,omitempty"`
	// Missed are ticks of the writer's clock that found editsInFlight edits running.
	Missed int `json:"missed"`
	// The editor page's answer, and the form's post until its redirect.
	ReadP50Ms float64 `json:"editor_p50_ms"`
	ReadP99Ms float64 `json:"editor_p99_ms"`
	SaveP50Ms float64 `json:"save_p50_ms"`
	SaveP99Ms float64 `json:"save_p99_ms"`
	// Checked titles were read on their product page until they showed (Visible*) or
	// visibleTimeout passed (NotVisible).
	Checked      int     `json:"titles_checked"`
	VisibleP50Ms float64 `json:"visible_p50_ms"`
	VisibleP99Ms float64 `json:"visible_p99_ms"`
	VisibleMaxMs float64 `json:"visible_max_ms"`
	NotVisible   int     `json:"not_visible"`
}

// addEnded adds the edits and checks that ended in o: its saves, errors and titles not
// shown in time (not its starts or missed ticks, which belong to the time they happened).
func (f *editFigures) addEnded(o *editFigures) {
	f.Made += o.Made
	f.Titles += o.Titles
	f.Prices += o.Prices
	f.Errors += o.Errors
	for k, v := range o.ErrorKinds {
		if f.ErrorKinds == nil {
			f.ErrorKinds = map[string]int{}
		}
		addKind(f.ErrorKinds, k, v)
	}
	f.NotVisible += o.NotVisible
}

// editTimes are the latencies behind editFigures' percentiles.
type editTimes struct{ read, save, visible []time.Duration }

func (t *editTimes) add(o editTimes) {
	t.read = append(t.read, o.read...)
	t.save = append(t.save, o.save...)
	t.visible = append(t.visible, o.visible...)
}

// setLatencies sorts t and sets f's percentiles and count of checked titles from it.
func (f *editFigures) setLatencies(t *editTimes) {
	slices.Sort(t.read)
	slices.Sort(t.save)
	slices.Sort(t.visible)
	f.ReadP50Ms, f.ReadP99Ms = millis(percentile(t.read, 50)), millis(percentile(t.read, 99))
	f.SaveP50Ms, f.SaveP99Ms = millis(percentile(t.save, 50)), millis(percentile(t.save, 99))
	f.Checked = len(t.visible) + f.NotVisible
	f.VisibleP50Ms, f.VisibleP99Ms = millis(percentile(t.visible, 50)), millis(percentile(t.visible, 99))
	f.VisibleMaxMs = millis(percentile(t.visible, 100))
}

// editRun is what the writer did during one measured run.
type editRun struct {
	editFigures
	// The server's resident memory at the end of the run and the most sampled during it
	// (every 500 ms); 0 when not measured.
	RSS    int64 `json:"rss_bytes,omitempty"`
	MaxRSS int64 `json:"max_rss_bytes,omitempty"`

	times editTimes
}

func (l editLap) run(elapsed time.Duration, asked float64, rss int64) *editRun {
	r := &editRun{
		editFigures: editFigures{
			Asked: asked, Started: l.started, Made: l.titles + l.prices, Titles: l.titles, Prices: l.prices,
			Errors: l.errors, Missed: l.missed, NotVisible: l.notVisible,
		},
		RSS: rss, MaxRSS: max(l.maxRSS, rss),
		times: editTimes{read: l.read, save: l.save, visible: l.visible},
	}
	r.setLatencies(&r.times)
	if len(l.kinds) > 0 {
		r.ErrorKinds = l.kinds
	}
	if s := elapsed.Seconds(); s > 0 {
		r.PerSec = float64(r.Started) / s
	}
	return r
}

// merge adds what the writer finished after a run ended (the edits then in flight and
// their titles' checks) to that run. The rate stays the run's: edits started after it
// ended are not part of it.
func (r *editRun) merge(tail *editRun) {
	if r == nil || tail == nil {
		return
	}
	r.addEnded(&tail.editFigures)
	r.times.add(tail.times)
	r.setLatencies(&r.times)
	r.MaxRSS = max(r.MaxRSS, tail.MaxRSS)
}

// editProgress adds what the writer did to a run's progress line.
func editProgress(r *editRun) string {
	if r == nil {
		return ""
	}
	s := fmt.Sprintf("; %d edits started (%.1f/s), %d edit errors", r.Started, r.PerSec, r.Errors)
	if len(r.times.visible) > 0 {
		s += fmt.Sprintf(", titles visible after p50 %s", ms(r.VisibleP50Ms))
	}
	if r.NotVisible > 0 {
		s += fmt.Sprintf(", %d not visible in time", r.NotVisible)
	}
	if r.RSS > 0 {
		s += ", server RSS " + bytesIEC(r.RSS)
	}
	return s
}

// editSummary is what the writer did over a scenario's measured runs, beside its pages'
// figures: rates are medians of the runs, counts totals, latencies percentiles of every
// edit of every run.
type editSummary struct {
	// Base is the plain scenario measuring the same pages without edits, and its figure
	// in the same invocation (0 and nil when it was not measured).
	Base          string   `json:"base"`
	BaseReqPerSec float64  `json:"base_req_per_sec,omitempty"`
	PctOfBase     *float64 `json:"pct_of_base,omitempty"`
	editFigures
	// VisibleTimeout is how long a title could take before it counted as not shown.
	VisibleTimeout string `json:"visible_timeout"`
	// The server's resident memory after the warm-up, after the middle run, after the
	// last, and the most sampled during the runs; 0 when not measured.
	RSSStart  int64 `json:"rss_start_bytes,omitempty"`
	RSSMiddle int64 `json:"rss_middle_bytes,omitempty"`
	RSSEnd    int64 `json:"rss_end_bytes,omitempty"`
	RSSMax    int64 `json:"rss_max_bytes,omitempty"`
	// Soak is a run of -edits edits; Growth is then how much RSS grew in its second half,
	// in % of the middle: memory that grows with the number of edits shows there, after
	// whatever the first edits warmed up.
	Soak      bool     `json:"soak,omitempty"`
	GrowthPct *float64 `json:"rss_growth_second_half_pct,omitempty"`
}

func summarizeEdits(base string, warm *editRun, runs []runResult, soak bool) *editSummary {
	s := &editSummary{Base: base, Soak: soak}
	var rates []float64
	var times editTimes
	for _, r := range runs {
		e := r.Edits
		if e == nil {
			continue
		}
		s.Asked = e.Asked
		rates = append(rates, e.PerSec)
		s.Started += e.Started
		s.Missed += e.Missed
		s.addEnded(&e.editFigures)
		times.add(e.times)
		s.RSSMax = max(s.RSSMax, e.MaxRSS)
	}
	s.PerSec = median(rates)
	s.setLatencies(&times)
	if warm != nil {
		s.RSSStart = warm.RSS
	}
	if n := len(runs); n > 0 && runs[n-1].Edits != nil {
		s.RSSMiddle = runs[(n-1)/2].Edits.RSS
		s.RSSEnd = runs[n-1].Edits.RSS
	}
	if soak && s.RSSMiddle > 0 && s.RSSEnd > 0 {
		g := float64(s.RSSEnd-s.RSSMiddle) / float64(s.RSSMiddle) * 100
		s.GrowthPct = &g
	}
	return s
}

// setBaseShares gives each edit scenario's throughput as a share of its plain scenario's,
// when that was measured in the same invocation.
func setBaseShares(results []scenarioResult) {
	byName := map[string]float64{}
	for _, r := range results {
		byName[r.Name] = r.ReqPerSec
	}
	for i := range results {
		e := results[i].Edits
		if e == nil {
			continue
		}
		if base := byName[e.Base]; base > 0 {
			pct := results[i].ReqPerSec / base * 100
			e.BaseReqPerSec, e.PctOfBase = base, &pct
		}
	}
}

// startup is how long the server took to start, measured by bench/run-inner from the
// moment it launched `shop serve`.
type startup struct {
	Ready        time.Duration `json:"ready_ns,omitempty"`
	FirstProduct time.Duration `json:"first_product_page_ns,omitempty"`
}
