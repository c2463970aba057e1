package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web/webtest"
)

// htmlNode shortens predicates over parsed pages.
type htmlNode = html.Node

// findTestID returns the first element under n with the data-testid id.
func findTestID(n *html.Node, id string) *html.Node {
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && webtest.Attr(d, "data-testid") == id {
			return d
		}
	}
	return nil
}

// stockFixture is the whole app with a demo catalog and one stock location.
type stockFixture struct {
	a        *testApp
	ctx      context.Context
	location int64
}

func stockSetup(t *testing.T, products int) *stockFixture {
	t.Helper()
	a := setup(t, appOptions{products: products})
	loc, err := a.m.inventory.CreateLocation(t.Context(), "Main warehouse", 10)
	require.NoError(t, err)
	return &stockFixture{a: a, ctx: t.Context(), location: loc.ID}
}

// set gives a variant qty on hand, whatever it had.
func (f *stockFixture) set(t *testing.T, v catalog.VariantID, qty int) {
	t.Helper()
	levels, err := f.a.m.inventory.Levels(f.ctx, int64(v))
	require.NoError(t, err)
	cur := 0
	for _, l := range levels {
		if l.LocationID == f.location {
			cur = l.OnHand
		}
	}
	require.NoError(t, f.a.m.inventory.Adjust(f.ctx, audit.Actor{}, int64(v), f.location, cur, qty, "test"))
}

func (f *stockFixture) reserve(t *testing.T, ref string, v catalog.VariantID, qty int) {
	t.Helper()
	require.NoError(t, db.InTx(f.ctx, f.a.m.pool, func(tx pgx.Tx) error {
		return f.a.m.inventory.ReserveTx(f.ctx, tx, ref, []inventory.Line{{VariantID: int64(v), Quantity: qty}})
	}))
}

func (f *stockFixture) release(t *testing.T, ref string) {
	t.Helper()
	require.NoError(t, db.InTx(f.ctx, f.a.m.pool, func(tx pgx.Tx) error { return f.a.m.inventory.ReleaseTx(f.ctx, tx, ref) }))
}

// products returns the storefront products in listing order, with their variants.
func (f *stockFixture) products(t *testing.T, q catalog.ListingQuery) []catalog.Product {
	t.Helper()
	q.PerPage = catalog.MaxPerPage
	l, err := f.a.m.catalog.ListProducts(f.ctx, q)
	require.NoError(t, err)
	out := make([]catalog.Product, len(l.Products))
	for i, s := range l.Products {
		p, err := f.a.m.catalog.FindProductBySlug(f.ctx, s.Slug)
		require.NoError(t, err)
		out[i] = p
	}
	return out
}

func TestProductPageStock(t *testing.T) {
	t.Parallel()
	f := stockSetup(t, 6)
	ps := f.products(t, catalog.ListingQuery{})
	require.GreaterOrEqual(t, len(ps), 5)

	cases := []struct {
		name, label, kind string
		stock             func(v catalog.VariantID)
	}{
		{"InStock", "In stock", "in-stock", func(v catalog.VariantID) { f.set(t, v, 20) }},
		{"FewLeft", "Only 3 left", "low", func(v catalog.VariantID) { f.set(t, v, 3) }},
		{"SoldOut", "Out of stock", "out", func(v catalog.VariantID) { f.set(t, v, 0) }},
		{"Backorder", "Available on backorder", "backorder", func(v catalog.VariantID) {
			f.set(t, v, 0)
			require.NoError(t, f.a.m.inventory.SetPolicy(f.ctx, int64(v), true, 5))
		}},
		{"LastUnitReserved", "Out of stock", "out", func(v catalog.VariantID) {
			f.set(t, v, 1)
			f.reserve(t, "order:product-page", v, 1)
		}},
	}
	for i, tc := range cases {
		p := ps[i]
		v := p.Variants[0]
		tc.stock(v.ID)
		t.Run("OK"+tc.name, func(t *testing.T) {
			t.Parallel()
			res := f.a.get(t, "/p/"+p.Slug+"?variant="+strconv.FormatInt(int64(v.ID), 10))
			require.Equal(t, http.StatusOK, res.status)
			status := parsePage(t, res.body).one("stock-status")
			require.Equal(t, tc.label, webtest.Text(status))
			require.Equal(t, tc.kind, webtest.Attr(status, "data-stock"))
		})
	}

	t.Run("OKUntrackedIsNotOffered", func(t *testing.T) {
		t.Parallel()
		p := ps[len(cases)]
		res := f.a.get(t, "/p/"+p.Slug+"?variant="+strconv.FormatInt(int64(p.Variants[0].ID), 10))
		require.Equal(t, http.StatusOK, res.status)
		status := parsePage(t, res.body).one("stock-status")
		require.Equal(t, "out", webtest.Attr(status, "data-stock"),
			"a variant with no stock record cannot be reserved, so it is not offered for sale")
	})
}

