package ordersweb_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/orders/ordersweb"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
	"github.com/monoshop/monoshop/web/webtest"
)

// settingsTee is the variant the orders of these tests are made of; the catalog prices it
// in the shop's currency.
const settingsTee int64 = 601

// settingsEnv is the back office's shipping, tax and discount pages over real HTTP, on a
// fresh database, with the real services wired as cmd/shop wires them: the catalog says
// the shop's currency, the users service keeps the audit log.
type settingsEnv struct {
	ctx     context.Context
	pool    *pgxpool.Pool
	svc     *orders.Service
	users   *users.Service
	catalog *catalog.Service
	base    string
	http    *http.Client

	mu      sync.Mutex
	flashes []string
}

// settingsSetup serves the pages for a shop whose catalog sells in currency.
func settingsSetup(t *testing.T, currency string) *settingsEnv {
	t.Helper()
	return settingsSetupIn(t, currency, nil)
}

// settingsSetupIn serves the pages of a store whose clock is zone (nil: UTC).
func settingsSetupIn(t *testing.T, currency string, zone *time.Location) *settingsEnv {
	t.Helper()
	pool := dbtest.DB(t)
	e := &settingsEnv{ctx: t.Context(), pool: pool, users: users.NewService(pool, nil, users.Options{}), catalog: catalog.NewService(pool, nil)}
	var product int64
	require.NoError(t, pool.QueryRow(e.ctx,
		`INSERT INTO catalog.products (slug, title, status) VALUES ('tee', 'Tee', 'active') RETURNING id`).Scan(&product))
	_, err := pool.Exec(e.ctx, `INSERT INTO catalog.variants (product_id, sku, price_minor, currency) VALUES ($1, 'TEE', 2000, $2)`,
		product, currency)
	require.NoError(t, err)

	inv := inventory.NewService(pool, nil)
	pay, err := payments.NewService(pool, nil, payments.Config{DefaultProvider: payments.ProviderManual})
	require.NoError(t, err)
	e.svc = orders.NewService(pool, nil, inv, pay, orders.Config{Store: orders.StoreDefaults{Name: "Test Shop", ContactEmail: "env@shop.test"}})
	e.svc.UseAudit(e.users)
	loc, err := inv.CreateLocation(e.ctx, "Main warehouse", 10)
	require.NoError(t, err)
	require.NoError(t, inv.Adjust(e.ctx, audit.Actor{}, settingsTee, loc.ID, 0, 100, "delivery"))

	assets, err := web.NewAssets()
	require.NoError(t, err)
	log := slog.New(slog.DiscardHandler)
	rr := web.NewRenderer(web.Site{Name: "Test Shop", Assets: assets, Env: "dev", Location: zone}, log)
	// As cmd/shop does: pages show the store's details as the back office has them.
	rr.UseBrand(func(ctx context.Context) web.Brand {
		d := e.svc.StoreDetails(ctx)
		b := web.Brand{Name: d.Name, ContactEmail: d.ContactEmail}
		if d.Logo != nil {
			b.Logo = &web.Logo{URL: d.Logo.URL(), Width: d.Logo.Width, Height: d.Logo.Height}
		}
		return b
	})
	h := ordersweb.NewHandler(ordersweb.Deps{
		Orders: e.svc, Catalog: e.catalog, Users: e.users, Payments: pay, Renderer: rr, Log: log,
		Actor: func(*http.Request) audit.Actor { return settingsStaff },
		Flash: func(_ *http.Request, _, text string) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.flashes = append(e.flashes, text)
		},
	})
	r := chi.NewRouter()
	r.Method(http.MethodGet, "/static/*", assets.Handler())
	r.Route("/admin/settings", h.AdminSettingsRoutes)
	r.Route("/admin/discounts", h.AdminDiscountRoutes)
	r.Group(h.Routes)
	r.NotFound(rr.NotFound)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	e.base = srv.URL
	e.http = &http.Client{
		Timeout:       20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return e
}

// settingsStaff is the staff member every request acts as.
var settingsStaff = audit.Actor{ID: 9, Email: "grace@shop.test"}

func (e *settingsEnv) do(t *testing.T, req *http.Request) response {
	t.Helper()
	res, err := e.http.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return response{status: res.StatusCode, header: res.Header, body: string(raw)}
}

func (e *settingsEnv) get(t *testing.T, path string) response {
	t.Helper()
	req, err := http.NewRequestWithContext(e.ctx, http.MethodGet, e.base+path, nil)
	require.NoError(t, err)
	return e.do(t, req)
}

// open fetches path, requires 200 and parses it.
func (e *settingsEnv) open(t *testing.T, path string) page {
	t.Helper()
	res := e.get(t, path)
	require.Equal(t, http.StatusOK, res.status, res.body)
	return parse(t, res.body)
}

