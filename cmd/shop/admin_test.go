package main

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web/webtest"
)

// adminTestPassword is every test account's password.
const adminTestPassword = "correct horse battery staple"

// adminRoute is one route mounted under /admin, as chi lists it.
type adminRoute struct{ method, pattern string }

func (r adminRoute) String() string { return r.method + " " + r.pattern }

// adminRoutes walks the app's real router and returns every /admin route, so the access
// checks below cover a route the day it is mounted, whoever mounts it.
func adminRoutes(t *testing.T, a *testApp) []adminRoute {
	t.Helper()
	routes, ok := a.m.server.Handler.(chi.Routes)
	require.True(t, ok, "the server's handler is the chi router")
	var out []adminRoute
	require.NoError(t, chi.Walk(routes, func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if pattern == "/admin" || strings.HasPrefix(pattern, "/admin/") {
			out = append(out, adminRoute{method, pattern})
		}
		return nil
	}))
	return out
}

var routeParam = regexp.MustCompile(`\{[^}]+\}`)

// browser is one visitor with its own cookie jar; redirects are not followed.
type browser struct {
	a      *testApp
	client *http.Client
}

func (a *testApp) browser(t *testing.T) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := *a.client
	c.Jar = jar
	return &browser{a: a, client: &c}
}

// signIn signs in through the real sign-in form.
func (a *testApp) signIn(t *testing.T, email string) *browser {
	t.Helper()
	b := a.browser(t)
	res := b.send(t, http.MethodPost, "/login", url.Values{"email": {email}, "password": {adminTestPassword}})
	require.NotEqual(t, http.StatusNotFound, res.status, "POST /login answers 404: the sign-in page is not built yet")
	require.Equal(t, http.StatusSeeOther, res.status, "sign in as %s: %s", email, res.body)
	return b
}

func (b *browser) send(t *testing.T, method, path string, form url.Values) response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(t.Context(), method, b.a.base+path, body)
	require.NoError(t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := b.client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return response{status: res.StatusCode, header: res.Header, body: string(raw)}
}

// adminFixture is the app with one account of every kind and an email of each sort in
// the outbox.
type adminFixture struct {
	a          *testApp
	routes     []adminRoute
	customerID users.AccountID
	emailID    int64 // an order confirmation, shown in full
	secretID   int64 // a password reset, whose content is never shown
	staff      map[users.Role]users.Account
}

// emailHTML is what a hostile email could hold: a script, a remote image and a form.
const emailHTML = `<html><body><p style="color: #c00">Thanks for your order!</p>` +
	`<script>alert(1)</script><img src="https://tracker.example/p.gif"><form action="https://evil.example"></form></body></html>`

func adminSetup(t *testing.T) *adminFixture {
	t.Helper()
	a := setup(t, appOptions{})
	f := &adminFixture{a: a, routes: adminRoutes(t, a), staff: map[users.Role]users.Account{}}
	ctx := t.Context()

	customer, err := a.m.users.Register(ctx, users.RegisterInput{Email: "carol@example.com", Name: "Carol", Password: adminTestPassword})
	require.NoError(t, err)
	f.customerID = customer.ID
	for _, role := range users.Roles {
		acc, err := a.m.users.CreateStaff(ctx, users.Actor{}, users.RoleOwner, users.RegisterInput{
			Email: string(role) + "@shop.test", Name: role.Label() + " Person", Password: adminTestPassword,
		}, role)
		require.NoError(t, err)
		f.staff[role] = acc
	}
	// A staff member whose role grants nothing at all: every /admin route must refuse
	// them, which is how a route mounted without RequirePermission is caught. The schema
	// knows only real roles, so this throwaway database is told to accept one more.
	_, err = a.pool.Exec(ctx, `ALTER TABLE users.accounts DROP CONSTRAINT accounts_staff_role_check`)
	require.NoError(t, err)
	_, err = a.m.users.Register(ctx, users.RegisterInput{Email: "nobody@shop.test", Name: "No Permission", Password: adminTestPassword})
	require.NoError(t, err)
	_, err = a.pool.Exec(ctx, `UPDATE users.accounts SET staff_role = 'no_permissions' WHERE email = 'nobody@shop.test'`)
	require.NoError(t, err)

	require.NoError(t, db.InTx(ctx, a.m.pool, func(tx pgx.Tx) error {
		f.emailID, err = a.m.notify.QueueEmailTx(ctx, tx, "order_confirmation", "carol@example.com",
			"Your order 1001", emailHTML, "Thanks for your order!\n  Order 1001")
		return err
	}))
	require.NoError(t, a.m.users.RequestPasswordReset(ctx, "carol@example.com"))
	var resetID int64
	require.NoError(t, a.pool.QueryRow(ctx, `SELECT id FROM notify.messages WHERE kind = 'password_reset'`).Scan(&resetID))
	f.secretID = resetID
	return f
}

