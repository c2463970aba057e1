package catalogweb

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
)

// sitemapProducts serves /sitemap-products-{n}.xml, the files /sitemap.xml lists once the
// shop has more URLs than one sitemap may hold.
func (h *Handler) sitemapProducts(w http.ResponseWriter, r *http.Request) {
	h.serveSitemapPart(w, r, sitemapMaxURLs)
}

// serveSitemapPart answers 404 for any file the index does not list, including every
// file while the shop fits in /sitemap.xml, so no sitemap URL ever duplicates another.
func (h *Handler) serveSitemapPart(w http.ResponseWriter, r *http.Request, perFile int) {
	raw := chi.URLParam(r, "n")
	n, err := strconv.Atoi(raw)
	if err != nil || strconv.Itoa(n) != raw {
		// "01" or "+1" would be a second URL for file 1.
		h.render.NotFound(w, r)
		return
	}
	urls, err := h.sitemapURLs(r.Context())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	part := sitemapPart(urls, n, perFile)
	if len(urls) <= perFile || part == nil {
		h.render.NotFound(w, r)
		return
	}
	writeXML(w, sitemapURLSet{XMLNS: sitemapXMLNS, URLs: part})
}
