package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/content"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/audit"
)

// A shopper's first screen at the two sizes most shoppers use: a laptop and a phone.
var layoutScreens = []layoutScreen{
	{"desktop", 1280, 900, false},
	{"phone", 375, 812, true},
}

type layoutScreen struct {
	name          string
	width, height int64
	phone         bool
}

// layoutPage is a storefront page the layout test opens: where, what shows it has
// loaded, and what else it must hold on a screen (nil: only that it fits).
type layoutPage struct {
	name, path, landing string
	check               func(t *testing.T, b *tab, screen layoutScreen)
}

// box is an element's place on the page, in CSS pixels from the top of the document.
type box struct {
	Top, Left, Bottom, Right float64
}

// TestBrowserStorefrontLayout opens every storefront page at 1280×900 and 375×812 and
// checks what a shopper notices first: a listing shows products on its first screen (not
// 3,000 px of filters), phones get two cards a row, no page is wider than a phone, and a
// cart line is one row on a desktop. It saves a full-page screenshot of every page at both
// sizes (SHOP_E2E_ARTIFACTS, -artifacts, or a temporary directory it logs), so that the
// pages can be looked at after a run.
func TestBrowserStorefrontLayout(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	f := journeySetupWith(t, 48)
	f.shipToFrance(t)
	// A text page, as staff write them, for the footer and its own layout.
	_, err := f.a.m.content.CreatePage(t.Context(), audit.Actor{}, content.PageInput{
		Title: "Shipping & returns", Published: true,
		Body: "## Shipping\n\nWe ship within **two working days** from our warehouse in Lyon.\n\n" +
			"- France: 2 days, free over 50 euros\n- Europe: 4 days\n\n## Returns\n\nSend anything back within 30 days.",
	})
	require.NoError(t, err)
	c := startChrome(t, exe, f.a.base)
	shots, err := c.artifactDir(t)
	require.NoError(t, err)

	// checkLayout opens p at screen, saves it and checks what every storefront page must
	// hold on that screen.
	checkLayout := func(screen layoutScreen, p layoutPage) {
		c.step(screen.name+"_"+p.name, func(t *testing.T, b *tab) {
			b.do("size the window", chromedp.EmulateViewport(screen.width, screen.height))
			b.open(p.path, p.landing)
			b.saveFullPage(filepath.Join(shots, screen.name+"-"+p.name+".png"))
			width := b.eval(`document.documentElement.scrollWidth`)
			require.LessOrEqual(t, width, float64(screen.width), "%s is no wider than the screen", p.path)
			if p.check != nil {
				p.check(t, b, screen)
			}
		})
	}
	// Signed out: the sign-in page and a text page.
	for _, screen := range layoutScreens {
		for _, p := range []layoutPage{
			{name: "login", path: "/login", landing: `[data-testid="login-form"]`},
			{name: "content", path: "/pages/shipping-returns", landing: `[data-testid="content-body"]`},
		} {
			checkLayout(screen, p)
		}
	}

	// Pages found as a shopper finds them, at the first size.
	var category, filtered, order string
	c.step("find_pages", func(t *testing.T, b *tab) {
		b.open("/", `[data-testid="product-card"]`)
		// The category with the most products on the home page's navigation.
		links := b.attrs(`[data-testid="category-nav"] a`, "href")
		require.NotEmpty(t, links)
		most := -1
		for _, l := range links {
			b.open(l, `[data-testid="listing"]`)
			if n := b.count(`[data-testid="product-card"]`); n > most {
				category, most = l, n
			}
		}
		require.GreaterOrEqual(t, most, 4, "a category with a few products to lay out")
		// Two filters of different facets, each applied as a shopper clicks it.
		b.open(category, `[data-testid="facet-value"]`)
		first := b.attrs(`[data-testid="facet"][data-facet="brand"] [data-testid="facet-value"]`, "href")
		require.NotEmpty(t, first, "the category filters by brand")
		b.open(first[0], `[data-testid="active-filter"]`)
		var second []string
		for _, facet := range []string{"size", "color", "colour", "price"} {
			if second = b.attrs(`[data-testid="facet"][data-facet="`+facet+`"] [data-testid="facet-value"]`, "href"); len(second) > 0 {
				break
			}
		}
		require.NotEmpty(t, second, "a second facet to narrow by")
		filtered = second[0]
		b.open(filtered, `[data-testid="product-card"]`)
		require.Equal(t, 2, b.count(`[data-testid="active-filter"]`), "two filters applied")
	})

	c.step("place_an_order", func(t *testing.T, b *tab) {
		b.open("/p/"+journeySlug, `[data-testid="add-to-cart"]`)
		b.click(`[data-testid="add-to-cart-submit"]`, `[data-testid="flash"]`)
		b.open("/checkout", `[data-testid="checkout-form"]`)
		const form = `[data-testid="checkout-form"] `
		b.choose(form+`select[name="ship_country"]`, "FR")
		b.fill(form+`[name="email"]`, "layout@example.com")
		b.fill(form+`[name="ship_name"]`, "Lea Martin")
		b.fill(form+`[name="ship_line1"]`, "12 rue de Rivoli")
		b.fill(form+`[name="ship_city"]`, "Paris")
		b.fill(form+`[name="ship_postal_code"]`, "75001")
		if b.count(`[data-testid="checkout-update"]:not([hidden])`) > 0 {
			b.click(`[data-testid="checkout-update"]`, form+`input[name="shipping_method"]`)
		}
		b.wait(form + `input[name="shipping_method"]`)
		if b.count(form+`input[name="shipping_method"]:checked`) == 0 {
			b.do("pick the first shipping method", chromedp.Click(css(form+`input[name="shipping_method"]`)))
		}
		b.click(`[data-testid="place-order"]`, `[data-testid="test-payment-form"]`)
		number := ""
		for _, tc := range payments.TestCards {
			if tc.Label == "Payment succeeds" {
				number = tc.Number
			}
		}
		require.NotEmpty(t, number)
		b.fill(`[data-testid="test-payment-form"] [data-testid="card-number"]`, number)
		b.click(`[data-testid="pay-button"]`, `[data-testid="order-confirmation"]`)
		order, _, _ = strings.Cut(b.location(), "?")
		require.True(t, strings.HasPrefix(order, "/orders/"), order)
		// A line in the cart again, for the cart and checkout pages below.
		b.open("/p/"+journeySlug, `[data-testid="add-to-cart"]`)
		b.click(`[data-testid="add-to-cart-submit"]`, `[data-testid="flash"]`)
	})

	c.step("register", func(t *testing.T, b *tab) {
		b.open("/register", `[data-testid="register-form"]`)
		b.fill(`[data-testid="register-form"] [name="email"]`, "layout-shopper@example.com")
		b.fill(`[data-testid="register-form"] [name="name"]`, "Lea")
		b.fill(`[data-testid="register-form"] [name="password"]`, adminTestPassword)
		b.click(`[data-testid="register-submit"]`, `[data-testid="account-page"]`)
	})

	// firstScreen: a listing's first product card starts on the first screen.
	firstScreen := func(t *testing.T, b *tab, screen layoutScreen) {
		card := b.box(`[data-testid="product-card"]`)
		require.Less(t, card.Top, float64(screen.height)-100,
			"the first product card starts on the first screen (at %.0f px)", card.Top)
	}
	// twoUp: phones show two cards a row.
	twoUp := func(t *testing.T, b *tab, screen layoutScreen) {
		if !screen.phone {
			return
		}
		cards := b.boxes(`[data-testid="product-card"]`)
		require.GreaterOrEqual(t, len(cards), 3, "cards to lay out")
		require.InDelta(t, cards[0].Top, cards[1].Top, 1, "the first two cards share a row")
		require.Greater(t, cards[1].Left, cards[0].Right-1, "side by side")
		require.Greater(t, cards[2].Top, cards[0].Bottom-1, "the third card starts the next row")
	}
	both := func(checks ...func(*testing.T, *tab, layoutScreen)) func(*testing.T, *tab, layoutScreen) {
		return func(t *testing.T, b *tab, screen layoutScreen) {
			for _, check := range checks {
				check(t, b, screen)
			}
		}
	}
	pages := []layoutPage{
		{"home", "/", `[data-testid="product-card"]`, twoUp},
		{"category", category, `[data-testid="product-card"]`, both(firstScreen, twoUp)},
		{"category-filtered", filtered, `[data-testid="product-card"]`, firstScreen},
		{"search", "/search?q=shirt", `[data-testid="product-card"]`, firstScreen},
		{"product", "/p/" + journeySlug, `[data-testid="add-to-cart"]`, func(t *testing.T, b *tab, screen layoutScreen) {
			// On the first screen as the page opens: the price and the button (on phones
			// in the bar that stays at the bottom).
			b.do("back to the top", chromedp.Evaluate[chromedp.Void](`scrollTo(0, 0)`))
			for _, sel := range []string{`[data-testid="product-price"]`, `[data-testid="add-to-cart-submit"]`} {
				bottom := b.eval(`document.querySelector(` + jsString(sel) + `).getBoundingClientRect().bottom`)
				require.LessOrEqual(t, bottom, float64(screen.height), "%s is on the first screen", sel)
			}
		}},
		{"cart", "/cart", `[data-testid="cart-line"]`, func(t *testing.T, b *tab, screen layoutScreen) {
			if screen.phone {
				return
			}
			line := b.box(`[data-testid="cart-line"]`)
			parts := []string{"cart-line-title", "cart-line-price", "cart-line-quantity", "cart-line-total"}
			for _, part := range parts {
				got := b.box(`[data-testid="cart-line"] [data-testid="` + part + `"]`)
				require.True(t, got.Top >= line.Top && got.Bottom <= line.Bottom, "%s inside its line", part)
			}
			// One row: the item, price, quantity and total side by side, left to right,
			// all crossing one horizontal band.
			item := b.box(`[data-testid="cart-line"] .cart-line__item`)
			price := b.box(`[data-testid="cart-line"] [data-testid="cart-line-price"]`)
			qty := b.box(`[data-testid="cart-line"] [data-testid="cart-line-quantity"]`)
			total := b.box(`[data-testid="cart-line"] [data-testid="cart-line-total"]`)
			require.True(t, item.Right <= price.Left && price.Right <= qty.Left && qty.Right <= total.Left,
				"item, price, quantity and total left to right: %v %v %v %v", item, price, qty, total)
			bandTop := max(item.Top, price.Top, qty.Top, total.Top)
			bandBottom := min(item.Bottom, price.Bottom, qty.Bottom, total.Bottom)
			require.Less(t, bandTop, bandBottom, "they share a row")
			require.Less(t, line.Bottom-line.Top, 200.0, "a cart line is one row, not a stack")
		}},
		{"checkout", "/checkout", `[data-testid="checkout-form"]`, nil},
		{"order", order, `[data-testid="order-confirmation"]`, nil},
		{"account", "/account", `[data-testid="account-page"]`, nil},
	}
	for _, screen := range layoutScreens {
		for _, p := range pages {
			checkLayout(screen, p)
		}
	}
	t.Logf("screenshots of every page at both sizes: %s", shots)
}

