package usersweb_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/internal/platform/httpx"
	"github.com/monoshop/monoshop/internal/platform/session"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/internal/users/usersweb"
	"github.com/monoshop/monoshop/web"
	"github.com/monoshop/monoshop/web/webtest"
)

// shopBaseURL is the public URL the service puts in emailed links.
const shopBaseURL = "http://shop.test"

// A password every check accepts, and another one, for tests that change it.
const (
	goodPassword  = "Velvet-Otter-Lamp-42"
	otherPassword = "Quiet-Harbour-Kettle-7"
)

// testShop is the account pages on a database of their own, behind the middleware the
// real router puts in front of them: request ID, client IP (believing X-Forwarded-For
// from 127.0.0.1, so each test browser can be a client of its own), body cap, sessions in
// Postgres, the signed-in account, and the header's account badge and flash messages.
type testShop struct {
	base  string
	pool  *pgxpool.Pool
	users *users.Service
	// errLog collects ERROR records: a request that failed on our side. Every test ends
	// by requiring there were none, so bad input can never hide behind a 500 page.
	errLog *lockedBuffer
	// lastIP numbers the test browsers' client addresses.
	lastIP atomic.Uint32
	// clock is what session lifetimes are measured with: tests move it forward.
	clock *testClock
}

// testClock is the real time plus a lead a test can add to.
type testClock struct {
	mu   sync.Mutex
	lead time.Duration
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.lead)
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lead += d
}

func startShop(t *testing.T) *testShop {
	t.Helper()
	pool, err := db.Open(t.Context(), dbtest.URL(t), db.PoolOptions{MaxConns: 10, AppName: "usersweb-test"})
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	_, err = pool.Exec(t.Context(), testOutboxTable)
	require.NoError(t, err)

	s := &testShop{pool: pool, errLog: &lockedBuffer{}, clock: &testClock{}}
	log := slog.New(slog.NewTextHandler(s.errLog, &slog.HandlerOptions{Level: slog.LevelError}))
	t.Cleanup(func() {
		require.Empty(t, s.errLog.String(), "no request may fail on our side")
	})
	s.users = users.NewService(pool, log, users.Options{Outbox: testOutbox{}, BaseURL: shopBaseURL, StoreName: func(context.Context) string { return "Test Shop" }})

	assets, err := web.NewAssets()
	require.NoError(t, err)
	rr := web.NewRenderer(web.Site{Name: "Test Shop", Assets: assets, Env: "dev"}, log)
	sessions := session.New(pool, false)
	auth := usersweb.NewAuth(s.users, sessions, rr, log)
	auth.UseClock(s.clock.now)
	h := usersweb.NewHandler(s.users, auth, rr, log)

	r := chi.NewRouter()
	r.Use(
		httpx.RequestID,
		httpx.RealIP([]netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}),
		httpx.MaxBody(func(*http.Request) int64 { return 1 << 20 }, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rr.Status(w, r, http.StatusRequestEntityTooLarge)
		})),
		sessions.LoadAndSave,
		session.RenewOnUse(sessions, s.clock.now),
		auth.Load,
		chrome(sessions),
	)
	h.Routes(r)
	r.NotFound(rr.NotFound)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	s.base = srv.URL
	return s
}

// chrome does what cmd/shop's chrome middleware does for the layout: the header's account
// badge, and on a page view the one-time messages the previous request left.
func chrome(sessions *scs.SessionManager) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var c web.Chrome
			if acc, ok := usersweb.CurrentAccount(r.Context()); ok {
				c.Account = &web.AccountBadge{Name: acc.DisplayName(), IsStaff: acc.IsStaff()}
			}
			if r.Method == http.MethodGet {
				for _, f := range session.PopFlashes(r.Context(), sessions) {
					c.Flashes = append(c.Flashes, web.FlashMessage{Kind: web.FlashKind(f.Kind), Text: f.Text})
				}
			}
			next.ServeHTTP(w, r.WithContext(web.WithChrome(r.Context(), c)))
		})
	}
}

// testOutboxTable holds the emails the service queues, in the test's own database.
const testOutboxTable = `CREATE TABLE public.test_outbox (
	id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind      text NOT NULL,
	recipient text NOT NULL,
	subject   text NOT NULL,
	text      text NOT NULL
)`

