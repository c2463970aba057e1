// Package inventoryweb serves the inventory back office under /admin/inventory: stock per
// variant and location, adjustments, transfers, the movement history, locations, the
// low-stock list and the CSV import of stock levels. Handlers only translate HTTP to
// inventory.Service calls and view models.
package inventoryweb

import (
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/web"
)

// Options configures the handler. inventory imports no other module (DESIGN.md §2), so
// what it needs from the catalog and from the signed-in staff member reaches it here;
// cmd/shop fills it.
type Options struct {
	// Variants names variants and finds them by SKU or product title (the catalog).
	Variants inventory.VariantDirectory
	// Actor names the staff member making a change, for the ledger and the audit log.
	Actor func(*http.Request) audit.Actor
	// Flash queues a one-time message ("success", "info" or "error") for the page a
	// redirect leads to. Nil drops messages.
	Flash func(r *http.Request, kind, text string)
	// CanEdit reports whether the staff member may change stock, so pages hide the forms
	// of someone who may only look. Nil means everyone who reaches a page may edit; the
	// edit routes are guarded by cmd/shop either way.
	CanEdit func(*http.Request) bool
}

// Handler holds what the inventory pages need.
type Handler struct {
	inv    *inventory.Service
	render *web.Renderer
	log    *slog.Logger
	opts   Options
}

// NewHandler returns the inventory back office's HTTP handler.
func NewHandler(inv *inventory.Service, rr *web.Renderer, log *slog.Logger, opts Options) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Handler{inv: inv, render: rr, log: log, opts: opts}
}

// AdminViewRoutes mounts the pages that only read stock; cmd/shop mounts them under
// /admin/inventory behind the inventory.view permission.
func (h *Handler) AdminViewRoutes(r chi.Router) {
	r.Get("/", h.stockList)
	r.Get("/variants/{id}", h.variantShow)
	r.Get("/locations", h.locationList)
	r.Get("/locations/{id}", h.locationEdit)
	r.Get("/low-stock", h.lowStock)
	r.Get("/import", h.importForm)
}

// AdminEditRoutes mounts the forms that change stock; cmd/shop mounts them under
// /admin/inventory behind the inventory.edit permission.
func (h *Handler) AdminEditRoutes(r chi.Router) {
	r.Post("/variants/{id}/adjust", h.levelAdjust)
	r.Post("/variants/{id}/transfer", h.stockTransfer)
	r.Post("/variants/{id}/policy", h.policyUpdate)
	r.Post("/locations", h.locationCreate)
	r.Post("/locations/{id}", h.locationUpdate)
	r.Post("/import", h.importStock)
}
