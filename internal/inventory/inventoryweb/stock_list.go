package inventoryweb

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/web"
)

// stockListView is the inventory overview: one row per variant, one column per location.
type stockListView struct {
	Query      string
	CountLabel string
	Locations  []locationColumn
	Rows       []stockRowVM
	Pagination web.PaginationVM
	CanEdit    bool
}

// locationColumn heads one column of levels.
type locationColumn struct {
	ID     int64
	Name   string
	Active bool
}

// stockRowVM is one variant with its levels in column order.
type stockRowVM struct {
	ID        string
	URL       string
	SKU, Name string
	Cells     []levelCell
	Available int
	State     stockState
}

// levelCell is a variant's stock at one location; Stocked is false where it has none.
type levelCell struct {
	Stocked  bool
	OnHand   int
	Reserved int
}

// stockList shows stock per variant and location: the variants inventory keeps, or with
// ?q= the catalog's variants whose SKU starts with or whose product title contains the
// text, stocked or not (a new product is found here to receive its first stock).
func (h *Handler) stockList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	query := strings.TrimSpace(r.URL.Query().Get("q"))
	pg := page(r.URL.Query())

	var ids []int64
	var total int
	truncated := false
	if query != "" {
		found, err := h.opts.Variants.FindVariants(ctx, query, maxSearchResults+1)
		if err != nil {
			h.render.Error(w, r, err)
			return
		}
		truncated = len(found) > maxSearchResults
		found = found[:min(len(found), maxSearchResults)]
		total = len(found)
		from := min((pg-1)*perPage, total)
		ids = found[from:min(from+perPage, total)]
	} else {
		var err error
		if ids, total, err = h.inv.ListTracked(ctx, pg, perPage); err != nil {
			h.render.Error(w, r, err)
			return
		}
	}

	v := stockListView{Query: query, CanEdit: h.canEdit(r)}
	rows, locations, err := h.stockRows(ctx, ids)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	v.Rows, v.Locations = rows, locations
	v.CountLabel = stockCount(total, query, truncated)
	pages := max(1, (total+perPage-1)/perPage)
	v.Pagination = web.NewPagination(pg, pages, func(n int) string { return stockListURL(query, n) })
	h.render.Page(w, r, http.StatusOK, stockListPage(v))
}

// stockRows builds the table for ids in four queries whatever their number: labels from
// the catalog, then locations, levels and totals from inventory.
func (h *Handler) stockRows(ctx context.Context, ids []int64) ([]stockRowVM, []locationColumn, error) {
	labels, err := h.opts.Variants.DescribeVariants(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	locs, err := h.inv.Locations(ctx)
	if err != nil {
		return nil, nil, err
	}
	levels, err := h.inv.LevelsOf(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	stock, err := h.inv.Availability(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	// Inactive locations get a column only when a variant on the page has stock there.
	used := map[int64]bool{}
	for _, lv := range levels {
		for _, l := range lv {
			used[l.LocationID] = true
		}
	}
	var cols []locationColumn
	for _, l := range locs {
		if l.Active || used[l.ID] {
			cols = append(cols, locationColumn{ID: l.ID, Name: l.Name, Active: l.Active})
		}
	}
	rows := make([]stockRowVM, len(ids))
	for i, id := range ids {
		label, known := labels[id]
		row := stockRowVM{ID: strconv.FormatInt(id, 10), URL: variantPath(id), SKU: label.SKU,
			Name: variantName(label, known, id), Available: stock[id].Available(), State: stateOf(stock[id])}
		byLoc := map[int64]inventory.Level{}
		for _, l := range levels[id] {
			byLoc[l.LocationID] = l
		}
		for _, c := range cols {
			l, ok := byLoc[c.ID]
			row.Cells = append(row.Cells, levelCell{Stocked: ok, OnHand: l.OnHand, Reserved: l.Reserved})
		}
		rows[i] = row
	}
	return rows, cols, nil
}

func stockListURL(query string, n int) string {
	v := url.Values{}
	if query != "" {
		v.Set("q", query)
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return stockPath
	}
	return stockPath + "?" + v.Encode()
}

func stockCount(n int, query string, truncated bool) string {
	switch {
	case query == "" && n == 0:
		return "No stock recorded yet. Search for a product or SKU to give it stock, or import a CSV file."
	case query == "":
		return plural(n, "variant", "variants") + " with stock records"
	case n == 0:
		return "No variant matches “" + query + "”."
	case truncated:
		return "The first " + strconv.Itoa(n) + " variants matching “" + query + "”; type more to narrow it."
	}
	return plural(n, "variant", "variants") + " matching “" + query + "”"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
