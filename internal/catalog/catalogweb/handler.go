// Package catalogweb serves the catalog's storefront pages (and, later, its back-office
// pages). Handlers only translate HTTP to catalog.Service calls and view models.
package catalogweb

import (
	"log/slog"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/web"
)

// Handler holds what the catalog pages need.
type Handler struct {
	catalog *catalog.Service
	render  *web.Renderer
	log     *slog.Logger
}

// NewHandler returns the catalog's HTTP handler.
func NewHandler(svc *catalog.Service, render *web.Renderer, log *slog.Logger) *Handler {
	return &Handler{catalog: svc, render: render, log: log}
}

// Routes mounts the storefront pages.
func (h *Handler) Routes(r chi.Router) {
	r.Get("/", h.home)
}
