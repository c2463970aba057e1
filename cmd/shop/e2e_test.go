package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/notify"
	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/users"
)

// The journey's product: one option, two sizes, both in stock. The shopper buys the
// second size, so a test that passed with the default variant would catch nothing.
const (
	journeySlug  = "fjord-rain-jacket"
	journeyTitle = "Fjord Rain Jacket"
	journeySKU   = "FJORD-M" // the second variant, Size M
	journeyCSV   = "product_slug,title,status,brand,featured,categories,description,seo_title,seo_description,attributes," +
		"option1_name,option1_value,option2_name,option2_value,option3_name,option3_value," +
		"sku,price,compare_at_price,currency,weight_grams,barcode\n" +
		journeySlug + "," + journeyTitle + ",active,Nordkyst,false,,A light waterproof jacket that packs into its own pocket.,,,," +
		"Size,S,,,,,FJORD-S,89.00,,EUR,640,\n" +
		journeySlug + "," + journeyTitle + ",active,Nordkyst,false,,A light waterproof jacket that packs into its own pocket.,,,," +
		"Size,M,,,,,FJORD-M,89.00,,EUR,680,\n"

	journeyShopperEmail = "eve@example.com"
	journeyShopperName  = "Eve"
	journeyStaffEmail   = "olivia@shop.test"
	journeyCarrier      = "La Poste"
	journeyTracking     = "LP123456789FR"
)

// journeyFixture is the whole shop with a small demo catalog, the journey's product in
// stock and a staff owner.
type journeyFixture struct {
	a       *testApp
	product catalog.Product
	variant catalog.Variant // the one the shopper picks
}

func journeySetup(t *testing.T) *journeyFixture {
	t.Helper()
	return journeySetupWith(t, 6)
}

// journeySetupWith is journeySetup with a demo catalog of the given size.
func journeySetupWith(t *testing.T, products int) *journeyFixture {
	t.Helper()
	a := setup(t, appOptions{products: products})
	// setup leaves SHOP_PAYMENT_PROVIDER at its default; the journey pays on the built-in
	// test gateway's hosted page.
	require.Equal(t, "test", a.m.Config.PaymentProvider)
	ctx := t.Context()

	report, err := a.m.catalog.ImportCSV(ctx, audit.Actor{}, strings.NewReader(journeyCSV), false)
	require.NoError(t, err)
	require.Empty(t, report.Errors)
	require.True(t, report.Applied)
	p, err := a.m.catalog.FindProductBySlug(ctx, journeySlug)
	require.NoError(t, err)
	require.Len(t, p.Variants, 2)
	f := &journeyFixture{a: a, product: p}

	loc, err := a.m.inventory.CreateLocation(ctx, "Warehouse", 1)
	require.NoError(t, err)
	for _, v := range p.Variants {
		require.NoError(t, a.m.inventory.Adjust(ctx, audit.Actor{}, int64(v.ID), loc.ID, 0, 20, "journey stock"))
		if v.SKU == journeySKU {
			f.variant = v
		}
	}
	require.Equal(t, journeySKU, f.variant.SKU)

	_, err = a.m.users.CreateStaff(ctx, users.Actor{}, users.RoleOwner, users.RegisterInput{
		Email: journeyStaffEmail, Name: "Olivia", Password: adminTestPassword,
	}, users.RoleOwner)
	require.NoError(t, err)
	return f
}

// shipToFrance opens shipping to France at a flat rate, in the catalog's currency, the
// way the back office's settings pages do.
func (f *journeyFixture) shipToFrance(t *testing.T) {
	t.Helper()
	ctx := t.Context()
	zone, err := f.a.m.orders.SaveShippingZone(ctx, audit.Actor{}, 0, orders.ShippingZoneInput{Name: "Europe", Countries: "FR DE BE NL"})
	require.NoError(t, err)
	_, err = f.a.m.orders.SaveShippingMethod(ctx, audit.Actor{}, 0, orders.ShippingMethodInput{
		ZoneID: zone, Name: "Colissimo", Kind: "flat", Price: "5.90", Active: true, Currency: f.variant.Price.Currency,
	})
	require.NoError(t, err)
}

