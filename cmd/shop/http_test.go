package main

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/internal/platform/httpx"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web/webtest"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// testApp is the whole shop running in-process on a fresh database, with a few test-only
// routes mounted on its real router (and so behind its real middleware).
type testApp struct {
	m      *Main
	base   string // http://127.0.0.1:PORT
	client *http.Client
	logs   *syncBuffer // the app's JSON log
	pool   *pgxpool.Pool

	// /test/slow signals slowEntered when it starts and answers once releaseSlow is closed.
	slowEntered chan struct{}
	releaseSlow chan struct{}
}

type appOptions struct {
	drainDelay time.Duration
	products   int // demo products seeded before start
	tracer     pgx.QueryTracer
	// env overrides settings (SHOP_PAYMENT_PROVIDER=manual, ...).
	env map[string]string
}

const panicValue = "test: deliberate panic in handler"

func setup(t *testing.T, opts appOptions) *testApp {
	t.Helper()
	url := dbtest.URL(t)
	pool, err := db.Open(t.Context(), url, db.PoolOptions{MaxConns: 2, AppName: "cmd-shop-test"})
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	if opts.products > 0 {
		require.NoError(t, catalog.NewService(pool, nil).SeedDemo(t.Context(),
			catalog.SeedOptions{Products: opts.products, Seed: 42}))
	}

	env := map[string]string{
		"DATABASE_URL":       url,
		"SHOP_ADDR":          "127.0.0.1:0",
		"SHOP_INTERNAL_ADDR": "",
		"SHOP_DATA_DIR":      t.TempDir(),
	}
	for k, v := range opts.env {
		env[k] = v
	}
	cfg, err := LoadConfig(lookupFrom(env))
	require.NoError(t, err)
	cfg.DrainDelay = opts.drainDelay

	a := &testApp{
		logs:        &syncBuffer{},
		pool:        pool,
		slowEntered: make(chan struct{}, 1),
		releaseSlow: make(chan struct{}),
	}
	a.m = &Main{
		Config: cfg,
		Log:    slog.New(slog.NewJSONHandler(a.logs, &slog.HandlerOptions{Level: slog.LevelInfo})),
		Mode:   ModeServe,
		tracer: opts.tracer,
	}
	a.m.extraRoutes = func(r chi.Router) {
		r.Get("/test/panic", func(http.ResponseWriter, *http.Request) { panic(panicValue) })
		r.Get("/test/slow", func(w http.ResponseWriter, r *http.Request) {
			select {
			case a.slowEntered <- struct{}{}:
			default:
			}
			select {
			case <-a.releaseSlow:
			case <-r.Context().Done():
				return
			}
			_, _ = io.WriteString(w, "slow done")
		})
		// /test/echo reads the whole body, as a form or upload handler would.
		r.Post("/test/echo", func(w http.ResponseWriter, r *http.Request) {
			n, err := io.Copy(io.Discard, r.Body)
			switch {
			case httpx.IsTooLarge(err):
				http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			case err != nil:
				http.Error(w, err.Error(), http.StatusBadRequest)
			default:
				_, _ = fmt.Fprintf(w, "read %d bytes", n)
			}
		})
	}
	// Registered before Run so a half-started app is stopped too; Close is idempotent.
	t.Cleanup(func() {
		if err := a.m.Close(); err != nil {
			t.Errorf("close app: %v", err)
		}
	})
	require.NoError(t, a.m.Run(t.Context()))
	require.NotEmpty(t, a.m.Addr())
	a.base = "http://" + a.m.Addr()

	transport := &http.Transport{}
	t.Cleanup(transport.CloseIdleConnections)
	a.client = &http.Client{
		Transport: transport,
		Timeout:   15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	return a
}

// response is what a client got back, body read.
type response struct {
	status int
	header http.Header
	body   string
}

func (a *testApp) do(t *testing.T, req *http.Request) response {
	t.Helper()
	res, err := a.client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return response{status: res.StatusCode, header: res.Header, body: string(body)}
}

func (a *testApp) get(t *testing.T, path string) response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, a.base+path, nil)
	require.NoError(t, err)
	return a.do(t, req)
}