func (e *settingsEnv) post(t *testing.T, path string, form url.Values) response {
	t.Helper()
	req, err := http.NewRequestWithContext(e.ctx, http.MethodPost, e.base+path, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(t, req)
}

// saved posts form to path, requires the POST-redirect-GET of a success, and returns
// where it leads and the message queued for that page.
func (e *settingsEnv) saved(t *testing.T, path string, form url.Values) (location, flash string) {
	t.Helper()
	return e.followed(t, e.post(t, path, form))
}

// followed requires res to be the redirect of a success and returns where it leads and
// the message queued for that page.
func (e *settingsEnv) followed(t *testing.T, res response) (location, flash string) {
	t.Helper()
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	e.mu.Lock()
	defer e.mu.Unlock()
	require.NotEmpty(t, e.flashes, "no message was queued")
	return res.header.Get("Location"), e.flashes[len(e.flashes)-1]
}

// refused posts form to path, requires a 422 and parses the page it re-rendered.
func (e *settingsEnv) refused(t *testing.T, path string, form url.Values) page {
	t.Helper()
	res := e.post(t, path, form)
	require.Equal(t, http.StatusUnprocessableEntity, res.status, res.body)
	return parse(t, res.body)
}

// settingsSubmit posts the form with data-testid id as the page rendered it, with changes
// applied, to the form's own action.
func settingsSubmit(t *testing.T, e *settingsEnv, p page, id string, changes url.Values) response {
	t.Helper()
	values := webtest.FormValues(t, p.one(t, id))
	for k, v := range changes {
		values[k] = v
	}
	return e.post(t, webtest.Attr(p.one(t, id), "action"), values)
}

// settingsValue is what the control named name in the form with data-testid id shows.
func settingsValue(t *testing.T, p page, id, name string) string {
	t.Helper()
	c := webtest.Control(t, p.one(t, id), name)
	if c.Data == "textarea" {
		return webtest.RawText(c)
	}
	return webtest.Attr(c, "value")
}

// settingsFieldError is the message shown beside the field called name.
func settingsFieldError(t *testing.T, p page, name string) string {
	t.Helper()
	return p.text(t, "field-error-"+name)
}

// settingsRow returns the element with data-testid id whose attribute key is value.
func settingsRow(t *testing.T, p page, id, key, value string) *html.Node {
	t.Helper()
	for _, n := range p.byTestID(id) {
		if webtest.Attr(n, key) == value {
			return n
		}
	}
	require.Failf(t, "row not found", "no %s with %s=%q", id, key, value)
	return nil
}

// settingsTextIn is the text of the one element with data-testid id inside n.
func settingsTextIn(t *testing.T, n *html.Node, id string) string {
	t.Helper()
	found := webtest.ByTestID(n, id)
	require.Len(t, found, 1, "one data-testid=%q", id)
	return webtest.TextContent(found[0])
}

// priced is the shop's pricing as checkout reads it.
func (e *settingsEnv) priced(t *testing.T) orders.PricingSettings {
	t.Helper()
	ps, err := e.svc.PricingSettings(e.ctx)
	require.NoError(t, err)
	return ps
}

// zoneID is the id of the zone called name.
func (e *settingsEnv) zoneID(t *testing.T, name string) int64 {
	t.Helper()
	zones, err := e.svc.ListShippingZones(e.ctx)
	require.NoError(t, err)
	for _, z := range zones {
		if z.Name == name {
			return z.ID
		}
	}
	require.Failf(t, "no zone", "no zone %q", name)
	return 0
}

// auditCount is how many audit entries have action.
func (e *settingsEnv) auditCount(t *testing.T, action string) int {
	t.Helper()
	events, err := e.users.ListAudit(e.ctx, users.AuditFilter{Action: action})
	require.NoError(t, err)
	n := 0
	for _, ev := range events {
		if ev.Action == action {
			n++
		}
	}
	return n
}

// checkout places an order of two tees (€40.00 in the test shop) to France with code.
func (e *settingsEnv) checkout(t *testing.T, key, code string) (orders.Order, error) {
	t.Helper()
	return e.svc.PlaceOrder(e.ctx, orders.PlaceOrderInput{
		IdempotencyKey: key, Email: key + "@example.com", DiscountCode: code,
		Lines:           []orders.Line{{VariantID: settingsTee, SKU: "TEE", Name: "Tee", Quantity: 2, UnitPrice: money.New(2000, "EUR"), WeightGrams: 200}},
		Shipping:        orders.Address{Country: "FR"},
		ShippingAddress: orders.AddressDetails{"name": "Ada", "line1": "1 rue X", "city": "Paris", "postal_code": "75001", "country": "FR"},
		Method:          orders.ShippingMethod{Name: "Pickup", Kind: orders.MethodFlat, Price: money.New(0, "EUR")},
		Mode:            orders.PricesIncludeTax, PaymentProvider: payments.ProviderManual,
	})
}
