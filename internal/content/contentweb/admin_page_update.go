package contentweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/content"
	"github.com/monoshop/monoshop/web"
)

// adminPageUpdate saves a page over the version its form was opened with. A refusal,
// including someone else's save in the meantime, shows the form again as typed.
func (h *Handler) adminPageUpdate(w http.ResponseWriter, r *http.Request) {
	raw, ok := web.URLID(r, "id")
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	if !h.render.ParseForm(w, r) {
		return
	}
	id := content.PageID(raw)
	in, version, form, ok := pageInputOf(r)
	status := http.StatusUnprocessableEntity
	if ok {
		p, err := h.content.UpdatePage(r.Context(), h.actor(r), id, version, in)
		if err == nil {
			h.flash(r, web.FlashSuccess, savedMessage("saved", p.Title, p.Published))
			web.SeeOther(w, r, adminPagePath(id))
			return
		}
		if !web.FormRefusal(err) {
			h.render.Error(w, r, err)
			return
		}
		form.Problem, status = problemOf(err), web.FormStatus(err)
	}
	h.renderEditPage(w, r, id, status, &form)
}
