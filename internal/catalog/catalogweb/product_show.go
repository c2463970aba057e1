package catalogweb

import "net/http"

func (h *Handler) productShow(w http.ResponseWriter, r *http.Request) { h.render.NotFound(w, r) }