// path turns a route pattern into a URL whose parameters name real rows, so the owner's
// walk renders real pages rather than "not found".
func (f *adminFixture) path(pattern string) string {
	id := "1"
	switch {
	case strings.HasPrefix(pattern, "/admin/customers/"):
		id = strconv.FormatInt(int64(f.customerID), 10)
	case strings.HasPrefix(pattern, "/admin/emails/"):
		id = strconv.FormatInt(f.emailID, 10)
	case strings.HasPrefix(pattern, "/admin/staff/"):
		id = strconv.FormatInt(int64(f.staff[users.RoleSupport].ID), 10)
	}
	return routeParam.ReplaceAllString(pattern, id)
}

func (f *adminFixture) request(t *testing.T, b *browser, r adminRoute) response {
	t.Helper()
	var form url.Values
	if r.method != http.MethodGet && r.method != http.MethodHead {
		form = url.Values{}
	}
	return b.send(t, r.method, f.path(r.pattern), form)
}

func TestAdminAccess(t *testing.T) {
	t.Parallel()
	f := adminSetup(t)
	a := f.a

	t.Run("OKRoutesListed", func(t *testing.T) {
		t.Parallel()
		// Not the expectation (that comes from the walk), only proof the walk sees the
		// back office at all.
		for _, want := range []adminRoute{{"GET", "/admin/"}, {"GET", "/admin/staff"}, {"POST", "/admin/staff/{id}/role"},
			{"GET", "/admin/customers/{id}"}, {"GET", "/admin/audit"}, {"GET", "/admin/emails/{id}"},
			{"POST", "/admin/catalog/products/{id}/images/{image}/shown-for"}} {
			require.Contains(t, f.routes, want)
		}
	})

	t.Run("ErrSignedOutGoesToSignIn", func(t *testing.T) {
		t.Parallel()
		b := a.browser(t)
		for _, r := range f.routes {
			res := f.request(t, b, r)
			require.Equal(t, http.StatusSeeOther, res.status, r.String())
			require.Equal(t, "/login?next="+url.QueryEscape(f.path(r.pattern)), res.header.Get("Location"), r.String())
		}
	})

	t.Run("ErrCustomerForbiddenEverywhere", func(t *testing.T) {
		t.Parallel()
		b := a.signIn(t, "carol@example.com")
		for _, r := range f.routes {
			require.Equal(t, http.StatusForbidden, f.request(t, b, r).status, r.String())
		}
	})

	t.Run("ErrEveryRouteChecksAPermission", func(t *testing.T) {
		t.Parallel()
		b := a.signIn(t, "nobody@shop.test")
		for _, r := range f.routes {
			require.Equal(t, http.StatusForbidden, f.request(t, b, r).status,
				"%s answered a staff member whose role grants nothing: guard it with RequirePermission", r)
		}
	})

	t.Run("OKSupport", func(t *testing.T) {
		t.Parallel()
		// Support reads customers (and, once they exist, orders) but manages no staff. The
		// catalog's routes are checked in OKCatalogPermissions.
		b := a.signIn(t, "support@shop.test")
		require.Equal(t, http.StatusOK, b.send(t, http.MethodGet, "/admin/customers", nil).status)
		staffRoutes := 0
		for _, r := range f.routes {
			if r.pattern == "/admin/staff" || strings.HasPrefix(r.pattern, "/admin/staff/") {
				staffRoutes++
				require.Equal(t, http.StatusForbidden, f.request(t, b, r).status, r.String())
			}
		}
		require.Positive(t, staffRoutes)
		staff, err := a.m.users.ListStaff(t.Context())
		require.NoError(t, err)
		for _, s := range staff {
			if s.Role.Valid() {
				require.Equal(t, f.staff[s.Role].Role, s.Role, "support changed nobody's role")
			}
		}
	})

	t.Run("OKOwnerOpensEveryPage", func(t *testing.T) {
		t.Parallel()
		b := a.signIn(t, "owner@shop.test")
		for _, r := range f.routes {
			if r.method != http.MethodGet {
				continue
			}
			res := f.request(t, b, r)
			require.NotEqual(t, http.StatusForbidden, res.status, r.String())
			require.Less(t, res.status, 500, "%s: %s", r, res.body)
		}
	})

	t.Run("OKHugePageNumbers", func(t *testing.T) {
		t.Parallel()
		// (page-1) × rows overflowed the OFFSET's int32 and PostgreSQL refused a negative
		// one: a 500 on every back-office list. Past the end is an empty page.
		b := a.signIn(t, "owner@shop.test")
		for _, path := range []string{"/admin/customers", "/admin/catalog/products", "/admin/audit", "/admin/orders",
			"/admin/discounts", "/admin/inventory", "/admin/emails", "/admin/staff"} {
			for _, page := range []string{"2147483647", "9223372036854775807", "-5", "0", "x"} {
				res := b.send(t, http.MethodGet, path+"?page="+page, nil)
				require.Less(t, res.status, 500, "%s?page=%s: %.300s", path, page, res.body)
			}
		}
	})

	t.Run("OKNavMatchesPermissions", func(t *testing.T) {
		t.Parallel()
		for _, role := range users.Roles {
			b := a.signIn(t, string(role)+"@shop.test")
			res := b.send(t, http.MethodGet, "/admin", nil)
			require.Equal(t, http.StatusOK, res.status, "every role has a dashboard")
			p := parsePage(t, res.body)
			require.Equal(t, role.Label()+" Person", webtest.Text(p.one("admin-user")))
			require.Equal(t, role.Label(), webtest.Text(p.one("admin-role")))
			require.True(t, p.has("admin-main"))

			var shown, want []string
			for _, n := range p.byTestID("admin-nav-link") {
				shown = append(shown, webtest.Text(n))
			}
			for _, e := range adminNav() {
				status := b.send(t, http.MethodGet, e.URL, nil).status
				if role.Can(e.Permission) {
					want = append(want, e.Label)
					require.Equal(t, http.StatusOK, status, "%s opens %s", role, e.URL)
				} else {
					require.Equal(t, http.StatusForbidden, status, "%s is refused %s", role, e.URL)
				}
			}
			require.Equal(t, want, shown, "%s sees exactly the sections it may open", role)
		}
	})
}

