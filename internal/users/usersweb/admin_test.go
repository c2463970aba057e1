package usersweb_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/internal/platform/httpx"
	"github.com/monoshop/monoshop/internal/platform/session"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/internal/users/usersweb"
	"github.com/monoshop/monoshop/web"
	"github.com/monoshop/monoshop/web/webtest"
)

// TestMain (dbtest.Main) is in main_test.go.

// adminPassword is every test account's password: long and unremarkable enough for the
// service's password rules.
const adminPassword = "correct horse battery staple"

// adminBundle is the users module's back office on a fresh database, behind the same
// guards cmd/shop mounts it with. Staff sign in through /test/signin/{id}, which calls the
// real Auth.SignIn: the sign-in form is another page's business.
type adminBundle struct {
	pool   *pgxpool.Pool
	users  *users.Service
	server *httptest.Server
	owner  users.Account
}

func adminSetup(t *testing.T) *adminBundle {
	t.Helper()
	pool := dbtest.DB(t)
	svc := users.NewService(pool, nil, users.Options{})
	sessions := session.New(pool, false)
	log := slog.New(slog.DiscardHandler)
	render := web.NewRenderer(web.Site{Name: "Test Shop"}, log)
	auth := usersweb.NewAuth(svc, sessions, render, log)
	h := usersweb.NewHandler(svc, auth, render, log)

	r := chi.NewRouter()
	r.Use(httpx.RealIP(nil), sessions.LoadAndSave, auth.Load)
	r.Post("/test/signin/{id}", func(w http.ResponseWriter, r *http.Request) {
		// The server's goroutine must not call t.FailNow; the client checks the status.
		id, _ := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
		acc, err := svc.FindAccount(r.Context(), users.AccountID(id))
		if err == nil {
			err = auth.SignIn(r.Context(), acc)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	r.Route("/admin", func(r chi.Router) {
		// What cmd/shop's admin chrome does for flashes, so the pages show them.
		r.Use(auth.RequireStaff, func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var c web.AdminChrome
				if r.Method == http.MethodGet {
					for _, f := range session.PopFlashes(r.Context(), sessions) {
						c.Flashes = append(c.Flashes, web.FlashMessage{Kind: web.FlashKind(f.Kind), Text: f.Text})
					}
				}
				next.ServeHTTP(w, r.WithContext(web.WithAdminChrome(r.Context(), c)))
			})
		})
		h.AdminRoutes(r)
	})
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)

	b := &adminBundle{pool: pool, users: svc, server: srv}
	b.owner = b.staff(t, "owner@shop.test", users.RoleOwner)
	return b
}

// staff creates a staff account the way the command line does.
func (b *adminBundle) staff(t *testing.T, email string, role users.Role) users.Account {
	t.Helper()
	acc, err := b.users.CreateStaff(t.Context(), users.Actor{}, users.RoleOwner,
		users.RegisterInput{Email: email, Name: "Name of " + email, Password: adminPassword}, role)
	require.NoError(t, err)
	return acc
}

// adminClient is one browser: its own cookie jar, redirects not followed.
type adminClient struct {
	b    *adminBundle
	http *http.Client
}

