package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/a-h/templ"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
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
		require.Equal(t, "Trail Runner", text(title))
		require.Equal(t, "/p/trail-runner", attr(title, "href"))
		require.Equal(t, "Acme", text(d.one("product-brand")))
		require.Equal(t, "€89.00", text(d.one("product-price")))
		require.False(t, d.has("price-compare-at"))
		imgs := within(card, isTag("img"))
		require.Len(t, imgs, 1)
		require.Equal(t, "/media/1/trail.webp", attr(imgs[0], "src"))
		require.True(t, hasAttr(imgs[0], "alt"), "decorative image still needs an empty alt")
		require.Len(t, within(card, isTag("a")), 1, "one link per card")
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
		placeholders := d.all(func(n *html.Node) bool { return attr(n, "class") == "card__placeholder" })
		require.Len(t, placeholders, 1)
		require.Equal(t, "É", text(placeholders[0]))
		require.Equal(t, "true", attr(placeholders[0], "aria-hidden"))

		require.Equal(t, "€9.00", text(d.one("price-current")))
		was := d.one("price-compare-at")
		require.Equal(t, "s", was.Data, "the old price is struck through")
		require.Equal(t, "Regular price €12.00", text(was), "and labelled for screen readers")
		require.Equal(t, "Sale price €9.00 Regular price €12.00", text(d.one("product-price")))
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
		require.Equal(t, hostile, text(d.one("product-title")), "the shopper sees the text as typed")
		require.Equal(t, `"><img src=x onerror=alert(3)>`, text(d.one("product-brand")))
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
			require.Equal(t, products[i].Title, text(within(c, func(n *html.Node) bool { return attr(n, "data-testid") == "product-title" })[0]))
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
		require.NotEmpty(t, attr(nav, "aria-label"))
		prev := d.one("pagination-prev")
		require.Equal(t, "prev", attr(prev, "rel"))
		require.Equal(t, url(2), attr(prev, "href"))
		next := d.one("pagination-next")
		require.Equal(t, "next", attr(next, "rel"))
		require.Equal(t, url(4), attr(next, "href"))
		current := d.one("pagination-current")
		require.Equal(t, "page", attr(current, "aria-current"))
		require.Equal(t, "Page 3", text(current))
		require.Len(t, d.all(func(n *html.Node) bool { return hasAttr(n, "aria-current") }), 1)
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
		got = append(got, attr(f, "data-kind")+"/"+attr(f, "role")+"/"+text(f))
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
		require.Equal(t, "field-email", attr(input, "id"))
		require.Equal(t, "email", attr(input, "name"))
		require.Equal(t, "email", attr(input, "type"))
		require.Equal(t, `ada@example"><script>`, attr(input, "value"), "the typed value is kept")
		require.Equal(t, "email", attr(input, "autocomplete"))
		require.Equal(t, "254", attr(input, "maxlength"))
		require.True(t, hasAttr(input, "required"))
		require.Equal(t, "true", attr(input, "aria-invalid"))
		require.Equal(t, "field-email-hint field-email-error", attr(input, "aria-describedby"))

		label := d.byTag("label")[0]
		require.Equal(t, "field-email", attr(label, "for"))
		require.Equal(t, "Email (required)", text(label))

		msg := d.one("field-error-email")
		require.Equal(t, "field-email-error", attr(msg, "id"))
		require.Equal(t, "Enter an email address like name@example.com.", text(msg))
		require.Empty(t, d.byTag("script"))
	})

	t.Run("Valid", func(t *testing.T) {
		t.Parallel()

		d := renderDoc(t, context.Background(), Field(FieldVM{Name: "city", Label: "City", Value: "Lyon"}))

		input := d.byTag("input")[0]
		require.Equal(t, "text", attr(input, "type"))
		require.Equal(t, "Lyon", attr(input, "value"))
		require.False(t, hasAttr(input, "aria-invalid"))
		require.False(t, hasAttr(input, "aria-describedby"))
		require.False(t, hasAttr(input, "required"))
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

		selected := d.all(func(n *html.Node) bool { return n.Data == "option" && hasAttr(n, "selected") })
		require.Len(t, selected, 1)
		require.Equal(t, "FR", attr(selected[0], "value"))
		sel := d.byTag("select")[0]
		require.Equal(t, "true", attr(sel, "aria-invalid"))
		require.Equal(t, "field-country-error", attr(sel, "aria-describedby"))

		require.Equal(t, "Leave at </textarea><b>door</b>", text(d.byTag("textarea")[0]))
		require.Empty(t, d.byTag("b"))

		box := d.all(func(n *html.Node) bool { return n.Data == "input" && attr(n, "type") == "checkbox" })
		require.Len(t, box, 1)
		require.True(t, hasAttr(box[0], "checked"))
		require.Equal(t, "on", attr(box[0], "value"))
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
	require.Equal(t, "Breadcrumb", attr(nav, "aria-label"))
	links := within(nav, isTag("a"))
	require.Len(t, links, 2, "the current page is not a link")
	require.Equal(t, "/c/shoes", attr(links[1], "href"))
	current := d.all(func(n *html.Node) bool { return attr(n, "aria-current") == "page" })
	require.Len(t, current, 1)
	require.Equal(t, "Trail Runner", text(current[0]))
}