// TestAdminCatalogAccess checks the catalog's back office from the outside: its routes are
// guarded by catalog.view and catalog.edit, and the functions cmd/shop hands catalogweb
// (who acts, flashes, who may edit) reach it. It has an app of its own because it creates
// a product, which the other walks should not meet half-made.
func TestAdminCatalogAccess(t *testing.T) {
	t.Parallel()
	f := adminSetup(t)
	a := f.a
	// Support may look at the catalog but change nothing; a catalog manager may edit.
	support := a.signIn(t, "support@shop.test")
	manager := a.signIn(t, "catalog_manager@shop.test")

	res := manager.send(t, http.MethodPost, "/admin/catalog/products", url.Values{"title": {"Manager Tee"}})
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	editor := res.header.Get("Location")
	require.Regexp(t, `^/admin/catalog/products/[0-9]+$`, editor)
	p := parsePage(t, manager.send(t, http.MethodGet, editor, nil).body)
	require.Equal(t, "Manager Tee", webtest.Text(p.one("product-heading")))
	require.Equal(t, "Product created. Add its options, prices and pictures below.", webtest.Text(p.one("flash")),
		"the flash travels through the session")
	version := webtest.Attr(p.all(func(n *html.Node) bool { return webtest.Attr(n, "data-testid") == "form-version" })[0], "value")
	res = manager.send(t, http.MethodPost, editor+"/options", url.Values{"version": {version},
		"options.0.name": {"Size"}, "options.0.values": {"S, M"}, "base_price": {"19.99"}})
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	events, err := a.m.users.ListAudit(t.Context(), users.AuditFilter{Action: "product."})
	require.NoError(t, err)
	require.Len(t, events, 2)
	for _, e := range events {
		require.Equal(t, "catalog_manager@shop.test", e.ActorEmail, "the audit log names who did it")
	}

	id := strings.TrimPrefix(editor, "/admin/catalog/products/")
	catalogRoutes := 0
	for _, r := range f.routes {
		if !strings.HasPrefix(r.pattern, "/admin/catalog/") {
			continue
		}
		catalogRoutes++
		path := routeParam.ReplaceAllString(strings.Replace(r.pattern, "{id}", id, 1), "1")
		if r.method == http.MethodGet {
			require.Equal(t, http.StatusOK, support.send(t, r.method, path, nil).status, r.String())
		} else {
			require.Equal(t, http.StatusForbidden, support.send(t, r.method, path, url.Values{}).status, r.String())
		}
	}
	require.Positive(t, catalogRoutes)

	p = parsePage(t, support.send(t, http.MethodGet, editor, nil).body)
	disabled := p.all(func(n *html.Node) bool { return n.Data == "fieldset" && webtest.HasAttr(n, "disabled") })
	require.NotEmpty(t, disabled, "support sees the editor's forms disabled")
	p = parsePage(t, support.send(t, http.MethodGet, "/admin/catalog/products", nil).body)
	require.Equal(t, "Manager Tee", webtest.Text(p.one("product-edit-link")))
	require.False(t, p.has("product-new-link"), "support is not offered a form it may not send")
	require.False(t, p.has("product-select"))
	p = parsePage(t, manager.send(t, http.MethodGet, "/admin/catalog/products", nil).body)
	require.True(t, p.has("product-new-link"))
}

