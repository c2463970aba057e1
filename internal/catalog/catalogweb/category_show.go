package catalogweb

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/web"
)

// categoryShow is a category's listing: its whole subtree's products, narrowed by facets.
func (h *Handler) categoryShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	slug := chi.URLParam(r, "slug")
	cat, err := h.catalog.FindCategoryBySlug(ctx, slug)
	if err != nil {
		var moved *catalog.RedirectError
		if errors.As(err, &moved) {
			// The filters still mean the same thing under the new name, so they travel along.
			target := "/c/" + url.PathEscape(moved.Slug)
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
		h.render.Error(w, r, err)
		return
	}

	params := parseListingParams(r.URL.Query())
	path := categoryHref(cat.Slug)
	entry, err := h.categoryListing(r, cat, path, params)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	trail, err := h.catalog.CategoryTrail(ctx, cat.ID)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	children, err := h.catalog.ListChildCategories(ctx, cat.ID)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}

	v := categoryView{
		Name:        cat.Name,
		Description: cat.Description,
		Crumbs:      []web.Crumb{{Label: "Home", URL: "/"}},
		Listing:     entry.vm,
		Meta: web.PageMeta{
			Title:       orDefault(cat.SEOTitle, cat.Name),
			Description: orDefault(cat.SEODescription, cat.Description),
			Scripts:     []string{suggestScript, listingScript},
		},
	}
	for _, c := range trail {
		v.Crumbs = append(v.Crumbs, web.Crumb{Label: c.Name, URL: categoryHref(c.Slug)})
	}
	// Stock moves without the catalog changing, so what the cards say about it is added
	// to the remembered listing on every request.
	v.Listing.Products = h.withCardStock(r, entry.products, entry.vm.Products)
	for _, c := range children {
		v.Children = append(v.Children, web.NavLink{Label: c.Name, URL: categoryHref(c.Slug)})
	}
	if entry.page > 1 {
		v.Meta.Title += " – page " + strconv.Itoa(entry.page)
	}
	if entry.filtered {
		// Facet combinations multiply without end; only the plain category is worth indexing.
		v.Meta.NoIndex = true
	} else {
		// Each page of the plain listing is its own document; a re-sorted one is a duplicate
		// of the category itself.
		canonical := path
		if params.Sort == catalog.SortRelevance && entry.page > 1 {
			canonical += "?page=" + strconv.Itoa(entry.page)
		}
		v.Meta.Canonical = absoluteListingURL(h.opts.BaseURL, canonical)
	}
	h.render.Page(w, r, http.StatusOK, categoryPage(v))
}

// categoryListing computes the listing of a category URL, or takes it from the listing
// cache when the catalog has not changed since.
func (h *Handler) categoryListing(r *http.Request, cat catalog.Category, path string, params listingParams) (cachedListing, error) {
	ctx := r.Context()
	_, byStock := params.Filters[catalog.InStockFacet]
	gen, now, err := h.catalog.ListingGeneration(ctx, cat.ID, params.Sort)
	if err != nil {
		return cachedListing{}, err
	}
	key := path + "?" + canonicalQuery(params)
	if !byStock {
		if e, ok := h.listings.get(gen, key); ok {
			changed, err := h.catalog.ProductsChangedSince(ctx, e.products, e.at)
			if err != nil {
				return cachedListing{}, err
			}
			if !changed {
				return e, nil
			}
		}
	}
	listing, err := h.catalog.ListProducts(ctx, catalog.ListingQuery{
		Category: cat.ID,
		Filters:  params.Filters,
		Sort:     params.Sort,
		Page:     params.Page,
		PerPage:  listingPerPage,
	})
	if err != nil {
		return cachedListing{}, err
	}
	urls := newListingURLs(path, nil, listing, params.Sort)
	e := cachedListing{vm: newListingVM(listing, urls, ""), page: listing.Page, filtered: urls.filtered(), at: now,
		products: productIDs(listing.Products)}
	if !byStock {
		var facets strings.Builder
		if err := facetGroups(e.vm.Facets).Render(ctx, &facets); err != nil {
			return cachedListing{}, fmt.Errorf("catalogweb: render facets: %w", err)
		}
		// The rendered facets replace their view model: the cache holds one copy, not two,
		// and only its bytes (a builder's spare capacity is up to as much again).
		e.vm.FacetsHTML, e.vm.Facets = strings.Clone(facets.String()), nil
		h.listings.put(gen, key, e)
	}
	return e, nil
}

type categoryView struct {
	Meta        web.PageMeta
	Name        string
	Description string
	Crumbs      []web.Crumb
	Children    []web.NavLink
	Listing     listingVM
}

// absoluteListingURL makes a root-relative path absolute with the shop's public URL, as
// search engines want canonical links. Without a base URL it stays root-relative.
func absoluteListingURL(base, path string) string {
	return strings.TrimRight(base, "/") + path
}

// orDefault is s, or def when the merchant left s empty (SEO fields are optional).
func orDefault(s, def string) string {
	if s != "" {
		return s
	}
	return def
}
