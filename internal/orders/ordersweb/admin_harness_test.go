package ordersweb_test

import (
	"cmp"
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

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/orders/ordersweb"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/payments/paymentstest"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/internal/platform/jobs"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
	"github.com/monoshop/monoshop/web/webtest"
)

// TestMain is the package's one TestMain (every test file of ordersweb shares it): the
// private test database is stopped after the tests.
func TestMain(m *testing.M) { dbtest.Main(m) }

// The variants every test order is made of.
const (
	teeVariant int64 = 501
	mugVariant int64 = 502
)

// staffActor is the staff member every request acts as.
var staffActor = audit.Actor{ID: 7, Email: "olivia@shop.test"}

// permsHeader names the permissions the request's staff member holds, comma-separated;
// without it they hold every order permission (an order manager).
const permsHeader = "X-Test-Permissions"

// adminEnv is the back office's order pages over real HTTP, on a fresh database, with the
// real orders, inventory and payments services (manual payment provider).
type adminEnv struct {
	ctx  context.Context
	pool *pgxpool.Pool
	inv  *inventory.Service
	pay  *payments.Service
	svc  *orders.Service
	base string
	http *http.Client

	mu      sync.Mutex
	flashes []string
}

func adminSetup(t *testing.T) *adminEnv {
	t.Helper()
	return adminSetupIn(t, nil)
}

// adminSetupIn serves the pages of a store whose clock is zone (nil: UTC).
func adminSetupIn(t *testing.T, zone *time.Location) *adminEnv {
	t.Helper()
	pool := dbtest.DB(t)
	e := &adminEnv{ctx: t.Context(), pool: pool}
	e.inv = inventory.NewService(pool, nil)
	var err error
	// The test gateway authorizes cards only, for the capture action; its webhooks are
	// queued (insert-only job client) and never delivered: tests apply the gateway's
	// answer by asking it (Reconcile).
	e.pay, err = payments.NewService(pool, nil, payments.Config{
		DefaultProvider: payments.ProviderManual,
		TestGateway:     &payments.TestGatewayConfig{Secret: paymentstest.Secret, CaptureManually: true},
	})
	require.NoError(t, err)
	reg := jobs.NewRegistry()
	e.pay.RegisterJobs(reg)
	queue, err := jobs.NewClient(pool, reg, slog.New(slog.DiscardHandler), jobs.Options{})
	require.NoError(t, err)
	e.pay.UseJobs(queue)
	e.svc = orders.NewService(pool, nil, e.inv, e.pay, orders.Config{})
	// The hooks cmd/shop subscribes: the order follows its payment.
	e.pay.OnPaid(e.svc.MarkPaidTx)
	e.pay.OnFailed(e.svc.MarkPaymentFailedTx)
	e.pay.OnAuthorized(e.svc.MarkAuthorizedTx)
	e.pay.OnVoided(e.svc.MarkVoidedTx)
	e.pay.OnRefunded(e.svc.RecordRefundTx)

	loc, err := e.inv.CreateLocation(e.ctx, "Main warehouse", 10)
	require.NoError(t, err)
	for _, v := range []int64{teeVariant, mugVariant} {
		require.NoError(t, e.inv.Adjust(e.ctx, audit.Actor{}, v, loc.ID, 0, 100, "delivery"))
	}

	assets, err := web.NewAssets()
	require.NoError(t, err)
	log := slog.New(slog.DiscardHandler)
	rr := web.NewRenderer(web.Site{Name: "Test Shop", Assets: assets, Env: "dev", Location: zone}, log)
	h := ordersweb.NewHandler(ordersweb.Deps{
		Orders: e.svc, Payments: e.pay, Renderer: rr, Log: log,
		Actor: func(*http.Request) audit.Actor { return staffActor },
		Flash: func(_ *http.Request, _, text string) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.flashes = append(e.flashes, text)
		},
		Can: func(r *http.Request, p users.Permission) bool {
			perms, limited := r.Header[permsHeader]
			if !limited {
				return p == users.PermOrdersView || p == users.PermOrdersEdit || p == users.PermRefunds
			}
			return strings.Contains(","+strings.Join(perms, ",")+",", ","+string(p)+",")
		},
	})
	r := chi.NewRouter()
	r.Route("/admin/orders", func(r chi.Router) {
		h.AdminViewRoutes(r)
		h.AdminEditRoutes(r)
		h.AdminRefundRoutes(r)
	})
	r.Method(http.MethodGet, "/static/*", assets.Handler())
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

func eur(minor int64) money.Amount { return money.New(minor, "EUR") }

// orderSpec is what a test order differs in.
type orderSpec struct {
	Key   string
	Email string
	Name  string
	Tees  int // units of the tee (€20.00 each)
	Mugs  int // units of the mug (€12.00 each); none when 0
	// Provider pays the order; manual (a bank transfer) when empty.
	Provider string
}

