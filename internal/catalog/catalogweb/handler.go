// Package catalogweb serves the catalog's storefront pages and its back-office pages.
// Handlers only translate HTTP to catalog.Service calls and view models.
package catalogweb

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/web"
)

// StockLevel is what the product and category pages need to know about a variant's stock.
type StockLevel struct {
	// Available is what can be sold now (on hand minus reserved, never negative).
	Available int
	// Backorder says the variant may be sold beyond its stock.
	Backorder bool
	// HeldMinutes, when none is available, says the rest is held by shoppers who have not
	// paid yet and when (in minutes) the first of them lets go; 0 when nothing is held.
	HeldMinutes int
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

	// The back office needs to know who is signed in, but catalogweb may not import the
	// users module (DESIGN.md §2 rule 4); cmd/shop passes these three functions instead.

	// Actor names the staff member making a back-office change, for the audit log.
	Actor func(*http.Request) audit.Actor
	// Flash queues a one-time message ("success", "info" or "error") for the page a
	// back-office redirect leads to; the admin chrome shows it. Nil drops messages.
	Flash func(r *http.Request, kind, text string)
	// CanEdit reports whether the staff member may change the catalog, so pages hide the
	// forms of someone who may only look. Nil means everyone who reaches a page may edit;
	// the edit routes are guarded by cmd/shop either way.
	CanEdit func(*http.Request) bool
	// OtherPages lists the paths of storefront pages other modules publish (the shop's
	// text pages), which the sitemap lists after the categories; nil lists none.
	OtherPages func(context.Context) ([]string, error)
}

// Handler holds what the catalog pages need.
type Handler struct {
	// listings remembers category listings for the current catalog generation.
	listings listingCache

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

// AdminViewRoutes mounts the back-office pages that only read the catalog; cmd/shop mounts
// them under /admin/catalog behind the catalog.view permission.
func (h *Handler) AdminViewRoutes(r chi.Router) {
	r.Get("/products", h.adminProductList)
	r.Get("/products/new", h.adminProductNew)
	r.Get("/products/{id}", h.adminProductEdit)
	r.Get("/categories", h.adminCategoryList)
	r.Get("/export", h.adminExport)
	r.Get("/import", h.adminImportForm)
}

// AdminEditRoutes mounts the back-office forms that change the catalog; cmd/shop mounts
// them under /admin/catalog behind the catalog.edit permission.
func (h *Handler) AdminEditRoutes(r chi.Router) {
	r.Post("/products", h.adminProductCreate)
	r.Post("/products/status", h.adminProductsStatus)
	r.Post("/products/{id}", h.adminProductUpdate)
	r.Post("/products/{id}/options", h.adminProductOptions)
	r.Post("/products/{id}/variants", h.adminProductVariants)
	// The upload's path ends in /images: cmd/shop's body cap allows image sizes there.
	r.Post("/products/{id}/images", h.adminImageUpload)
	r.Post("/products/{id}/images/{image}/alt", h.adminImageAlt)
	r.Post("/products/{id}/images/{image}/shown-for", h.adminImageShownFor)
	r.Post("/products/{id}/images/{image}/move", h.adminImageMove)
	r.Post("/products/{id}/images/{image}/delete", h.adminImageDelete)
	r.Post("/categories", h.adminCategoryCreate)
	r.Post("/categories/{id}", h.adminCategoryUpdate)
	r.Post("/categories/{id}/delete", h.adminCategoryDelete)
	r.Post("/import", h.adminImport)
}
