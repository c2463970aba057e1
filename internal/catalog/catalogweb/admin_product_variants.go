package catalogweb

import (
	"net/http"
	"strconv"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/web"
)

// adminProductVariants saves the variant table. The service checks every row before it
// writes any, so a refusal re-renders the whole table as typed with a message beside each
// cell that needs fixing.
func (h *Handler) adminProductVariants(w http.ResponseWriter, r *http.Request) {
	raw, ok := web.URLID(r, "id")
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	if !h.render.ParseForm(w, r) {
		return
	}
	id := catalog.ProductID(raw)
	version := formVersion(r)
	pf := r.PostForm
	var rows []catalog.VariantInput
	typed := map[string]variantRow{}
	for _, vid := range pf["variant"] {
		n, err := strconv.ParseInt(vid, 10, 64)
		if err != nil || n <= 0 {
			// Not a row this page rendered; the service would not know it either.
			continue
		}
		p := "variants." + vid + "."
		in := catalog.VariantInput{ID: catalog.VariantID(n), SKU: pf.Get(p + "sku"), Price: pf.Get(p + "price"),
			CompareAt: pf.Get(p + "compare_at"), WeightGrams: pf.Get(p + "weight_grams"), Barcode: pf.Get(p + "barcode")}
		rows = append(rows, in)
		typed[vid] = variantRow{SKU: keptLine(in.SKU), Price: keptLine(in.Price), CompareAt: keptLine(in.CompareAt),
			Weight: keptLine(in.WeightGrams), Barcode: keptLine(in.Barcode)}
	}
	_, err := h.catalog.UpdateVariants(r.Context(), h.actor(r), id, version, rows)
	if err != nil {
		if !web.FormRefusal(err) {
			h.render.Error(w, r, err)
			return
		}
		h.renderEditor(w, r, id, web.FormStatus(err), func(v *productEditView) {
			v.Variants.Version = version
			// The typed cells go back over the stored rows they were typed into.
			for i, row := range v.Variants.Rows {
				if t, ok := typed[row.ID]; ok && !row.Archived {
					row.SKU, row.Price, row.CompareAt, row.Weight, row.Barcode = t.SKU, t.Price, t.CompareAt, t.Weight, t.Barcode
					v.Variants.Rows[i] = row
				}
			}
			if isStale(err) {
				v.Stale = anchorVariants
			} else {
				v.Variants.Problem = problemOf(err)
			}
		})
		return
	}
	h.flash(r, web.FlashSuccess, "Variants saved.")
	web.SeeOther(w, r, productEditURL(id)+"#"+anchorVariants)
}
