package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/url"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/monoshop/monoshop/internal/cart"
	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/content"
	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/notify"
	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/devdb"
	"github.com/monoshop/monoshop/internal/platform/jobs"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/migrations"
	"github.com/monoshop/monoshop/web"
)

// Mode says which parts of the shop a process runs.
type Mode int

const (
	// ModeServe runs the HTTP server and the job workers.
	ModeServe Mode = iota
	// ModeWorker runs only the job workers, for shops that scale them apart.
	ModeWorker
)

// Main is the whole application: Run starts it and returns once it serves, Close stops
// it gracefully. Tests start the real thing on 127.0.0.1:0 through it.
type Main struct {
	Config Config
	Log    *slog.Logger
	Mode   Mode
	// Embedded lets Run start the private development PostgreSQL when DATABASE_URL is
	// unset; only `shop dev` sets it, so a production replica never silently runs on a
	// throwaway database.
	Embedded bool
	// DevOwner makes Run create a first owner with a random password, printed once on
	// Stdout, when the shop has no active owner; only `shop dev` sets it, so a fresh
	// development shop can open its back office at once.
	DevOwner bool
	// Stdout receives what a person at the terminal should read (the dev login, the URL).
	Stdout io.Writer
	// StartGCPercent, when above 0, is the collector's target while the catalog and stock
	// are first read (see startGCPercent). The collector's setting belongs to the whole
	// process, so only the commands set it: tests run many Mains in one process.
	StartGCPercent int

	cluster  *devdb.Cluster
	pool     *pgxpool.Pool
	river    *jobs.Client
	server   *http.Server
	internal *http.Server
	listener net.Listener
	draining atomic.Bool
	closeMu  sync.Mutex
	closed   bool
	serveErr chan error

	catalog   *catalog.Service
	payments  *payments.Service
	orders    *orders.Service
	stock     catalogStock
	inventory *inventory.Service
	cart      *cart.Service
	notify    *notify.Service
	users     *users.Service
	content   *content.Service
	// background runs for the life of the process (the catalog's change listener).
	background     sync.WaitGroup
	stopBackground context.CancelFunc

	// extraRoutes lets tests mount handlers (one that panics, one that is slow) on the real
	// router with its real middleware.
	extraRoutes func(r chi.Router)
	// tracer lets tests count the statements each request runs.
	tracer pgx.QueryTracer
}

