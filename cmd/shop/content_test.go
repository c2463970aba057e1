package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web/webtest"
)

// hostilePageBody is what a careless paste or a hijacked staff account could put on a
// page: markup, event handlers, script and data links, a style sheet.
const hostilePageBody = "## Returns\n\n" +
	"<script>alert(1)</script>\n\n" +
	`<img src=x onerror="alert(2)">` + "\n\n" +
	`<a href="javascript:alert(3)" onclick="alert(4)">html link</a>` + "\n\n" +
	"[md link](javascript:alert(5)) [data link](data:text/html;base64,PHNjcmlwdD4=) [ok link](/pages/terms)\n\n" +
	"<style>body{display:none}</style>\n\n" +
	"| a | b |\n|---|---|\n| <svg onload=alert(6)> | [x](JaVaScRiPt:alert(7)) |"

// TestContentPages drives the text pages through the real router as staff and as a
// shopper: what staff publish is in the footer and at its address, drafts stay hidden,
// and a refused form keeps what was typed.
func TestContentPages(t *testing.T) {
	t.Parallel()
	f := adminSetup(t)
	a := f.a
	// create posts the new-page form as editor and returns the page editor's address.
	create := func(t *testing.T, editor *browser, form url.Values) string {
		t.Helper()
		res := editor.send(t, http.MethodPost, "/admin/content/pages", form)
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		loc := res.header.Get("Location")
		require.Regexp(t, `^/admin/content/pages/[0-9]+$`, loc)
		return loc
	}
	footer := func(t *testing.T, b *browser) map[string]string {
		t.Helper()
		res := b.send(t, http.MethodGet, "/search", nil)
		require.Equal(t, http.StatusOK, res.status)
		links := map[string]string{}
		for _, n := range parsePage(t, res.body).byTestID("footer-page-link") {
			links[webtest.Text(n)] = webtest.Attr(n, "href")
		}
		return links
	}

	t.Run("OKPublishedInFooterAndAtItsAddress", func(t *testing.T) {
		t.Parallel()
		// Each subtest signs in on its own: flashes are per session.
		editor := a.signIn(t, "catalog_manager@shop.test")
		res := editor.send(t, http.MethodGet, "/admin/content/pages/new", nil)
		require.Equal(t, http.StatusOK, res.status)
		form := webtest.FormValues(t, parsePage(t, res.body).one("page-form"))
		form.Set("title", "Shipping & returns")
		form.Set("body", "## Shipping\n\nWe ship *fast*.\n\n- France: 2 days\n- Europe: 4 days")
		form.Set("published", "on")
		edit := create(t, editor, form)

		p := parsePage(t, editor.send(t, http.MethodGet, edit, nil).body)
		require.Equal(t, "Page “Shipping & returns” created: it is published.", webtest.Text(p.one("flash")))
		require.Equal(t, "/pages/shipping-returns", webtest.Attr(p.one("page-view-link"), "href"))

		shopper := a.browser(t)
		require.Equal(t, "/pages/shipping-returns", footer(t, shopper)["Shipping & returns"], "the footer lists the page")
		res = shopper.send(t, http.MethodGet, "/pages/shipping-returns", nil)
		require.Equal(t, http.StatusOK, res.status)
		requireSecurityHeaders(t, res.header)
		p = parsePage(t, res.body)
		require.Equal(t, "Shipping & returns", webtest.Text(p.one("content-title")))
		body := p.one("content-body")
		require.Equal(t, []string{"Shipping"}, webtest.Texts(webtest.All(body, func(n *html.Node) bool { return n.Data == "h2" })))
		require.Equal(t, []string{"France: 2 days", "Europe: 4 days"}, webtest.Texts(webtest.All(body, func(n *html.Node) bool { return n.Data == "li" })))
		require.Len(t, webtest.All(body, func(n *html.Node) bool { return n.Data == "em" }), 1)
		canonical := p.all(func(n *html.Node) bool { return n.Data == "link" && webtest.Attr(n, "rel") == "canonical" })
		require.Len(t, canonical, 1)
		require.Equal(t, a.m.Config.BaseURL+"/pages/shipping-returns", webtest.Attr(canonical[0], "href"), "absolute, on the shop's address")
		styles := p.all(func(n *html.Node) bool {
			return n.Data == "link" && webtest.Attr(n, "rel") == "stylesheet" && strings.Contains(webtest.Attr(n, "href"), "/content.")
		})
		require.Len(t, styles, 1, "the page loads the text pages' stylesheet")
		current := p.all(func(n *html.Node) bool {
			return webtest.Attr(n, "data-testid") == "footer-page-link" && webtest.Attr(n, "aria-current") == "page"
		})
		require.Equal(t, []string{"Shipping & returns"}, webtest.Texts(current), "the footer marks the page being read")

		sitemap := shopper.send(t, http.MethodGet, "/sitemap.xml", nil)
		require.Equal(t, http.StatusOK, sitemap.status)
		require.Contains(t, sitemap.body, "<loc>"+a.m.Config.BaseURL+"/pages/shipping-returns</loc>", "search engines find the page")

		events, err := a.m.users.ListAudit(t.Context(), users.AuditFilter{Action: "page.create", Actor: "catalog_manager@"})
		require.NoError(t, err)
		require.NotEmpty(t, events, "the audit log names who created the page")
	})

	t.Run("OKHostileMarkupNeutralised", func(t *testing.T) {
		t.Parallel()
		// Each subtest signs in on its own: flashes are per session.
		editor := a.signIn(t, "catalog_manager@shop.test")
		create(t, editor, url.Values{"title": {"Returns policy"}, "body": {hostilePageBody}, "published": {"on"}, "position": {"5"}})
		res := a.browser(t).send(t, http.MethodGet, "/pages/returns-policy", nil)
		require.Equal(t, http.StatusOK, res.status)
		p := parsePage(t, res.body)
		require.Empty(t, p.all(func(n *html.Node) bool {
			return n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style" || n.Data == "img" || n.Data == "svg" || n.Data == "iframe")
		}), "no script, style, image or svg element reaches the page")
		for _, n := range p.all(func(n *html.Node) bool { return n.Type == html.ElementNode }) {
			for _, at := range n.Attr {
				require.False(t, strings.HasPrefix(strings.ToLower(at.Key), "on"), "<%s %s=%q>", n.Data, at.Key, at.Val)
				require.NotEqual(t, "style", at.Key, "<%s style=%q>", n.Data, at.Val)
				if at.Key == "href" || at.Key == "src" {
					v := strings.ToLower(strings.TrimSpace(at.Val))
					require.False(t, strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:"), "<%s %s=%q>", n.Data, at.Key, at.Val)
				}
			}
		}
		body := p.one("content-body")
		text := webtest.Text(body)
		require.Contains(t, text, "<script>alert(1)</script>", "pasted markup is shown as text, so staff see what happened")
		var links []string
		for _, n := range webtest.All(body, func(n *html.Node) bool { return n.Data == "a" }) {
			links = append(links, webtest.Text(n)+" → "+webtest.Attr(n, "href"))
		}
		require.Equal(t, []string{"ok link → /pages/terms"}, links, "only the safe link is a link")
	})

	t.Run("ErrDraftNotFound", func(t *testing.T) {
		t.Parallel()
		// Each subtest signs in on its own: flashes are per session.
		editor := a.signIn(t, "catalog_manager@shop.test")
		edit := create(t, editor, url.Values{"title": {"Winter sale"}, "body": {"Coming soon."}})
		p := parsePage(t, editor.send(t, http.MethodGet, edit, nil).body)
		require.Equal(t, "Page “Winter sale” created as a draft: shoppers cannot see it.", webtest.Text(p.one("flash")))
		require.Contains(t, webtest.Text(p.one("page-preview")), "Coming soon.", "staff preview what shoppers cannot see yet")

		shopper := a.browser(t)
		require.Equal(t, http.StatusNotFound, shopper.send(t, http.MethodGet, "/pages/winter-sale", nil).status)
		require.NotContains(t, footer(t, shopper), "Winter sale")

		// Published, then taken back: a draft again, gone from the shop.
		form := webtest.FormValues(t, p.one("page-form"))
		form.Set("published", "on")
		require.Equal(t, http.StatusSeeOther, editor.send(t, http.MethodPost, edit, form).status)
		require.Equal(t, http.StatusOK, shopper.send(t, http.MethodGet, "/pages/winter-sale", nil).status)
		form = webtest.FormValues(t, parsePage(t, editor.send(t, http.MethodGet, edit, nil).body).one("page-form"))
		form.Del("published")
		require.Equal(t, http.StatusSeeOther, editor.send(t, http.MethodPost, edit, form).status)
		require.Equal(t, http.StatusNotFound, shopper.send(t, http.MethodGet, "/pages/winter-sale", nil).status)
		require.NotContains(t, footer(t, shopper), "Winter sale")
	})

	t.Run("ErrFieldsKeepWhatWasTyped", func(t *testing.T) {
		t.Parallel()
		// Each subtest signs in on its own: flashes are per session.
		editor := a.signIn(t, "catalog_manager@shop.test")
		body := "## Who we are\n\nA *long* text that took an hour to write.\n\n<b>keep me</b>"
		res := editor.send(t, http.MethodPost, "/admin/content/pages", url.Values{
			"title": {"  "}, "slug": {"Bad Slug!"}, "body": {body}, "published": {"on"}, "position": {"ten"}})
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		p := parsePage(t, res.body)
		require.Equal(t, "Give the page a title.", webtest.Text(p.one("field-error-title")))
		require.Equal(t, "Use lower-case letters, digits and single hyphens, like shipping-returns.", webtest.Text(p.one("field-error-slug")))
		require.Equal(t, "Enter a whole number, like 10.", webtest.Text(p.one("field-error-position")))
		typed := webtest.FormValues(t, p.one("page-form"))
		require.Equal(t, body, typed.Get("body"), "the text is kept as typed")
		require.Equal(t, "Bad Slug!", typed.Get("slug"))
		require.Equal(t, "ten", typed.Get("position"))
		require.Equal(t, "on", typed.Get("published"))

		create(t, editor, url.Values{"title": {"Contact"}, "body": {"Write to us."}})
		res = editor.send(t, http.MethodPost, "/admin/content/pages", url.Values{"title": {"Contact us"}, "slug": {"contact"}, "body": {body}})
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		p = parsePage(t, res.body)
		require.Equal(t, "Another page already uses this web address. Choose another.", webtest.Text(p.one("field-error-slug")))
		typed = webtest.FormValues(t, p.one("page-form"))
		require.Equal(t, "Contact us", typed.Get("title"))
		require.Equal(t, body, typed.Get("body"))
	})

	t.Run("OKRenamedPageRedirects", func(t *testing.T) {
		t.Parallel()
		// Each subtest signs in on its own: flashes are per session.
		editor := a.signIn(t, "catalog_manager@shop.test")
		edit := create(t, editor, url.Values{"title": {"Delivery"}, "body": {"Soon."}, "published": {"on"}})
		form := webtest.FormValues(t, parsePage(t, editor.send(t, http.MethodGet, edit, nil).body).one("page-form"))
		form.Set("slug", "delivery-times")
		require.Equal(t, http.StatusSeeOther, editor.send(t, http.MethodPost, edit, form).status)
		res := a.browser(t).send(t, http.MethodGet, "/pages/delivery", nil)
		require.Equal(t, http.StatusMovedPermanently, res.status)
		require.Equal(t, "/pages/delivery-times", res.header.Get("Location"))
	})

	t.Run("ErrStaleSaveKeepsText", func(t *testing.T) {
		t.Parallel()
		// Each subtest signs in on its own: flashes are per session.
		editor := a.signIn(t, "catalog_manager@shop.test")
		edit := create(t, editor, url.Values{"title": {"Care guide"}, "body": {"v1"}})
		old := webtest.FormValues(t, parsePage(t, editor.send(t, http.MethodGet, edit, nil).body).one("page-form"))
		first := url.Values{}
		for k, v := range old {
			first[k] = v
		}
		first.Set("body", "v2 by a colleague")
		require.Equal(t, http.StatusSeeOther, editor.send(t, http.MethodPost, edit, first).status)
		old.Set("body", "v2 typed over an old copy")
		res := editor.send(t, http.MethodPost, edit, old)
		require.Equal(t, http.StatusConflict, res.status)
		p := parsePage(t, res.body)
		require.True(t, p.has("stale-reload"))
		require.Equal(t, "v2 typed over an old copy", webtest.FormValues(t, p.one("page-form")).Get("body"))
	})

	t.Run("OKDelete", func(t *testing.T) {
		t.Parallel()
		// Each subtest signs in on its own: flashes are per session.
		editor := a.signIn(t, "catalog_manager@shop.test")
		edit := create(t, editor, url.Values{"title": {"Old promo"}, "published": {"on"}})
		shopper := a.browser(t)
		require.Equal(t, "/pages/old-promo", footer(t, shopper)["Old promo"])
		res := editor.send(t, http.MethodPost, edit+"/delete", url.Values{})
		require.Equal(t, http.StatusSeeOther, res.status)
		require.Equal(t, "/admin/content/pages", res.header.Get("Location"))
		require.Equal(t, http.StatusNotFound, shopper.send(t, http.MethodGet, "/pages/old-promo", nil).status)
		require.NotContains(t, footer(t, shopper), "Old promo")
		require.Equal(t, http.StatusNotFound, editor.send(t, http.MethodGet, edit, nil).status)
	})
}