func TestInStockFilter(t *testing.T) {
	t.Parallel()
	f := stockSetup(t, 16)

	// A category with a few products, each variant stocked.
	var cat catalog.Category
	var ps []catalog.Product
	cats, err := f.a.m.catalog.ListCategories(f.ctx)
	require.NoError(t, err)
	for _, c := range cats {
		if found := f.products(t, catalog.ListingQuery{Category: c.ID}); len(found) >= 3 && len(found) > len(ps) {
			cat, ps = c, found
		}
	}
	require.NotEmpty(t, ps, "the demo catalog has a category with several products")
	for _, p := range ps {
		for _, v := range p.Variants {
			f.set(t, v.ID, 2)
		}
	}
	listed := func(t *testing.T, path string) (page, []string) {
		t.Helper()
		res := f.a.get(t, path)
		require.Equal(t, http.StatusOK, res.status)
		p := parsePage(t, res.body)
		var hrefs []string
		for _, n := range p.byTestID("product-title") {
			hrefs = append(hrefs, webtest.Attr(n, "href"))
		}
		return p, hrefs
	}
	catPath := "/c/" + cat.Slug
	filtered := catPath + "?in_stock=1"

	// Product 0 sells out; product 1 is down to its last unit of one variant.
	soldOut, lastUnit := ps[0], ps[1]
	for _, v := range soldOut.Variants {
		f.set(t, v.ID, 0)
	}
	for _, v := range lastUnit.Variants[1:] {
		f.set(t, v.ID, 0)
	}
	f.set(t, lastUnit.Variants[0].ID, 1)

	t.Run("OKOfferedInTheSidebar", func(t *testing.T) {
		p, hrefs := listed(t, catPath)
		require.Len(t, hrefs, len(ps), "without the filter every product shows")
		facets := p.all(func(n *htmlNode) bool {
			return webtest.Attr(n, "data-testid") == "facet" && webtest.Attr(n, "data-facet") == "in_stock"
		})
		require.Len(t, facets, 1)
		link := findTestID(facets[0], "facet-value")
		require.Equal(t, filtered, webtest.Attr(link, "href"))
		require.Equal(t, "In stock only", webtest.Text(findTestID(link, "facet-label")))
		require.Empty(t, webtest.Attr(link, "data-selected"))
	})

	t.Run("OKSoldOutProductDrops", func(t *testing.T) {
		p, hrefs := listed(t, filtered)
		require.Len(t, hrefs, len(ps)-1)
		require.NotContains(t, hrefs, "/p/"+soldOut.Slug, "a product whose stock is 0 is not in stock")
		require.Contains(t, hrefs, "/p/"+lastUnit.Slug, "one unit of one variant is enough")
		require.Equal(t, "Availability: In stock only × (remove filter)", webtest.Text(p.one("active-filter")))
		require.Equal(t, catPath, webtest.Attr(p.one("active-filter"), "href"))
		require.Equal(t, strconv.Itoa(len(ps)-1)+" products", webtest.Text(p.one("result-count")))
	})

	t.Run("OKReservingTheLastUnitDropsIt", func(t *testing.T) {
		f.reserve(t, "order:last-unit", lastUnit.Variants[0].ID, 1)
		_, hrefs := listed(t, filtered)
		require.NotContains(t, hrefs, "/p/"+lastUnit.Slug, "its last unit is held by an order")
		require.Len(t, hrefs, len(ps)-2)

		f.release(t, "order:last-unit")
		_, hrefs = listed(t, filtered)
		require.Contains(t, hrefs, "/p/"+lastUnit.Slug, "released, it is for sale again at once")
	})

	t.Run("OKBackorderCounts", func(t *testing.T) {
		require.NoError(t, f.a.m.inventory.SetPolicy(f.ctx, int64(soldOut.Variants[0].ID), true, 5))
		t.Cleanup(func() { _ = f.a.m.inventory.SetPolicy(f.ctx, int64(soldOut.Variants[0].ID), false, 5) })
		_, hrefs := listed(t, filtered)
		require.Contains(t, hrefs, "/p/"+soldOut.Slug, "a product that can be ordered now is listed")
	})

	t.Run("OKSortAndPagesKeepTheFilter", func(t *testing.T) {
		p, _ := listed(t, filtered+"&sort=name")
		var hidden []string
		for _, n := range p.all(func(n *htmlNode) bool { return n.Data == "input" && webtest.Attr(n, "type") == "hidden" }) {
			hidden = append(hidden, webtest.Attr(n, "name")+"="+webtest.Attr(n, "value"))
		}
		require.Contains(t, hidden, "in_stock=1")
	})
}

