package contentweb

import (
	"html/template"
	"net/http"

	"github.com/monoshop/monoshop/internal/content"
	"github.com/monoshop/monoshop/web"
)

// adminPageEdit shows a page's form, a preview of its text and the button that deletes
// it.
func (h *Handler) adminPageEdit(w http.ResponseWriter, r *http.Request) {
	raw, ok := web.URLID(r, "id")
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	h.renderEditPage(w, r, content.PageID(raw), http.StatusOK, nil)
}

// renderEditPage renders the editor of page id; typed, when set, is a refused form to put
// back as the person left it.
func (h *Handler) renderEditPage(w http.ResponseWriter, r *http.Request, id content.PageID, status int, typed *pageForm) {
	p, err := h.content.FindPage(r.Context(), id)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	v := adminPageFormView{Title: p.Title, Action: adminPagePath(id), Submit: "Save page", Form: pageFormOf(p),
		Path: content.PagePath(p.Slug), Published: p.Published, UpdatedAt: p.UpdatedAt, EditURL: adminPagePath(id),
		DeleteAction: adminPagePath(id) + "/delete"}
	if p.Published {
		v.ShopURL = v.Path
	}
	if typed != nil {
		v.Form = *typed
	}
	v.Preview = previewOf(v.Form.Body)
	h.render.Page(w, r, status, adminPageFormPage(v))
}

func previewOf(body string) template.HTML { return content.RenderMarkdown(body) }
