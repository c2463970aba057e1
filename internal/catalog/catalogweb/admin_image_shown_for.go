package catalogweb

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/web"
)

// shownForAll is the select's value for a picture shown with every variant.
const shownForAll = ""

// shownForValue is the select's value for a picture shown for valueID (0: every variant).
func shownForValue(valueID int64) string {
	if valueID == 0 {
		return shownForAll
	}
	return strconv.FormatInt(valueID, 10)
}

// adminImageShownFor saves which variants an image is shown for: all of them, or those
// with one option value ("Colour: Orange").
func (h *Handler) adminImageShownFor(w http.ResponseWriter, r *http.Request) {
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
	posted := r.PostFormValue("shown_for")
	// Anything but all variants or a positive id is no value of this product: -1 lets the
	// service refuse it with the same message as another product's value.
	valueID := int64(0)
	if posted != shownForAll {
		n, err := strconv.ParseInt(posted, 10, 64)
		if err != nil || n <= 0 {
			n = -1
		}
		valueID = n
	}
	if _, err := h.catalog.SetImageShownFor(r.Context(), h.actor(r), id, version, imageID, valueID); err != nil {
		if !web.FormRefusal(err) {
			h.render.Error(w, r, err)
			return
		}
		h.renderEditor(w, r, id, web.FormStatus(err), func(v *productEditView) {
			overlayImageRow(v, imageID, func(row *imageRow) {
				row.Version = version
				// A choice the page no longer offers cannot be shown as chosen.
				if slices.ContainsFunc(v.Images.ShownFor, func(c shownForChoice) bool { return c.Value == posted }) {
					row.ShownFor = posted
				}
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
	h.flash(r, web.FlashSuccess, "Saved which variants the image is shown for.")
	web.SeeOther(w, r, productEditURL(id)+"#"+anchorImages)
}
