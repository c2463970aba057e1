package catalogweb

import (
	"net/http"
	"net/url"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/web"
)

// searchPath is where the search page lives (DESIGN.md §4).
const searchPath = "/search"

// paramExact=1 searches the text as typed, without spelling correction.
const paramExact = "exact"

// noResultsProducts is how many products a fruitless search suggests instead: two rows.
const noResultsProducts = 8

// search shows the products matching ?q=, with the same facets, sort and pages as a
// category. Search pages are never indexed: their number is unbounded and their content
// duplicates the category pages.
func (h *Handler) search(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	query := r.URL.Query()
	params := parseListingParams(query)
	exact := query.Get(paramExact) == "1"
	sq := catalog.SearchQuery{
		Exact:   exact,
		Text:    query.Get(paramQuery),
		Filters: params.Filters,
		Sort:    params.Sort,
		Page:    params.Page,
		PerPage: listingPerPage,
	}
	res, err := h.catalog.Search(ctx, sq)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}

	v := searchView{Query: res.Query, Meta: web.PageMeta{Title: "Search", NoIndex: true, Scripts: []string{suggestScript, listingScript}}}
	if res.Query == "" {
		if v.Categories, err = h.topCategoryLinks(r); err != nil {
			h.render.Error(w, r, err)
			return
		}
		h.render.Page(w, r, http.StatusOK, searchPage(v))
		return
	}

	v.Heading = res.Query
	v.Meta.Title = "Results for “" + res.Query + "”"
	if res.Corrected != "" {
		v.Heading = res.Corrected
		v.Corrected = res.Corrected
		v.TypedURL = searchPath + "?" + url.Values{paramQuery: {res.Query}, paramExact: {"1"}}.Encode()
	}
	if res.DidYouMean != "" {
		v.DidYouMean = res.DidYouMean
		v.DidYouMeanURL = searchHref(res.DidYouMean)
	}
	// Links keep the text as typed, so the correction notice stays on every page of it.
	base := url.Values{paramQuery: {res.Query}}
	if exact {
		base.Set(paramExact, "1")
	}
	urls := newListingURLs(searchPath, base, res.Listing, params.Sort)
	v.Listing = newListingVM(res.Listing, urls, "Best match")
	v.Listing.Products = h.withCardStock(r, productIDs(res.Listing.Products), v.Listing.Products)

	if res.Total == 0 {
		nothing := !urls.filtered()
		if !nothing {
			// Filters that exclude every result are one click from a fix; a text that finds
			// nothing at all needs the suggestions instead.
			sq.Filters, sq.Page = nil, 1
			unfiltered, err := h.catalog.Search(ctx, sq)
			if err != nil {
				h.render.Error(w, r, err)
				return
			}
			nothing = unfiltered.Total == 0
		}
		if nothing {
			v.NoResults = true
			if v.Categories, err = h.topCategoryLinks(r); err != nil {
				h.render.Error(w, r, err)
				return
			}
			products, err := h.catalog.ListStorefrontProducts(ctx, noResultsProducts)
			if err != nil {
				h.render.Error(w, r, err)
				return
			}
			v.Suggested = h.withCardStock(r, productIDs(products), productCards(products))
		}
	}
	h.render.Page(w, r, http.StatusOK, searchPage(v))
}

type searchView struct {
	Meta web.PageMeta
	// Query is the cleaned text as typed; empty shows the bare search form.
	Query string
	// Heading is what the results are for: the correction when there is one.
	Heading       string
	Corrected     string
	TypedURL      string
	DidYouMean    string
	DidYouMeanURL string
	Listing       listingVM
	// NoResults replaces the listing with suggestions: Categories and Suggested.
	NoResults  bool
	Categories []web.NavLink
	Suggested  []web.ProductCardVM
}

func (h *Handler) topCategoryLinks(r *http.Request) ([]web.NavLink, error) {
	cats, err := h.catalog.ListTopCategories(r.Context())
	if err != nil {
		return nil, err
	}
	links := make([]web.NavLink, len(cats))
	for i, c := range cats {
		links[i] = web.NavLink{Label: c.Name, URL: categoryHref(c.Slug)}
	}
	return links, nil
}

func searchHref(text string) string {
	return searchPath + "?" + url.Values{paramQuery: {text}}.Encode()
}
