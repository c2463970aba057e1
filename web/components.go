package web

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// paginationWindow is how many numbered pages are shown on each side of the current one.
const paginationWindow = 2

// NewPagination builds the view model for page of pages, asking pageURL for the URL of a
// page number (so the caller keeps its own query parameters). page is clamped into range.
// The bar shows the first and last pages, two pages either side of the current one and
// an ellipsis for each longer gap: 1 … 4 5 [6] 7 8 … 20.
func NewPagination(page, pages int, pageURL func(page int) string) PaginationVM {
	pages = max(pages, 1)
	page = min(max(page, 1), pages)
	p := PaginationVM{Page: page, Pages: pages}
	if page > 1 {
		p.PrevURL = pageURL(page - 1)
	}
	if page < pages {
		p.NextURL = pageURL(page + 1)
	}
	if pages == 1 {
		return p
	}
	link := func(n int) PageLink { return PageLink{Number: n, URL: pageURL(n), Current: n == page} }
	shown := []int{1}
	for n := max(2, page-paginationWindow); n <= min(pages-1, page+paginationWindow); n++ {
		shown = append(shown, n)
	}
	shown = append(shown, pages)
	prev := 0
	for _, n := range shown {
		switch gap := n - prev - 1; {
		case gap == 1:
			// An ellipsis would hide a single page while taking the same room.
			p.Links = append(p.Links, link(prev+1))
		case gap > 1:
			p.Links = append(p.Links, PageLink{Gap: true})
		}
		p.Links = append(p.Links, link(n))
		prev = n
	}
	return p
}

// initial is the placeholder letter of a product without an image.
func initial(title string) string {
	r, _ := utf8.DecodeRuneInString(strings.TrimSpace(title))
	if r == utf8.RuneError || !unicode.IsPrint(r) {
		return "?"
	}
	return string(unicode.ToUpper(r))
}

// flashKind maps an unknown kind to info, so a typo never renders an unstyled message or
// raises a false alarm with role="alert".
func flashKind(k FlashKind) FlashKind {
	switch k {
	case FlashSuccess, FlashError:
		return k
	default:
		return FlashInfo
	}
}
