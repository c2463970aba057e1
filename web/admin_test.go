package web

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/a-h/templ"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/web/webtest"
)

// inAdminLayout renders body as the children of AdminLayout(p), as a page component does.
func inAdminLayout(p PageMeta, body templ.Component) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		return AdminLayout(p).Render(templ.WithChildren(ctx, body), w)
	})
}

func TestAdminLayout(t *testing.T) {
	t.Parallel()

	setup := func(t *testing.T, chrome AdminChrome) (context.Context, *Assets) {
		t.Helper()
		assets, err := NewAssets()
		require.NoError(t, err)
		ctx := WithSite(context.Background(), Site{Name: "Test Shop", Assets: assets, Env: "dev"})
		return WithAdminChrome(ctx, chrome), assets
	}
	body := templ.Raw(`<h1 data-testid="page-heading">Staff</h1>`)

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		ctx, assets := setup(t, AdminChrome{
			Nav: []AdminNavLink{
				{Label: "Dashboard", URL: "/admin"},
				{Label: "Staff & <roles>", URL: "/admin/staff", Active: true},
			},
			UserName:  "Ada <Lovelace>",
			RoleLabel: "Owner",
			Flashes:   []FlashMessage{{Kind: FlashSuccess, Text: "Saved."}},
		})

		d := renderDoc(t, ctx, inAdminLayout(PageMeta{Title: "Staff"}, body))

		require.Equal(t, "Staff · Test Shop admin", webtest.Text(d.byTag("title")[0]))
		require.Equal(t, "noindex, nofollow", metaContent(d, "robots"), "the back office is never indexed")
		require.Equal(t, assets.URL("app.css"), linkHref(d, "stylesheet"))
		require.Equal(t, "Ada <Lovelace>", webtest.Text(d.one("admin-user")), "names are text, never markup")
		require.Equal(t, "Owner", webtest.Text(d.one("admin-role")))

		nav := d.one("admin-nav")
		require.Equal(t, "nav", nav.Data)
		require.NotEmpty(t, webtest.Attr(nav, "aria-label"))
		links := webtest.All(nav, isTag("a"))
		require.Len(t, links, 2)
		require.Equal(t, "Staff & <roles>", webtest.Text(links[1]))
		require.Equal(t, "page", webtest.Attr(links[1], "aria-current"))
		require.False(t, webtest.HasAttr(links[0], "aria-current"))

		main := d.one("admin-main")
		require.Equal(t, "main", main.Data)
		require.Equal(t, "main", webtest.Attr(main, "id"))
		require.True(t, isAncestor(main, d.one("page-heading")))
		require.True(t, isAncestor(main, d.one("flash")), "flashes show above the page")
		require.Equal(t, "Saved.", webtest.Text(d.one("flash")))

		signOut := d.all(func(n *html.Node) bool { return n.Data == "form" && webtest.Attr(n, "action") == "/logout" })
		require.Len(t, signOut, 1)
		require.Equal(t, "post", webtest.Attr(signOut[0], "method"))
	})

	t.Run("OKNoIndexWhateverThePageSays", func(t *testing.T) {
		t.Parallel()
		ctx, _ := setup(t, AdminChrome{})
		d := renderDoc(t, ctx, inAdminLayout(PageMeta{Title: "Dashboard", NoIndex: false, Canonical: "https://x.example/admin"}, body))
		require.Equal(t, "noindex, nofollow", metaContent(d, "robots"))
		require.Empty(t, linkHref(d, "canonical"))
		require.False(t, d.has("flash"))
	})

	t.Run("OKAdminTime", func(t *testing.T) {
		t.Parallel()
		at := time.Date(2026, 3, 4, 23, 30, 5, 0, time.FixedZone("CET", 3600))
		require.Equal(t, "2026-03-04 22:30:05 UTC", FormatAdminTime(at, nil))
		require.Empty(t, FormatAdminTime(time.Time{}, nil))
		d := renderDoc(t, context.Background(), AdminTime(at))
		el := d.byTag("time")[0]
		require.Equal(t, "2026-03-04T22:30:05Z", webtest.Attr(el, "datetime"))
		require.Equal(t, "2026-03-04 22:30:05 UTC", webtest.Text(el), "no store time zone: UTC")

		tokyo, err := time.LoadLocation("Asia/Tokyo")
		require.NoError(t, err)
		d = renderDoc(t, WithSite(context.Background(), Site{Name: "Shop", Location: tokyo}), AdminTime(at))
		el = d.byTag("time")[0]
		require.Equal(t, "2026-03-05 07:30:05 JST", webtest.Text(el), "the store's clock, its zone named")
		require.Equal(t, "2026-03-04T22:30:05Z", webtest.Attr(el, "datetime"))
	})

	t.Run("OKBadgeUnknownToneIsNeutral", func(t *testing.T) {
		t.Parallel()
		d := renderDoc(t, context.Background(), Badge("Held", BadgeTone("purple"), "b"))
		require.Equal(t, "badge badge--neutral", webtest.Attr(d.one("b"), "class"))
	})
}
