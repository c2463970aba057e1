package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/a-h/templ"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/web/webtest"
)

func TestProductCard(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()

		d := renderDoc(t, context.Background(), ProductCard(ProductCardVM{
			URL:      "/p/trail-runner",
			Title:    "Trail Runner",
			Brand:    "Acme",
			Price:    "€89.00",
			ImageURL: "/media/1/trail.webp",
		}))

		card := d.one("product-card")
		title := d.one("product-title")
		require.True(t, isAncestor(card, title))
		require.Equal(t, "Trail Runner", webtest.Text(title))
		require.Equal(t, "/p/trail-runner", webtest.Attr(title, "href"))
		require.Equal(t, "Acme", webtest.Text(d.one("product-brand")))
		require.Equal(t, "€89.00", webtest.Text(d.one("product-price")))
		require.False(t, d.has("price-compare-at"))
		imgs := webtest.All(card, isTag("img"))
		require.Len(t, imgs, 1)
		require.Equal(t, "/media/1/trail.webp", webtest.Attr(imgs[0], "src"))
		require.True(t, webtest.HasAttr(imgs[0], "alt"), "decorative image still needs an empty alt")
		require.Len(t, webtest.All(card, isTag("a")), 1, "one link per card")
	})

	t.Run("SaleAndPlaceholder", func(t *testing.T) {
		t.Parallel()

		d := renderDoc(t, context.Background(), ProductCard(ProductCardVM{
			URL:       "/p/wool-socks",
			Title:     "  élan wool socks",
			Price:     "€9.00",
			CompareAt: "€12.00",
		}))

		require.False(t, d.has("product-brand"))
		require.Empty(t, d.byTag("img"))
		placeholders := d.all(func(n *html.Node) bool { return webtest.Attr(n, "class") == "card__placeholder" })
		require.Len(t, placeholders, 1)
		require.Equal(t, "É", webtest.Text(placeholders[0]))
		require.Equal(t, "true", webtest.Attr(placeholders[0], "aria-hidden"))

		require.Equal(t, "€9.00", webtest.Text(d.one("price-current")))
		was := d.one("price-compare-at")
		require.Equal(t, "s", was.Data, "the old price is struck through")
		require.Equal(t, "Regular price €12.00", webtest.Text(was), "and labelled for screen readers")
		require.Equal(t, "Sale price €9.00 Regular price €12.00", webtest.Text(d.one("product-price")))
	})

	t.Run("HostileTextIsEscaped", func(t *testing.T) {
		t.Parallel()
		hostile := `<script>alert(1)</script>`

		d := renderDoc(t, context.Background(), ProductGrid([]ProductCardVM{{
			URL:       "javascript:alert(2)",
			Title:     hostile,
			Brand:     `"><img src=x onerror=alert(3)>`,
			Price:     hostile,
			CompareAt: hostile,
			ImageURL:  `javascript:alert(4)`,
		}}))

		require.NotContains(t, d.raw, "<script>")
		require.Contains(t, d.raw, "&lt;script&gt;alert(1)&lt;/script&gt;")
		require.NotContains(t, d.raw, "javascript:")
		require.Empty(t, d.byTag("script"))
		require.Len(t, d.byTag("img"), 1, "only the product image, no injected one")
		require.Equal(t, hostile, webtest.Text(d.one("product-title")), "the shopper sees the text as typed")
		require.Equal(t, `"><img src=x onerror=alert(3)>`, webtest.Text(d.one("product-brand")))
	})
}

func TestProductGrid(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		products := []ProductCardVM{
			{URL: "/p/a", Title: "A", Price: "€1.00"},
			{URL: "/p/b", Title: "B", Price: "€2.00"},
			{URL: "/p/c", Title: "C", Price: "€3.00"},
		}

		d := renderDoc(t, context.Background(), ProductGrid(products))

		grid := d.one("product-grid")
		require.Equal(t, "ul", grid.Data)
		cards := d.byTestID("product-card")
		require.Len(t, cards, 3)
		for i, c := range cards {
			require.True(t, isAncestor(grid, c))
			require.Equal(t, products[i].Title, webtest.Text(webtest.All(c, func(n *html.Node) bool { return webtest.Attr(n, "data-testid") == "product-title" })[0]))
		}
	})

	t.Run("Empty", func(t *testing.T) {
		t.Parallel()

		d := renderDoc(t, context.Background(), ProductGrid(nil))

		require.False(t, d.has("product-grid"))
	})
}

