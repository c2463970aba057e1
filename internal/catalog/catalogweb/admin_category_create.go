package catalogweb

import (
	"net/http"
	"strconv"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/web"
)

// adminCategoryCreate adds a category through the service, which audits it. A refusal
// re-renders the tree with the new-category form open and as typed.
func (h *Handler) adminCategoryCreate(w http.ResponseWriter, r *http.Request) {
	if !h.render.ParseForm(w, r) {
		return
	}
	in, typed, ok := categoryInputOf(r, categoryForm{})
	status := http.StatusUnprocessableEntity
	if ok {
		id, err := h.catalog.SaveCategory(r.Context(), h.actor(r), 0, in)
		if err == nil {
			h.flash(r, web.FlashSuccess, "Category “"+typed.Name+"” created.")
			web.SeeOther(w, r, adminCategoriesPath+"#"+categoryAnchor(id))
			return
		}
		if !web.FormRefusal(err) {
			h.render.Error(w, r, err)
			return
		}
		typed.Problem, status = problemOf(err), web.FormStatus(err)
	}
	h.renderCategories(w, r, status, func(v *adminCategoryListView) {
		typed.Action, typed.Prefix, typed.Parents = v.New.Action, v.New.Prefix, v.New.Parents
		v.New = typed
	})
}

// categoryAnchor is the id of a category's row, for links that land on it.
func categoryAnchor(id catalog.CategoryID) string {
	return "category-" + strconv.FormatInt(int64(id), 10)
}