// rawRequest writes head (request line and headers, without the blank line) and then body
// on a new connection while reading the answer, the way a client that keeps sending does.
// Write errors are ignored: a server refusing a body may close before it is all sent.
func (a *testApp) rawRequest(t *testing.T, head string, body io.Reader) *http.Response {
	t.Helper()
	conn, err := net.DialTimeout("tcp", a.m.Addr(), 5*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	go func() {
		if _, err := io.WriteString(conn, head+"\r\n"); err != nil {
			return
		}
		if body != nil {
			_, _ = io.Copy(conn, body)
		}
	}()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = res.Body.Close() })
	return res
}

// chunked encodes n bytes as an HTTP/1.1 chunked body in 64 KiB chunks.
func chunked(n int) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		chunk := strings.Repeat("x", 64<<10)
		for n > 0 {
			c := chunk[:min(n, len(chunk))]
			if _, err := fmt.Fprintf(pw, "%x\r\n%s\r\n", len(c), c); err != nil {
				return
			}
			n -= len(c)
		}
		_, _ = io.WriteString(pw, "0\r\n\r\n")
		_ = pw.Close()
	}()
	return pr
}

// requireSecurityHeaders checks the baseline of DESIGN.md §6 that a browser enforces.
func requireSecurityHeaders(t *testing.T, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	require.Contains(t, csp, "frame-ancestors 'none'")
	require.NotContains(t, csp, "unsafe-inline", "no inline scripts or styles are allowed")
	require.Equal(t, "nosniff", h.Get("X-Content-Type-Options"))
	require.NotEmpty(t, h.Get("Referrer-Policy"))
}