// statementCounter counts the SQL statements a pool sends.
type statementCounter struct{ n atomic.Int64 }

func (c *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TestInStockFilterQueries proves the filter's cost: a category listing asks nothing of
// Postgres without it and a fixed number of statements with it, whatever the catalog's size.
func TestInStockFilterQueries(t *testing.T) {
	t.Parallel()
	for _, products := range []int{20, 200} {
		t.Run(fmt.Sprintf("OK%dProducts", products), func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			counter := &statementCounter{}
			pool, err := db.Open(ctx, dbtest.URL(t), db.PoolOptions{MaxConns: 4, Tracer: counter})
			require.NoError(t, err)
			t.Cleanup(pool.Close)
			cat := catalog.NewService(pool, nil)
			require.NoError(t, cat.SeedDemo(ctx, catalog.SeedOptions{Products: products, Seed: 9}))
			inv := inventory.NewService(pool, nil)
			require.NoError(t, stockDemoCatalog(ctx, cat, inv))
			cat.UseInStock(newCatalogStock(inv))
			tops, err := cat.ListTopCategories(ctx)
			require.NoError(t, err)
			q := catalog.ListingQuery{Category: tops[0].ID, PerPage: 24}
			_, err = cat.ListProducts(ctx, q) // loads the snapshot
			require.NoError(t, err)

			before := counter.n.Load()
			plain, err := cat.ListProducts(ctx, q)
			require.NoError(t, err)
			require.Equal(t, int64(0), counter.n.Load()-before, "without the filter: answered from memory")

			// Sell out the first product everywhere, so the filter has something to drop.
			first, err := cat.FindProductBySlug(ctx, plain.Products[0].Slug)
			require.NoError(t, err)
			for _, v := range first.Variants {
				levels, err := inv.Levels(ctx, int64(v.ID))
				require.NoError(t, err)
				for _, l := range levels {
					require.NoError(t, inv.Adjust(ctx, audit.Actor{}, l.VariantID, l.LocationID, l.OnHand, 0, "sold out"))
				}
			}

			q.Filters = map[string][]string{catalog.InStockFacet: {"1"}}
			before = counter.n.Load()
			in, err := cat.ListProducts(ctx, q)
			require.NoError(t, err)
			// Three for the copy of all stock (the last stock movement it includes, the range
			// of variant ids, then the stock of each range of 500,000), one for the variants
			// this process changed a moment ago (read live until the copy has surely seen
			// them), whatever the catalog's size below half a million variants.
			require.Equal(t, int64(4), counter.n.Load()-before, "with the filter: four queries, however many products")
			require.Less(t, in.Total, plain.Total, "the sold-out product is left out")
			require.Positive(t, in.Total)
		})
	}
}

