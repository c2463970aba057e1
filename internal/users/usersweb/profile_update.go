package usersweb

import "net/http"

func (h *Handler) profileUpdate(w http.ResponseWriter, r *http.Request) { h.render.NotFound(w, r) }
