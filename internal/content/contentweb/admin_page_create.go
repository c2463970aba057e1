package contentweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// adminPageCreate adds a page through the service, which audits it. A refusal shows the
// form again as typed.
func (h *Handler) adminPageCreate(w http.ResponseWriter, r *http.Request) {
	if !h.render.ParseForm(w, r) {
		return
	}
	in, _, form, ok := pageInputOf(r)
	status := http.StatusUnprocessableEntity
	if ok {
		p, err := h.content.CreatePage(r.Context(), h.actor(r), in)
		if err == nil {
			h.flash(r, web.FlashSuccess, savedMessage("created", p.Title, p.Published))
			web.SeeOther(w, r, adminPagePath(p.ID))
			return
		}
		if !web.FormRefusal(err) {
			h.render.Error(w, r, err)
			return
		}
		form.Problem, status = problemOf(err), web.FormStatus(err)
	}
	h.renderNewPage(w, r, status, form)
}

// savedMessage tells staff whether shoppers can now read what they saved.
func savedMessage(verb, title string, published bool) string {
	if published {
		return "Page “" + title + "” " + verb + ": it is published."
	}
	return "Page “" + title + "” " + verb + " as a draft: shoppers cannot see it."
}