// testOutbox stands in for the notify module, which a users test may not import
// (DESIGN.md §2 rule 4, checked by internal/archtest even in tests). It writes in the
// service's transaction like notify does, so an email of a rolled-back change is never
// seen here either.
type testOutbox struct{}

func (testOutbox) QueueEmailTx(ctx context.Context, tx pgx.Tx, kind, to, subject, _, text string) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, "INSERT INTO public.test_outbox (kind, recipient, subject, text) VALUES ($1, $2, $3, $4) RETURNING id",
		kind, to, subject, text).Scan(&id)
	return id, err
}

// sentEmail is one queued message.
type sentEmail struct {
	Kind, To, Subject, Text string
}

// emails returns the queued messages of kind ("" for any) to one recipient, newest first.
func (s *testShop) emails(t *testing.T, kind, to string) []sentEmail {
	t.Helper()
	rows, err := s.pool.Query(t.Context(), `SELECT kind, recipient, subject, text FROM public.test_outbox
		WHERE ($1 = '' OR kind = $1) AND lower(recipient) = lower($2) ORDER BY id DESC`, kind, to)
	require.NoError(t, err)
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (sentEmail, error) {
		var e sentEmail
		return e, row.Scan(&e.Kind, &e.To, &e.Subject, &e.Text)
	})
	require.NoError(t, err)
	return out
}

var resetLinkPattern = regexp.MustCompile(regexp.QuoteMeta(shopBaseURL) + `(/password/reset/[A-Za-z0-9_-]+)`)

// resetPath reads the reset link out of the newest reset email to `to`, as a path on the
// test server.
func (s *testShop) resetPath(t *testing.T, to string) string {
	t.Helper()
	msgs := s.emails(t, "password_reset", to)
	require.NotEmpty(t, msgs, "a reset email to %s", to)
	m := resetLinkPattern.FindStringSubmatch(msgs[0].Text)
	require.NotNil(t, m, "reset link in %q", msgs[0].Text)
	return m[1]
}

// shopper is one browser: its own cookie jar and its own client IP.
type shopper struct {
	t    *testing.T
	shop *testShop
	jar  *cookiejar.Jar
	http *http.Client
	ip   string
}

