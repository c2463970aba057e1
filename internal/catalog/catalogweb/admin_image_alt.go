package catalogweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/web"
)

// adminImageAlt saves an image's description for screen readers and search engines.
func (h *Handler) adminImageAlt(w http.ResponseWriter, r *http.Request) {
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
	version := formVersion(r)
	alt := r.PostFormValue("alt")
	if _, err := h.catalog.SetImageAlt(r.Context(), h.actor(r), id, version, imageID, alt); err != nil {
		if !web.FormRefusal(err) {
			h.render.Error(w, r, err)
			return
		}
		h.renderEditor(w, r, id, web.FormStatus(err), func(v *productEditView) {
			overlayImageRow(v, imageID, func(row *imageRow) {
				row.Alt, row.Version = keptLine(alt), version
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
	h.flash(r, web.FlashSuccess, "Image description saved.")
	web.SeeOther(w, r, productEditURL(id)+"#"+anchorImages)
}
