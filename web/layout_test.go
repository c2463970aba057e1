package web

import (
	"context"
	"io"
	"testing"

	"github.com/a-h/templ"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/web/webtest"
)

// inLayout renders body as the children of Layout(p), as a page component does.
func inLayout(p PageMeta, body templ.Component) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		return Layout(p).Render(templ.WithChildren(ctx, body), w)
	})
}

func TestLayout(t *testing.T) {
	t.Parallel()

	type testBundle struct {
		assets *Assets
		ctx    context.Context
	}

	setup := func(t *testing.T, chrome Chrome) *testBundle {
		t.Helper()
		assets, err := NewAssets()
		require.NoError(t, err)
		ctx := WithSite(context.Background(), Site{Name: "Test Shop", Assets: assets, Env: "dev"})
		return &testBundle{assets: assets, ctx: WithChrome(ctx, chrome)}
	}

	body := templ.Raw(`<h1 data-testid="page-heading">Shoes</h1>`)

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		query := `red "running" shoes & <more>`
		bundle := setup(t, Chrome{
			Categories: []NavLink{
				{Label: "Shoes", URL: "/c/shoes", Active: true},
				{Label: "Socks & Tights", URL: "/c/socks"},
			},
			CartCount: 3,
			Query:     query,
			Account:   &AccountBadge{Name: "Ada", IsStaff: true},
		})

		d := renderDoc(t, bundle.ctx, inLayout(PageMeta{
			Title:       "Shoes",
			Description: "All our shoes",
			Canonical:   "https://shop.example/c/shoes",
		}, body))

		require.Equal(t, "Shoes · Test Shop", webtest.Text(d.byTag("title")[0]))
		require.Equal(t, "en", webtest.Attr(d.byTag("html")[0], "lang"))
		require.Equal(t, "All our shoes", metaContent(d, "description"))
		require.Empty(t, metaContent(d, "robots"), "indexable page must not say noindex")
		require.Contains(t, metaContent(d, "viewport"), "width=device-width")
		require.Equal(t, "https://shop.example/c/shoes", linkHref(d, "canonical"))
		require.Equal(t, bundle.assets.URL("app.css"), linkHref(d, "stylesheet"))
		require.Regexp(t, `^/static/app\.[0-9a-f]{10}\.css$`, linkHref(d, "stylesheet"))

		header := d.one("site-header")
		require.Equal(t, "header", header.Data)
		brand := d.one("store-name")
		require.Equal(t, "Test Shop", webtest.Text(brand))
		require.Equal(t, "/", webtest.Attr(brand, "href"))

		skip := d.all(func(n *html.Node) bool { return n.Data == "a" && webtest.Attr(n, "class") == "skip-link" })
		require.Len(t, skip, 1)
		require.Equal(t, "#main", webtest.Attr(skip[0], "href"))

		form := d.one("search-form")
		require.Equal(t, "/search", webtest.Attr(form, "action"))
		require.Equal(t, "get", webtest.Attr(form, "method"))
		input := d.one("search-input")
		require.Equal(t, "q", webtest.Attr(input, "name"))
		require.Equal(t, query, webtest.Attr(input, "value"), "the search box keeps what was searched")
		labels := webtest.All(form, func(n *html.Node) bool {
			return n.Data == "label" && webtest.Attr(n, "for") == webtest.Attr(input, "id")
		})

		require.Len(t, labels, 1, "the search input has a label")

		nav := d.one("category-nav")
		require.Equal(t, "nav", nav.Data)
		require.Equal(t, "Categories", webtest.Attr(nav, "aria-label"))
		links := webtest.All(nav, isTag("a"))
		require.Len(t, links, 2)
		require.Equal(t, "Shoes", webtest.Text(links[0]))
		require.Equal(t, "/c/shoes", webtest.Attr(links[0], "href"))
		require.Equal(t, "page", webtest.Attr(links[0], "aria-current"))
		require.Equal(t, "Socks & Tights", webtest.Text(links[1]))
		require.Equal(t, "/c/socks", webtest.Attr(links[1], "href"))
		require.False(t, webtest.HasAttr(links[1], "aria-current"))

		cart := d.one("cart-link")
		require.Equal(t, "/cart", webtest.Attr(cart, "href"))
		require.Equal(t, "3", webtest.Text(d.one("cart-count")))
		require.Equal(t, "Cart 3 items", webtest.Text(cart))

		account := d.one("account-link")
		require.Equal(t, "/account", webtest.Attr(account, "href"))
		require.Equal(t, "Ada", webtest.Text(account))
		require.Equal(t, "/admin", webtest.Attr(d.one("admin-link"), "href"))

		main := d.one("main")
		require.Equal(t, "main", main.Data)
		require.Equal(t, "main", webtest.Attr(main, "id"))
		require.True(t, isAncestor(main, d.one("page-heading")), "children render inside main")

		require.Equal(t, "footer", d.one("site-footer").Data)
	})

	t.Run("SignedOutEmptyChrome", func(t *testing.T) {
		t.Parallel()
		bundle := setup(t, Chrome{CartCount: 1})

		d := renderDoc(t, bundle.ctx, inLayout(PageMeta{Title: "Cart", NoIndex: true}, body))

		account := d.one("account-link")
		require.Equal(t, "/login", webtest.Attr(account, "href"))
		require.Equal(t, "Sign in", webtest.Text(account))
		require.False(t, d.has("admin-link"))
		require.False(t, d.has("category-nav"), "no empty nav landmark")
		require.Equal(t, "Cart 1 item", webtest.Text(d.one("cart-link")))
		require.Empty(t, webtest.Attr(d.one("search-input"), "value"))
		require.Equal(t, "noindex", metaContent(d, "robots"))
		require.Empty(t, linkHref(d, "canonical"))
		require.Empty(t, metaContent(d, "description"))
	})

	t.Run("NoSiteOrChromeInContext", func(t *testing.T) {
		t.Parallel()

		d := renderDoc(t, context.Background(), inLayout(PageMeta{Title: "Hello"}, body))

		require.Equal(t, "Hello · Monoshop", webtest.Text(d.byTag("title")[0]))
		require.Equal(t, "0", webtest.Text(d.one("cart-count")))
		require.Equal(t, "/static/app.css", linkHref(d, "stylesheet"))
	})

	t.Run("HostileChromeIsEscaped", func(t *testing.T) {
		t.Parallel()
		bundle := setup(t, Chrome{
			Categories: []NavLink{{Label: "<script>alert(1)</script>", URL: "javascript:alert(1)"}},
			Query:      `"><script>alert(2)</script>`,
			Account:    &AccountBadge{Name: "<img src=x onerror=alert(3)>"},
		})

		d := renderDoc(t, bundle.ctx, inLayout(PageMeta{Title: "</title><script>alert(4)</script>"}, body))

		require.Empty(t, d.byTag("script"), "no script element may come from data")
		require.Empty(t, d.byTag("img"))
		require.NotContains(t, d.raw, "<script")
		require.NotContains(t, d.raw, "javascript:")
		require.Equal(t, "<script>alert(1)</script>", webtest.Text(webtest.All(d.one("category-nav"), isTag("a"))[0]))
		require.Equal(t, `"><script>alert(2)</script>`, webtest.Attr(d.one("search-input"), "value"))
		require.Equal(t, "</title><script>alert(4)</script> · Test Shop", webtest.Text(d.byTag("title")[0]))
	})
}

func metaContent(d doc, name string) string {
	for _, n := range d.byTag("meta") {
		if webtest.Attr(n, "name") == name {
			return webtest.Attr(n, "content")
		}
	}
	return ""
}

func linkHref(d doc, rel string) string {
	for _, n := range d.byTag("link") {
		if webtest.Attr(n, "rel") == rel {
			return webtest.Attr(n, "href")
		}
	}
	return ""
}