func TestHTTP(t *testing.T) {
	t.Parallel()
	const products = 7
	a := setup(t, appOptions{products: products})

	t.Run("OKHomeListsProducts", func(t *testing.T) {
		t.Parallel()
		res := a.get(t, "/")
		require.Equal(t, http.StatusOK, res.status)
		require.True(t, strings.HasPrefix(res.header.Get("Content-Type"), "text/html"))
		requireSecurityHeaders(t, res.header)
		require.NotEmpty(t, res.header.Get(httpx.RequestIDHeader))

		p := parsePage(t, res.body)
		require.True(t, p.has("site-header"))
		cards := p.byTestID("product-card")
		require.Len(t, cards, products)

		var shown []string
		for _, n := range p.byTestID("product-title") {
			shown = append(shown, webtest.Text(n))
		}
		rows, err := a.pool.Query(t.Context(), "SELECT title FROM catalog.products WHERE status = 'active'")
		require.NoError(t, err)
		var want []string
		for rows.Next() {
			var title string
			require.NoError(t, rows.Scan(&title))
			want = append(want, title)
		}
		require.NoError(t, rows.Err())
		slices.Sort(shown)
		slices.Sort(want)
		require.Equal(t, want, shown, "the home page shows every seeded product by title")

		nav := p.one("category-nav")
		links := 0
		for n := range nav.Descendants() {
			if n.Data == "a" && strings.HasPrefix(webtest.Attr(n, "href"), "/c/") {
				links++
			}
		}
		require.Positive(t, links, "category navigation links to categories")
	})

	t.Run("OKPagesCompressed", func(t *testing.T) {
		t.Parallel()
		fetch := func(path, accept string) response {
			t.Helper()
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, a.base+path, nil)
			require.NoError(t, err)
			// Set by hand, so the client hands over the bytes as they came.
			req.Header.Set("Accept-Encoding", accept)
			return a.do(t, req)
		}
		decoders := map[string]func(string) string{
			"gzip": func(b string) string {
				zr, err := gzip.NewReader(strings.NewReader(b))
				require.NoError(t, err)
				out, err := io.ReadAll(zr)
				require.NoError(t, err)
				return string(out)
			},
			"zstd": func(b string) string {
				zr, err := zstd.NewReader(strings.NewReader(b))
				require.NoError(t, err)
				defer zr.Close()
				out, err := io.ReadAll(zr)
				require.NoError(t, err)
				return string(out)
			},
		}
		for _, path := range []string{"/", "/c/clothing", "/search?q=shirt"} {
			plain := fetch(path, "identity")
			require.Equal(t, http.StatusOK, plain.status, path)
			require.Empty(t, plain.header.Get("Content-Encoding"))
			titles := webtest.Texts(parsePage(t, plain.body).byTestID("product-title"))
			for accept, want := range map[string]string{"gzip, deflate, br, zstd": "zstd", "gzip, deflate, br": "gzip"} {
				res := fetch(path, accept)
				require.Equal(t, http.StatusOK, res.status)
				require.Equal(t, want, res.header.Get("Content-Encoding"), "%s asked with %s", path, accept)
				require.Contains(t, res.header.Values("Vary"), "Accept-Encoding")
				html := decoders[want](res.body)
				require.Equal(t, titles, webtest.Texts(parsePage(t, html).byTestID("product-title")), "%s as %s shows the same page", path, want)
				// What a shopper's phone downloads: under 30 % of the page.
				require.Less(t, len(res.body)*100/len(html), 30, "%s: %d bytes of %s for %d of HTML", path, len(res.body), want, len(html))
			}
		}
	})

	t.Run("OKStaticCSSIsCachedForever", func(t *testing.T) {
		t.Parallel()
		p := parsePage(t, a.get(t, "/").body)
		var href string
		for _, n := range p.all(func(n *html.Node) bool { return n.Data == "link" && webtest.Attr(n, "rel") == "stylesheet" }) {
			href = webtest.Attr(n, "href")
		}
		require.True(t, strings.HasPrefix(href, "/static/"), "stylesheet link: %q", href)
		res := a.get(t, href)
		require.Equal(t, http.StatusOK, res.status)
		require.True(t, strings.HasPrefix(res.header.Get("Content-Type"), "text/css"))
		require.Contains(t, res.header.Get("Cache-Control"), "immutable")
		require.NotEmpty(t, res.body)
	})

	// Thousands of one-byte ranges in one request header used to come back as a
	// multipart answer many times the file's size (GO-2026-6609): about 60 KB sent, 900 KB
	// received, for anyone, on every asset. A client may still ask for a few ranges.
	t.Run("ErrRangeFloodOnStaticAsset", func(t *testing.T) {
		t.Parallel()
		p := parsePage(t, a.get(t, "/").body)
		var href string
		for _, n := range p.all(func(n *html.Node) bool { return n.Data == "link" && webtest.Attr(n, "rel") == "stylesheet" }) {
			href = webtest.Attr(n, "href")
		}
		require.True(t, strings.HasPrefix(href, "/static/"), "stylesheet link: %q", href)
		fetch := func(accept, ranges string) response {
			t.Helper()
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, a.base+href, nil)
			require.NoError(t, err)
			// Set by hand, so the client hands over the bytes as they came.
			req.Header.Set("Accept-Encoding", accept)
			if ranges != "" {
				req.Header.Set("Range", ranges)
			}
			return a.do(t, req)
		}

		for _, accept := range []string{"identity", "gzip, deflate, br, zstd"} {
			whole := fetch(accept, "")
			require.Equal(t, http.StatusOK, whole.status)
			size := len(whole.body)

			few := fetch(accept, "bytes=0-9,20-29")
			require.Equal(t, http.StatusPartialContent, few.status, accept)
			require.True(t, strings.HasPrefix(few.header.Get("Content-Type"), "multipart/byteranges"), accept)
			require.Contains(t, few.body, whole.body[20:30], accept)

			// As many ranges as fit under the server's 64 KiB header limit.
			var flood strings.Builder
			flood.WriteString("bytes=0-0")
			for i := 1; i < size && flood.Len() < 60_000; i++ {
				fmt.Fprintf(&flood, ",%d-%d", i, i)
			}
			res := fetch(accept, flood.String())
			require.NotEqual(t, http.StatusRequestHeaderFieldsTooLarge, res.status, "the header must reach the asset handler")
			require.LessOrEqual(t, len(res.body), size,
				"%s: %d bytes answered a %d-byte Range header on a %d-byte file (status %d)",
				accept, len(res.body), flood.Len(), size, res.status)
		}
	})

	t.Run("OKHealthz", func(t *testing.T) {
		t.Parallel()
		res := a.get(t, "/healthz")
		require.Equal(t, http.StatusOK, res.status)
		require.Equal(t, "no-store", res.header.Get("Cache-Control"))
	})

	t.Run("OKReadyz", func(t *testing.T) {
		t.Parallel()
		// Ready once the catalog is read, which starts as the process listens for changes.
		require.Eventually(t, func() bool {
			res := a.get(t, "/readyz")
			return res.status == http.StatusOK && strings.TrimSpace(res.body) == "ready"
		}, 10*time.Second, 20*time.Millisecond)
	})

	t.Run("ErrReadyzCatalogNotRead", func(t *testing.T) {
		t.Parallel()
		// A replica that has not read its catalog yet gets no traffic: every page would
		// wait for the read.
		h := &readyz{pool: a.pool, draining: &atomic.Bool{}, catalogRead: func() bool { return false }}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/readyz", nil))
		require.Equal(t, http.StatusServiceUnavailable, rec.Code)
		require.Equal(t, "not ready: reading the catalog", strings.TrimSpace(rec.Body.String()))
	})

	t.Run("ErrReadyzStockNotRead", func(t *testing.T) {
		t.Parallel()
		// Nor one whose stock copy is still being read: product pages and the add to cart
		// that returns to them would wait for it.
		stock := newCatalogStock(a.m.inventory)
		h := &readyz{pool: a.pool, draining: &atomic.Bool{}, catalogRead: func() bool { return true }, stockRead: stock.loaded}
		ask := func() (int, string) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/readyz", nil))
			return rec.Code, strings.TrimSpace(rec.Body.String())
		}
		code, body := ask()
		require.Equal(t, http.StatusServiceUnavailable, code)
		require.Equal(t, "not ready: reading stock levels", body)
		_, err := stock.cache.get(t.Context())
		require.NoError(t, err)
		code, body = ask()
		require.Equal(t, http.StatusOK, code, body)
	})

	t.Run("OKSameOriginPost", func(t *testing.T) {
		t.Parallel()
		// The control for the refusals below: the same request from our own pages passes.
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, a.base+"/test/echo", strings.NewReader("q=1"))
		require.NoError(t, err)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Origin", a.base)
		res := a.do(t, req)
		require.Equal(t, http.StatusOK, res.status)
		require.Equal(t, "read 3 bytes", res.body)
	})

	t.Run("OKBodyAtTheCap", func(t *testing.T) {
		t.Parallel()
		res := a.rawRequest(t, "POST /test/echo HTTP/1.1\r\nHost: "+a.m.Addr()+
			"\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n", chunked(maxBodyBytes))
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, res.StatusCode, "body: %s", body)
		require.Equal(t, fmt.Sprintf("read %d bytes", maxBodyBytes), string(body))
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		res := a.get(t, "/no/such/page")
		require.Equal(t, http.StatusNotFound, res.status)
		requireSecurityHeaders(t, res.header)
		p := parsePage(t, res.body)
		require.True(t, p.has("site-header"), "the 404 page is inside the layout")
		require.True(t, p.has("category-nav"), "a shopper who got lost can navigate on")
		p.one("error-page")
		require.NotEmpty(t, webtest.Text(p.one("error-title")))
		require.NotEmpty(t, webtest.Text(p.one("error-message")))
		require.False(t, p.has("request-id"), "a 404 is not ours to investigate")
	})

	t.Run("ErrPanicShowsRequestID", func(t *testing.T) {
		t.Parallel()
		res := a.get(t, "/test/panic")
		require.Equal(t, http.StatusInternalServerError, res.status)
		requireSecurityHeaders(t, res.header)
		id := res.header.Get(httpx.RequestIDHeader)
		require.NotEmpty(t, id)
		p := parsePage(t, res.body)
		require.True(t, p.has("site-header"), "the 500 page is inside the layout")
		p.one("error-page")
		require.Equal(t, id, webtest.Text(p.one("request-id")), "the reference the shopper quotes is the logged one")
		require.NotContains(t, res.body, panicValue, "the panic's text is not shown")
		require.NotContains(t, res.body, "goroutine")

		// The process survives.
		require.Equal(t, http.StatusOK, a.get(t, "/").status)

		// One error record tells the operator what happened, with the stack; the access
		// log line is separate. Logging the same panic twice doubles alerts and confuses
		// whoever looks up the reference. The access line is written after the response
		// went out, so wait for it.
		var problems, access []logRecord
		require.Eventually(t, func() bool {
			problems, access = nil, nil
			for _, r := range jsonLogRecords(t, a.logs.String()) {
				if r.str("request_id") != id {
					continue
				}
				if r.str("msg") == "request" {
					access = append(access, r)
				} else {
					problems = append(problems, r)
				}
			}
			return len(access) > 0
		}, 5*time.Second, 10*time.Millisecond, "access log line for request %s", id)
		var summary []string
		for _, r := range problems {
			summary = append(summary, fmt.Sprintf("%s %q (err=%q)", r.str("level"), r.str("msg"), r.str("err")))
		}
		require.Equal(t, 1, len(problems), "the panic is logged exactly once, got: %s", strings.Join(summary, "; "))
		require.Equal(t, "ERROR", problems[0].str("level"))
		require.Equal(t, panicValue, problems[0].str("panic"))
		require.Contains(t, problems[0].str("stack"), "goroutine", "the log carries the stack")
		require.Len(t, access, 1)
		require.EqualValues(t, http.StatusInternalServerError, access[0]["status"])
		require.Equal(t, "/test/panic", access[0].str("route"))
	})

	t.Run("ErrCrossSitePost", func(t *testing.T) {
		t.Parallel()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, a.base+"/test/echo", strings.NewReader("q=1"))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		res := a.do(t, req)
		require.Equal(t, http.StatusForbidden, res.status)
		p := parsePage(t, res.body)
		require.True(t, p.has("site-header"))
		p.one("error-page")
	})

	t.Run("ErrForeignOriginPost", func(t *testing.T) {
		t.Parallel()
		// An older browser sends no Sec-Fetch-Site, only an Origin that is not our Host.
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, a.base+"/test/echo", strings.NewReader("q=1"))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "http://evil.example")
		res := a.do(t, req)
		require.Equal(t, http.StatusForbidden, res.status)
		parsePage(t, res.body).one("error-page")
	})

	t.Run("ErrDeclaredBodyTooLarge", func(t *testing.T) {
		t.Parallel()
		// The declared length is refused before the body is sent: the server does not
		// wait for 2 MiB it will not read.
		res := a.rawRequest(t, fmt.Sprintf("POST /test/echo HTTP/1.1\r\nHost: %s\r\n"+
			"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n",
			a.m.Addr(), 2*maxBodyBytes), nil)
		require.Equal(t, http.StatusRequestEntityTooLarge, res.StatusCode)
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		p := parsePage(t, string(body))
		require.True(t, p.has("site-header"))
		p.one("error-page")
	})

	t.Run("ErrDeclaredBodyOneByteOver", func(t *testing.T) {
		t.Parallel()
		res := a.rawRequest(t, fmt.Sprintf("POST / HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n",
			a.m.Addr(), maxBodyBytes+1), nil)
		require.Equal(t, http.StatusRequestEntityTooLarge, res.StatusCode)
	})

	t.Run("ErrStreamedBodyTooLarge", func(t *testing.T) {
		t.Parallel()
		// No declared length: the body is cut off when read past the cap.
		res := a.rawRequest(t, "POST /test/echo HTTP/1.1\r\nHost: "+a.m.Addr()+
			"\r\nTransfer-Encoding: chunked\r\n", chunked(2*maxBodyBytes))
		require.Equal(t, http.StatusRequestEntityTooLarge, res.StatusCode)
	})
}

