package usersweb

import "net/http"

func (h *Handler) forgot(w http.ResponseWriter, r *http.Request) { h.render.NotFound(w, r) }
