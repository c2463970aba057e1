package main

import (
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/catalog/catalogweb"
	"github.com/monoshop/monoshop/internal/platform/httpx"
	"github.com/monoshop/monoshop/web"
)

// maxBodyBytes caps every request body: forms are small. Routes that take uploads will
// raise it for themselves.
const maxBodyBytes = 1 << 20

// routerDeps is everything the router wires; one struct so adding a module is one field.
type routerDeps struct {
	Config   Config
	Log      *slog.Logger
	Pool     *pgxpool.Pool
	Renderer *web.Renderer
	Assets   *web.Assets
	Catalog  *catalog.Service
	Draining *atomic.Bool
}

// newRouter assembles the middleware chain and mounts every module's routes. The order
// matters: the request ID and real IP first so every later line can log them, the
// recoverer inside the access log so a panic is logged as a 500, then the safety checks
// that refuse a request before any handler sees it.
func newRouter(d routerDeps) chi.Router {
	r := chi.NewRouter()
	rr := d.Renderer
	r.Use(
		httpx.RequestID,
		httpx.RealIP(d.Config.TrustedProxies),
		httpx.AccessLog(d.Log),
		httpx.Recoverer(d.Log, statusHandler(rr, http.StatusInternalServerError)),
		httpx.SecurityHeaders(d.Config.Env == "prod"),
		httpx.MaxBody(maxBodyBytes, statusHandler(rr, http.StatusRequestEntityTooLarge)),
		httpx.CrossOrigin(statusHandler(rr, http.StatusForbidden), "/webhooks/"),
		httpx.Timeout(15*time.Second),
		chromeMiddleware(d),
	)

	r.Get("/healthz", healthz)
	r.Method(http.MethodGet, "/readyz", &readyz{pool: d.Pool, draining: d.Draining})
	r.Method(http.MethodGet, "/static/*", d.Assets.Handler())

	catalogweb.NewHandler(d.Catalog, rr, d.Log, catalogweb.Options{BaseURL: d.Config.BaseURL}).Routes(r)

	r.NotFound(rr.NotFound)
	r.MethodNotAllowed(statusHandler(rr, http.StatusMethodNotAllowed).ServeHTTP)
	return r
}

func statusHandler(rr *web.Renderer, status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { rr.Status(w, r, status) })
}

// chromeMiddleware fills the header every page shows (category navigation, later the cart
// count and the signed-in shopper). Probes and assets skip it: they render no page.
func chromeMiddleware(d routerDeps) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p := r.URL.Path
			if p == "/healthz" || p == "/readyz" || strings.HasPrefix(p, "/static/") {
				next.ServeHTTP(w, r)
				return
			}
			chrome := web.Chrome{Query: r.URL.Query().Get("q")}
			cats, err := d.Catalog.ListTopCategories(r.Context())
			if err != nil {
				// The page can still be useful without navigation.
				d.Log.WarnContext(r.Context(), "category navigation unavailable", "err", err,
					"request_id", httpx.RequestIDFrom(r.Context()))
			}
			for _, c := range cats {
				url := "/c/" + c.Slug
				chrome.Categories = append(chrome.Categories, web.NavLink{
					Label: c.Name, URL: url, Active: strings.HasPrefix(p, url),
				})
			}
			next.ServeHTTP(w, r.WithContext(web.WithChrome(r.Context(), chrome)))
		})
	}
}
