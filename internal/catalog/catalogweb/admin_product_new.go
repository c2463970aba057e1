package catalogweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/catalog"
)

// adminProductNew shows the form that creates a product. It asks only for the product's
// own fields; options, prices and images follow in the editor it leads to.
func (h *Handler) adminProductNew(w http.ResponseWriter, r *http.Request) {
	cats, err := h.catalog.AdminListCategories(r.Context())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	f := productForm{Action: adminProductsPath, Status: string(catalog.StatusDraft), Categories: categoryChoices(cats, nil), ReadOnly: !h.canEdit(r)}
	f.padAttributes()
	h.render.Page(w, r, http.StatusOK, adminProductNewPage(f))
}
