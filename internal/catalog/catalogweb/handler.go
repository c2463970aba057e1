// Package catalogweb serves the catalog's storefront pages (and, later, its back-office
// pages). Handlers only translate HTTP to catalog.Service calls and view models.
package catalogweb

import (
	"context"
	"log/slog"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/web"
)

// StockLevel is what the product and category pages need to know about a variant's stock.
type StockLevel struct {
	// Available is what can be sold now (on hand minus reserved, never negative).
	Available int
	// Backorder says the variant may be sold beyond its stock.
	Backorder bool
}

// StockReader is the consumer-side view of inventory (DESIGN.md §2 rule 2): cmd/shop passes
// the inventory service once it exists. Variants missing from the answer are untracked.
type StockReader interface {
	StockLevels(ctx context.Context, variants []catalog.VariantID) (map[catalog.VariantID]StockLevel, error)
}

// Options configures the handler.
type Options struct {
	// BaseURL is the shop's public URL, for canonical links, Open Graph and the sitemap.
	BaseURL string
	// Stock reports stock levels; nil means stock is not tracked and nothing is shown.
	Stock StockReader
}

// Handler holds what the catalog pages need.
type Handler struct {
	catalog *catalog.Service
	render  *web.Renderer
	log     *slog.Logger
	opts    Options
}

// NewHandler returns the catalog's HTTP handler.
func NewHandler(svc *catalog.Service, render *web.Renderer, log *slog.Logger, opts Options) *Handler {
	return &Handler{catalog: svc, render: render, log: log, opts: opts}
}

// Routes mounts the storefront pages (URL map of DESIGN.md §4).
func (h *Handler) Routes(r chi.Router) {
	r.Get("/", h.home)
	r.Get("/c/{slug}", h.categoryShow)
	r.Get("/p/{slug}", h.productShow)
	r.Get("/search", h.search)
	r.Get("/search/suggest", h.searchSuggest)
	r.Get("/sitemap.xml", h.sitemap)
	r.Get("/sitemap-products-{n}.xml", h.sitemapProducts)
	r.Get("/robots.txt", h.robots)
	r.Get("/media/{file}", h.media)
}
