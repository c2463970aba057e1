package main

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/internal/cart"
	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web/webtest"
)

// cartFixture is the whole shop with three products in stock at one location.
type cartFixture struct {
	a        *testApp
	items    []cartItem
	category string // a category slug the first item is filed in
	location int64
}

type cartItem struct {
	v catalog.Variant
	p catalog.Product
}

func (i cartItem) id() string { return strconv.FormatInt(int64(i.v.ID), 10) }

func cartSetup(t *testing.T) *cartFixture { return cartSetupWith(t, appOptions{}) }

// cartSetupWith is cartSetup on an app started with opts (8 demo products always).
func cartSetupWith(t *testing.T, opts appOptions) *cartFixture {
	t.Helper()
	opts.products = 8
	a := setup(t, opts)
	ctx := t.Context()
	loc, err := a.m.inventory.CreateLocation(ctx, "Shop floor", 1)
	require.NoError(t, err)
	f := &cartFixture{a: a, location: loc.ID}
	ids, err := a.m.catalog.ListVariantIDs(ctx)
	require.NoError(t, err)
	seen := map[catalog.ProductID]bool{}
	for _, id := range ids {
		v, p, err := a.m.catalog.FindVariant(ctx, id)
		if err != nil || seen[p.ID] || len(p.CategoryIDs) == 0 {
			continue
		}
		seen[p.ID] = true
		require.NoError(t, a.m.inventory.Adjust(ctx, audit.Actor{}, int64(v.ID), loc.ID, 0, 10, "test stock"))
		f.items = append(f.items, cartItem{v: v, p: p})
		if len(f.items) == 3 {
			break
		}
	}
	require.Len(t, f.items, 3)
	cats, err := a.m.catalog.ListCategories(ctx)
	require.NoError(t, err)
	for _, c := range cats {
		if c.ID == f.items[0].p.CategoryIDs[0] {
			f.category = c.Slug
		}
	}
	require.NotEmpty(t, f.category)
	return f
}

// setStock sets an item's stock from the 10 cartSetup gave it.
func (f *cartFixture) setStock(t *testing.T, it cartItem, qty int) {
	t.Helper()
	require.NoError(t, f.a.m.inventory.Adjust(t.Context(), audit.Actor{}, int64(it.v.ID), f.location, 10, qty, "recount"))
}

// addFromProductPage submits the product page's add-to-cart form as a browser does: the
// fields the form has, to the URL the form names.
func (b *browser) addFromProductPage(t *testing.T, it cartItem, qty int) response {
	t.Helper()
	page := "/p/" + it.p.Slug + "?variant=" + it.id()
	res := b.send(t, http.MethodGet, page, nil)
	require.Equal(t, http.StatusOK, res.status)
	p := parsePage(t, res.body)
	form := p.one("add-to-cart")
	require.Equal(t, "post", webtest.Attr(form, "method"))
	fields := url.Values{}
	for n := range form.Descendants() {
		if n.Type == html.ElementNode && n.Data == "input" && webtest.Attr(n, "name") != "" {
			fields.Set(webtest.Attr(n, "name"), webtest.Attr(n, "value"))
		}
	}
	require.Equal(t, it.id(), fields.Get("variant_id"))
	fields.Set("quantity", strconv.Itoa(qty))
	return b.send(t, http.MethodPost, webtest.Attr(form, "action"), fields)
}

// cartCount is the header's count on a page, which must answer wantStatus.
func (b *browser) cartCount(t *testing.T, path string, wantStatus int) string {
	t.Helper()
	res := b.send(t, http.MethodGet, path, nil)
	require.Equal(t, wantStatus, res.status, "GET %s", path)
	return webtest.Text(parsePage(t, res.body).one("cart-count"))
}

// cartLines is the cart page's lines as variant id -> data-status, and the page.
func (b *browser) cartLines(t *testing.T) (map[string]string, page) {
	t.Helper()
	res := b.send(t, http.MethodGet, "/cart", nil)
	require.Equal(t, http.StatusOK, res.status)
	p := parsePage(t, res.body)
	out := map[string]string{}
	for _, n := range p.byTestID("cart-line") {
		out[webtest.Attr(n, "data-variant-id")] = webtest.Attr(n, "data-status")
	}
	return out, p
}

func lineQuantity(t *testing.T, p page, variant string) string {
	t.Helper()
	for _, n := range p.byTestID("cart-line") {
		if webtest.Attr(n, "data-variant-id") == variant {
			for d := range n.Descendants() {
				if webtest.Attr(d, "data-testid") == "cart-line-quantity" {
					return webtest.Attr(d, "value")
				}
			}
		}
	}
	require.Failf(t, "no quantity", "variant %s has no quantity input on the cart page", variant)
	return ""
}

