package catalogweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/web"
)

// adminCategoryDelete removes a category without subcategories; its products simply leave
// it. The refusal for one that still has subcategories is shown above the tree.
func (h *Handler) adminCategoryDelete(w http.ResponseWriter, r *http.Request) {
	raw, ok := web.URLID(r, "id")
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	if !h.render.ParseForm(w, r) {
		return
	}
	if err := h.catalog.DeleteCategory(r.Context(), h.actor(r), catalog.CategoryID(raw)); err != nil {
		if !web.FormRefusal(err) {
			h.render.Error(w, r, err)
			return
		}
		h.renderCategories(w, r, web.FormStatus(err), func(v *adminCategoryListView) {
			v.Problem = problemOf(err)
		})
		return
	}
	h.flash(r, web.FlashSuccess, "Category deleted.")
	web.SeeOther(w, r, adminCategoriesPath)
}