func (b *adminBundle) signIn(t *testing.T, acc users.Account) *adminClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := &adminClient{b: b, http: &http.Client{
		Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	res := c.do(t, http.MethodPost, "/test/signin/"+strconv.FormatInt(int64(acc.ID), 10), nil)
	require.Equal(t, http.StatusNoContent, res.status)
	return c
}

type adminResponse struct {
	status   int
	location string
	body     string
}

func (c *adminClient) do(t *testing.T, method, path string, form url.Values) adminResponse {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(t.Context(), method, c.b.server.URL+path, body)
	require.NoError(t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.http.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return adminResponse{status: res.StatusCode, location: res.Header.Get("Location"), body: string(raw)}
}

// page GETs path, requires 200 and parses it.
func (c *adminClient) page(t *testing.T, path string) adminDoc {
	t.Helper()
	res := c.do(t, http.MethodGet, path, nil)
	require.Equal(t, http.StatusOK, res.status, "GET %s: %s", path, res.body)
	return parseAdminDoc(t, res.body)
}

// post submits form and requires the redirect of POST-redirect-GET to target.
func (c *adminClient) post(t *testing.T, path string, form url.Values, target string) {
	t.Helper()
	res := c.do(t, http.MethodPost, path, form)
	require.Equal(t, http.StatusSeeOther, res.status, "POST %s: %s", path, res.body)
	require.Equal(t, target, res.location)
}

// adminDoc is a parsed page queried by data-testid.
type adminDoc struct{ root *html.Node }

func parseAdminDoc(t *testing.T, body string) adminDoc {
	t.Helper()
	return adminDoc{root: webtest.Parse(t, body)}
}

func (d adminDoc) all(id string) []*html.Node { return webtest.ByTestID(d.root, id) }

func (d adminDoc) texts(id string) []string {
	var out []string
	for _, n := range d.all(id) {
		out = append(out, webtest.Text(n))
	}
	return out
}

// staffRow finds the row of email on the staff page.
func (d adminDoc) staffRow(t *testing.T, email string) *html.Node {
	t.Helper()
	for _, row := range d.all("staff-row") {
		if e := webtest.ByTestID(row, "staff-email"); len(e) == 1 && strings.HasPrefix(webtest.Text(e[0]), email) {
			return row
		}
	}
	require.FailNow(t, "no staff row for "+email)
	return nil
}

func adminRowText(row *html.Node, id string) string {
	nodes := webtest.ByTestID(row, id)
	if len(nodes) == 0 {
		return ""
	}
	return webtest.Text(nodes[0])
}

// adminAuditRow is one row of the audit log as read off the page.
type adminAuditRow struct {
	actor, action, object string
	changes               map[string][2]string // field → before, after
}

func (d adminDoc) auditEvents() []adminAuditRow {
	var out []adminAuditRow
	for _, row := range d.all("audit-event") {
		e := adminAuditRow{actor: adminRowText(row, "audit-actor"), action: adminRowText(row, "audit-action"),
			object: adminRowText(row, "audit-object"), changes: map[string][2]string{}}
		for _, c := range webtest.ByTestID(row, "audit-change") {
			e.changes[webtest.Attr(c, "data-field")] = [2]string{adminRowText(c, "audit-before"), adminRowText(c, "audit-after")}
		}
		out = append(out, e)
	}
	return out
}

func TestAdminStaff(t *testing.T) {
	t.Parallel()

	t.Run("OKCreateListedAndAudited", func(t *testing.T) {
		t.Parallel()
		b := adminSetup(t)
		owner := b.signIn(t, b.owner)

		form := owner.page(t, "/admin/staff/new")
		require.Len(t, form.all("staff-form"), 1)
		owner.post(t, "/admin/staff", url.Values{
			"email": {"sam@shop.test"}, "name": {"Sam Support"}, "password": {adminPassword}, "role": {"support"},
		}, "/admin/staff")

		list := owner.page(t, "/admin/staff")
		require.Equal(t, []string{"Staff account created for sam@shop.test (Support)."}, list.texts("flash"))
		row := list.staffRow(t, "sam@shop.test")
		require.Equal(t, "Sam Support", adminRowText(row, "staff-name"))
		require.Equal(t, "Support", adminRowText(row, "staff-role"))
		require.Equal(t, "Active", adminRowText(row, "staff-status"))
		require.Empty(t, owner.page(t, "/admin/staff").all("flash"), "a flash is shown once")

		events := owner.page(t, "/admin/audit?action=staff.create&actor=owner@").auditEvents()
		require.Len(t, events, 1)
		require.Contains(t, events[0].actor, "owner@shop.test")
		require.Equal(t, "staff.create", events[0].action)
		require.Equal(t, map[string][2]string{
			"email": {"(none)", "sam@shop.test"},
			"role":  {"(none)", "support"},
		}, events[0].changes)
	})

	t.Run("ErrCreateInvalidKeepsInput", func(t *testing.T) {
		t.Parallel()
		b := adminSetup(t)
		owner := b.signIn(t, b.owner)

		res := owner.do(t, http.MethodPost, "/admin/staff", url.Values{
			"email": {"pat@shop.test"}, "name": {"Pat"}, "password": {"short"}, "role": {"admin"},
		})

		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		d := parseAdminDoc(t, res.body)
		require.Len(t, d.all("field-error-password"), 1)
		require.NotContains(t, res.body, `value="short"`, "a password is never sent back")
		require.Contains(t, res.body, `value="pat@shop.test"`)
		staff, err := b.users.ListStaff(t.Context())
		require.NoError(t, err)
		require.Len(t, staff, 1, "nothing was created")
	})

	t.Run("OKRoleChangeAudited", func(t *testing.T) {
		t.Parallel()
		b := adminSetup(t)
		sam := b.staff(t, "sam@shop.test", users.RoleSupport)
		owner := b.signIn(t, b.owner)

		owner.post(t, "/admin/staff/"+strconv.FormatInt(int64(sam.ID), 10)+"/role",
			url.Values{"role": {"order_manager"}}, "/admin/staff")

		list := owner.page(t, "/admin/staff")
		require.Equal(t, []string{"The role of sam@shop.test is now Order manager."}, list.texts("flash"))
		require.Equal(t, "Order manager", adminRowText(list.staffRow(t, "sam@shop.test"), "staff-role"))
		events := owner.page(t, "/admin/audit?action=staff.role").auditEvents()
		require.Len(t, events, 1)
		require.Equal(t, "account #"+strconv.FormatInt(int64(sam.ID), 10), events[0].object)
		require.Equal(t, map[string][2]string{"role": {"support", "order_manager"}}, events[0].changes)
	})

	t.Run("OKStaffBackToCustomerAudited", func(t *testing.T) {
		t.Parallel()
		b := adminSetup(t)
		sam := b.staff(t, "sam2@shop.test", users.RoleCatalogManager)
		samBrowser := b.signIn(t, sam)
		require.Equal(t, http.StatusOK, samBrowser.do(t, http.MethodGet, "/admin", nil).status, "staff open the back office")
		owner := b.signIn(t, b.owner)
		list := owner.page(t, "/admin/staff")
		var offered []string
		for _, o := range webtest.All(list.staffRow(t, "sam2@shop.test"), func(n *html.Node) bool { return n.Data == "option" }) {
			offered = append(offered, webtest.Attr(o, "value"))
		}
		require.Contains(t, offered, "customer", "the role picker offers going back to customer")

		owner.post(t, "/admin/staff/"+strconv.FormatInt(int64(sam.ID), 10)+"/role", url.Values{"role": {"customer"}}, "/admin/staff")
		list = owner.page(t, "/admin/staff")
		require.Equal(t, []string{"The role of sam2@shop.test is now Customer."}, list.texts("flash"))
		require.Empty(t, webtest.All(list.root, func(n *html.Node) bool {
			return webtest.Attr(n, "data-testid") == "staff-email" && strings.Contains(webtest.Text(n), "sam2@shop.test")
		}), "no longer listed as staff")
		res := samBrowser.do(t, http.MethodGet, "/admin", nil)
		require.NotEqual(t, http.StatusOK, res.status, "the session made as staff no longer opens the back office")
		acc, err := b.users.FindAccount(t.Context(), sam.ID)
		require.NoError(t, err)
		require.Equal(t, users.Role(""), acc.Role, "a customer again, the account kept")
		events := owner.page(t, "/admin/audit?action=staff.role").auditEvents()
		require.Len(t, events, 1)
		require.Equal(t, map[string][2]string{"role": {"catalog_manager", "customer"}}, events[0].changes)
	})

	t.Run("ErrLastOwnerCannotBecomeCustomer", func(t *testing.T) {
		t.Parallel()
		b := adminSetup(t)
		owner := b.signIn(t, b.owner)
		owner.post(t, "/admin/staff/"+strconv.FormatInt(int64(b.owner.ID), 10)+"/role", url.Values{"role": {"customer"}}, "/admin/staff")
		list := owner.page(t, "/admin/staff")
		require.Equal(t, "The shop needs at least one active owner. Make someone else an owner first.", list.texts("flash")[0])
		require.Equal(t, "Owner", adminRowText(list.staffRow(t, "owner@shop.test"), "staff-role"))
	})

	t.Run("ErrLastOwnerCannotBeDemoted", func(t *testing.T) {
		t.Parallel()
		b := adminSetup(t)
		owner := b.signIn(t, b.owner)

		owner.post(t, "/admin/staff/"+strconv.FormatInt(int64(b.owner.ID), 10)+"/role",
			url.Values{"role": {"admin"}}, "/admin/staff")

		list := owner.page(t, "/admin/staff")
		flashes := list.all("flash")
		require.Len(t, flashes, 1)
		require.Equal(t, "error", webtest.Attr(flashes[0], "data-kind"))
		require.Equal(t, "The shop needs at least one active owner. Make someone else an owner first.", webtest.Text(flashes[0]))
		require.Equal(t, "Owner", adminRowText(list.staffRow(t, "owner@shop.test"), "staff-role"))
		require.Empty(t, owner.page(t, "/admin/audit?action=staff.role").auditEvents(), "a refused change is not logged")
	})

	t.Run("ErrAdminCannotCreateOrTouchOwners", func(t *testing.T) {
		t.Parallel()
		b := adminSetup(t)
		admin := b.signIn(t, b.staff(t, "ada@shop.test", users.RoleAdmin))

		form := admin.page(t, "/admin/staff/new")
		require.NotContains(t, form.texts("field-role")[0], "Owner", "an administrator is not offered the owner role")
		list := admin.page(t, "/admin/staff")
		require.Equal(t, "Only an owner can change an owner.", adminRowText(list.staffRow(t, "owner@shop.test"), "staff-owner-only"))
		require.Empty(t, webtest.ByTestID(list.staffRow(t, "owner@shop.test"), "staff-role-form"))

		// A hand-made request gets the service's refusal on the form, not a 500.
		res := admin.do(t, http.MethodPost, "/admin/staff", url.Values{
			"email": {"boss@shop.test"}, "name": {"Boss"}, "password": {adminPassword}, "role": {"owner"},
		})
		require.Equal(t, http.StatusForbidden, res.status)
		d := parseAdminDoc(t, res.body)
		require.Equal(t, []string{"Only an owner can make someone an owner."}, d.texts("form-error"))
		require.Len(t, d.all("field-error-role"), 1)
		_, err := b.users.FindAccountByEmail(t.Context(), "boss@shop.test")
		require.Error(t, err, "no account was created")

		admin.post(t, "/admin/staff/"+strconv.FormatInt(int64(b.owner.ID), 10)+"/disable",
			url.Values{"disabled": {"true"}}, "/admin/staff")
		require.Equal(t, []string{"Only an owner can disable an owner."}, admin.page(t, "/admin/staff").texts("flash"))
	})

	t.Run("OKDisableEndsSession", func(t *testing.T) {
		t.Parallel()
		b := adminSetup(t)
		samAcc := b.staff(t, "sam@shop.test", users.RoleSupport)
		sam := b.signIn(t, samAcc)
		owner := b.signIn(t, b.owner)
		sam.page(t, "/admin/customers")
		id := strconv.FormatInt(int64(samAcc.ID), 10)

		owner.post(t, "/admin/staff/"+id+"/disable", url.Values{"disabled": {"true"}}, "/admin/staff")

		res := sam.do(t, http.MethodGet, "/admin/customers", nil)
		require.Equal(t, http.StatusSeeOther, res.status, "the disabled person's next request is signed out")
		require.True(t, strings.HasPrefix(res.location, "/login?"), res.location)
		list := owner.page(t, "/admin/staff")
		require.Equal(t, "Disabled", adminRowText(list.staffRow(t, "sam@shop.test"), "staff-status"))
		require.Len(t, webtest.ByTestID(list.staffRow(t, "sam@shop.test"), "staff-enable"), 1)
		events := owner.page(t, "/admin/audit?action=staff.disable").auditEvents()
		require.Len(t, events, 1)
		require.Equal(t, map[string][2]string{"disabled": {"no", "yes"}}, events[0].changes)

		owner.post(t, "/admin/staff/"+id+"/disable", url.Values{"disabled": {"false"}}, "/admin/staff")
		require.Equal(t, "Active", adminRowText(owner.page(t, "/admin/staff").staffRow(t, "sam@shop.test"), "staff-status"))
		require.Equal(t, http.StatusSeeOther, sam.do(t, http.MethodGet, "/admin/customers", nil).status,
			"enabling does not bring an ended session back")
	})

	t.Run("ErrCannotDisableSelf", func(t *testing.T) {
		t.Parallel()
		b := adminSetup(t)
		owner := b.signIn(t, b.owner)
		require.Empty(t, webtest.ByTestID(owner.page(t, "/admin/staff").staffRow(t, "owner@shop.test"), "staff-disable"),
			"no button for what the service refuses")

		owner.post(t, "/admin/staff/"+strconv.FormatInt(int64(b.owner.ID), 10)+"/disable",
			url.Values{"disabled": {"true"}}, "/admin/staff")

		require.Equal(t, []string{"You cannot disable your own account."}, owner.page(t, "/admin/staff").texts("flash"))
	})

	t.Run("ErrUnknownAccount", func(t *testing.T) {
		t.Parallel()
		b := adminSetup(t)
		owner := b.signIn(t, b.owner)

		owner.post(t, "/admin/staff/999999/role", url.Values{"role": {"support"}}, "/admin/staff")
		require.Equal(t, []string{"Account not found."}, owner.page(t, "/admin/staff").texts("flash"))
		require.Equal(t, http.StatusNotFound, owner.do(t, http.MethodPost, "/admin/staff/abc/role", url.Values{"role": {"support"}}).status)
	})
}

func TestAdminCustomers(t *testing.T) {
	t.Parallel()
	b := adminSetup(t)
	register := func(email, name string) users.Account {
		acc, err := b.users.Register(t.Context(), users.RegisterInput{Email: email, Name: name, Password: adminPassword})
		require.NoError(t, err)
		return acc
	}
	alice := register("alice@example.com", "Alice Liddell")
	register("bob@example.com", "Bob Stone")
	register("carol@example.org", "Carol Alison")
	_, err := b.users.SaveAddress(t.Context(), alice.ID, users.Address{
		Name: "Alice Liddell", Line1: "1 Rabbit Hole", City: "Oxford", PostalCode: "OX1 1AA", Country: "GB",
	})
	require.NoError(t, err)
	support := b.signIn(t, b.staff(t, "sam@shop.test", users.RoleSupport))

	t.Run("OKListNewestFirstWithoutStaff", func(t *testing.T) {
		t.Parallel()
		d := support.page(t, "/admin/customers")
		require.Equal(t, []string{"carol@example.org", "bob@example.com", "alice@example.com"}, d.texts("customer-email"))
		require.Equal(t, []string{"3 customers"}, d.texts("customer-count"))
	})

	t.Run("OKSearchByNameOrEmail", func(t *testing.T) {
		t.Parallel()
		d := support.page(t, "/admin/customers?q=ali")
		require.Equal(t, []string{"carol@example.org", "alice@example.com"}, d.texts("customer-email"))
		d = support.page(t, "/admin/customers?q=nobody")
		require.Empty(t, d.all("customer-row"))
		require.Equal(t, []string{"No customer matches “nobody”."}, d.texts("customer-count"))
	})

	t.Run("OKDetail", func(t *testing.T) {
		t.Parallel()
		d := support.page(t, "/admin/customers/"+strconv.FormatInt(int64(alice.ID), 10))
		require.Equal(t, []string{"alice@example.com"}, d.texts("customer-title"))
		require.Equal(t, []string{"Alice Liddell"}, d.texts("customer-name"))
		require.Len(t, d.all("customer-created"), 1)
		require.Regexp(t, `^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$`, d.texts("customer-created")[0])
		addresses := d.texts("customer-address")
		require.Len(t, addresses, 1)
		require.Contains(t, addresses[0], "1 Rabbit Hole")
		require.Contains(t, d.texts("customer-orders")[0], "Orders cannot be shown here.", "without the orders module wired in, the section says so (cmd/shop wires it: TestOrderPages)")
	})

	t.Run("ErrStaffIsNoCustomer", func(t *testing.T) {
		t.Parallel()
		res := support.do(t, http.MethodGet, "/admin/customers/"+strconv.FormatInt(int64(b.owner.ID), 10), nil)
		require.Equal(t, http.StatusNotFound, res.status, "support may not read colleagues' accounts here")
		require.Equal(t, http.StatusNotFound, support.do(t, http.MethodGet, "/admin/customers/999999", nil).status)
		require.Equal(t, http.StatusNotFound, support.do(t, http.MethodGet, "/admin/customers/x", nil).status)
	})

	t.Run("ErrSupportCannotManageStaff", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, http.StatusForbidden, support.do(t, http.MethodGet, "/admin/staff", nil).status)
		require.Equal(t, http.StatusForbidden, support.do(t, http.MethodGet, "/admin/audit", nil).status)
	})
}

func TestAdminAuditPages(t *testing.T) {
	t.Parallel()
	b := adminSetup(t)
	// With the owner's own creation, 51 events: one more than a page.
	for i := range 50 {
		b.staff(t, "s"+strconv.Itoa(i)+"@shop.test", users.RoleSupport)
	}
	owner := b.signIn(t, b.owner)

	first := owner.page(t, "/admin/audit?action=staff.")
	require.Len(t, first.auditEvents(), 50)
	next := first.all("pagination-next")
	require.Len(t, next, 1)
	require.Equal(t, "/admin/audit?action=staff.&page=2", webtest.Attr(next[0], "href"))

	second := owner.page(t, webtest.Attr(next[0], "href"))
	require.Len(t, second.auditEvents(), 1)
	require.Empty(t, second.all("pagination-next"))
	require.Len(t, second.all("pagination-prev"), 1)

	none := owner.page(t, "/admin/audit?actor=nobody")
	require.Empty(t, none.auditEvents())
	require.Len(t, none.all("audit-empty"), 1)
}
