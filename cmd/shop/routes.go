package main

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/monoshop/monoshop/internal/cart"
	"github.com/monoshop/monoshop/internal/cart/cartweb"
	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/catalog/catalogweb"
	"github.com/monoshop/monoshop/internal/content"
	"github.com/monoshop/monoshop/internal/content/contentweb"
	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/inventory/inventoryweb"
	"github.com/monoshop/monoshop/internal/notify"
	"github.com/monoshop/monoshop/internal/notify/notifyweb"
	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/orders/ordersweb"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/payments/paymentsweb"
	"github.com/monoshop/monoshop/internal/platform/httpx"
	"github.com/monoshop/monoshop/internal/platform/session"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/internal/users/usersweb"
	"github.com/monoshop/monoshop/web"
)

// maxBodyBytes caps every request body: forms are small.
const maxBodyBytes = 1 << 20

// bodyLimit allows more where the back office uploads files: images (up to 20 MB, plus
// the form around them) and catalog CSV files (a 10,000-product catalog exports to about
// 55 MB: product columns repeat on each of its 150,000 variant lines).
func bodyLimit(r *http.Request) int64 {
	switch p := r.URL.Path; {
	case strings.HasPrefix(p, "/admin/catalog/") && strings.HasSuffix(p, "/images"):
		return 21 << 20
	case p == "/admin/catalog/import":
		return 128 << 20
	case p == "/admin/inventory/import":
		// Stock CSVs are short lines: 150,000 variants at two locations is about 8 MB.
		return 32 << 20
	}
	return maxBodyBytes
}

// routerDeps is everything the router wires; one struct so adding a module is one field.
type routerDeps struct {
	Config    Config
	Log       *slog.Logger
	Pool      *pgxpool.Pool
	Renderer  *web.Renderer
	Assets    *web.Assets
	Catalog   *catalog.Service
	Inventory *inventory.Service
	Cart      *cart.Service
	Payments  *payments.Service
	Orders    *orders.Service
	Stock     catalogStock
	Users     *users.Service
	Notify    *notify.Service
	Content   *content.Service
	Draining  *atomic.Bool
}

