package inventoryweb_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/inventory/inventoryweb"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/web"
	"github.com/monoshop/monoshop/web/webtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// catalogue stands in for the catalog module (inventoryweb may not import it): a few
// variants with SKUs and titles.
type catalogue map[int64]inventory.VariantLabel

func (c catalogue) DescribeVariants(_ context.Context, ids []int64) (map[int64]inventory.VariantLabel, error) {
	out := map[int64]inventory.VariantLabel{}
	for _, id := range ids {
		if l, ok := c[id]; ok {
			out[id] = l
		}
	}
	return out, nil
}

func (c catalogue) FindVariants(_ context.Context, text string, limit int) ([]int64, error) {
	text = strings.ToLower(text)
	var out []int64
	for id, l := range c {
		if strings.HasPrefix(strings.ToLower(l.SKU), text) || strings.Contains(strings.ToLower(l.ProductTitle), text) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out[:min(len(out), limit)], nil
}

func (c catalogue) VariantsBySKU(_ context.Context, skus []string) (map[string]int64, error) {
	out := map[string]int64{}
	for id, l := range c {
		if slices.ContainsFunc(skus, func(s string) bool { return strings.EqualFold(s, l.SKU) }) {
			out[strings.ToLower(l.SKU)] = id
		}
	}
	return out, nil
}

// The test catalogue: a T-shirt in three sizes and a mug.
const (
	teeS int64 = 101
	teeM int64 = 102
	teeL int64 = 103
	mug  int64 = 201
)

var testCatalogue = catalogue{
	teeS: {SKU: "TEE-S", Title: "S", ProductTitle: "Organic tee"},
	teeM: {SKU: "TEE-M", Title: "M", ProductTitle: "Organic tee"},
	teeL: {SKU: "TEE-L", Title: "L", ProductTitle: "Organic tee"},
	mug:  {SKU: "MUG-1", ProductTitle: "Enamel mug"},
}

// env is the inventory back office served over real HTTP on a fresh database.
type env struct {
	ctx  context.Context
	pool *pgxpool.Pool
	inv  *inventory.Service
	base string
	http *http.Client
	// main and store are the two stock locations.
	main, store int64
}

// readOnlyHeader makes the test's CanEdit say no, as for a staff member who may only look.
const readOnlyHeader = "X-Test-Read-Only"

func setup(t *testing.T) *env {
	t.Helper()
	pool := dbtest.DB(t)
	inv := inventory.NewService(pool, nil)
	assets, err := web.NewAssets()
	require.NoError(t, err)
	log := slog.New(slog.DiscardHandler)
	rr := web.NewRenderer(web.Site{Name: "Test Shop", Assets: assets, Env: "dev"}, log)
	h := inventoryweb.NewHandler(inv, rr, log, inventoryweb.Options{
		Variants: testCatalogue,
		Actor:    func(*http.Request) audit.Actor { return audit.Actor{ID: 7, Email: "staff@shop.test"} },
		CanEdit:  func(r *http.Request) bool { return r.Header.Get(readOnlyHeader) == "" },
	})
	r := chi.NewRouter()
	r.Route("/admin/inventory", func(r chi.Router) {
		h.AdminViewRoutes(r)
		h.AdminEditRoutes(r)
	})
	r.NotFound(rr.NotFound)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)

	e := &env{ctx: t.Context(), pool: pool, inv: inv, base: srv.URL, http: &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	main, err := inv.CreateLocation(e.ctx, "Main warehouse", 10)
	require.NoError(t, err)
	store, err := inv.CreateLocation(e.ctx, "City store", 5)
	require.NoError(t, err)
	e.main, e.store = main.ID, store.ID
	return e
}

// give sets a level's quantity on hand from zero, as a delivery would.
func (e *env) give(t *testing.T, variant, location int64, qty int) {
	t.Helper()
	require.NoError(t, e.inv.Adjust(e.ctx, audit.Actor{}, variant, location, 0, qty, "delivery"))
}

// onHand is a level's quantity on hand as the service sees it.
func (e *env) onHand(t *testing.T, variant, location int64) int {
	t.Helper()
	levels, err := e.inv.Levels(e.ctx, variant)
	require.NoError(t, err)
	for _, l := range levels {
		if l.LocationID == location {
			return l.OnHand
		}
	}
	return 0
}

// movements counts a variant's ledger entries with reason.
func (e *env) movements(t *testing.T, variant int64, reason string) int {
	t.Helper()
	var n int
	require.NoError(t, e.pool.QueryRow(e.ctx, `SELECT count(*) FROM inventory.movements WHERE variant_id = $1 AND reason = $2`,
		variant, reason).Scan(&n))
	return n
}

type response struct {
	status int
	header http.Header
	body   string
}

func (e *env) do(t *testing.T, req *http.Request) response {
	t.Helper()
	res, err := e.http.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return response{status: res.StatusCode, header: res.Header, body: string(raw)}
}

func (e *env) get(t *testing.T, path string, hdr ...string) response {
	t.Helper()
	req, err := http.NewRequestWithContext(e.ctx, http.MethodGet, e.base+path, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return e.do(t, req)
}

func (e *env) post(t *testing.T, path string, form url.Values) response {
	t.Helper()
	req, err := http.NewRequestWithContext(e.ctx, http.MethodPost, e.base+path, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(t, req)
}

// upload posts a CSV file to the import form.
func (e *env) upload(t *testing.T, csv string, dryRun bool) response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "stock.csv")
	require.NoError(t, err)
	_, err = fw.Write([]byte(csv))
	require.NoError(t, err)
	if dryRun {
		require.NoError(t, mw.WriteField("dry_run", "on"))
	}
	require.NoError(t, mw.Close())
	req, err := http.NewRequestWithContext(e.ctx, http.MethodPost, e.base+"/admin/inventory/import", &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return e.do(t, req)
}

// htmlNodeT shortens predicates over parsed nodes.
type htmlNodeT = html.Node

// page is a parsed HTML document searched by data-testid.
type page struct{ root *html.Node }

func parse(t *testing.T, body string) page {
	t.Helper()
	return page{webtest.Parse(t, body)}
}

func (p page) byTestID(id string) []*html.Node { return webtest.ByTestID(p.root, id) }

func (p page) has(id string) bool { return len(p.byTestID(id)) > 0 }

func (p page) one(t *testing.T, id string) *html.Node {
	t.Helper()
	return webtest.One(t, p.root, id)
}

// levelRow is the row of the variant page for a location.
func (p page) levelRow(t *testing.T, location string) *html.Node {
	t.Helper()
	for _, n := range p.byTestID("level-row") {
		if webtest.Attr(n, "data-location") == location {
			return n
		}
	}
	require.Fail(t, "no level row for "+location)
	return nil
}