// TestBrowserJourney walks one shopper's visit in a real browser, from the home page to
// a paid order, then the staff member who ships it, then the shopper reading the
// tracking number in their order history.
func TestBrowserJourney(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	f := journeySetup(t)
	c := startChrome(t, exe, f.a.base)
	const cardSel = `[data-testid="product-card"] a[data-testid="product-title"][href="/p/` + journeySlug + `"]`
	variantID := strconv.FormatInt(int64(f.variant.ID), 10)

	c.step("home", func(t *testing.T, b *tab) {
		b.open("/", `[data-testid="product-card"]`)
		require.Equal(t, "Monoshop", b.text(`[data-testid="store-name"]`))
		require.Equal(t, "0", b.text(`[data-testid="cart-count"]`))
		require.Equal(t, "Sign in", b.text(`[data-testid="account-link"]`))
	})

	c.step("search", func(t *testing.T, b *tab) {
		b.do("type into the search box", chromedp.SendKeys(css(`[data-testid="search-input"]`), "fjord"))
		b.follow("press Enter", chromedp.SendKeys(css(`[data-testid="search-input"]`), kb.Enter), cardSel)
		require.Equal(t, "/search?q=fjord", b.location())
		require.Equal(t, "Results for “fjord”", b.text(`[data-testid="search-title"]`))
		require.Equal(t, []string{journeyTitle}, b.texts(`[data-testid="product-card"] [data-testid="product-title"]`))
	})

	c.step("open_product", func(t *testing.T, b *tab) {
		b.click(cardSel, `[data-testid="add-to-cart"]`)
		require.Equal(t, journeyTitle, b.text(`[data-testid="product"] [data-testid="product-title"]`))
		require.Equal(t, "FJORD-S", b.text(`[data-testid="variant-sku"]`), "the first size is picked at first")
		require.Equal(t, []string{"S", "M"}, b.texts(`[data-testid="option"][data-option="Size"] [data-testid="option-value"]`))
	})

	c.step("pick_second_variant", func(t *testing.T, b *tab) {
		b.click(`a[data-testid="option-value"][data-value="M"]`, `a[data-testid="option-value"][data-value="M"][aria-current="true"]`)
		require.Equal(t, "/p/"+journeySlug+"?variant="+variantID, b.location())
		require.Equal(t, journeySKU, b.text(`[data-testid="variant-sku"]`))
		require.Equal(t, variantID, b.value(`[data-testid="add-to-cart"] input[name="variant_id"]`))
		require.Equal(t, "In stock", b.text(`[data-testid="stock-status"]`))
	})

	c.step("add_to_cart", func(t *testing.T, b *tab) {
		b.click(`[data-testid="add-to-cart-submit"]`, `[data-testid="flash"]`)
		require.Contains(t, b.texts(`[data-testid="flash"]`), "Added to your cart.")
		require.Equal(t, "1", b.text(`[data-testid="cart-count"]`))
	})

	c.step("open_cart", func(t *testing.T, b *tab) {
		b.click(`[data-testid="cart-link"]`, `[data-testid="cart-line"]`)
		require.Equal(t, "/cart", b.location())
		require.Equal(t, 1, b.count(`[data-testid="cart-line"]`))
		require.Equal(t, 1, b.count(`[data-testid="cart-line"][data-variant-id="`+variantID+`"]`), "the size picked is the size bought")
		require.Equal(t, journeyTitle, b.text(`[data-testid="cart-line-title"]`))
		require.Equal(t, []string{"Size: M"}, b.texts(`[data-testid="cart-line-option"]`))
		require.Equal(t, f.variant.Price.String(), b.text(`[data-testid="cart-subtotal"]`))
	})

	c.step("register", func(t *testing.T, b *tab) {
		b.click(`[data-testid="account-link"]`, `[data-testid="login-form"]`)
		b.click(`[data-testid="register-link"]`, `[data-testid="register-form"]`)
		b.fill(`[data-testid="register-form"] [name="email"]`, journeyShopperEmail)
		b.fill(`[data-testid="register-form"] [name="name"]`, journeyShopperName)
		b.fill(`[data-testid="register-form"] [name="password"]`, adminTestPassword)
		b.click(`[data-testid="register-submit"]`, `[data-testid="account-page"]`)
		require.Contains(t, b.texts(`[data-testid="flash"]`), "Welcome, "+journeyShopperName+"! Your account is ready.")
		require.Equal(t, journeyShopperEmail, b.text(`[data-testid="account-email"]`))
		require.Equal(t, journeyShopperName, b.text(`[data-testid="account-link"]`))
		require.Equal(t, "1", b.text(`[data-testid="cart-count"]`), "the cart survives creating an account")
	})

	f.shipToFrance(t)

	var total, orderNumber, number string
	c.step("checkout", func(t *testing.T, b *tab) {
		b.click(`[data-testid="cart-link"]`, `[data-testid="checkout-link"]`)
		b.click(`[data-testid="checkout-link"]`, `[data-testid="checkout-form"]`)
		require.Equal(t, "/checkout", b.location())
		const form = `[data-testid="checkout-form"] `
		// The country first: the shipping methods offered depend on it.
		b.choose(form+`select[name="ship_country"]`, "FR")
		if b.value(form+`[name="email"]`) != journeyShopperEmail {
			b.fill(form+`[name="email"]`, journeyShopperEmail)
		}
		b.fill(form+`[name="ship_name"]`, "Eve Martin")
		b.fill(form+`[name="ship_line1"]`, "12 rue de Rivoli")
		b.fill(form+`[name="ship_line2"]`, "Bâtiment B")
		b.fill(form+`[name="ship_city"]`, "Paris")
		b.fill(form+`[name="ship_postal_code"]`, "75001")
		b.fill(form+`[name="ship_phone"]`, "+33 1 23 45 67 89")
		require.True(t, b.checked(form+`[name="billing_same"]`), "billing goes to the shipping address unless told otherwise")
		if b.count(`[data-testid="checkout-update"]:not([hidden])`) > 0 {
			// Without scripts the form offers the shipping methods of the country it was
			// last priced for; "Update" prices it for the address typed, keeping it.
			b.click(`[data-testid="checkout-update"]`, form+`input[name="shipping_method"][data-testid="shipping-method"]`)
			require.Equal(t, "FR", b.value(form+`select[name="ship_country"]`))
			require.Equal(t, "75001", b.value(form+`[name="ship_postal_code"]`))
			require.Equal(t, "Eve Martin", b.value(form+`[name="ship_name"]`))
		}
		b.wait(form + `input[name="shipping_method"][data-testid="shipping-method"]`)
		require.Equal(t, "", b.value(form+`[name="discount_code"]`))
		if b.count(form+`input[name="shipping_method"]:checked`) == 0 {
			b.do("pick the first shipping method", chromedp.Click(css(form+`input[name="shipping_method"]`)))
		}
		require.Equal(t, 1, b.count(form+`input[name="shipping_method"]:checked`))
		b.wait(`[data-testid="checkout-summary"] [data-testid="summary-total"]`)
		total = b.text(`[data-testid="checkout-summary"] [data-testid="summary-total"]`)
		require.Regexp(t, `\d`, total)
	})

	c.step("place_order", func(t *testing.T, b *tab) {
		b.click(`[data-testid="place-order"]`, `[data-testid="test-payment-form"]`)
		require.True(t, strings.HasPrefix(b.location(), "/pay/test/"), b.location())
		amount := b.text(`[data-testid="test-payment-amount"]`)
		require.Contains(t, total, amount, "the gateway asks for the total checkout showed")
	})

	c.step("pay", func(t *testing.T, b *tab) {
		var card payments.TestCard
		for _, tc := range payments.TestCards {
			if tc.Label == "Payment succeeds" {
				card = tc
			}
		}
		require.NotEmpty(t, card.Number, "the test gateway has a card that always succeeds")
		shown := card.Number[0:4] + " " + card.Number[4:8] + " " + card.Number[8:12] + " " + card.Number[12:]
		require.Contains(t, b.texts(`[data-testid="test-card-number"]`), shown, "the page lists the card")
		b.fill(`[data-testid="test-payment-form"] [data-testid="card-number"]`, shown)
		b.click(`[data-testid="pay-button"]`, `[data-testid="order-confirmation"]`)
		require.Regexp(t, `^/orders/[^/?]+\?from=checkout$`, b.location())
		require.Contains(t, strings.Join(b.texts(`[data-testid="flash"]`), " | "), "Thank you for your order!")
		orderNumber = b.text(`[data-testid="order-number"]`)
		require.Regexp(t, `^#\d+$`, orderNumber)
		number = strings.TrimPrefix(orderNumber, "#")
		// The provider confirms the payment by webhook, in the background.
		b.reloadUntil("the order page to say Paid", `[data-testid="order-confirmation"]`, func() bool {
			return strings.Contains(b.text(`[data-testid="payment-status"]`), "Paid")
		})
		lines := b.texts(`[data-testid="order-line"]`)
		require.Len(t, lines, 1)
		require.Contains(t, lines[0], journeyTitle)
		require.Regexp(t, `\bM\b`, lines[0], "the size bought")
		require.NotEmpty(t, b.text(`[data-testid="fulfillment-status"]`))
		require.Equal(t, "0", b.text(`[data-testid="cart-count"]`), "the cart is spent")
	})

	c.step("confirmation_email", func(t *testing.T, b *tab) {
		// The confirmation is queued with the payment's webhook, which the gateway delivers
		// in the background.
		var sent []notify.Message
		var listErr error
		require.Eventually(t, func() bool {
			sent, _, listErr = f.a.m.notify.ListMessages(t.Context(), notify.MessageFilter{To: journeyShopperEmail, Kind: "order_confirmation"})
			return listErr == nil && len(sent) > 0
		}, 10*time.Second, 50*time.Millisecond, "an order confirmation is queued for %s", journeyShopperEmail)
		require.NoError(t, listErr)
		require.Len(t, sent, 1, "one confirmation, though the gateway may send its webhook twice")
		require.Equal(t, journeyShopperEmail, sent[0].To)
		require.Regexp(t, `\b`+regexp.QuoteMeta(number)+`\b`, sent[0].Subject)
	})

	c.step("shopper_signs_out", func(t *testing.T, b *tab) {
		b.click(`[data-testid="account-link"]`, `[data-testid="logout-button"]`)
		b.click(`[data-testid="logout-button"]`, `[data-testid="product-card"]`)
		require.Equal(t, "Sign in", b.text(`[data-testid="account-link"]`))
	})

	c.step("staff_signs_in", func(t *testing.T, b *tab) {
		b.open("/admin/orders", `[data-testid="login-form"]`)
		b.fill(`[data-testid="login-form"] [name="email"]`, journeyStaffEmail)
		b.fill(`[data-testid="login-form"] [name="password"]`, adminTestPassword)
		b.click(`[data-testid="login-submit"]`, `[data-testid="order-row"]`)
		require.Equal(t, "/admin/orders", b.location())
	})

	c.step("staff_opens_order", func(t *testing.T, b *tab) {
		link := `[data-testid="order-row"] a[data-testid="order-link"][href="/admin/orders/` + number + `"]`
		require.Equal(t, 1, b.count(link), "the new order is listed")
		b.click(link, `[data-testid="fulfil-form"]`)
		require.Equal(t, "/admin/orders/"+number, b.location())
		require.Contains(t, b.text(`[data-testid="admin-main"]`), number)
	})

	c.step("staff_fulfils", func(t *testing.T, b *tab) {
		b.fill(`[data-testid="fulfil-form"] [name="carrier"]`, journeyCarrier)
		b.fill(`[data-testid="fulfil-form"] [name="tracking_number"]`, journeyTracking)
		b.click(`[data-testid="fulfil-submit"]`, `[data-testid="fulfillment-status"]`)
		require.Contains(t, b.text(`[data-testid="fulfillment-status"]`), "Fulfilled")
	})

	c.step("staff_signs_out", func(t *testing.T, b *tab) {
		b.click(`[data-testid="admin-signout"]`, `[data-testid="account-link"]`)
		require.Equal(t, "Sign in", b.text(`[data-testid="account-link"]`))
	})

	c.step("shopper_signs_in", func(t *testing.T, b *tab) {
		b.open("/account", `[data-testid="login-form"]`)
		b.fill(`[data-testid="login-form"] [name="email"]`, journeyShopperEmail)
		b.fill(`[data-testid="login-form"] [name="password"]`, adminTestPassword)
		b.click(`[data-testid="login-submit"]`, `[data-testid="order-history"]`)
		require.Equal(t, "/account", b.location())
	})

	c.step("order_history", func(t *testing.T, b *tab) {
		link := `[data-testid="order-history-row"] a[href="/account/orders/` + number + `"]`
		rows := b.texts(`[data-testid="order-history-row"]`)
		require.Len(t, rows, 1)
		require.Contains(t, rows[0], orderNumber)
		b.click(link, `[data-testid="fulfillment-status"]`)
		require.Equal(t, "/account/orders/"+number, b.location())
		require.Regexp(t, `(?i)\b(fulfilled|shipped)\b`, b.text(`[data-testid="fulfillment-status"]`))
		require.Contains(t, b.text(`[data-testid="tracking-number"]`), journeyTracking)
		require.Contains(t, b.text(`[data-testid="payment-status"]`), "Paid")
	})
	t.Logf("order %s placed, paid and shipped", orderNumber)
}