// place checks out an order through the orders service, as checkout would: shipping to
// France by Colissimo (€5.00), prices including 20 % VAT, paid by manual transfer.
func (e *adminEnv) place(t *testing.T, s orderSpec) orders.Order {
	t.Helper()
	if s.Tees == 0 {
		s.Tees = 3
	}
	lines := []orders.Line{{VariantID: teeVariant, SKU: "TEE-M", Name: "Blue tee", Quantity: s.Tees, UnitPrice: eur(2000), WeightGrams: 200}}
	opts := []string{"Size: M"}
	if s.Mugs > 0 {
		lines = append(lines, orders.Line{VariantID: mugVariant, SKU: "MUG-1", Name: "Enamel mug", Quantity: s.Mugs, UnitPrice: eur(1200), WeightGrams: 400})
		opts = append(opts, "")
	}
	o, err := e.svc.PlaceOrder(e.ctx, orders.PlaceOrderInput{
		IdempotencyKey: s.Key,
		Lines:          lines,
		Options:        opts,
		Email:          s.Email,
		Shipping:       orders.Address{Country: "FR"},
		ShippingAddress: orders.AddressDetails{"name": s.Name, "line1": "1 rue de Rivoli", "city": "Paris",
			"postal_code": "75001", "country": "FR"},
		BillingAddress:  orders.AddressDetails{"name": s.Name, "line1": "9 quai Voltaire", "city": "Paris", "postal_code": "75007", "country": "FR"},
		Method:          orders.ShippingMethod{ID: 1, Name: "Colissimo", Kind: orders.MethodFlat, Price: eur(500)},
		Rates:           []orders.TaxRate{{Country: "FR", Rate: 2000, Name: "TVA"}},
		Mode:            orders.PricesIncludeTax,
		PaymentProvider: cmp.Or(s.Provider, payments.ProviderManual),
	})
	require.NoError(t, err)
	return o
}

// authorized pays a test-gateway order by card up to authorization, as the shopper would
// on the gateway's page, and applies the gateway's answer.
func (e *adminEnv) authorized(t *testing.T, o orders.Order) {
	t.Helper()
	page, err := e.pay.Begin(e.ctx, payments.PaymentID(o.PaymentID), "/checkout/return/"+o.Token, "")
	require.NoError(t, err)
	_, err = e.pay.TestGateway().SubmitCard(e.ctx, page[strings.LastIndex(page, "/")+1:], paymentstest.CardSucceeds)
	require.NoError(t, err)
	p, err := e.pay.Reconcile(e.ctx, payments.PaymentID(o.PaymentID))
	require.NoError(t, err)
	require.Equal(t, payments.StateAuthorized, p.State)
}

// paid records the order's bank transfer as arrived, through the payments module.
func (e *adminEnv) paid(t *testing.T, o orders.Order) {
	t.Helper()
	_, err := e.pay.MarkPaidManually(e.ctx, payments.PaymentID(o.PaymentID), staffActor)
	require.NoError(t, err)
}

// order reads an order as the service sees it now.
func (e *adminEnv) order(t *testing.T, number int64) orders.Order {
	t.Helper()
	o, err := e.svc.Order(e.ctx, number)
	require.NoError(t, err)
	return o
}

// lines reads an order's lines as the service sees them now.
func (e *adminEnv) lines(t *testing.T, o orders.Order) []orders.OrderLine {
	t.Helper()
	ls, err := e.svc.Lines(e.ctx, o)
	require.NoError(t, err)
	return ls
}

// lastFlash is the message the last successful action left for the next page.
func (e *adminEnv) lastFlash(t *testing.T) string {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	require.NotEmpty(t, e.flashes, "no flash was queued")
	return e.flashes[len(e.flashes)-1]
}

type response struct {
	status int
	header http.Header
	body   string
}

func (e *adminEnv) do(t *testing.T, req *http.Request) response {
	t.Helper()
	res, err := e.http.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return response{status: res.StatusCode, header: res.Header, body: string(raw)}
}

// get fetches a page; hdr are header name/value pairs.
func (e *adminEnv) get(t *testing.T, path string, hdr ...string) response {
	t.Helper()
	req, err := http.NewRequestWithContext(e.ctx, http.MethodGet, e.base+path, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return e.do(t, req)
}

func (e *adminEnv) post(t *testing.T, path string, form url.Values) response {
	t.Helper()
	req, err := http.NewRequestWithContext(e.ctx, http.MethodPost, e.base+path, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(t, req)
}

// htmlNode shortens predicates over parsed nodes.
type htmlNode = html.Node

// page is a parsed HTML document searched by data-testid.
type page struct{ root *html.Node }

func parse(t *testing.T, body string) page {
	t.Helper()
	return page{webtest.Parse(t, body)}
}

// open fetches path, requires 200 and parses it.
func (e *adminEnv) open(t *testing.T, path string, hdr ...string) page {
	t.Helper()
	res := e.get(t, path, hdr...)
	require.Equal(t, http.StatusOK, res.status, res.body)
	return parse(t, res.body)
}

func (p page) byTestID(id string) []*html.Node { return webtest.ByTestID(p.root, id) }

func (p page) has(id string) bool { return len(p.byTestID(id)) > 0 }

func (p page) one(t *testing.T, id string) *html.Node {
	t.Helper()
	return webtest.One(t, p.root, id)
}

// text of the single element with data-testid id.
func (p page) text(t *testing.T, id string) string {
	t.Helper()
	return webtest.TextContent(p.one(t, id))
}

// formValues is what a browser would submit from the form with data-testid id, as the
// page rendered it (hidden fields included, unticked boxes left out).
func (p page) formValues(t *testing.T, id string) url.Values {
	t.Helper()
	return webtest.FormValues(t, p.one(t, id))
}