// newRouter assembles the middleware chain and mounts every module's routes. The order
// matters: the request ID and real IP first so every later line can log them, the
// recoverer inside the access log so a panic is logged as a 500, then the safety checks
// that refuse a request before any handler sees it.
func newRouter(d routerDeps) (chi.Router, error) {
	r := chi.NewRouter()
	rr := d.Renderer
	compress, err := httpx.Compress()
	if err != nil {
		return nil, err
	}
	r.Use(
		httpx.RequestID,
		httpx.RealIP(d.Config.TrustedProxies),
		// The access log sees the bytes that crossed the network; a panic's error page
		// is compressed like any other.
		httpx.AccessLog(d.Log),
		compress,
		httpx.Recoverer(d.Log, statusHandler(rr, http.StatusInternalServerError)),
		httpx.SecurityHeaders(d.Config.Env == "prod"),
		httpx.MaxBody(bodyLimit, statusHandler(rr, http.StatusRequestEntityTooLarge)),
		httpx.CrossOrigin(statusHandler(rr, http.StatusForbidden), "/webhooks/"),
		httpx.Timeout(15*time.Second),
	)
	sessions := session.New(d.Pool, d.Config.Env == "prod")
	auth := usersweb.NewAuth(d.Users, sessions, rr, d.Log)
	auth.LimitStaffSessions(usersweb.StaffSessionLimits{Idle: d.Config.StaffIdleTimeout, Lifetime: d.Config.StaffSessionLifetime})
	// cartweb may not import users; who is signed in reaches it as a function.
	cartHandler := cartweb.NewHandler(d.Cart, sessions, rr, d.Log, cartweb.Options{
		AccountID: func(ctx context.Context) int64 {
			acc, _ := usersweb.CurrentAccount(ctx)
			return int64(acc.ID)
		},
	})
	// What a guest put in the cart joins the customer's cart when they sign in (or
	// register).
	auth.OnSignIn(func(ctx context.Context, acc users.Account) error {
		return cartHandler.MergeGuestCart(ctx, int64(acc.ID))
	})
	// Pages need the session, the signed-in account and the header; probes, assets and
	// images need none of it and skip the session look-up.
	r.Use(
		pagesOnly(sessions.LoadAndSave),
		pagesOnly(session.RenewOnUse(sessions, time.Now)),
		pagesOnly(auth.Load),
		pagesOnly(chromeMiddleware(d, sessions, cartHandler.Count)),
	)

	// The hosted test payment page and the providers' webhooks.
	paymentsweb.NewHandler(d.Payments, rr, d.Log).Routes(r)
	r.Get("/healthz", healthz)
	r.Method(http.MethodGet, "/readyz", &readyz{pool: d.Pool, draining: d.Draining, catalogRead: d.Catalog.Loaded, stockRead: d.Stock.loaded})
	r.Method(http.MethodGet, "/static/*", d.Assets.Handler())

	catalogHandler := catalogweb.NewHandler(d.Catalog, rr, d.Log, catalogweb.Options{
		BaseURL: d.Config.BaseURL,
		// Product pages say in stock / only N left / out of stock / on backorder.
		Stock: d.Stock,
		// catalogweb imports no other module, so who is signed in reaches it as functions.
		Actor: usersweb.Actor,
		Flash: func(r *http.Request, kind, text string) { session.AddFlash(r.Context(), sessions, kind, text) },
		CanEdit: func(r *http.Request) bool {
			acc, _ := usersweb.CurrentAccount(r.Context())
			return acc.Can(users.PermCatalogEdit)
		},
		// The sitemap lists the shop's published text pages too.
		OtherPages: func(ctx context.Context) ([]string, error) {
			pages, err := d.Content.FooterPages(ctx)
			paths := make([]string, len(pages))
			for i, p := range pages {
				paths[i] = "/pages/" + p.Slug
			}
			return paths, err
		},
	})
	catalogHandler.Routes(r)
	usersHandler := usersweb.NewHandler(d.Users, auth, rr, d.Log)
	usersHandler.Routes(r)
	cartHandler.Routes(r)
	ordersHandler := ordersweb.NewHandler(ordersweb.Deps{
		Orders: d.Orders, Cart: d.Cart, Catalog: d.Catalog, Users: d.Users, Payments: d.Payments,
		Renderer: rr, Log: d.Log, BaseURL: d.Config.BaseURL,
		Account: usersweb.CurrentAccount,
		CartRef: cartHandler.Ref,
		Actor:   usersweb.Actor,
		Flash:   func(r *http.Request, kind, text string) { session.AddFlash(r.Context(), sessions, kind, text) },
		Can: func(r *http.Request, p users.Permission) bool {
			acc, _ := usersweb.CurrentAccount(r.Context())
			return acc.Can(p)
		},
		CheckoutSecret: func(ctx context.Context) []byte { return session.Secret(ctx, sessions, "checkout_secret") },
	})
	ordersHandler.Routes(r)
	// The account page (users) lists the customer's latest orders (orders) in its slot.
	usersHandler.UseOrderHistory(ordersHandler.OrderHistory)
	// A customer's back-office page (users) lists their orders (orders) the same way.
	usersHandler.UseCustomerOrders(ordersHandler.CustomerOrders)

	// contentweb imports no other module, so who acts and the flash reach it as functions.
	contentHandler := contentweb.NewHandler(d.Content, rr, d.Log, contentweb.Options{
		BaseURL: d.Config.BaseURL,
		Actor:   usersweb.Actor,
		Flash:   func(r *http.Request, kind, text string) { session.AddFlash(r.Context(), sessions, kind, text) },
	})
	contentHandler.Routes(r)

	// A password-reset email is a key to an account: the outbox pages show that it was
	// sent, never the link in it ("password_reset" is the kind the users module queues).
	notifyHandler := notifyweb.NewHandler(d.Notify, rr, d.Log, notifyweb.Options{SecretKinds: []string{"password_reset"}})

	r.Route("/admin", func(r chi.Router) {
		r.Use(auth.RequireStaff, adminChromeMiddleware(sessions))
		usersHandler.AdminRoutes(r)
		r.Route("/catalog", func(r chi.Router) {
			// catalog imports no other module, so its pages are guarded here: anyone who may
			// see the catalog reads it, only those who may edit it post its forms.
			r.With(auth.RequirePermission(users.PermCatalogView)).Group(catalogHandler.AdminViewRoutes)
			r.With(auth.RequirePermission(users.PermCatalogEdit)).Group(catalogHandler.AdminEditRoutes)
		})
		r.Route("/inventory", func(r chi.Router) {
			// inventory imports no other module, so its pages are guarded here: anyone who
			// may see stock reads it, only those who may change it post its forms.
			inventoryHandler := inventoryweb.NewHandler(d.Inventory, rr, d.Log, inventoryweb.Options{
				Variants: inventoryVariants{d.Catalog},
				Actor:    usersweb.Actor,
				Flash:    func(r *http.Request, kind, text string) { session.AddFlash(r.Context(), sessions, kind, text) },
				CanEdit: func(r *http.Request) bool {
					acc, _ := usersweb.CurrentAccount(r.Context())
					return acc.Can(users.PermInventoryEdit)
				},
			})
			r.With(auth.RequirePermission(users.PermInventoryView)).Group(inventoryHandler.AdminViewRoutes)
			r.With(auth.RequirePermission(users.PermInventoryEdit)).Group(inventoryHandler.AdminEditRoutes)
		})
		r.Route("/orders", func(r chi.Router) {
			r.With(auth.RequirePermission(users.PermOrdersView)).Group(ordersHandler.AdminViewRoutes)
			r.With(auth.RequirePermission(users.PermOrdersEdit)).Group(ordersHandler.AdminEditRoutes)
			r.With(auth.RequirePermission(users.PermRefunds)).Group(ordersHandler.AdminRefundRoutes)
		})
		r.Route("/discounts", func(r chi.Router) {
			r.Use(auth.RequirePermission(users.PermDiscounts))
			ordersHandler.AdminDiscountRoutes(r)
		})
		r.Route("/settings", func(r chi.Router) {
			r.Use(auth.RequirePermission(users.PermSettings))
			ordersHandler.AdminSettingsRoutes(r)
		})
		r.Route("/content", func(r chi.Router) {
			// content imports no other module, so its pages are guarded here.
			r.Use(auth.RequirePermission(users.PermContentEdit))
			contentHandler.AdminRoutes(r)
		})
		r.Group(func(r chi.Router) {
			// notify imports no other module, so its pages are guarded here.
			r.Use(auth.RequirePermission(users.PermEmailsView))
			notifyHandler.AdminRoutes(r)
		})
	})

	r.NotFound(rr.NotFound)
	r.MethodNotAllowed(statusHandler(rr, http.StatusMethodNotAllowed).ServeHTTP)
	return r, nil
}