// Run opens the database (starting the embedded one if allowed), migrates, and starts the
// HTTP server and job workers. It returns once they run; errors here are fatal.
func (m *Main) Run(ctx context.Context) error {
	if m.Log == nil {
		m.Log = slog.New(slog.DiscardHandler)
	}
	if m.Stdout == nil {
		m.Stdout = io.Discard
	}
	m.serveErr = make(chan error, 2)

	pool, cluster, err := openDatabase(ctx, m.Config, m.Log, m.Embedded, m.tracer)
	m.cluster = cluster
	if err != nil {
		return err
	}
	m.pool = pool

	if _, err := db.Migrate(ctx, pool, migrations.FS, m.Log); err != nil {
		return err
	}

	m.catalog = catalog.NewService(pool, m.Log)
	followCtx, stopFollow := context.WithCancel(context.WithoutCancel(ctx))
	m.stopBackground = stopFollow
	// The catalog's first read starts with FollowChanges, so the collector is told now;
	// the pace goes back once the stock copy (read below) is in memory too.
	usualGC := 0
	if m.Mode == ModeServe && m.StartGCPercent > 0 {
		usualGC = debug.SetGCPercent(m.StartGCPercent)
	}
	m.background.Add(1)
	go func() {
		defer m.background.Done()
		m.catalog.FollowChanges(followCtx)
	}()

	host := "localhost"
	if u, err := url.Parse(m.Config.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	m.notify, err = notify.NewService(pool, m.Log, notify.Config{SMTPURL: m.Config.SMTPURL, From: m.Config.MailFrom, MessageIDDomain: host})
	if err != nil {
		return &ConfigError{"SHOP_SMTP_URL", err.Error()}
	}
	// Emails name the store as the back office has it when they are written; m.orders
	// owns the store's details and exists by the time any email is.
	m.users = users.NewService(pool, m.Log, users.Options{Outbox: m.notify, BaseURL: m.Config.BaseURL, StoreName: m.storeName})
	m.catalog.UseAudit(m.users)
	m.inventory = inventory.NewService(pool, m.Log)
	m.inventory.UseAudit(m.users)
	m.content = content.NewService(pool, m.Log)
	m.content.UseAudit(m.users)
	if m.Mode == ModeServe {
		// Every page's footer lists the published pages from memory: read them before the
		// first page, then follow changes made by any replica.
		if _, err := m.content.FooterPages(ctx); err != nil {
			m.Log.WarnContext(ctx, "footer pages: first read failed; the first page will try again", "err", err)
		}
		m.background.Add(1)
		go func() {
			defer m.background.Done()
			m.content.FollowChanges(followCtx)
		}()
	}
	// Listings offer "In stock only", answered by inventory per request (catalog may not
	// import inventory, so the adapter in stock.go stands between them).
	m.stock = newCatalogStock(m.inventory)
	m.catalog.UseInStock(m.stock)
	if m.Mode == ModeServe && m.StartGCPercent > 0 {
		m.restoreGCWhenLoaded(followCtx, usualGC)
	}
	if m.Mode == ModeServe {
		// Product pages need the stock copy as well as the catalog: reading both at start,
		// side by side, spares the first shopper the second read (a second or two at a
		// million variants).
		m.background.Add(1)
		go func() {
			defer m.background.Done()
			if _, err := m.stock.cache.get(followCtx); err != nil && followCtx.Err() == nil {
				m.Log.WarnContext(followCtx, "stock copy: first read failed; the first page will try again", "err", err)
			}
		}()
	}
	m.cart = cart.NewService(pool, m.catalog, cartStock{m.stock.cache}, m.Log)
	// A deleted account leaves no cart behind (cart may not import users, so the
	// account id crosses here).
	m.users.RegisterErasure(func(ctx context.Context, tx pgx.Tx, acc users.Account) error {
		return m.cart.DeleteAccountCartTx(ctx, tx, int64(acc.ID))
	})

	var gateway *payments.TestGatewayConfig
	if m.Config.PaymentProvider == "test" {
		// Real providers deliver a webhook twice now and then, not every time. No secret:
		// the gateway signs with the installation's own key, kept in the database.
		gateway = &payments.TestGatewayConfig{DuplicateOneIn: 4}
	}
	var stripeCfg *payments.StripeConfig
	if m.Config.PaymentProvider == "stripe" {
		stripeCfg = &payments.StripeConfig{
			SecretKey: m.Config.StripeSecretKey, WebhookSecret: m.Config.StripeWebhookSecret, BaseURL: m.Config.BaseURL,
		}
	}
	m.payments, err = payments.NewService(pool, m.Log, payments.Config{
		DefaultProvider: m.Config.PaymentProvider, TestGateway: gateway, Stripe: stripeCfg,
		ReconcileAfter: m.Config.ReconcileAfter, ReconcileInterval: m.Config.RecoveryInterval,
		AfterPaidHooks: crashHook(m.Config.CrashPoint, m.Log),
	})
	if err != nil {
		return &ConfigError{"SHOP_PAYMENT_PROVIDER", err.Error()}
	}

	// Orders place reservations and payments in one transaction and hear from payments
	// when money arrives, inside the webhook's transaction.
	m.orders = orders.NewService(pool, m.Log, m.inventory, m.payments, orders.Config{
		ExpireAfter: m.Config.OrderExpiry, HoldMaxUnits: m.Config.HoldMaxUnits, BaseURL: m.Config.BaseURL,
		Store:    orders.StoreDefaults{Name: m.Config.StoreName, ContactEmail: m.Config.ContactEmail, Currency: m.Config.Currency},
		TimeZone: m.Config.TimeZone,
	})
	// A catalog without prices yet takes the currency the store's details name.
	m.catalog.UseDefaultCurrency(func(ctx context.Context) string { return m.orders.StoreDetails(ctx).Currency })
	// Product pages tell an item held by unpaid orders from one sold for good.
	m.stock.heldByUnpaid = m.orders.HeldByUnpaid
	m.orders.UseAudit(m.users)
	m.orders.UseOutbox(m.notify)
	m.orders.UseCart(m.cart)
	m.payments.OnPaid(m.orders.MarkPaidTx)
	m.payments.OnFailed(m.orders.MarkPaymentFailedTx)
	m.payments.OnAuthorized(m.orders.MarkAuthorizedTx)
	m.payments.OnVoided(m.orders.MarkVoidedTx)
	m.payments.OnRefunded(m.orders.RecordRefundTx)
	m.usePrivacyHooks()

	reg := jobs.NewRegistry()
	registerPlatformJobs(reg, pool)
	m.orders.RegisterJobs(reg, m.Config.RecoveryInterval)
	m.catalog.RegisterJobs(reg)
	m.notify.RegisterJobs(reg)
	m.payments.RegisterJobs(reg)
	// The daily low-stock email: inventory finds what is low, users says who the owners
	// are, notify sends it (inventory imports neither, so they meet here).
	m.inventory.RegisterJobs(reg, m.lowStockAlerts())
	m.cart.RegisterJobs(reg)
	m.river, err = jobs.NewClient(pool, reg, m.Log, jobs.Options{Work: true, StopTimeout: 4 * time.Second})
	if err != nil {
		return err
	}

	m.catalog.UseJobs(m.river)
	m.notify.UseJobs(m.river)
	m.payments.UseJobs(m.river)
	m.orders.UseJobs(m.river)

	if m.Mode == ModeServe {
		if err := m.startHTTP(); err != nil {
			return err
		}
	}
	if m.DevOwner {
		if err := m.ensureDevOwner(ctx); err != nil {
			return err
		}
	}
	// River's Start must outlive ctx, which only bounds start-up; Close stops it.
	if err := m.river.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start job workers: %w", err)
	}
	return nil
}