func TestCart(t *testing.T) {
	t.Parallel()

	t.Run("OKGuestCartMergedAtSignIn", func(t *testing.T) {
		t.Parallel()
		f := cartSetup(t)
		a := f.a
		x, y, z := f.items[0], f.items[1], f.items[2]
		_, err := a.m.users.Register(t.Context(), users.RegisterInput{Email: "cora@example.com", Name: "Cora", Password: adminTestPassword})
		require.NoError(t, err)

		// Cora's earlier visit, signed in on her phone.
		phone := a.signIn(t, "cora@example.com")
		require.Equal(t, http.StatusSeeOther, phone.addFromProductPage(t, x, 1).status)
		require.Equal(t, http.StatusSeeOther, phone.addFromProductPage(t, y, 2).status)
		require.Equal(t, "3", phone.cartCount(t, "/", http.StatusOK))

		// Today, on her laptop, she shops as a guest before signing in.
		laptop := a.browser(t)
		res := laptop.addFromProductPage(t, x, 2)
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		require.Equal(t, "/p/"+x.p.Slug+"?variant="+x.id()+"&added=1", res.header.Get("Location"))
		require.Equal(t, http.StatusSeeOther, laptop.addFromProductPage(t, y, 3).status)
		require.Equal(t, http.StatusSeeOther, laptop.addFromProductPage(t, z, 1).status)
		for _, path := range []string{"/", "/p/" + z.p.Slug, "/c/" + f.category, "/cart", "/search?q=" + url.QueryEscape(z.p.Title), "/login"} {
			require.Equal(t, "6", laptop.cartCount(t, path, http.StatusOK), path)
		}
		require.Equal(t, "6", laptop.cartCount(t, "/no-such-page", http.StatusNotFound))
		f.setStock(t, y, 4) // 2 + 3 wanted, 4 left

		res = laptop.send(t, http.MethodPost, "/login", url.Values{"email": {"cora@example.com"}, "password": {adminTestPassword}, "next": {"/cart"}})
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		require.Equal(t, "/cart", res.header.Get("Location"))
		lines, p := laptop.cartLines(t)
		var flashes []string
		for _, n := range p.byTestID("flash") {
			flashes = append(flashes, webtest.Text(n))
		}
		require.Equal(t, []string{
			"We added the 6 items from your visit to your cart.",
			"Only 4 left of " + cartItemName(y) + " — quantity lowered",
		}, flashes)
		require.Equal(t, map[string]string{x.id(): "ok", y.id(): "ok", z.id(): "ok"}, lines)
		require.Equal(t, "3", lineQuantity(t, p, x.id()), "1 + 2")
		require.Equal(t, "4", lineQuantity(t, p, y.id()), "2 + 3, capped at the 4 left")
		require.Equal(t, "1", lineQuantity(t, p, z.id()))
		require.Equal(t, "8", webtest.Text(p.one("cart-count")))

		// The header is right on every page, on both devices: it is one cart.
		for _, b := range []*browser{laptop, phone} {
			for _, path := range []string{"/", "/p/" + x.p.Slug, "/c/" + f.category, "/cart", "/account"} {
				require.Equal(t, "8", b.cartCount(t, path, http.StatusOK), path)
			}
		}
		var carts int
		require.NoError(t, a.pool.QueryRow(t.Context(), `SELECT count(*) FROM cart.carts`).Scan(&carts))
		require.Equal(t, 1, carts, "the guest cart is gone")

		// Signing out leaves the account's cart with the account.
		require.Equal(t, http.StatusSeeOther, laptop.send(t, http.MethodPost, "/logout", url.Values{}).status)
		require.Equal(t, "0", laptop.cartCount(t, "/", http.StatusOK))
		require.Equal(t, "8", phone.cartCount(t, "/", http.StatusOK))

		// Deleting the account deletes its cart.
		res = phone.send(t, http.MethodPost, "/account/delete", url.Values{"current_password": {adminTestPassword}})
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		require.NoError(t, a.pool.QueryRow(t.Context(), `SELECT count(*) FROM cart.carts`).Scan(&carts))
		require.Zero(t, carts)
	})

	t.Run("OKArchivedWhileInCartIsFlagged", func(t *testing.T) {
		t.Parallel()
		f := cartSetup(t)
		a := f.a
		x, y := f.items[0], f.items[1]
		b := a.browser(t)
		require.Equal(t, http.StatusSeeOther, b.addFromProductPage(t, x, 1).status)
		require.Equal(t, http.StatusSeeOther, b.addFromProductPage(t, y, 2).status)

		// The back office archives y, on another replica for all this one knows: only the
		// notification tells this process's catalog.
		_, err := a.pool.Exec(t.Context(), `UPDATE catalog.variants SET status = 'archived' WHERE id = $1`, int64(y.v.ID))
		require.NoError(t, err)
		_, err = a.pool.Exec(t.Context(), `SELECT pg_notify('catalog_changed', '')`)
		require.NoError(t, err)
		var lines map[string]string
		var p page
		require.Eventually(t, func() bool {
			lines, p = b.cartLines(t)
			return lines[y.id()] == "unavailable"
		}, 10*time.Second, 50*time.Millisecond, "the archived line is flagged, not dropped")
		require.Equal(t, map[string]string{x.id(): "ok", y.id(): "unavailable"}, lines)
		for _, n := range p.byTestID("cart-line-notice") {
			require.Equal(t, "No longer available", webtest.Text(n))
		}
		require.Equal(t, x.v.Price.String(), webtest.Text(p.one("cart-subtotal")))
		require.Equal(t, "3", webtest.Text(p.one("cart-count")), "still counted until removed")

		// Adding it again is refused, with the cart unchanged.
		res := b.send(t, http.MethodPost, "/cart/items", url.Values{"variant_id": {y.id()}, "quantity": {"1"}})
		require.Equal(t, http.StatusSeeOther, res.status)
		lines, p = b.cartLines(t)
		require.Equal(t, "This product is no longer available.", webtest.Text(p.one("flash")))
		require.Equal(t, map[string]string{x.id(): "ok", y.id(): "unavailable"}, lines, "unchanged")
		require.Equal(t, "1", lineQuantity(t, p, x.id()))
	})

	t.Run("ErrBadInputThroughTheWholeApp", func(t *testing.T) {
		t.Parallel()
		f := cartSetup(t)
		a := f.a
		x := f.items[0]
		alice, bob := a.browser(t), a.browser(t)
		require.Equal(t, http.StatusSeeOther, alice.addFromProductPage(t, x, 2).status)
		_, p := alice.cartLines(t)
		aliceLine := webtest.Attr(p.one("cart-line"), "data-line-id")

		for _, qty := range []string{"0", "-1", "1000000000000", "abc"} {
			res := bob.send(t, http.MethodPost, "/cart/items", url.Values{"variant_id": {x.id()}, "quantity": {qty}})
			require.Equal(t, http.StatusSeeOther, res.status, qty)
			_, p := bob.cartLines(t)
			require.Equal(t, "Please enter a quantity from 1 to 99.", webtest.Text(p.one("flash")), qty)
			p.one("cart-empty")
		}
		res := bob.send(t, http.MethodPost, "/cart/items", url.Values{"variant_id": {"999999999"}, "quantity": {"1"}})
		require.Equal(t, http.StatusSeeOther, res.status)
		_, p = bob.cartLines(t)
		require.Equal(t, "This product is no longer available.", webtest.Text(p.one("flash")))

		// Bob cannot see or change Alice's cart, even knowing her line's id.
		require.Equal(t, http.StatusNotFound, bob.send(t, http.MethodPost, "/cart/lines/"+aliceLine, url.Values{"quantity": {"9"}}).status)
		require.Equal(t, http.StatusNotFound, bob.send(t, http.MethodPost, "/cart/lines/"+aliceLine+"/delete", url.Values{}).status)
		require.Equal(t, "0", bob.cartCount(t, "/", http.StatusOK))
		_, p = alice.cartLines(t)
		require.Equal(t, "2", lineQuantity(t, p, x.id()), "Alice's cart is unchanged")
	})

	t.Run("OKAbandonedGuestCartsCleanedUp", func(t *testing.T) {
		t.Parallel()
		f := cartSetup(t)
		a := f.a
		old, fresh := a.browser(t), a.browser(t)
		require.Equal(t, http.StatusSeeOther, old.addFromProductPage(t, f.items[0], 1).status)
		require.Equal(t, http.StatusSeeOther, fresh.addFromProductPage(t, f.items[1], 1).status)
		_, err := a.pool.Exec(t.Context(), `UPDATE cart.carts SET updated_at = now() - interval '31 days'
			WHERE id = (SELECT min(id) FROM cart.carts)`)
		require.NoError(t, err)

		_, err = a.m.river.Insert(t.Context(), cart.CleanupGuestCartsArgs{}, nil)
		require.NoError(t, err)
		require.Eventually(t, func() bool {
			var n int
			require.NoError(t, a.pool.QueryRow(t.Context(), `SELECT count(*) FROM cart.carts`).Scan(&n))
			return n == 1
		}, 10*time.Second, 50*time.Millisecond, "the periodic job deletes the abandoned cart")
		require.Equal(t, "0", old.cartCount(t, "/", http.StatusOK))
		require.Equal(t, "1", fresh.cartCount(t, "/", http.StatusOK))
	})
}

// cartItemName is how cart messages name an item: the product, with the variant when the
// product has options.
func cartItemName(it cartItem) string {
	if len(it.p.Options) > 0 {
		return it.p.Title + " (" + it.v.Title + ")"
	}
	return it.p.Title
}
