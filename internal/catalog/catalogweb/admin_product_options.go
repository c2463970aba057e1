package catalogweb

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/web"
)

// adminProductOptions saves the product's options; the service regenerates the variant
// matrix from them (keeping the variants whose combination survives) and audits it.
func (h *Handler) adminProductOptions(w http.ResponseWriter, r *http.Request) {
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
	basePrice := r.PostFormValue("base_price")
	var opts []catalog.OptionInput
	var typed []optionRow
	// Exactly as many rows as the form has: the service reports problems by row index.
	for i := range catalog.MaxOptions {
		idx := strconv.Itoa(i)
		name, values := r.PostFormValue("options."+idx+".name"), r.PostFormValue("options."+idx+".values")
		typed = append(typed, optionRow{Index: idx, Name: keptLine(name), Values: keptLine(values)})
		opts = append(opts, catalog.OptionInput{Name: name, Values: strings.Split(values, ",")})
	}
	_, err := h.catalog.SetProductOptions(r.Context(), h.actor(r), id, version, opts, basePrice)
	if err != nil {
		if !web.FormRefusal(err) {
			h.render.Error(w, r, err)
			return
		}
		h.renderEditor(w, r, id, web.FormStatus(err), func(v *productEditView) {
			v.Options.Rows, v.Options.BasePrice, v.Options.Version = typed, keptLine(basePrice), version
			if isStale(err) {
				v.Stale = anchorOptions
			} else {
				v.Options.Problem = problemOf(err)
			}
		})
		return
	}
	h.flash(r, web.FlashSuccess, "Options saved and variants updated.")
	web.SeeOther(w, r, productEditURL(id)+"#"+anchorVariants)
}
