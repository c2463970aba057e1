package catalogweb

import (
	"errors"
	"net/http"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/web"
)

// uploadMemory is how much of a multipart upload is held in memory; the rest of a large
// file waits in a temporary file that net/http removes when the request ends.
const uploadMemory = 1 << 20

// adminImageUpload adds a picture to the product. The service decodes and re-encodes it
// (refusing what is not an image, too large or a decompression bomb) and queues the
// rendering of its sizes; until they exist the editor shows it as processing.
func (h *Handler) adminImageUpload(w http.ResponseWriter, r *http.Request) {
	raw, ok := web.URLID(r, "id")
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	if !h.render.BodyReadable(w, r, r.ParseMultipartForm(uploadMemory)) {
		return
	}
	id := catalog.ProductID(raw)
	version := formVersion(r)
	alt := r.PostFormValue("alt")
	refuse := func(status int, stale bool, problem adminProblem) {
		h.renderEditor(w, r, id, status, func(v *productEditView) {
			v.Images.Alt, v.Images.Version, v.Images.Problem = keptLine(alt), version, problem
			if stale {
				v.Stale = anchorImages
			}
		})
	}
	file, _, err := r.FormFile("image")
	if errors.Is(err, http.ErrMissingFile) {
		refuse(http.StatusUnprocessableEntity, false, fieldProblem("image", "Choose an image file to upload."))
		return
	}
	if err != nil {
		h.render.Status(w, r, http.StatusBadRequest)
		return
	}
	defer file.Close()
	if _, _, err := h.catalog.UploadProductImage(r.Context(), h.actor(r), id, version, file, alt); err != nil {
		switch {
		case isStale(err):
			refuse(http.StatusConflict, true, adminProblem{})
		case apperr.Is(err, apperr.Invalid) && len(apperr.FieldsOf(err)) > 0:
			refuse(http.StatusUnprocessableEntity, false, problemOf(err))
		case apperr.Is(err, apperr.Invalid):
			// The file itself was refused (not an image, too large, too many pixels): the
			// service's message says which, beside the file field.
			refuse(http.StatusUnprocessableEntity, false, adminProblem{Message: "The image was not uploaded.",
				Fields: map[string]string{"image": apperr.MessageOf(err)}})
		case web.FormRefusal(err):
			refuse(web.FormStatus(err), false, problemOf(err))
		default:
			h.render.Error(w, r, err)
		}
		return
	}
	h.flash(r, web.FlashSuccess, "Image uploaded. Its sizes are being made; the shop shows it once they are ready.")
	web.SeeOther(w, r, productEditURL(id)+"#"+anchorImages)
}
