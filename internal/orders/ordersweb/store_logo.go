package ordersweb

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
)

// storeLogo serves the store's logo by the SHA-256 of its bytes. The address changes
// with the logo, so browsers and proxies may keep it for a year without asking again.
func (h *Handler) storeLogo(w http.ResponseWriter, r *http.Request) {
	data, contentType, err := h.d.Orders.StoreLogoImage(r.Context(), chi.URLParam(r, "sha"))
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(data)
}