// TestAdminContentAccess checks every /admin/content route for every role: those whose
// role grants content.edit get their page, every other role gets 403.
func TestAdminContentAccess(t *testing.T) {
	t.Parallel()
	f := adminSetup(t)
	var routes []adminRoute
	for _, r := range f.routes {
		if strings.HasPrefix(r.pattern, "/admin/content/") {
			routes = append(routes, r)
		}
	}
	require.ElementsMatch(t, []adminRoute{{"GET", "/admin/content/pages"}, {"GET", "/admin/content/pages/new"},
		{"POST", "/admin/content/pages"}, {"GET", "/admin/content/pages/{id}"}, {"POST", "/admin/content/pages/{id}"},
		{"POST", "/admin/content/pages/{id}/delete"}}, routes)

	owner := f.a.signIn(t, "owner@shop.test")
	res := owner.send(t, http.MethodPost, "/admin/content/pages", url.Values{"title": {"About"}, "body": {"Hello."}})
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	id := regexp.MustCompile(`[0-9]+$`).FindString(res.header.Get("Location"))

	browsers := map[users.Role]*browser{}
	for _, role := range users.Roles {
		b := f.a.signIn(t, string(role)+"@shop.test")
		browsers[role] = b
		for _, r := range routes {
			if r.pattern == "/admin/content/pages/{id}/delete" {
				continue // below, once every role has seen the page
			}
			path := strings.Replace(r.pattern, "{id}", id, 1)
			var form url.Values
			if r.method == http.MethodPost {
				// An address taken and a version that is not the page's: a role that may
				// save is refused by the form, so the page stays as it is for the next role.
				form = url.Values{"title": {"About"}, "slug": {"about"}, "body": {"Hello."}, "version": {"0"}}
			}
			res := b.send(t, r.method, path, form)
			if role.Can(users.PermContentEdit) {
				require.Contains(t, []int{http.StatusOK, http.StatusUnprocessableEntity, http.StatusConflict}, res.status, "%s %s: %s", role, r, res.body)
			} else {
				require.Equal(t, http.StatusForbidden, res.status, "%s is refused %s", role, r)
			}
		}
	}
	// The delete last: refused to every role without the permission, then done by one
	// that has it.
	allowed := 0
	for _, role := range users.Roles {
		if role.Can(users.PermContentEdit) {
			allowed++
			continue
		}
		require.Equal(t, http.StatusForbidden, browsers[role].send(t, http.MethodPost, "/admin/content/pages/"+id+"/delete", url.Values{}).status, role)
	}
	require.Equal(t, 3, allowed, "owner, admin and catalog manager edit pages")
	require.Equal(t, http.StatusSeeOther, browsers[users.RoleCatalogManager].send(t, http.MethodPost, "/admin/content/pages/"+id+"/delete", url.Values{}).status)
}