// attrs lists the attribute of every element matching sel.
func (b *tab) attrs(sel, name string) []string {
	b.t.Helper()
	out, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll(`+jsString(sel)+`), e => e.getAttribute(`+jsString(name)+`) || "")`))
	require.NoError(b.t, err, "attributes %s of %s", name, sel)
	return out
}

// eval is a number the page works out.
func (b *tab) eval(js string) float64 {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](js))
	require.NoError(b.t, err, "evaluate %s", js)
	return v
}

// boxes are the places of every element matching sel, from the top of the document.
func (b *tab) boxes(sel string) []box {
	b.t.Helper()
	out, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]box](
		`Array.from(document.querySelectorAll(`+jsString(sel)+`), e => { const r = e.getBoundingClientRect();
			return {Top: r.top + scrollY, Left: r.left + scrollX, Bottom: r.bottom + scrollY, Right: r.right + scrollX}; })`))
	require.NoError(b.t, err, "boxes of %s", sel)
	return out
}

// box is the place of the first element matching sel.
func (b *tab) box(sel string) box {
	b.t.Helper()
	all := b.boxes(sel)
	require.NotEmpty(b.t, all, "no %s on the page", sel)
	return all[0]
}

// saveFullPage writes a screenshot of the whole page, not just the window.
func (b *tab) saveFullPage(path string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	require.NoError(b.t, err, "screenshot")
	require.NoError(b.t, os.WriteFile(path, png, 0o644))
}
