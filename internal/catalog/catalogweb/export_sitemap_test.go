package catalogweb

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// SitemapRoutes mounts the sitemap routes with perFile URLs per file in place of the
// protocol's 50,000, so that a test can see the index without seeding 50,000 products.
func (h *Handler) SitemapRoutes(r chi.Router, perFile int) {
	r.Get("/sitemap.xml", func(w http.ResponseWriter, r *http.Request) { h.serveSitemap(w, r, perFile) })
	r.Get("/sitemap-products-{n}.xml", func(w http.ResponseWriter, r *http.Request) {
		h.serveSitemapPart(w, r, perFile)
	})
}
