package usersweb

import "net/http"

func (h *Handler) addressCreate(w http.ResponseWriter, r *http.Request) { h.render.NotFound(w, r) }