func statusHandler(rr *web.Renderer, status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { rr.Status(w, r, status) })
}

// pagesOnly applies mw to page requests only: health probes, static assets, product
// images and payment webhooks render no page and must not cost a session look-up.
func pagesOnly(mw func(http.Handler) http.Handler) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		withMW := mw(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p := r.URL.Path
			if p == "/healthz" || p == "/readyz" || strings.HasPrefix(p, "/static/") || strings.HasPrefix(p, "/media/") || strings.HasPrefix(p, "/store/logo/") ||
				strings.HasPrefix(p, "/webhooks/") {
				next.ServeHTTP(w, r)
				return
			}
			withMW.ServeHTTP(w, r)
		})
	}
}

// chromeMiddleware fills the header every page shows (category navigation, the signed-in
// shopper, the cart count) and the one-time messages left by the previous request.
// cartCount costs a query only for a shopper who has a cart or is signed in.
func chromeMiddleware(d routerDeps, sessions *scs.SessionManager, cartCount func(*http.Request) int) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p := r.URL.Path
			chrome := web.Chrome{Query: r.URL.Query().Get("q")}
			if acc, ok := usersweb.CurrentAccount(r.Context()); ok {
				chrome.Account = &web.AccountBadge{Name: acc.DisplayName(), IsStaff: acc.IsStaff()}
				// The header names the shopper: no shared cache may keep this page for
				// anyone else (pages that must not be kept at all say no-store later).
				w.Header().Set("Cache-Control", "private")
			}
			// The cart page counts the cart it shows (viewing may lower a quantity to
			// what is in stock), and cart actions answer with a redirect (their rare
			// error pages count for themselves): neither needs the count here.
			if !isCartAction(r) && !isAdminPath(p) {
				chrome.CountCart = sync.OnceValue(func() int { return cartCount(r) })
			}
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
			if !isAdminPath(p) {
				pages, err := d.Content.FooterPages(r.Context())
				if err != nil {
					d.Log.WarnContext(r.Context(), "footer pages unavailable", "err", err,
						"request_id", httpx.RequestIDFrom(r.Context()))
				}
				for _, pg := range pages {
					chrome.Pages = append(chrome.Pages, web.NavLink{Label: pg.Title, URL: pg.URL(), Active: p == pg.URL()})
				}
			}
			// Flashes are taken only by a page view: a POST that fails and re-renders its
			// form must not swallow the message meant for the page after the redirect. The
			// back office takes its own in adminChromeMiddleware.
			if r.Method == http.MethodGet && !isAdminPath(p) {
				for _, f := range session.PopFlashes(r.Context(), sessions) {
					chrome.Flashes = append(chrome.Flashes, web.FlashMessage{Kind: web.FlashKind(f.Kind), Text: f.Text})
				}
				if m, ok := cartweb.AddedMessage(r); ok {
					chrome.Flashes = append(chrome.Flashes, m)
				}
			}
			next.ServeHTTP(w, r.WithContext(web.WithChrome(r.Context(), chrome)))
		})
	}
}

