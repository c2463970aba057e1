package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// adminSettingsLogoDelete removes the store's logo; the header shows the name again.
func (h *Handler) adminSettingsLogoDelete(w http.ResponseWriter, r *http.Request) {
	if err := h.d.Orders.RemoveStoreLogo(r.Context(), h.d.Actor(r)); err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	h.adminFlashSuccess(r, "Logo removed: the header shows the store's name.")
	web.SeeOther(w, r, adminSettingsPath+"#"+adminStoreAnchor)
}
