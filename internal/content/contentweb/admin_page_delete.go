package contentweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/content"
	"github.com/monoshop/monoshop/web"
)

// adminPageDelete removes a page; the service audits it with the text it had.
func (h *Handler) adminPageDelete(w http.ResponseWriter, r *http.Request) {
	raw, ok := web.URLID(r, "id")
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	if !h.render.ParseForm(w, r) {
		return
	}
	p, err := h.content.DeletePage(r.Context(), h.actor(r), content.PageID(raw))
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.flash(r, web.FlashSuccess, "Page “"+p.Title+"” deleted.")
	web.SeeOther(w, r, adminPagesPath)
}