// isCartAction reports whether r is the cart page or one of its forms, which fill the
// header's cart count themselves.
func isCartAction(r *http.Request) bool {
	p := r.URL.Path
	return (r.Method == http.MethodGet && p == "/cart") || (r.Method == http.MethodPost && strings.HasPrefix(p, "/cart/"))
}

// isAdminPath reports whether path is in the back office, mounted under /admin.
func isAdminPath(path string) bool {
	return path == "/admin" || strings.HasPrefix(path, "/admin/")
}

// adminNavEntry is one section of the back office: the sidebar shows it to staff whose
// role grants Permission.
type adminNavEntry struct {
	Label      string
	URL        string
	Permission users.Permission
}

// adminNav lists the back office's sections in sidebar order. A module that adds admin
// pages adds its entry here, with the permission its routes check, so nobody is shown a
// link that answers 403.
func adminNav() []adminNavEntry {
	return []adminNavEntry{
		{"Dashboard", "/admin", users.PermDashboard},
		{"Products", "/admin/catalog/products", users.PermCatalogView},
		{"Categories", "/admin/catalog/categories", users.PermCatalogView},
		{"Orders", "/admin/orders", users.PermOrdersView},
		{"Inventory", "/admin/inventory", users.PermInventoryView},
		{"Discounts", "/admin/discounts", users.PermDiscounts},
		{"Pages", "/admin/content/pages", users.PermContentEdit},
		{"Settings", "/admin/settings", users.PermSettings},
		{"Staff", "/admin/staff", users.PermStaffManage},
		{"Customers", "/admin/customers", users.PermCustomersView},
		{"Emails", "/admin/emails", users.PermEmailsView},
		{"Audit log", "/admin/audit", users.PermAuditView},
	}
}

// adminChromeMiddleware fills the back-office layout: the sections the signed-in staff
// member may open (the one being viewed marked), who they are, and the one-time messages
// left by the previous request. It runs after RequireStaff, so there is an account.
func adminChromeMiddleware(sessions *scs.SessionManager) func(http.Handler) http.Handler {
	entries := adminNav()
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			acc, _ := usersweb.CurrentAccount(ctx)
			chrome := web.AdminChrome{UserName: acc.DisplayName(), RoleLabel: acc.Role.Label()}
			active := activeAdminEntry(entries, r.URL.Path)
			for i, e := range entries {
				if acc.Can(e.Permission) {
					chrome.Nav = append(chrome.Nav, web.AdminNavLink{Label: e.Label, URL: e.URL, Active: i == active})
				}
			}
			// Flashes are taken only by a page view: a POST that fails and re-renders its
			// form must not swallow the message meant for the page after the redirect.
			if r.Method == http.MethodGet {
				for _, f := range session.PopFlashes(ctx, sessions) {
					chrome.Flashes = append(chrome.Flashes, web.FlashMessage{Kind: web.FlashKind(f.Kind), Text: f.Text})
				}
			}
			// Back-office pages show personal data and one-time messages; no shared cache or
			// back button on a shared computer may keep a copy.
			w.Header().Set("Cache-Control", "no-store")
			next.ServeHTTP(w, r.WithContext(web.WithAdminChrome(ctx, chrome)))
		})
	}
}

// activeAdminEntry is the index of the section path belongs to: the longest entry URL
// that is path or a parent of it, so /admin/staff/new marks Staff rather than Dashboard.
// It is -1 when none matches.
func activeAdminEntry(entries []adminNavEntry, path string) int {
	path = strings.TrimSuffix(path, "/")
	best := -1
	for i, e := range entries {
		if (path == e.URL || strings.HasPrefix(path, e.URL+"/")) && (best < 0 || len(e.URL) > len(entries[best].URL)) {
			best = i
		}
	}
	return best
}
