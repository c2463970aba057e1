package contentweb

import "net/http"

// adminPageNew shows the form of a new page, a draft until staff publish it.
func (h *Handler) adminPageNew(w http.ResponseWriter, r *http.Request) {
	h.renderNewPage(w, r, http.StatusOK, pageForm{Position: "0"})
}

func (h *Handler) renderNewPage(w http.ResponseWriter, r *http.Request, status int, form pageForm) {
	v := adminPageFormView{Title: "New page", Action: adminPagesPath, Submit: "Create page", Form: form}
	if form.Body != "" {
		v.Preview = previewOf(form.Body)
	}
	h.render.Page(w, r, status, adminPageFormPage(v))
}