func TestAdminPages(t *testing.T) {
	t.Parallel()
	f := adminSetup(t)
	a := f.a
	owner := a.signIn(t, "owner@shop.test")

	t.Run("OKLayout", func(t *testing.T) {
		t.Parallel()
		res := owner.send(t, http.MethodGet, "/admin/staff/new", nil)
		require.Equal(t, http.StatusOK, res.status)
		requireSecurityHeaders(t, res.header)
		require.Equal(t, "no-store", res.header.Get("Cache-Control"))
		p := parsePage(t, res.body)
		robots := p.all(func(n *html.Node) bool { return n.Data == "meta" && webtest.Attr(n, "name") == "robots" })
		require.Len(t, robots, 1)
		require.Contains(t, webtest.Attr(robots[0], "content"), "noindex")
		var active []string
		for _, n := range p.byTestID("admin-nav-link") {
			if webtest.Attr(n, "aria-current") == "page" {
				active = append(active, webtest.Text(n))
			}
		}
		require.Equal(t, []string{"Staff"}, active, "a page under a section marks that section")
		forms := p.all(func(n *html.Node) bool { return n.Data == "form" && webtest.Attr(n, "action") == "/logout" })
		require.Len(t, forms, 1, "sign out is a POST form")
		require.Equal(t, "post", webtest.Attr(forms[0], "method"))
	})

	t.Run("OKDashboardShortcuts", func(t *testing.T) {
		t.Parallel()
		p := parsePage(t, owner.send(t, http.MethodGet, "/admin", nil).body)
		require.Equal(t, "Welcome, Owner Person", webtest.Text(p.one("dashboard-welcome")))
		var labels []string
		for _, n := range p.byTestID("dashboard-shortcut") {
			labels = append(labels, webtest.Text(n))
		}
		require.Equal(t, []string{"Products", "Categories", "Orders", "Inventory", "Discounts", "Pages", "Settings", "Staff", "Customers", "Emails", "Audit log"}, labels)
	})

	t.Run("OKEmailList", func(t *testing.T) {
		t.Parallel()
		support := a.signIn(t, "support@shop.test")
		p := parsePage(t, support.send(t, http.MethodGet, "/admin/emails?to=CAROL", nil).body)
		var kinds []string
		for _, n := range p.byTestID("email-kind") {
			kinds = append(kinds, webtest.Text(n))
		}
		require.Equal(t, []string{"password_reset", "order_confirmation"}, kinds, "newest first, recipient ignores case")
		require.Len(t, p.byTestID("email-status"), 2)

		p = parsePage(t, support.send(t, http.MethodGet, "/admin/emails?kind=order_confirmation", nil).body)
		require.Equal(t, "Your order 1001", webtest.Text(p.one("email-subject")))
		p = parsePage(t, support.send(t, http.MethodGet, "/admin/emails?to=nobody", nil).body)
		require.False(t, p.has("email-row"))
		require.Equal(t, "No email matches these filters.", webtest.Text(p.one("email-count")))

		res := support.send(t, http.MethodGet, "/admin/emails?status=bogus", nil)
		require.Equal(t, http.StatusUnprocessableEntity, res.status, "a hand-edited status is refused politely")
	})

	t.Run("OKEmailShowSandboxesHTML", func(t *testing.T) {
		t.Parallel()
		id := strconv.FormatInt(f.emailID, 10)
		res := owner.send(t, http.MethodGet, "/admin/emails/"+id, nil)
		require.Equal(t, http.StatusOK, res.status)
		p := parsePage(t, res.body)
		require.Equal(t, "carol@example.com", webtest.Text(p.one("email-to")))
		require.Equal(t, "0", webtest.Text(p.one("email-attempts")))
		pre := p.one("email-text")
		require.Equal(t, "pre", pre.Data)
		require.Equal(t, "Thanks for your order!\n  Order 1001", pre.FirstChild.Data, "the text part keeps its layout")
		frame := p.one("email-html-frame")
		require.Equal(t, "iframe", frame.Data)
		require.True(t, webtest.HasAttr(frame, "sandbox"))
		require.Empty(t, webtest.Attr(frame, "sandbox"), "an empty sandbox allows nothing: no scripts, forms or same origin")
		require.Equal(t, "/admin/emails/"+id+"/html", webtest.Attr(frame, "src"))
		require.NotContains(t, res.body, "<script>alert(1)", "the email's markup never becomes part of the page")

		part := owner.send(t, http.MethodGet, "/admin/emails/"+id+"/html", nil)
		require.Equal(t, http.StatusOK, part.status)
		require.Equal(t, emailHTML, part.body)
		require.Equal(t, "text/html; charset=utf-8", part.header.Get("Content-Type"))
		csp := part.header.Get("Content-Security-Policy")
		for _, d := range []string{"sandbox", "default-src 'none'", "style-src 'unsafe-inline'", "img-src data:", "frame-ancestors 'self'"} {
			require.Contains(t, strings.Split(csp, "; "), d)
		}
		require.Equal(t, "no-store", part.header.Get("Cache-Control"))

		require.Equal(t, http.StatusNotFound, owner.send(t, http.MethodGet, "/admin/emails/999999", nil).status)
		require.Equal(t, http.StatusNotFound, owner.send(t, http.MethodGet, "/admin/emails/x", nil).status)
	})

	t.Run("OKSecretEmailContentHidden", func(t *testing.T) {
		t.Parallel()
		// Support may read the outbox; a reset link in it would let them sign in as anyone
		// who asked for one, owners included.
		support := a.signIn(t, "support@shop.test")
		id := strconv.FormatInt(f.secretID, 10)
		res := support.send(t, http.MethodGet, "/admin/emails/"+id, nil)
		require.Equal(t, http.StatusOK, res.status)
		p := parsePage(t, res.body)
		require.True(t, p.has("email-secret"))
		require.False(t, p.has("email-text"))
		require.False(t, p.has("email-html-frame"))
		require.NotContains(t, res.body, "/password/reset/")
		require.Equal(t, http.StatusNotFound, support.send(t, http.MethodGet, "/admin/emails/"+id+"/html", nil).status)
	})

	t.Run("OKSignOut", func(t *testing.T) {
		t.Parallel()
		b := a.signIn(t, "admin@shop.test")
		require.Equal(t, http.StatusOK, b.send(t, http.MethodGet, "/admin", nil).status)
		require.Equal(t, http.StatusSeeOther, b.send(t, http.MethodPost, "/logout", url.Values{}).status)
		require.Equal(t, http.StatusSeeOther, b.send(t, http.MethodGet, "/admin", nil).status)
	})
}

