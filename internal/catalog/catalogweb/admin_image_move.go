package catalogweb

import (
	"net/http"
	"slices"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/web"
)

// adminImageMove moves an image one place up or down; the first image is the one
// listings show. The service takes the whole order, so the move is applied to the stored
// order and saved against the version the form was opened with.
func (h *Handler) adminImageMove(w http.ResponseWriter, r *http.Request) {
	raw, ok := web.URLID(r, "id")
	imageID, imageOK := web.URLID(r, "image")
	if !ok || !imageOK {
		h.render.NotFound(w, r)
		return
	}
	if !h.render.ParseForm(w, r) {
		return
	}
	id := catalog.ProductID(raw)
	ctx := r.Context()
	p, err := h.catalog.AdminGetProduct(ctx, id)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	var order []int64
	for _, img := range sortedImages(p) {
		order = append(order, img.ID)
	}
	i := slices.Index(order, imageID)
	if i < 0 {
		h.render.NotFound(w, r)
		return
	}
	j := i - 1
	if r.PostFormValue("direction") == "down" {
		j = i + 1
	}
	if j < 0 || j >= len(order) {
		// Already first or last: nothing to do, which is what was asked.
		web.SeeOther(w, r, productEditURL(id)+"#"+anchorImages)
		return
	}
	order[i], order[j] = order[j], order[i]
	version := formVersion(r)
	if _, err := h.catalog.ReorderImages(ctx, h.actor(r), id, version, order); err != nil {
		if !web.FormRefusal(err) {
			h.render.Error(w, r, err)
			return
		}
		h.renderEditor(w, r, id, web.FormStatus(err), func(v *productEditView) {
			overlayImageRow(v, imageID, func(row *imageRow) {
				row.Version = version
				if !isStale(err) {
					row.Problem = problemOf(err)
				}
			})
			if isStale(err) {
				v.Stale = anchorImages
			}
		})
		return
	}
	h.flash(r, web.FlashSuccess, "Image moved.")
	web.SeeOther(w, r, productEditURL(id)+"#"+anchorImages)
}
