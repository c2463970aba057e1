package ordersweb

import (
	"errors"
	"io"
	"net/http"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/web"
)

// logoUploadMemory is how much of a logo upload is held in memory: all of an accepted
// one, so it never waits in a temporary file.
const logoUploadMemory = orders.MaxStoreLogoBytes + 64<<10

// adminSettingsLogoUpload makes the uploaded picture the store's logo. The service reads
// its format and size from its bytes; a refusal is shown beside the file field.
func (h *Handler) adminSettingsLogoUpload(w http.ResponseWriter, r *http.Request) {
	if !h.d.Renderer.BodyReadable(w, r, r.ParseMultipartForm(logoUploadMemory)) {
		return
	}
	refuse := func(problem adminProblem) {
		h.renderAdminSettings(w, r, http.StatusUnprocessableEntity, adminSettingsRefused{logo: &problem})
	}
	file, _, err := r.FormFile("logo")
	if errors.Is(err, http.ErrMissingFile) {
		refuse(adminProblem{Message: "The logo was not uploaded.", Fields: map[string]string{"logo": "Choose a picture file."}})
		return
	}
	if err != nil {
		h.d.Renderer.Status(w, r, http.StatusBadRequest)
		return
	}
	defer file.Close()
	// One byte past the limit is enough to know the file is too large.
	data, err := io.ReadAll(io.LimitReader(file, orders.MaxStoreLogoBytes+1))
	if err != nil {
		h.d.Renderer.Status(w, r, http.StatusBadRequest)
		return
	}
	if _, err := h.d.Orders.SetStoreLogo(r.Context(), h.d.Actor(r), data); err != nil {
		if !web.FormRefusal(err) {
			h.d.Renderer.Error(w, r, err)
			return
		}
		refuse(adminProblem{Message: "The logo was not uploaded.", Fields: adminProblemOf(err).Fields})
		return
	}
	h.adminFlashSuccess(r, "Logo saved: every page shows it now.")
	web.SeeOther(w, r, adminSettingsPath+"#"+adminStoreAnchor)
}