func TestDevOwner(t *testing.T) {
	t.Parallel()
	dbURL := dbtest.URL(t)
	start := func(t *testing.T) string {
		t.Helper()
		cfg, err := LoadConfig(lookupFrom(map[string]string{
			"DATABASE_URL": dbURL, "SHOP_ADDR": "127.0.0.1:0", "SHOP_INTERNAL_ADDR": "", "SHOP_DATA_DIR": t.TempDir(),
		}))
		require.NoError(t, err)
		var out bytes.Buffer
		m := &Main{Config: cfg, Log: slog.New(slog.DiscardHandler), Mode: ModeServe, DevOwner: true, Stdout: &out}
		err = m.Run(t.Context())
		require.NoError(t, errors.Join(err, m.Close()))
		return out.String()
	}

	first := start(t)
	match := regexp.MustCompile(`email\s+owner@monoshop\.test\n\s+password\s+(\S+)\n`).FindStringSubmatch(first)
	require.NotNil(t, match, "the first start prints the login: %q", first)
	pool, err := db.Open(t.Context(), dbURL, db.PoolOptions{MaxConns: 2})
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	svc := users.NewService(pool, nil, users.Options{})
	acc, err := svc.Authenticate(t.Context(), "owner@monoshop.test", match[1])
	require.NoError(t, err, "the printed password signs in")
	require.Equal(t, users.RoleOwner, acc.Role)

	require.Empty(t, start(t), "a shop with an owner says nothing about it")
}

