package catalogweb

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/web"
)

// adminProductListView is one page of the back-office product list.
type adminProductListView struct {
	Search     string
	Status     string
	Category   string
	Statuses   []web.Option
	Categories []web.Option
	Total      int
	Rows       []adminProductRow
	Pagination web.PaginationVM
	// Return is this list's URL, so a bulk action lands back on the same filters and page.
	Return   string
	CanEdit  bool
	Filtered bool
	Problem  adminProblem
}

// adminProductRow is one product in the list.
type adminProductRow struct {
	ID          string
	EditURL     string
	ShopURL     string // set for active products only: the others are not in the shop
	Title       string
	Slug        string
	Brand       string
	StatusLabel string
	StatusTone  web.BadgeTone
	Featured    bool
	Variants    int
	Price       string
	UpdatedAt   time.Time
	Checked     bool
}

// adminProductList lists products in every status, most recently changed first,
// searchable by title, slug or SKU prefix and filtered by status and category.
func (h *Handler) adminProductList(w http.ResponseWriter, r *http.Request) {
	h.renderProductList(w, r, r.URL.Query(), http.StatusOK, nil, adminProblem{})
}

// renderProductList renders the list for the filters in q. The bulk action re-renders it
// too after a refusal, with the boxes that were ticked still ticked.
func (h *Handler) renderProductList(w http.ResponseWriter, r *http.Request, q url.Values, status int, checked map[string]bool, problem adminProblem) {
	ctx := r.Context()
	search := keptLine(q.Get("q"))
	st := catalog.Status(q.Get("status"))
	if !st.Valid() {
		st = ""
	}
	catID, _ := strconv.ParseInt(q.Get("category"), 10, 64)
	page := adminPage(q)
	filter := catalog.AdminProductFilter{Search: search, Status: st, Category: catalog.CategoryID(max(catID, 0)),
		Page: page, PerPage: adminProductsPerPage}
	rows, total, err := h.catalog.AdminListProducts(ctx, filter)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	cats, err := h.catalog.AdminListCategories(ctx)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	filters := url.Values{}
	for _, k := range []string{"q", "status", "category"} {
		if v := q.Get(k); v != "" {
			filters.Set(k, v)
		}
	}
	pageURL := func(n int) string {
		u := url.Values{}
		for k, v := range filters {
			u[k] = v
		}
		if n > 1 {
			u.Set("page", strconv.Itoa(n))
		}
		if len(u) == 0 {
			return adminProductsPath
		}
		return adminProductsPath + "?" + u.Encode()
	}
	pages := (total + adminProductsPerPage - 1) / adminProductsPerPage
	v := adminProductListView{
		Search: search, Status: string(st), Total: total,
		Statuses:   []web.Option{{Value: "", Label: "Any status"}},
		Categories: []web.Option{{Value: "", Label: "Any category"}},
		Pagination: web.NewPagination(page, pages, pageURL),
		Return:     pageURL(page),
		CanEdit:    h.canEdit(r),
		Filtered:   len(filters) > 0,
		Problem:    problem,
	}
	if filter.Category > 0 {
		v.Category = strconv.FormatInt(int64(filter.Category), 10)
	}
	for _, s := range []catalog.Status{catalog.StatusDraft, catalog.StatusActive, catalog.StatusArchived} {
		v.Statuses = append(v.Statuses, web.Option{Value: string(s), Label: statusLabels[s]})
	}
	for _, c := range cats {
		v.Categories = append(v.Categories, web.Option{Value: strconv.FormatInt(int64(c.ID), 10), Label: indent(c.Depth) + c.Name})
	}
	for _, p := range rows {
		id := strconv.FormatInt(int64(p.ID), 10)
		label, tone := statusBadge(p.Status)
		row := adminProductRow{ID: id, EditURL: productEditURL(p.ID), Title: p.Title, Slug: p.Slug, Brand: p.Brand,
			StatusLabel: label, StatusTone: tone, Featured: p.Featured, Variants: p.VariantCount, UpdatedAt: p.UpdatedAt,
			Checked: checked[id]}
		if p.Status == catalog.StatusActive {
			row.ShopURL = productURL(p.Slug)
		}
		if p.MinPrice != nil {
			row.Price = p.MinPrice.String()
		}
		v.Rows = append(v.Rows, row)
	}
	h.render.Page(w, r, status, adminProductListPage(v))
}

// adminProductCount says how many products the list holds.
func adminProductCount(total int, filtered bool) string {
	switch {
	case total == 0 && filtered:
		return "No product matches these filters."
	case total == 0:
		return "No products yet."
	case total == 1:
		return "1 product"
	}
	return strconv.Itoa(total) + " products"
}