func (s *testShop) browser(t *testing.T) *shopper {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	n := s.lastIP.Add(1)
	return &shopper{
		t: t, shop: s, jar: jar,
		ip: fmt.Sprintf("10.%d.%d.%d", n>>16&0xff, n>>8&0xff, n&0xff),
		http: &http.Client{
			Jar:           jar,
			Timeout:       15 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// fromIP moves the browser to another client address, as a botnet or a phone does.
func (b *shopper) fromIP(ip string) *shopper {
	b.ip = ip
	return b
}

// response is what the browser got back, body read and parsed.
type response struct {
	t      *testing.T
	status int
	header http.Header
	body   string
}

func (b *shopper) do(method, path string, body io.Reader, contentType string) response {
	b.t.Helper()
	req, err := http.NewRequestWithContext(b.t.Context(), method, b.shop.base+path, body)
	require.NoError(b.t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("X-Forwarded-For", b.ip)
	res, err := b.http.Do(req)
	require.NoError(b.t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(b.t, err)
	return response{t: b.t, status: res.StatusCode, header: res.Header, body: string(raw)}
}

func (b *shopper) get(path string) response {
	b.t.Helper()
	return b.do(http.MethodGet, path, nil, "")
}

// post submits a form. url.Values encodes any bytes, so a value may be invalid UTF-8.
func (b *shopper) post(path string, form url.Values) response {
	b.t.Helper()
	return b.do(http.MethodPost, path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

// redirect requires a 303 and returns where it leads.
func (r response) redirect() string {
	r.t.Helper()
	require.Equal(r.t, http.StatusSeeOther, r.status, "want a redirect, got body: %.2000s", r.body)
	return r.header.Get("Location")
}

// requireSignInRedirect requires the answer a signed-out visitor gets on an account page.
func (r response) requireSignInRedirect(path string) {
	r.t.Helper()
	require.Equal(r.t, "/login?next="+url.QueryEscape(path), r.redirect())
}

// cookie is the browser's session token, "" when it has none.
func (b *shopper) cookie() string {
	u, err := url.Parse(b.shop.base)
	require.NoError(b.t, err)
	for _, c := range b.jar.Cookies(u) {
		if c.Name == session.CookieName {
			return c.Value
		}
	}
	return ""
}

// withCookie is a new browser holding only the given session token, like an attacker
// who captured it.
func (s *testShop) withCookie(t *testing.T, token string) *shopper {
	b := s.browser(t)
	u, err := url.Parse(s.base)
	require.NoError(t, err)
	b.jar.SetCookies(u, []*http.Cookie{{Name: session.CookieName, Value: token, Path: "/"}})
	return b
}

func (b *shopper) register(email, name, password string) {
	b.t.Helper()
	res := b.post("/register", url.Values{"email": {email}, "name": {name}, "password": {password}})
	require.Equal(b.t, "/account", res.redirect())
}

func (b *shopper) login(email, password string) {
	b.t.Helper()
	res := b.post("/login", url.Values{"email": {email}, "password": {password}})
	require.Equal(b.t, "/account", res.redirect())
}

// signedIn reports whether the account page opens for this browser.
func (b *shopper) signedIn() bool {
	b.t.Helper()
	res := b.get("/account")
	if res.status == http.StatusOK {
		return true
	}
	res.requireSignInRedirect("/account")
	return false
}

// page parses the body as HTML.
func (r response) page() node {
	r.t.Helper()
	return node{t: r.t, n: webtest.Parse(r.t, r.body)}
}

// node is an element of a parsed page, searched by data-testid.
type node struct {
	t *testing.T
	n *html.Node
}

func (d node) all(testID string) []node {
	var out []node
	for _, n := range webtest.ByTestID(d.n, testID) {
		out = append(out, node{t: d.t, n: n})
	}
	return out
}

func (d node) has(testID string) bool { return len(d.all(testID)) > 0 }

// one requires exactly one element with the test id.
func (d node) one(testID string) node {
	d.t.Helper()
	found := d.all(testID)
	require.Len(d.t, found, 1, "elements with data-testid=%q", testID)
	return found[0]
}

// text is the visible text with whitespace collapsed.
func (d node) text() string { return webtest.Text(d.n) }

func (d node) attr(key string) string { return webtest.Attr(d.n, key) }

// control returns the form control named name.
func (d node) control(name string) node {
	d.t.Helper()
	return node{t: d.t, n: webtest.Control(d.t, d.n, name)}
}

// value is what a form control shows: an input's value, a textarea's text, a select's
// selected option.
func (d node) value(name string) string {
	d.t.Helper()
	c := d.control(name)
	switch c.n.Data {
	case "textarea":
		return c.text()
	case "select":
		for n := range c.n.Descendants() {
			if n.Data == "option" && webtest.HasAttr(n, "selected") {
				return webtest.Attr(n, "value")
			}
		}
		return ""
	}
	return c.attr("value")
}

// requireNoPasswordEchoed requires that no password input of the page carries a value.
func (d node) requireNoPasswordEchoed() {
	d.t.Helper()
	for n := range d.n.Descendants() {
		if n.Type == html.ElementNode && n.Data == "input" && webtest.Attr(n, "type") == "password" {
			require.False(d.t, webtest.HasAttr(n, "value"), "password input %q shows a value", webtest.Attr(n, "name"))
		}
	}
}

// fieldError is the message beside one field of the form, "" when none.
func (d node) fieldError(name string) string {
	found := d.all("field-error-" + name)
	if len(found) == 0 {
		return ""
	}
	return found[0].text()
}

// flashes lists the texts of a page's flash messages.
func (d node) flashes() []string {
	var out []string
	for _, f := range d.all("flash") {
		out = append(out, f.text())
	}
	return out
}

// awaitFreshWindow waits, when a fixed rate-limit window is about to end, for the next
// one to begin, so that attempts a test counts all land in the same window.
func awaitFreshWindow(window, need time.Duration) {
	left := window - time.Duration(time.Now().UnixNano()%int64(window))
	if left < need {
		time.Sleep(left + 50*time.Millisecond)
	}
}

// lockedBuffer is a log sink safe for concurrent handlers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
