package catalogweb

import "net/http"

func (h *Handler) sitemap(w http.ResponseWriter, r *http.Request) { h.render.NotFound(w, r) }