func TestNewPagination(t *testing.T) {
	t.Parallel()

	url := func(n int) string { return fmt.Sprintf("/c/shoes?page=%d", n) }
	// bar writes the numbered links as a shopper would read them: [n] is the current page.
	bar := func(p PaginationVM) string {
		var parts []string
		for _, l := range p.Links {
			switch {
			case l.Gap:
				parts = append(parts, "…")
			case l.Current:
				parts = append(parts, fmt.Sprintf("[%d]", l.Number))
			default:
				parts = append(parts, fmt.Sprint(l.Number))
			}
		}
		return strings.Join(parts, " ")
	}

	tests := []struct {
		page, pages int
		want        string
		prev, next  string
	}{
		{1, 1, "", "", ""},
		{1, 0, "", "", ""},
		{1, 2, "[1] 2", "", url(2)},
		{2, 2, "1 [2]", url(1), ""},
		{1, 10, "[1] 2 3 … 10", "", url(2)},
		{4, 10, "1 2 3 [4] 5 6 … 10", url(3), url(5)},
		{6, 20, "1 … 4 5 [6] 7 8 … 20", url(5), url(7)},
		{10, 10, "1 … 8 9 [10]", url(9), ""},
		{99, 5, "1 2 3 4 [5]", url(4), ""},
		{-3, 5, "[1] 2 3 4 5", "", url(2)},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d_of_%d", tt.page, tt.pages), func(t *testing.T) {
			t.Parallel()

			p := NewPagination(tt.page, tt.pages, url)

			require.Equal(t, tt.want, bar(p))
			require.Equal(t, tt.prev, p.PrevURL)
			require.Equal(t, tt.next, p.NextURL)
			for _, l := range p.Links {
				if !l.Gap {
					require.Equal(t, url(l.Number), l.URL)
				}
			}
		})
	}
}

func TestPagination(t *testing.T) {
	t.Parallel()

	url := func(n int) string { return fmt.Sprintf("/search?q=a%%26b&page=%d", n) }

	t.Run("OK", func(t *testing.T) {
		t.Parallel()

		d := renderDoc(t, context.Background(), Pagination(NewPagination(3, 9, url)))

		nav := d.one("pagination")
		require.Equal(t, "nav", nav.Data)
		require.NotEmpty(t, webtest.Attr(nav, "aria-label"))
		prev := d.one("pagination-prev")
		require.Equal(t, "prev", webtest.Attr(prev, "rel"))
		require.Equal(t, url(2), webtest.Attr(prev, "href"))
		next := d.one("pagination-next")
		require.Equal(t, "next", webtest.Attr(next, "rel"))
		require.Equal(t, url(4), webtest.Attr(next, "href"))
		current := d.one("pagination-current")
		require.Equal(t, "page", webtest.Attr(current, "aria-current"))
		require.Equal(t, "Page 3", webtest.Text(current))
		require.Len(t, d.all(func(n *html.Node) bool { return webtest.HasAttr(n, "aria-current") }), 1)
	})

	t.Run("FirstPageHasNoPrevLink", func(t *testing.T) {
		t.Parallel()

		d := renderDoc(t, context.Background(), Pagination(NewPagination(1, 3, url)))

		require.False(t, d.has("pagination-prev"))
		require.True(t, d.has("pagination-next"))
	})

	t.Run("SinglePageRendersNothing", func(t *testing.T) {
		t.Parallel()

		d := renderDoc(t, context.Background(), Pagination(NewPagination(1, 1, url)))

		require.False(t, d.has("pagination"))
	})
}

func TestFlash(t *testing.T) {
	t.Parallel()

	d := renderDoc(t, context.Background(), Flash([]FlashMessage{
		{Kind: FlashSuccess, Text: "Added to cart."},
		{Kind: FlashError, Text: "<b>Payment</b> failed."},
		{Kind: FlashInfo, Text: "Prices include VAT."},
		{Kind: "bogus", Text: "Unknown kind."},
	}))

	flashes := d.byTestID("flash")
	require.Len(t, flashes, 4)
	got := make([]string, 0, len(flashes))
	for _, f := range flashes {
		got = append(got, webtest.Attr(f, "data-kind")+"/"+webtest.Attr(f, "role")+"/"+webtest.Text(f))
	}
	require.Equal(t, []string{
		"success/status/Added to cart.",
		"error/alert/<b>Payment</b> failed.",
		"info/status/Prices include VAT.",
		"info/status/Unknown kind.",
	}, got)
	require.Empty(t, d.byTag("b"))

	empty := renderDoc(t, context.Background(), Flash(nil))
	require.False(t, empty.has("flash"))
}

