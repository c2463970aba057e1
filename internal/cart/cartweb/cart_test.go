package cartweb_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/cart"
	"github.com/monoshop/monoshop/internal/cart/carttest"
	"github.com/monoshop/monoshop/web/webtest"
)

// lineIDs returns the ids of the cart page's lines, in order.
func lineIDs(d doc) []string {
	var out []string
	for _, n := range d.all("cart-line") {
		out = append(out, webtest.Attr(n, "data-line-id"))
	}
	return out
}

func TestCartPages(t *testing.T) {
	t.Parallel()

	t.Run("OKAddViewUpdateRemove", func(t *testing.T) {
		t.Parallel()
		s := startShop(t)
		b := s.browser(t)
		a, c := s.items[0], s.items[1]

		empty := b.page("/cart")
		empty.one("cart-empty")
		require.Equal(t, "0", empty.cartCount())

		loc := b.add(vid(a.ID()), "2").redirect()
		require.Equal(t, "/p/"+a.Product.Slug+"?variant="+vid(a.ID())+"&added=1", loc, "back to the product, on the variant added")
		home := b.page("/")
		require.Empty(t, home.flashes(), "the confirmation rides on the redirect's URL, not the session")
		require.Equal(t, "2", home.cartCount())
		require.Equal(t, "/cart?added=1", b.do(http.MethodPost, "/cart/items",
			url.Values{"variant_id": {vid(c.ID())}, "quantity": {"1"}, "next": {"/cart"}}, "").redirect())

		require.Equal(t, []string{"Added to your cart."}, b.page("/cart?added=1").flashes(), "the page added to confirms it")
		p := b.page("/cart")
		require.Equal(t, "3", p.cartCount())
		lines := p.all("cart-line")
		require.Len(t, lines, 2)
		first := lines[0]
		require.Equal(t, vid(a.ID()), webtest.Attr(first, "data-variant-id"))
		require.Equal(t, "ok", webtest.Attr(first, "data-status"))
		title := webtest.ByTestID(first, "cart-line-title")[0]
		require.Equal(t, a.Product.Title, webtest.Text(title))
		require.Equal(t, "/p/"+a.Product.Slug+"?variant="+vid(a.ID()), webtest.Attr(title, "href"))
		require.Equal(t, a.Variant.SKU, webtest.Text(webtest.ByTestID(first, "cart-line-sku")[0]))
		require.Equal(t, a.Variant.Price.String(), webtest.Text(webtest.ByTestID(first, "cart-line-price")[0]))
		require.Equal(t, a.Variant.Price.Mul(2).String(), webtest.Text(webtest.ByTestID(first, "cart-line-total")[0]))
		require.Equal(t, "2", webtest.Attr(webtest.ByTestID(first, "cart-line-quantity")[0], "value"))
		require.Equal(t, "10", webtest.Attr(webtest.ByTestID(first, "cart-line-quantity")[0], "max"))
		require.Len(t, webtest.ByTestID(first, "cart-line-option"), len(a.Variant.OptionValueIDs))
		require.Empty(t, webtest.ByTestID(first, "cart-line-notice"))
		sub, err := a.Variant.Price.Mul(2).Add(c.Variant.Price)
		require.NoError(t, err)
		require.Equal(t, sub.String(), p.text("cart-subtotal"))
		require.Equal(t, "/checkout", webtest.Attr(p.one("checkout-link"), "href"))
		require.Equal(t, "no-store", b.get("/cart").header.Get("Cache-Control"))

		ids := lineIDs(p)
		require.Equal(t, "/cart", b.post("/cart/lines/"+ids[0], url.Values{"quantity": {"4"}}).redirect())
		p = b.page("/cart")
		require.Equal(t, []string{"Quantity updated."}, p.flashes())
		require.Equal(t, "5", p.cartCount())

		require.Equal(t, "/cart", b.post("/cart/lines/"+ids[1]+"/delete", url.Values{}).redirect())
		p = b.page("/cart")
		require.Equal(t, []string{"Removed from your cart."}, p.flashes())
		require.Equal(t, []string{ids[0]}, lineIDs(p))

		require.Equal(t, "/cart", b.post("/cart/lines/"+ids[0], url.Values{"quantity": {"0"}}).redirect())
		p = b.page("/cart")
		require.Equal(t, []string{"Removed from your cart."}, p.flashes(), "0 removes the line")
		p.one("cart-empty")
		require.Equal(t, "0", p.cartCount())
	})

	t.Run("OKStepperButtonsSetTheQuantityTheyShow", func(t *testing.T) {
		t.Parallel()
		s := startShop(t)
		b := s.browser(t)
		a := s.items[0]
		b.add(vid(a.ID()), "9")

		// press submits the stepper form with testID as the browser would: its own
		// action and its hidden quantity.
		press := func(testID string) {
			t.Helper()
			line := b.page("/cart").all("cart-line")[0]
			form := webtest.ByTestID(line, testID)[0]
			require.Equal(t, "/cart", b.post(webtest.Attr(form, "action"), webtest.FormValues(t, form)).redirect())
		}
		quantity := func() string {
			t.Helper()
			return webtest.Attr(webtest.ByTestID(b.page("/cart").one("cart-line"), "cart-line-quantity")[0], "value")
		}
		press("cart-line-increase")
		require.Equal(t, "10", quantity())
		line := b.page("/cart").one("cart-line")
		plus := webtest.ByTestID(line, "cart-line-increase-submit")[0]
		require.True(t, webtest.HasAttr(plus, "disabled"), "+ is off at the most one may buy (10)")

		press("cart-line-decrease")
		press("cart-line-decrease")
		require.Equal(t, "8", quantity())
		// The buttons carry the quantity they lead to, so pressing a stale + twice (a
		// double click, a resent form) sets it once.
		line = b.page("/cart").one("cart-line")
		stale := webtest.ByTestID(line, "cart-line-increase")[0]
		for range 2 {
			b.post(webtest.Attr(stale, "action"), url.Values{"quantity": {"9"}})
		}
		require.Equal(t, "9", quantity())
		require.Contains(t, webtest.Text(b.page("/cart").one("cart-summary")), "Subtotal (9 items)")

		b.post("/cart/lines/"+lineIDs(b.page("/cart"))[0], url.Values{"quantity": {"1"}})
		press("cart-line-decrease")
		b.page("/cart").one("cart-empty")
	})

	t.Run("OKStockMessages", func(t *testing.T) {
		t.Parallel()
		s := startShop(t)
		b := s.browser(t)
		a, c := s.items[0], s.items[1]
		s.shop.Stock(t, a.ID(), 2)
		b.add(vid(a.ID()), "5").redirect()
		require.Regexp(t, `^Only 2 left of .* — your cart now has 2\.$`, b.page("/").flashes()[0])

		b.add(vid(c.ID()), "6").redirect()
		s.shop.Stock(t, c.ID(), 4)
		p := b.page("/cart")
		line := p.all("cart-line")[1]
		require.Equal(t, "lowered", webtest.Attr(line, "data-status"))
		require.Equal(t, "Only 4 left — quantity lowered", webtest.Text(webtest.ByTestID(line, "cart-line-notice")[0]))
		require.Equal(t, "4", webtest.Attr(webtest.ByTestID(line, "cart-line-quantity")[0], "value"))
		require.Equal(t, "6", p.cartCount(), "the header counts the cart as shown")

		s.shop.Stock(t, a.ID(), 0)
		p = b.page("/cart")
		line = p.all("cart-line")[0]
		require.Equal(t, "out_of_stock", webtest.Attr(line, "data-status"))
		require.Equal(t, "Out of stock", webtest.Text(webtest.ByTestID(line, "cart-line-notice")[0]))
		require.Empty(t, webtest.ByTestID(line, "cart-line-update"), "only removing is offered")
		require.Len(t, webtest.ByTestID(line, "cart-line-remove"), 1)
		require.Equal(t, c.Variant.Price.Mul(4).String(), p.text("cart-subtotal"))
		p.one("cart-excluded-note")
	})

	t.Run("OKArchivedVariantFlaggedNotDropped", func(t *testing.T) {
		t.Parallel()
		s := startShop(t)
		b := s.browser(t)
		a, c := s.items[0], s.items[1]
		b.add(vid(a.ID()), "1").redirect()
		b.add(vid(c.ID()), "2").redirect()
		s.shop.Archive(t, c.ID())

		p := b.page("/cart")
		require.Equal(t, "3", p.cartCount())
		lines := p.all("cart-line")
		require.Len(t, lines, 2, "the archived line stays")
		gone := lines[1]
		require.Equal(t, "unavailable", webtest.Attr(gone, "data-status"))
		require.Equal(t, "No longer available", webtest.Text(webtest.ByTestID(gone, "cart-line-notice")[0]))
		require.Empty(t, webtest.ByTestID(gone, "cart-line-total"))
		require.Equal(t, a.Variant.Price.String(), p.text("cart-subtotal"), "left out of the subtotal")

		require.Equal(t, "/cart", b.post("/cart/lines/"+webtest.Attr(gone, "data-line-id"), url.Values{"quantity": {"3"}}).redirect())
		p = b.page("/cart")
		require.Equal(t, []string{"This item is no longer available. Please remove it from your cart."}, p.flashes())
		b.post("/cart/lines/"+webtest.Attr(gone, "data-line-id")+"/delete", url.Values{}).redirect()
		require.Len(t, b.page("/cart").all("cart-line"), 1, "gone once the shopper removes it")
	})

	t.Run("ErrBadAddCartUnchanged", func(t *testing.T) {
		t.Parallel()
		s := startShop(t)
		b := s.browser(t)
		a := s.items[0]
		b.add(vid(a.ID()), "1").redirect()
		b.page("/") // take the flash
		s.shop.Archive(t, s.items[3].ID())
		before := carttest.Lines(t, s.shop.Pool)

		for _, tc := range []struct{ name, variant, qty, message string }{
			{"zero", vid(a.ID()), "0", "Please enter a quantity from 1 to 99."},
			{"negative", vid(a.ID()), "-3", "Please enter a quantity from 1 to 99."},
			{"over the line maximum", vid(a.ID()), "100", "Please enter a quantity from 1 to 99."},
			{"ten to the twelfth", vid(a.ID()), "1000000000000", "Please enter a quantity from 1 to 99."},
			{"beyond int64", vid(a.ID()), "99999999999999999999999", "Please enter a quantity from 1 to 99."},
			{"text", vid(a.ID()), "two", "Please enter a quantity from 1 to 99."},
			{"fraction", vid(a.ID()), "1.5", "Please enter a quantity from 1 to 99."},
			{"unknown variant", "987654321", "1", "This product is no longer available."},
			{"garbage variant", "abc", "1", "This product is no longer available."},
			{"no variant", "", "1", "This product is no longer available."},
			{"archived variant", vid(s.items[3].ID()), "1", "This product is no longer available."},
		} {
			loc := b.add(tc.variant, tc.qty).redirect()
			require.Equal(t, "/p/some-product", loc, "%s: back to the page the form was on", tc.name)
			p := b.page("/")
			require.Equal(t, []string{tc.message}, p.flashes(), tc.name)
			require.Equal(t, "error", webtest.Attr(p.one("flash"), "data-kind"), tc.name)
			require.Equal(t, "1", p.cartCount(), tc.name)
		}
		require.Equal(t, before, carttest.Lines(t, s.shop.Pool), "no cart changed")

		// Without a Referer (or with another site's), the shopper lands on the cart.
		res := b.do(http.MethodPost, "/cart/items", url.Values{"variant_id": {vid(a.ID())}, "quantity": {"0"}}, "")
		require.Equal(t, "/cart", res.redirect())
	})

	t.Run("ErrBadQuantityUpdateCartUnchanged", func(t *testing.T) {
		t.Parallel()
		s := startShop(t)
		b := s.browser(t)
		b.add(vid(s.items[0].ID()), "2").redirect()
		id := lineIDs(b.page("/cart"))[0]
		before := carttest.Lines(t, s.shop.Pool)
		for _, qty := range []string{"-1", "100", "1000000000000", "lots", "", "2.5"} {
			require.Equal(t, "/cart", b.post("/cart/lines/"+id, url.Values{"quantity": {qty}}).redirect(), qty)
			p := b.page("/cart")
			require.Equal(t, []string{"Please enter a quantity from 1 to 99."}, p.flashes(), qty)
			require.Equal(t, "2", p.cartCount(), qty)
		}
		require.Equal(t, before, carttest.Lines(t, s.shop.Pool))
		for _, path := range []string{"/cart/lines/abc", "/cart/lines/-1", "/cart/lines/99999999999999999999"} {
			require.Equal(t, http.StatusNotFound, b.post(path, url.Values{"quantity": {"1"}}).status, path)
			require.Equal(t, http.StatusNotFound, b.post(path+"/delete", url.Values{}).status, path)
		}
	})

	t.Run("ErrAnotherSessionsCart", func(t *testing.T) {
		t.Parallel()
		s := startShop(t)
		alice, mallory := s.browser(t), s.browser(t)
		alice.add(vid(s.items[0].ID()), "2").redirect()
		aliceLine := lineIDs(alice.page("/cart"))[0]
		mallory.add(vid(s.items[1].ID()), "1").redirect()
		before := carttest.Lines(t, s.shop.Pool)

		p := mallory.page("/cart")
		require.Equal(t, "1", p.cartCount())
		require.Len(t, p.all("cart-line"), 1, "Mallory sees only her own cart")
		require.Equal(t, vid(s.items[1].ID()), webtest.Attr(p.one("cart-line"), "data-variant-id"))

		// A line id from Alice's cart is not found, whatever Mallory adds to the request:
		// the cart is only ever the one her own session names.
		for _, path := range []string{"/cart/lines/" + aliceLine, "/cart/lines/" + aliceLine + "?cart=1&token=x"} {
			res := mallory.post(path, url.Values{"quantity": {"7"}, "cart_token": {"anything"}})
			require.Equal(t, http.StatusNotFound, res.status)
			d := parseDoc(t, res.body)
			d.one("error-page")
			require.Equal(t, "1", d.cartCount(), "the error page's header still counts her cart")
			require.Equal(t, http.StatusNotFound, mallory.post("/cart/lines/"+aliceLine+"/delete", url.Values{}).status)
		}
		// A browser without any cart gets the same answer.
		stranger := s.browser(t)
		require.Equal(t, http.StatusNotFound, stranger.post("/cart/lines/"+aliceLine, url.Values{"quantity": {"7"}}).status)
		require.Equal(t, http.StatusNotFound, stranger.post("/cart/lines/"+aliceLine+"/delete", url.Values{}).status)
		stranger.page("/cart").one("cart-empty")

		require.Equal(t, before, carttest.Lines(t, s.shop.Pool), "no cart changed")
		require.Equal(t, "2", alice.page("/cart").cartCount())
	})

	t.Run("OKSignInMergesGuestCart", func(t *testing.T) {
		t.Parallel()
		s := startShop(t)
		a, c, d := s.items[0], s.items[1], s.items[2]
		const account = 77
		// The customer's cart from an earlier visit.
		_, err := s.svc.Add(t.Context(), cart.Ref{AccountID: account}, a.ID(), 1)
		require.NoError(t, err)
		_, err = s.svc.Add(t.Context(), cart.Ref{AccountID: account}, c.ID(), 2)
		require.NoError(t, err)

		b := s.browser(t)
		b.add(vid(a.ID()), "2").redirect()
		b.add(vid(c.ID()), "3").redirect()
		b.add(vid(d.ID()), "1").redirect()
		b.page("/")
		s.shop.Stock(t, c.ID(), 4) // 2 + 3 wanted, 4 left

		require.Equal(t, "/", b.post("/test/signin", url.Values{"account": {strconv.Itoa(account)}}).redirect())
		b.account = account
		p := b.page("/cart")
		flashes := p.flashes()
		require.Len(t, flashes, 2)
		require.Equal(t, "We added the 6 items from your visit to your cart.", flashes[0])
		require.Regexp(t, `^Only 4 left of .* — quantity lowered$`, flashes[1])
		require.Equal(t, "8", p.cartCount(), "3 + 4 + 1")
		got := map[string]string{}
		for _, n := range p.all("cart-line") {
			got[webtest.Attr(n, "data-variant-id")] = webtest.Attr(webtest.ByTestID(n, "cart-line-quantity")[0], "value")
		}
		require.Equal(t, map[string]string{vid(a.ID()): "3", vid(c.ID()): "4", vid(d.ID()): "1"}, got)
		require.Len(t, carttest.CartIDs(t, s.shop.Pool), 1, "the guest cart is gone")

		// Signed out again, the browser no longer reaches the customer's cart.
		b.account = 0
		p = b.page("/cart")
		p.one("cart-empty")
		require.Equal(t, "0", p.cartCount())
	})
}