func (m *Main) startHTTP() error {
	assets, err := web.NewAssets()
	if err != nil {
		return fmt.Errorf("load static assets: %w", err)
	}
	renderer := web.NewRenderer(web.Site{Name: m.Config.StoreName, Assets: assets, Env: m.Config.Env, Location: m.Config.TimeZone}, m.Log)
	renderer.UseBrand(m.storeBrand)
	handler, err := newRouter(routerDeps{
		Config:    m.Config,
		Log:       m.Log,
		Pool:      m.pool,
		Renderer:  renderer,
		Assets:    assets,
		Catalog:   m.catalog,
		Inventory: m.inventory,
		Cart:      m.cart,
		Payments:  m.payments,
		Orders:    m.orders,
		Stock:     m.stock,
		Users:     m.users,
		Notify:    m.notify,
		Content:   m.content,
		Draining:  &m.draining,
	})
	if err != nil {
		return fmt.Errorf("build router: %w", err)
	}
	if m.extraRoutes != nil {
		m.extraRoutes(handler)
	}

	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return &ConfigError{"SHOP_ADDR", fmt.Sprintf("cannot listen on %s (%v); pick a free port, e.g. SHOP_ADDR=:8081", m.Config.Addr, unwrapOpError(err))}
	}
	m.listener = ln
	m.server = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(m.Log.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := m.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.serveErr <- fmt.Errorf("http server: %w", err)
		}
	}()
	m.Log.Info("http server listening", "addr", ln.Addr().String())

	if m.Config.InternalAddr != "" {
		iln, err := net.Listen("tcp", m.Config.InternalAddr)
		if err != nil {
			return &ConfigError{"SHOP_INTERNAL_ADDR", fmt.Sprintf("cannot listen on %s (%v); pick a free port or set it empty to disable", m.Config.InternalAddr, unwrapOpError(err))}
		}
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
		m.internal = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := m.internal.Serve(iln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				m.serveErr <- fmt.Errorf("internal http server: %w", err)
			}
		}()
		m.Log.Info("internal listener", "addr", iln.Addr().String())
	}
	return nil
}

// Addr is the address the public server listens on (useful with port 0 in tests).
func (m *Main) Addr() string {
	if m.listener == nil {
		return ""
	}
	return m.listener.Addr().String()
}

// Errors reports servers that stopped on their own; main exits on the first.
func (m *Main) Errors() <-chan error { return m.serveErr }

// Close stops the shop in the order that loses nothing: readiness turns 503 so the load
// balancer stops sending traffic, after the drain delay the server stops accepting and
// waits for in-flight requests, then workers finish their jobs, then the pool and the
// embedded database close.
func (m *Main) Close() error {
	m.closeMu.Lock()
	defer m.closeMu.Unlock()
	if m.closed {
		return nil
	}
	m.closed = true
	m.draining.Store(true)

	var errs []error
	if m.server != nil && m.Config.DrainDelay > 0 {
		m.Log.Info("draining: readiness is 503", "delay", m.Config.DrainDelay)
		time.Sleep(m.Config.DrainDelay)
	}
	// In-flight requests and running jobs finish side by side, so the slowest of the two
	// bounds the shutdown rather than their sum.
	var wg sync.WaitGroup
	var httpErr, riverErr error
	if m.server != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := m.server.Shutdown(ctx); err != nil {
				httpErr = fmt.Errorf("http shutdown: %w", err)
			}
		}()
	}
	if m.river != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 6*time.Second)
			defer cancel()
			if err := m.river.Stop(ctx); err != nil {
				riverErr = fmt.Errorf("stop job workers: %w", err)
			}
		}()
	}
	wg.Wait()
	errs = append(errs, httpErr, riverErr)
	if m.internal != nil {
		_ = m.internal.Close()
	}
	if m.stopBackground != nil {
		m.stopBackground()
		m.background.Wait()
	}
	if m.pool != nil {
		m.pool.Close()
	}
	if m.cluster != nil {
		if err := m.cluster.Stop(); err != nil {
			errs = append(errs, fmt.Errorf("stop embedded database: %w", err))
		}
	}
	return errors.Join(errs...)
}