func TestInventoryAdminAccess(t *testing.T) {
	t.Parallel()
	f := stockSetup(t, 3)
	a := f.a
	for _, role := range []users.Role{users.RoleOwner, users.RoleOrderManager, users.RoleSupport} {
		_, err := a.m.users.CreateStaff(f.ctx, users.Actor{}, users.RoleOwner, users.RegisterInput{
			Email: string(role) + "@shop.test", Name: role.Label(), Password: adminTestPassword}, role)
		require.NoError(t, err)
	}
	v := f.products(t, catalog.ListingQuery{})[0].Variants[0]
	f.set(t, v.ID, 4)
	variantPath := "/admin/inventory/variants/" + strconv.FormatInt(int64(v.ID), 10)
	adjust := url.Values{"location_id": {strconv.FormatInt(f.location, 10)}, "expected_on_hand": {"4"}, "on_hand": {"9"}, "reason": {"count"}}

	// In order, not in parallel: the refusals must find the level as it was, and the
	// owner's change comes last.

	t.Run("ErrSupportSeesNoStock", func(t *testing.T) {
		b := a.signIn(t, "support@shop.test")
		require.Equal(t, http.StatusForbidden, b.send(t, http.MethodGet, "/admin/inventory", nil).status)
		require.Equal(t, http.StatusForbidden, b.send(t, http.MethodPost, variantPath+"/adjust", adjust).status)
	})

	t.Run("ErrOrderManagerLooksOnly", func(t *testing.T) {
		b := a.signIn(t, "order_manager@shop.test")
		res := b.send(t, http.MethodGet, variantPath, nil)
		require.Equal(t, http.StatusOK, res.status)
		require.False(t, parsePage(t, res.body).has("adjust-form"), "no form for someone who may not change stock")
		require.Equal(t, http.StatusForbidden, b.send(t, http.MethodPost, variantPath+"/adjust", adjust).status)
		levels, err := a.m.inventory.Levels(f.ctx, int64(v.ID))
		require.NoError(t, err)
		require.Equal(t, 4, levels[0].OnHand)
	})

	t.Run("OKOwnerAdjustsAndIsAudited", func(t *testing.T) {
		b := a.signIn(t, "owner@shop.test")
		p := parsePage(t, b.send(t, http.MethodGet, variantPath, nil).body)
		require.Equal(t, v.SKU, webtest.Text(p.one("variant-sku")), "the catalog's SKU, through the adapter")
		res := b.send(t, http.MethodPost, variantPath+"/adjust", adjust)
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		res = b.send(t, http.MethodGet, variantPath, nil)
		require.Contains(t, webtest.Text(parsePage(t, res.body).one("flash")), "Stock at Main warehouse saved.")
		events, err := a.m.users.ListAudit(f.ctx, users.AuditFilter{Action: "stock.adjust"})
		require.NoError(t, err)
		require.NotEmpty(t, events)
		require.Equal(t, "owner@shop.test", events[0].ActorEmail)

		res = b.send(t, http.MethodPost, variantPath+"/policy", url.Values{"allow_backorder": {"1"}, "low_stock_threshold": {"2"}})
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		events, err = a.m.users.ListAudit(f.ctx, users.AuditFilter{Action: "stock.policy"})
		require.NoError(t, err)
		require.Len(t, events, 1, "a policy change is a staff action: audited")
		require.Equal(t, true, events[0].Changes["allow_backorder"].After)
	})
}

func TestLowStockEmailWiring(t *testing.T) {
	t.Parallel()
	f := stockSetup(t, 3)
	a := f.a
	_, err := a.m.users.CreateStaff(f.ctx, users.Actor{}, users.RoleOwner, users.RegisterInput{
		Email: "boss@shop.test", Name: "Boss", Password: adminTestPassword}, users.RoleOwner)
	require.NoError(t, err)
	_, err = a.m.users.CreateStaff(f.ctx, users.Actor{}, users.RoleOwner, users.RegisterInput{
		Email: "helper@shop.test", Name: "Helper", Password: adminTestPassword}, users.RoleSupport)
	require.NoError(t, err)
	v := f.products(t, catalog.ListingQuery{})[0].Variants[0]
	f.set(t, v.ID, 1)

	n, err := a.m.inventory.SendLowStockAlert(f.ctx, a.m.lowStockAlerts())
	require.NoError(t, err)
	require.Equal(t, 1, n, "owners only")
	var to, subject, body string
	require.NoError(t, a.pool.QueryRow(f.ctx, `SELECT recipient, subject, text FROM notify.messages WHERE kind = 'low_stock'`).Scan(&to, &subject, &body))
	require.Equal(t, "boss@shop.test", to)
	require.Equal(t, "Low stock: 1 variant at Monoshop", subject)
	require.Contains(t, body, v.SKU, "the catalog names the variant")
}

// TestStockCopyFollowsOtherReplicas proves that a replica's copy of stock follows changes
// made by another replica within a couple of refreshes, by reading what moved rather
// than every variant again.
// twoReplicas returns the inventory of two processes on one database, as this process
// (reader) and another replica (writer, whose changes no hook here hears of), and a
// stock location.
func twoReplicas(t *testing.T) (reader, writer *inventory.Service, location int64) {
	t.Helper()
	url := dbtest.URL(t)
	open := func() *inventory.Service {
		pool, err := db.Open(t.Context(), url, db.PoolOptions{MaxConns: 4})
		require.NoError(t, err)
		t.Cleanup(pool.Close)
		return inventory.NewService(pool, nil)
	}
	reader, writer = open(), open()
	loc, err := writer.CreateLocation(t.Context(), "Main", 1)
	require.NoError(t, err)
	return reader, writer, loc.ID
}

