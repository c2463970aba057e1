package catalogweb

import "net/http"

func (h *Handler) searchSuggest(w http.ResponseWriter, r *http.Request) { h.render.NotFound(w, r) }