// devOwnerEmail is the first owner `shop dev` creates.
const devOwnerEmail = "owner@monoshop.test"

// ensureDevOwner creates the development shop's first owner with a fresh random password
// and prints the login once: nobody else knows it, and it is never stored in clear. A shop
// that has an active owner is left alone and nothing is printed.
func (m *Main) ensureDevOwner(ctx context.Context) error {
	staff, err := m.users.ListStaff(ctx)
	if err != nil {
		return fmt.Errorf("look for an owner: %w", err)
	}
	for _, a := range staff {
		if a.Role == users.RoleOwner && !a.Disabled {
			return nil
		}
	}
	var secret [15]byte
	_, _ = rand.Read(secret[:]) // crypto/rand.Read never fails
	password := base64.RawURLEncoding.EncodeToString(secret[:])
	_, err = m.users.CreateStaff(ctx, users.Actor{}, users.RoleOwner,
		users.RegisterInput{Email: devOwnerEmail, Name: "Shop owner", Password: password}, users.RoleOwner)
	if apperr.Is(err, apperr.Invalid) {
		// The address is taken by an account that is no active owner (demoted or
		// disabled by hand); the developer decides what to do about it.
		m.Log.Warn("the shop has no active owner and "+devOwnerEmail+" is taken; create one with `shop users create-staff`",
			"reason", apperr.FieldsOf(err))
		return nil
	}
	if err != nil {
		return fmt.Errorf("create the first owner: %w", err)
	}
	fmt.Fprintf(m.Stdout, "\n  Back office owner created (the password is shown only this once):\n"+
		"    email     %s\n    password  %s\n    sign in   %s/login?next=/admin\n",
		devOwnerEmail, password, devURL(m.Addr()))
	return nil
}

func unwrapOpError(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}

func registerPlatformJobs(reg *jobs.Registry, pool *pgxpool.Pool) {
	jobs.RegisterSessionCleanup(reg, pool)
}

// describeConnectError keeps the part of a connection failure an operator can act on.
func describeConnectError(err error) string {
	msg := err.Error()
	for _, prefix := range []string{"reach database: ", "open pool: "} {
		if i := strings.Index(msg, prefix); i >= 0 {
			msg = msg[i+len(prefix):]
		}
	}
	// pgx reports each connection attempt (TLS, then plain) on its own line; an operator
	// gets one line.
	return strings.Join(strings.Fields(msg), " ")
}

// openDatabase connects to DATABASE_URL or, when it is unset and embedded is allowed,
// starts the private development PostgreSQL in SHOP_DATA_DIR. The cluster is returned
// even on error so the caller can stop it.
func openDatabase(ctx context.Context, cfg Config, log *slog.Logger, embedded bool, tracer pgx.QueryTracer) (*pgxpool.Pool, *devdb.Cluster, error) {
	url := cfg.DatabaseURL
	var cluster *devdb.Cluster
	if url == "" {
		if !embedded {
			return nil, nil, &ConfigError{"DATABASE_URL", "is not set; set it to your PostgreSQL server (postgres://user:password@host:5432/shop), or run `shop dev` to use the embedded development database"}
		}
		var err error
		cluster, err = devdb.Start(ctx, devdb.Options{DataDir: cfg.DataDir, Logger: log})
		if err != nil {
			if errors.Is(err, devdb.ErrNoPostgres) {
				return nil, nil, &ConfigError{"DATABASE_URL", devdb.ErrNoPostgres.Error()}
			}
			return nil, nil, fmt.Errorf("start embedded database: %w", err)
		}
		url = cluster.URL("shop")
		log.Info("embedded database running", "dir", cfg.DataDir)
	}
	pool, err := db.Open(ctx, url, db.PoolOptions{AppName: "shop", Tracer: tracer})
	if err != nil {
		return nil, cluster, &ConfigError{"DATABASE_URL", fmt.Sprintf("cannot reach the database (%s); check that the server runs and the URL is right", describeConnectError(err))}
	}
	return pool, cluster, nil
}