// TestFlashes checks that the one-time message a POST leaves for the page after its
// redirect shows on whatever storefront page that is, once, and that the storefront does
// not take the back office's messages.
func TestFlashes(t *testing.T) {
	t.Parallel()
	a := setup(t, appOptions{products: 1})
	flashTexts := func(p page) []string {
		var out []string
		for _, n := range p.byTestID("flash") {
			out = append(out, webtest.Text(n))
		}
		return out
	}

	t.Run("OKStorefrontHomeAfterAccountDeletion", func(t *testing.T) {
		t.Parallel()
		_, err := a.m.users.Register(t.Context(), users.RegisterInput{Email: "dora@example.com", Name: "Dora", Password: adminTestPassword})
		require.NoError(t, err)
		b := a.signIn(t, "dora@example.com")
		res := b.send(t, http.MethodPost, "/account/delete", url.Values{"current_password": {adminTestPassword}})
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		require.Equal(t, "/", res.header.Get("Location"))

		home := b.send(t, http.MethodGet, "/", nil)
		require.Equal(t, http.StatusOK, home.status)
		p := parsePage(t, home.body)
		require.Equal(t, []string{"Your account was deleted. Thank you for shopping with us."}, flashTexts(p))
		inMain := false
		for n := range p.one("main").Descendants() {
			inMain = inMain || webtest.Attr(n, "data-testid") == "flash"
		}
		require.True(t, inMain, "the flash shows in the main landmark")
		require.True(t, p.has("product-card"), "the home page itself still renders")

		require.Empty(t, flashTexts(parsePage(t, b.send(t, http.MethodGet, "/", nil).body)), "a flash is shown once")
	})

	t.Run("OKBackOfficeKeepsItsOwn", func(t *testing.T) {
		t.Parallel()
		owner, err := a.m.users.CreateStaff(t.Context(), users.Actor{}, users.RoleOwner, users.RegisterInput{
			Email: "olga@shop.test", Name: "Olga", Password: adminTestPassword,
		}, users.RoleOwner)
		require.NoError(t, err)
		b := a.signIn(t, "olga@shop.test")
		// A hand-made request without "disabled" is answered with an error flash.
		res := b.send(t, http.MethodPost, "/admin/staff/"+strconv.FormatInt(int64(owner.ID), 10)+"/disable", url.Values{})
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		require.Equal(t, "/admin/staff", res.header.Get("Location"))

		list := b.send(t, http.MethodGet, "/admin/staff", nil)
		require.Equal(t, http.StatusOK, list.status)
		require.Equal(t, []string{"Choose whether to disable or enable the account."}, flashTexts(parsePage(t, list.body)))
	})
}

// TestSignedInPagesArePrivate: a storefront page rendered for a signed-in shopper names
// them in its header, so no shared cache may keep it for others; an anonymous visitor's
// page says nothing of the kind, and pages that must not be kept at all still say no-store.
func TestSignedInPagesArePrivate(t *testing.T) {
	t.Parallel()
	a := setup(t, appOptions{products: 2})
	_, err := a.m.users.Register(t.Context(), users.RegisterInput{Email: "pia@example.com", Name: "Pia", Password: adminTestPassword})
	require.NoError(t, err)
	pia := a.signIn(t, "pia@example.com")
	anon := a.browser(t)
	for _, path := range []string{"/", "/search?q=a", "/pages/none-here"} {
		res := pia.send(t, http.MethodGet, path, nil)
		require.Contains(t, res.body, "Pia", "%s names the shopper", path)
		if res.status == http.StatusOK {
			require.Equal(t, "private", res.header.Get("Cache-Control"), path)
		}
		require.NotContains(t, anon.send(t, http.MethodGet, path, nil).header.Get("Cache-Control"), "private", path)
	}
	require.Equal(t, "no-store", pia.send(t, http.MethodGet, "/account", nil).header.Get("Cache-Control"), "the account page is not kept at all")
}
