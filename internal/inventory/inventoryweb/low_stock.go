package inventoryweb

import (
	"net/http"
	"strconv"

	"github.com/monoshop/monoshop/internal/inventory"
)

// lowStockView is the reorder list.
type lowStockView struct {
	Rows []lowStockRowVM
	// Capped says the list stops at inventory.MaxLowStock lines.
	Capped bool
}

type lowStockRowVM struct {
	ID        string
	URL       string
	SKU, Name string
	Available int
	Threshold int
}

// lowStock lists the variants at or under their low-stock threshold, emptiest first: the
// same list the daily email sends, always current.
func (h *Handler) lowStock(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	items, err := h.inv.LowStock(ctx, inventory.MaxLowStock)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.VariantID
	}
	labels, err := h.opts.Variants.DescribeVariants(ctx, ids)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	v := lowStockView{Capped: len(items) == inventory.MaxLowStock}
	for _, it := range items {
		label, known := labels[it.VariantID]
		v.Rows = append(v.Rows, lowStockRowVM{ID: strconv.FormatInt(it.VariantID, 10), URL: variantPath(it.VariantID),
			SKU: label.SKU, Name: variantName(label, known, it.VariantID), Available: it.Available, Threshold: it.Threshold})
	}
	h.render.Page(w, r, http.StatusOK, lowStockPage(v))
}