func TestField(t *testing.T) {
	t.Parallel()

	t.Run("ErrorKeepsValue", func(t *testing.T) {
		t.Parallel()

		d := renderDoc(t, context.Background(), Field(FieldVM{
			Name:         "email",
			Label:        "Email",
			Type:         "email",
			Value:        `ada@example"><script>`,
			Error:        "Enter an email address like name@example.com.",
			Hint:         "We send your receipt here.",
			Required:     true,
			Autocomplete: "email",
			Attrs:        templ.Attributes{"maxlength": "254"},
		}))

		input := d.byTag("input")[0]
		require.Equal(t, "field-email", webtest.Attr(input, "id"))
		require.Equal(t, "email", webtest.Attr(input, "name"))
		require.Equal(t, "email", webtest.Attr(input, "type"))
		require.Equal(t, `ada@example"><script>`, webtest.Attr(input, "value"), "the typed value is kept")
		require.Equal(t, "email", webtest.Attr(input, "autocomplete"))
		require.Equal(t, "254", webtest.Attr(input, "maxlength"))
		require.True(t, webtest.HasAttr(input, "required"))
		require.Equal(t, "true", webtest.Attr(input, "aria-invalid"))
		require.Equal(t, "field-email-hint field-email-error", webtest.Attr(input, "aria-describedby"))

		label := d.byTag("label")[0]
		require.Equal(t, "field-email", webtest.Attr(label, "for"))
		require.Equal(t, "Email (required)", webtest.Text(label))

		msg := d.one("field-error-email")
		require.Equal(t, "field-email-error", webtest.Attr(msg, "id"))
		require.Equal(t, "Enter an email address like name@example.com.", webtest.Text(msg))
		require.Empty(t, d.byTag("script"))
	})

	t.Run("Valid", func(t *testing.T) {
		t.Parallel()

		d := renderDoc(t, context.Background(), Field(FieldVM{Name: "city", Label: "City", Value: "Lyon"}))

		input := d.byTag("input")[0]
		require.Equal(t, "text", webtest.Attr(input, "type"))
		require.Equal(t, "Lyon", webtest.Attr(input, "value"))
		require.False(t, webtest.HasAttr(input, "aria-invalid"))
		require.False(t, webtest.HasAttr(input, "aria-describedby"))
		require.False(t, webtest.HasAttr(input, "required"))
		require.False(t, d.has("field-error-city"))
	})

	t.Run("PasswordIsNeverEchoed", func(t *testing.T) {
		t.Parallel()

		d := renderDoc(t, context.Background(), Field(FieldVM{Name: "password", Label: "Password", Type: "password", Value: "hunter2"}))

		require.NotContains(t, d.raw, "hunter2")
	})

	t.Run("SelectTextAreaCheckbox", func(t *testing.T) {
		t.Parallel()
		form := templ.Join(
			Select(FieldVM{Name: "country", Label: "Country", Value: "FR", Error: "We don't ship there yet."},
				[]Option{{Value: "DE", Label: "Germany"}, {Value: "FR", Label: "France"}}),
			TextArea(FieldVM{Name: "note", Label: "Note", Value: "Leave at </textarea><b>door</b>"}),
			Checkbox(FieldVM{Name: "newsletter", Label: "Send me offers", Checked: true}),
		)

		d := renderDoc(t, context.Background(), form)

		selected := d.all(func(n *html.Node) bool { return n.Data == "option" && webtest.HasAttr(n, "selected") })
		require.Len(t, selected, 1)
		require.Equal(t, "FR", webtest.Attr(selected[0], "value"))
		sel := d.byTag("select")[0]
		require.Equal(t, "true", webtest.Attr(sel, "aria-invalid"))
		require.Equal(t, "field-country-error", webtest.Attr(sel, "aria-describedby"))

		require.Equal(t, "Leave at </textarea><b>door</b>", webtest.Text(d.byTag("textarea")[0]))
		require.Empty(t, d.byTag("b"))

		box := d.all(func(n *html.Node) bool { return n.Data == "input" && webtest.Attr(n, "type") == "checkbox" })
		require.Len(t, box, 1)
		require.True(t, webtest.HasAttr(box[0], "checked"))
		require.Equal(t, "on", webtest.Attr(box[0], "value"))
	})
}

func TestBreadcrumbs(t *testing.T) {
	t.Parallel()

	d := renderDoc(t, context.Background(), Breadcrumbs([]Crumb{
		{Label: "Home", URL: "/"},
		{Label: "Shoes", URL: "/c/shoes"},
		{Label: "Trail Runner", URL: "/p/trail-runner"},
	}))

	nav := d.one("breadcrumbs")
	require.Equal(t, "nav", nav.Data)
	require.Equal(t, "Breadcrumb", webtest.Attr(nav, "aria-label"))
	links := webtest.All(nav, isTag("a"))
	require.Len(t, links, 2, "the current page is not a link")
	require.Equal(t, "/c/shoes", webtest.Attr(links[1], "href"))
	current := d.all(func(n *html.Node) bool { return webtest.Attr(n, "aria-current") == "page" })
	require.Len(t, current, 1)
	require.Equal(t, "Trail Runner", webtest.Text(current[0]))
}