func TestStockCopyFollowsOtherReplicas(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	reader, writer, location := twoReplicas(t)
	const quiet, busy = 7001, 7002
	require.NoError(t, writer.Adjust(ctx, audit.Actor{}, quiet, location, 0, 4, "count"))
	require.NoError(t, writer.Adjust(ctx, audit.Actor{}, busy, location, 0, 5, "count"))

	stock := newCatalogStock(reader)
	available := func(id int64) int {
		got, err := stock.cache.lookup(ctx, []int64{id})
		require.NoError(t, err)
		return got[id].Available()
	}
	require.Equal(t, 5, available(busy))
	base := stock.cache.data.Load().baseAt

	// Another replica sells two: this one's hook never hears of it.
	require.NoError(t, writer.Adjust(ctx, audit.Actor{}, busy, location, 5, 3, "sold elsewhere"))
	require.Eventually(t, func() bool { return available(busy) == 3 }, 5*time.Second, 20*time.Millisecond,
		"the change shows once the copy has read what moved")
	require.Equal(t, 4, available(quiet), "what did not move is unchanged")
	snap := stock.cache.data.Load()
	require.Equal(t, base, snap.baseAt, "no whole re-read was needed")
	require.Contains(t, snap.moved, int64(busy), "read as a variant that moved")

	// A backorder policy switched on elsewhere writes no movement, and still shows.
	canSell := func(id int64) bool {
		got, err := stock.cache.lookup(ctx, []int64{id})
		require.NoError(t, err)
		return got[id].CanSell(1)
	}
	require.NoError(t, writer.Adjust(ctx, audit.Actor{}, busy, location, 3, 0, "sold out elsewhere"))
	require.Eventually(t, func() bool { return !canSell(busy) }, 5*time.Second, 20*time.Millisecond)
	require.NoError(t, writer.SetPolicy(ctx, busy, true, 0))
	require.Eventually(t, func() bool { return canSell(busy) }, 5*time.Second, 20*time.Millisecond,
		"backorders allowed on another replica show here too")
	require.Equal(t, base, stock.cache.data.Load().baseAt, "still no whole re-read")
}

// TestStockCopyAfterQuietSpell: the first page after nobody asked for a while shows the
// stock as it is now, not as it was when the last page was shown.
func TestStockCopyAfterQuietSpell(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	reader, writer, location := twoReplicas(t)
	const variant = 7101
	require.NoError(t, writer.Adjust(ctx, audit.Actor{}, variant, location, 0, 5, "count"))

	stock := newCatalogStock(reader)
	available := func() int {
		got, err := stock.cache.lookup(ctx, []int64{variant})
		require.NoError(t, err)
		return got[variant].Available()
	}
	require.Equal(t, 5, available())
	// Another replica sells the lot while this one serves no page.
	require.NoError(t, writer.Adjust(ctx, audit.Actor{}, variant, location, 5, 0, "sold elsewhere"))
	time.Sleep(stockServeStale + 100*time.Millisecond)
	require.Equal(t, 0, available(), "the first page after a quiet spell waits for what moved")
}

// slowStockAll is inventory whose whole reads wait for release, as a read of 15 million
// variants takes tens of seconds.
type slowStockAll struct {
	*inventory.Service
	started chan struct{}
	release chan struct{}
}

func (s slowStockAll) StockAll(ctx context.Context) (*inventory.StockTable, int64, error) {
	s.started <- struct{}{}
	<-s.release
	return s.Service.StockAll(ctx)
}