func TestUsersCreateStaff(t *testing.T) {
	t.Parallel()
	dbURL := dbtest.URL(t)
	env := map[string]string{"DATABASE_URL": dbURL, "SHOP_LOG_LEVEL": "error"}
	createStaff := func(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
		t.Helper()
		var out, errOut bytes.Buffer
		code = runWithInput(t.Context(), append([]string{"users", "create-staff"}, args...), lookupFrom(env),
			strings.NewReader(stdin), &out, &errOut)
		return code, out.String(), errOut.String()
	}
	pool, err := db.Open(t.Context(), dbURL, db.PoolOptions{MaxConns: 2})
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	svc := users.NewService(pool, nil, users.Options{})

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		code, stdout, stderr := createStaff(t, adminTestPassword+"\n", "--email", "boss@shop.test", "--role", "owner", "--name", "The Boss")
		require.Equal(t, 0, code, stderr)
		require.Equal(t, "created Owner account for boss@shop.test\n", stdout)
		require.NotContains(t, stdout+stderr, adminTestPassword)
		acc, err := svc.Authenticate(t.Context(), "boss@shop.test", adminTestPassword)
		require.NoError(t, err)
		require.Equal(t, users.RoleOwner, acc.Role)
		require.Equal(t, "The Boss", acc.Name)
		events, err := svc.ListAudit(t.Context(), users.AuditFilter{Action: "staff.create", ObjectID: strconv.FormatInt(int64(acc.ID), 10)})
		require.NoError(t, err)
		require.Len(t, events, 1, "the command line's creation is audited too")
	})

	t.Run("OKPasswordWithoutNewlineOrWithCRLF", func(t *testing.T) {
		t.Parallel()
		code, _, stderr := createStaff(t, adminTestPassword, "--email", "eof@shop.test", "--role", "support")
		require.Equal(t, 0, code, stderr)
		code, _, stderr = createStaff(t, adminTestPassword+"\r\nnext line\n", "--email", "crlf@shop.test", "--role", "support")
		require.Equal(t, 0, code, stderr)
		for _, email := range []string{"eof@shop.test", "crlf@shop.test"} {
			_, err := svc.Authenticate(t.Context(), email, adminTestPassword)
			require.NoError(t, err, "only the first line, without its line ending, is the password")
		}
	})

	for _, tc := range []struct {
		name, stdin, want string
		args              []string
	}{
		{"ErrNoEmail", "x\n", "--email is required", []string{"--role", "admin"}},
		{"ErrNoRole", "x\n", "--role is required: one of owner, admin, catalog_manager, order_manager, support", []string{"--email", "a@shop.test"}},
		{"ErrUnknownRole", "x\n", `--role "boss" is not a role`, []string{"--email", "a@shop.test", "--role", "boss"}},
		{"ErrPasswordAsArgument", "x\n", `unexpected argument "hunter2"`, []string{"--email", "a@shop.test", "--role", "admin", "hunter2"}},
		{"ErrUnknownFlag", "x\n", "flag provided but not defined: -password", []string{"--email", "a@shop.test", "--role", "admin", "--password", "x"}},
		{"ErrNoPassword", "", "no password on standard input", []string{"--email", "a@shop.test", "--role", "admin"}},
		{"ErrEmptyPassword", "\nsecond line\n", "no password on standard input", []string{"--email", "a@shop.test", "--role", "admin"}},
		{"ErrWeakPassword", "short\n", "shop: password (standard input): ", []string{"--email", "a@shop.test", "--role", "admin"}},
		{"ErrBadEmail", adminTestPassword + "\n", "shop: --email: ", []string{"--email", "not-an-email", "--role", "admin"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := createStaff(t, tc.stdin, tc.args...)
			require.Equal(t, 2, code, stderr)
			require.Contains(t, stderr, tc.want)
			require.Empty(t, stdout)
		})
	}

	t.Run("ErrDuplicateEmail", func(t *testing.T) {
		t.Parallel()
		code, _, stderr := createStaff(t, adminTestPassword+"\n", "--email", "twice@shop.test", "--role", "support")
		require.Equal(t, 0, code, stderr)
		code, _, stderr = createStaff(t, adminTestPassword+"\n", "--email", "twice@shop.test", "--role", "admin")
		require.Equal(t, 2, code)
		require.Contains(t, stderr, "shop: --email: An account with this email already exists.")
	})

	t.Run("ErrUsersWithoutSubcommand", func(t *testing.T) {
		t.Parallel()
		code, _, stderr := runShop(t, nil, "users")
		require.Equal(t, 2, code)
		requireOperatorLine(t, stderr, "create-staff")
	})
}