// crashHook returns the payments test hook that kills this process at the configured
// crash point (SHOP_CRASH_POINT; refused in prod), or nil. SIGKILL, not a panic or an
// exit: nothing may run after it, exactly as when a machine loses power.
func crashHook(point string, log *slog.Logger) func(context.Context, payments.Payment, string) {
	if point != crashPaymentPaid {
		return nil
	}
	return func(ctx context.Context, p payments.Payment, source string) {
		log.WarnContext(ctx, "crash point reached: killing the process before the commit", "payment", p.ID, "source", source)
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is on its way; never return into the transaction
	}
}

// usePrivacyHooks makes a customer's data export list their orders and their account
// deletion erase their orders and the emails sent to them (users imports neither orders
// nor notify, so they meet here).
func (m *Main) usePrivacyHooks() {
	m.users.RegisterExport("orders", func(ctx context.Context, id users.AccountID) (any, error) {
		return m.orders.ExportCustomerOrders(ctx, int64(id))
	})
	m.users.RegisterErasure(func(ctx context.Context, tx pgx.Tx, acc users.Account) error {
		erased, err := m.orders.EraseCustomerTx(ctx, tx, int64(acc.ID))
		if err != nil {
			return err
		}
		if _, err := m.users.RedactAuditFieldsTx(ctx, tx, orders.AuditObjectType, erased.AuditObjects,
			erased.AuditTextFields, orders.RemovedText); err != nil {
			return err
		}
		// Only what was sent since the account exists: mail to the same address before
		// that was about guest orders, which stay (see orders/privacy.go).
		_, err = m.notify.RedactRecipientsTx(ctx, tx, append(erased.Emails, acc.Email), acc.CreatedAt)
		return err
	})
}

// storeName is the store's name as staff set it (the environment's until they do).
func (m *Main) storeName(ctx context.Context) string { return m.orders.StoreDetails(ctx).Name }

// storeBrand is what every page shows of the store's details: its name, logo and contact
// address, from the orders module's copy in memory.
func (m *Main) storeBrand(ctx context.Context) web.Brand {
	d := m.orders.StoreDetails(ctx)
	b := web.Brand{Name: d.Name, ContactEmail: d.ContactEmail}
	if d.Logo != nil {
		b.Logo = &web.Logo{URL: d.Logo.URL(), Width: d.Logo.Width, Height: d.Logo.Height}
	}
	return b
}

// startGCPercent is the garbage collector's target while a server without a memory limit
// reads its catalog and stock at start. The reads make garbage fast (rows decoded, then
// packed), and at the usual 100 the heap doubled over what the copies keep. At 10,000
// products the process peaked at 174-190 MB before serving a page, and at 148-155 MB with
// 25, ready as fast (about 1 s); at 100,000 at 790-874 MB against 610-660 MB, for 0.7-1.2 s
// more before the first page (5.7-6.1 s against 6.6-7.3 s; 50 saved half as much memory
// for half the time). A server with a memory limit (SHOP_MEMORY_LIMIT, GOMEMLIMIT, a
// container's) leaves the collector to the limit instead.
const startGCPercent = 25

// startSqueezeMaxHeap ends the start's squeeze early once the heap holds this much: a
// small catalog (10,000 products stay below it) keeps its lower peak, and a large one is
// not made to wait for it. Measured at 100,000 products, alternating three starts each:
// first product page 6.1-6.4 s against 6.9-8.4 s with the squeeze to the end, for a start
// peak of 714-781 MB against 587-633 MB (under load that server holds about 800 MB
// anyway); at 10,000 no change (0.74-0.83 s, 126-164 MB against 0.78-0.86 s, 141-154 MB).
const startSqueezeMaxHeap = 128 << 20

// restoreGCWhenLoaded puts back the collector's usual target (GOGC, or 100) once the
// catalog and the stock copy are in memory, so pages run at the usual pace; with GOGC=off
// at once, since the operator chose no collection at all. A read that fails keeps
// retrying in its own goroutine; this one gives up with ctx.
func (m *Main) restoreGCWhenLoaded(ctx context.Context, usual int) {
	if usual < 0 {
		debug.SetGCPercent(usual)
		return
	}
	stock := m.stock
	m.background.Add(1)
	go func() {
		defer m.background.Done()
		defer debug.SetGCPercent(usual)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		heap := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for !(m.catalog.Loaded() && stock.loaded()) {
			// A catalog this big would pay the squeeze in seconds of start for memory
			// a shop of its size has anyway: back to the usual pace at once.
			if metrics.Read(heap); heap[0].Value.Kind() == metrics.KindUint64 && heap[0].Value.Uint64() > startSqueezeMaxHeap {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
}
