package catalogweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/web"
)

// adminProductUpdate saves the editor's details form through the service, which checks
// the version the form was opened with and audits the change. A refusal re-renders the
// editor with the form as typed; a save that came after someone else's writes nothing and
// says so, keeping the typed text so it can be copied into the fresh page.
func (h *Handler) adminProductUpdate(w http.ResponseWriter, r *http.Request) {
	raw, ok := web.URLID(r, "id")
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	if !h.render.ParseForm(w, r) {
		return
	}
	id := catalog.ProductID(raw)
	ctx := r.Context()
	cats, err := h.catalog.AdminListCategories(ctx)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	in, f := productInputOf(r, cats)
	if _, err := h.catalog.UpdateProduct(ctx, h.actor(r), id, f.Version, in); err != nil {
		if !web.FormRefusal(err) {
			h.render.Error(w, r, err)
			return
		}
		h.renderEditor(w, r, id, web.FormStatus(err), func(v *productEditView) {
			f.Action, f.ReadOnly = v.Main.Action, v.ReadOnly
			if isStale(err) {
				v.Stale = anchorDetails
			} else {
				f.Problem = problemOf(err)
			}
			v.Main = f
		})
		return
	}
	h.flash(r, web.FlashSuccess, "Details saved.")
	web.SeeOther(w, r, productEditURL(id)+"#"+anchorDetails)
}
