package contentweb

import (
	"errors"
	"html/template"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/content"
)

// pageView is a published page as the storefront shows it.
type pageView struct {
	Title       string
	Description string
	Canonical   string
	Body        template.HTML
	UpdatedAt   time.Time
}

// pageShow renders a published page. A draft is not found, like a page that never
// existed; a page's former address answers 301 to its current one.
func (h *Handler) pageShow(w http.ResponseWriter, r *http.Request) {
	p, err := h.content.FindPublishedPage(r.Context(), chi.URLParam(r, "slug"))
	var moved *content.RedirectError
	if errors.As(err, &moved) {
		http.Redirect(w, r, content.PagePath(moved.Slug), http.StatusMovedPermanently)
		return
	}
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Page(w, r, http.StatusOK, pageShowPage(pageView{
		Title:       p.Title,
		Description: content.Summary(p.Body, metaDescriptionLength),
		Canonical:   h.publicURL(content.PagePath(p.Slug)),
		Body:        content.RenderMarkdown(p.Body),
		UpdatedAt:   p.UpdatedAt,
	}))
}

// metaDescriptionLength is about what search engines show of a description.
const metaDescriptionLength = 155