// TestStockCopyServesDuringWholeRead: while the copy's periodic whole read runs, pages
// still get the copy brought up to date by the small read of what moved, instead of
// waiting for the whole read to finish.
func TestStockCopyServesDuringWholeRead(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	reader, writer, location := twoReplicas(t)
	const variant = 7201
	require.NoError(t, writer.Adjust(ctx, audit.Actor{}, variant, location, 0, 6, "count"))

	slow := slowStockAll{Service: reader, started: make(chan struct{}, 1), release: make(chan struct{})}
	cache := &stockCache{inv: slow}
	go func() { <-slow.started; slow.release <- struct{}{} }() // the first read goes through
	available := func() int {
		got, err := cache.lookup(ctx, []int64{variant})
		require.NoError(t, err)
		return got[variant].Available()
	}
	require.Equal(t, 6, available())
	first := cache.data.Load()

	// The copy's base falls due, and a quiet spell makes the copy stale.
	stale := *first
	stale.baseAt = stale.baseAt.Add(-stockFullRefresh)
	stale.at = stale.at.Add(-stockServeStale)
	cache.data.Store(&stale)
	require.NoError(t, writer.Adjust(ctx, audit.Actor{}, variant, location, 6, 2, "sold elsewhere"))

	whole := make(chan error, 1)
	go func() { _, err := cache.refresh(ctx, true); whole <- err }()
	<-slow.started // the whole read is under way and held there

	done := make(chan int, 1)
	go func() { done <- available() }()
	select {
	case n := <-done:
		require.Equal(t, 2, n, "the page sees what moved, read while the whole read runs")
	case <-time.After(5 * time.Second):
		t.Fatal("a page waited for the whole read")
	}
	close(slow.release)
	require.NoError(t, <-whole)
	require.True(t, cache.data.Load().baseAt.After(stale.baseAt), "the whole read landed")
	require.Equal(t, 2, available())
}

// TestProductCardStock: listing cards say "Sold out" and "Only N left" from the stock
// copy, and a sale that nobody can buy is not advertised; what this process just sold
// shows at once.
func TestProductCardStock(t *testing.T) {
	t.Parallel()
	f := stockSetup(t, 16)
	var cat catalog.Category
	var ps []catalog.Product
	cats, err := f.a.m.catalog.ListCategories(f.ctx)
	require.NoError(t, err)
	for _, c := range cats {
		if found := f.products(t, catalog.ListingQuery{Category: c.ID}); len(found) >= 4 && len(found) > len(ps) {
			cat, ps = c, found
		}
	}
	require.NotEmpty(t, ps, "a category with a few products")
	for _, p := range ps {
		for _, v := range p.Variants {
			f.set(t, v.ID, 20)
		}
	}
	soldOut, fewLeft, backorder := ps[0], ps[1], ps[2]
	for _, v := range soldOut.Variants {
		f.set(t, v.ID, 0)
	}
	for _, v := range fewLeft.Variants {
		f.set(t, v.ID, 0)
	}
	f.set(t, fewLeft.Variants[0].ID, 2)
	for _, v := range backorder.Variants {
		f.set(t, v.ID, 0)
		require.NoError(t, f.a.m.inventory.SetPolicy(f.ctx, int64(v.ID), true, 5))
	}

	badges := func(t *testing.T) map[string]string {
		t.Helper()
		res := f.a.get(t, "/c/"+cat.Slug)
		require.Equal(t, http.StatusOK, res.status)
		out := map[string]string{}
		for _, card := range parsePage(t, res.body).byTestID("product-card") {
			slug := strings.TrimPrefix(webtest.Attr(findTestID(card, "product-title"), "href"), "/p/")
			if b := findTestID(card, "product-badge"); b != nil {
				out[slug] = webtest.Text(b)
			} else {
				out[slug] = ""
			}
		}
		return out
	}
	got := badges(t)
	require.Equal(t, "Sold out", got[soldOut.Slug])
	require.Equal(t, "Only 2 left", got[fewLeft.Slug])
	require.NotEqual(t, "Sold out", got[backorder.Slug], "on backorder it can still be bought")
	require.NotContains(t, got[backorder.Slug], "left", "and how many is no limit")
	for _, p := range ps[3:] {
		onSale := false
		for _, v := range p.Variants {
			onSale = onSale || v.OnSale()
		}
		if onSale {
			require.Equal(t, "On sale", got[p.Slug], p.Slug)
		} else {
			require.Empty(t, got[p.Slug], "%s: plenty in stock, nothing to say", p.Slug)
		}
	}

	// A shopper reserves one of the last two: the next page says so, without waiting for
	// the copy to catch up.
	f.reserve(t, "order:card-stock", fewLeft.Variants[0].ID, 1)
	require.Equal(t, "Only 1 left", badges(t)[fewLeft.Slug])
	f.reserve(t, "order:card-stock-2", fewLeft.Variants[0].ID, 1)
	require.Equal(t, "Sold out", badges(t)[fewLeft.Slug])
}
