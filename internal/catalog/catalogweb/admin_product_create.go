package catalogweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// adminProductCreate creates a product through the service, which audits it, and opens
// its editor for options, prices and pictures. A refusal re-renders the form as typed.
func (h *Handler) adminProductCreate(w http.ResponseWriter, r *http.Request) {
	if !h.render.ParseForm(w, r) {
		return
	}
	ctx := r.Context()
	cats, err := h.catalog.AdminListCategories(ctx)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	in, f := productInputOf(r, cats)
	id, err := h.catalog.CreateProduct(ctx, h.actor(r), in)
	if err != nil {
		if !web.FormRefusal(err) {
			h.render.Error(w, r, err)
			return
		}
		f.Action, f.Version, f.Problem = adminProductsPath, 0, problemOf(err)
		h.render.Page(w, r, web.FormStatus(err), adminProductNewPage(f))
		return
	}
	h.flash(r, web.FlashSuccess, "Product created. Add its options, prices and pictures below.")
	web.SeeOther(w, r, productEditURL(id))
}
