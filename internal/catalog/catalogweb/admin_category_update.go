package catalogweb

import (
	"net/http"
	"strconv"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/web"
)

// adminCategoryUpdate saves a category's form; the service refuses moving it under itself
// or one of its subcategories and keeps an old address answering after a slug change.
func (h *Handler) adminCategoryUpdate(w http.ResponseWriter, r *http.Request) {
	raw, ok := web.URLID(r, "id")
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	if !h.render.ParseForm(w, r) {
		return
	}
	id := catalog.CategoryID(raw)
	in, typed, ok := categoryInputOf(r, categoryForm{})
	status := http.StatusUnprocessableEntity
	if ok {
		_, err := h.catalog.SaveCategory(r.Context(), h.actor(r), id, in)
		if err == nil {
			h.flash(r, web.FlashSuccess, "Category “"+typed.Name+"” saved.")
			web.SeeOther(w, r, adminCategoriesPath+"#"+categoryAnchor(id))
			return
		}
		if !web.FormRefusal(err) {
			h.render.Error(w, r, err)
			return
		}
		typed.Problem, status = problemOf(err), web.FormStatus(err)
	}
	want := strconv.FormatInt(raw, 10)
	h.renderCategories(w, r, status, func(v *adminCategoryListView) {
		for i, row := range v.Rows {
			if row.ID == want {
				typed.Action, typed.Prefix, typed.Parents = row.Form.Action, row.Form.Prefix, row.Form.Parents
				v.Rows[i].Form = typed
			}
		}
	})
}
