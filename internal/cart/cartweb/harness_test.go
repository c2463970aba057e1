package cartweb_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/internal/cart"
	"github.com/monoshop/monoshop/internal/cart/carttest"
	"github.com/monoshop/monoshop/internal/cart/cartweb"
	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/internal/platform/httpx"
	"github.com/monoshop/monoshop/internal/platform/session"
	"github.com/monoshop/monoshop/web"
	"github.com/monoshop/monoshop/web/webtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// testShop is the cart pages on the real cart service over a seeded catalog, behind the
// middleware cmd/shop puts in front of them: sessions in Postgres, the signed-in account,
// and the header's cart count and flash messages. Who is signed in comes from a test
// header, as the users module may not be imported here (DESIGN.md §2 rule 4); signing in
// goes through /test/signin, which does what usersweb's sign-in does for the cart: renew
// the session token, then call the merge hook.
type testShop struct {
	base    string
	shop    *carttest.Shop
	svc     *cart.Service
	items   []carttest.Item
	errLog  *lockedBuffer
	handler *cartweb.Handler
}

type accountKey struct{}

func startShop(t *testing.T) *testShop {
	t.Helper()
	pool := dbtest.DB(t)
	shop := carttest.NewShop(t, pool, 6)
	s := &testShop{shop: shop, errLog: &lockedBuffer{}}
	s.svc = cart.NewService(pool, shop.Catalog, shop.Inventory, nil)
	s.items = shop.Items(t, 4)
	for _, it := range s.items {
		shop.Stock(t, it.ID(), 10)
	}
	log := slog.New(slog.NewTextHandler(s.errLog, &slog.HandlerOptions{Level: slog.LevelError}))
	t.Cleanup(func() { require.Empty(t, s.errLog.String(), "no request may fail on our side") })

	assets, err := web.NewAssets()
	require.NoError(t, err)
	rr := web.NewRenderer(web.Site{Name: "Test Shop", Assets: assets, Env: "dev"}, log)
	sessions := session.New(pool, false)
	s.handler = cartweb.NewHandler(s.svc, sessions, rr, log, cartweb.Options{
		AccountID: func(ctx context.Context) int64 { id, _ := ctx.Value(accountKey{}).(int64); return id },
	})

	r := chi.NewRouter()
	r.Use(httpx.RequestID, sessions.LoadAndSave, testAccount, chrome(sessions, s.handler))
	s.handler.Routes(r)
	r.Get("/", func(w http.ResponseWriter, r *http.Request) {
		rr.Page(w, r, http.StatusOK, web.Layout(web.PageMeta{Title: "Home"}))
	})
	r.Post("/test/signin", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.FormValue("account"), 10, 64)
		require.NoError(t, err)
		require.NoError(t, sessions.RenewToken(r.Context()))
		require.NoError(t, s.handler.MergeGuestCart(r.Context(), id))
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	r.NotFound(rr.NotFound)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	s.base = srv.URL
	return s
}

func testAccount(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id, err := strconv.ParseInt(r.Header.Get("X-Test-Account"), 10, 64); err == nil {
			r = r.WithContext(context.WithValue(r.Context(), accountKey{}, id))
		}
		next.ServeHTTP(w, r)
	})
}

// chrome does what cmd/shop's chrome middleware does for the header: the cart count
// (except on the cart's own routes, which count for themselves) and, on a page view,
// the one-time messages.
func chrome(sessions *scs.SessionManager, h *cartweb.Handler) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var c web.Chrome
			if !(r.Method == http.MethodGet && r.URL.Path == "/cart") && !(r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/cart/")) {
				c.CartCount, c.CountCart = h.Count(r), nil
			}
			if r.Method == http.MethodGet {
				for _, f := range session.PopFlashes(r.Context(), sessions) {
					c.Flashes = append(c.Flashes, web.FlashMessage{Kind: web.FlashKind(f.Kind), Text: f.Text})
				}
				if m, ok := cartweb.AddedMessage(r); ok {
					c.Flashes = append(c.Flashes, m)
				}
			}
			next.ServeHTTP(w, r.WithContext(web.WithChrome(r.Context(), c)))
		})
	}
}

// shopper is one browser with its own cookie jar (and so its own session).
type shopper struct {
	t       *testing.T
	shop    *testShop
	http    *http.Client
	account int64
}

func (s *testShop) browser(t *testing.T) *shopper {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &shopper{t: t, shop: s, http: &http.Client{
		Jar:           jar,
		Timeout:       15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type response struct {
	t      *testing.T
	status int
	header http.Header
	body   string
}

func (b *shopper) do(method, path string, form url.Values, referer string) response {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(b.t.Context(), method, b.shop.base+path, body)
	require.NoError(b.t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if referer != "" {
		req.Header.Set("Referer", b.shop.base+referer)
	}
	if b.account != 0 {
		req.Header.Set("X-Test-Account", strconv.FormatInt(b.account, 10))
	}
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

func (b *shopper) post(path string, form url.Values) response {
	b.t.Helper()
	return b.do(http.MethodPost, path, form, "")
}

// page fetches a page that must answer 200.
func (b *shopper) page(path string) doc {
	b.t.Helper()
	res := b.get(path)
	require.Equal(b.t, http.StatusOK, res.status, "GET %s: %.2000s", path, res.body)
	return parseDoc(b.t, res.body)
}

// add posts the product page's form, from the product page.
func (b *shopper) add(variant, qty string) response {
	b.t.Helper()
	form := url.Values{"variant_id": {variant}}
	if qty != "" {
		form.Set("quantity", qty)
	}
	return b.do(http.MethodPost, "/cart/items", form, "/p/some-product")
}

// vid is a variant id as a form sends it.
func vid(id catalog.VariantID) string { return strconv.FormatInt(int64(id), 10) }

// redirect requires a 303 and returns where it leads.
func (r response) redirect() string {
	r.t.Helper()
	require.Equal(r.t, http.StatusSeeOther, r.status, "want a redirect, got: %.2000s", r.body)
	return r.header.Get("Location")
}

// doc is a parsed page queried by data-testid.
type doc struct {
	t    *testing.T
	root *html.Node
}

func parseDoc(t *testing.T, body string) doc {
	t.Helper()
	return doc{t: t, root: webtest.Parse(t, body)}
}

func (d doc) all(id string) []*html.Node { return webtest.ByTestID(d.root, id) }

func (d doc) one(id string) *html.Node {
	d.t.Helper()
	return webtest.One(d.t, d.root, id)
}

func (d doc) text(id string) string {
	d.t.Helper()
	return webtest.Text(d.one(id))
}

func (d doc) flashes() []string {
	var out []string
	for _, n := range d.all("flash") {
		out = append(out, webtest.Text(n))
	}
	return out
}

func (d doc) cartCount() string {
	d.t.Helper()
	return d.text("cart-count")
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
