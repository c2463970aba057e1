// Package contentweb serves the shop's text pages (/pages/{slug}) and their editor in the
// back office (/admin/content/pages). Handlers only translate HTTP to content.Service
// calls and view models.
package contentweb

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/content"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/web"
)

// adminPagesPath is the page list; cmd/shop mounts AdminRoutes under /admin/content
// behind the content.edit permission.
const adminPagesPath = "/admin/content/pages"

func adminPagePath(id content.PageID) string {
	return adminPagesPath + "/" + strconv.FormatInt(int64(id), 10)
}

// Options configures the handler. contentweb may not import the users module, so who is
// signed in reaches it as functions.
type Options struct {
	// BaseURL is the shop's public URL, for canonical links.
	BaseURL string
	// Actor names the staff member making a change, for the audit log.
	Actor func(*http.Request) audit.Actor
	// Flash queues a one-time message for the page a redirect leads to; nil drops it.
	Flash func(r *http.Request, kind, text string)
}

// Handler holds what the content pages need.
type Handler struct {
	content *content.Service
	render  *web.Renderer
	log     *slog.Logger
	opts    Options
}

// NewHandler returns the content module's HTTP handler.
func NewHandler(svc *content.Service, render *web.Renderer, log *slog.Logger, opts Options) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Handler{content: svc, render: render, log: log, opts: opts}
}

// Routes mounts the storefront's text pages.
func (h *Handler) Routes(r chi.Router) {
	r.Get("/pages/{slug}", h.pageShow)
}

// AdminRoutes mounts the page editor; cmd/shop mounts it under /admin/content behind the
// content.edit permission.
func (h *Handler) AdminRoutes(r chi.Router) {
	r.Get("/pages", h.adminPageList)
	r.Get("/pages/new", h.adminPageNew)
	r.Post("/pages", h.adminPageCreate)
	r.Get("/pages/{id}", h.adminPageEdit)
	r.Post("/pages/{id}", h.adminPageUpdate)
	r.Post("/pages/{id}/delete", h.adminPageDelete)
}

func (h *Handler) actor(r *http.Request) audit.Actor {
	if h.opts.Actor == nil {
		return audit.Actor{}
	}
	return h.opts.Actor(r)
}

func (h *Handler) flash(r *http.Request, kind web.FlashKind, text string) {
	if h.opts.Flash != nil {
		h.opts.Flash(r, string(kind), text)
	}
}

// publicURL is path on the shop's public address, for canonical links.
func (h *Handler) publicURL(path string) string {
	return strings.TrimSuffix(h.opts.BaseURL, "/") + path
}
