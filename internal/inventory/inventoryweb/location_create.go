package inventoryweb

import (
	"net/http"
	"strings"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/web"
)

// locationCreate adds a stock location. Priority decides where orders are allocated from
// first, so it is asked for here rather than left to a later edit.
func (h *Handler) locationCreate(w http.ResponseWriter, r *http.Request) {
	if !h.render.ParseForm(w, r) {
		return
	}
	form := locationForm{Name: kept(r.PostFormValue("name")), Priority: kept(r.PostFormValue("priority"))}
	priority := 0
	if strings.TrimSpace(r.PostFormValue("priority")) != "" {
		n, ok := formInt(r, "priority")
		if !ok || n < -1000 || n > 1000 {
			form.Problem = fieldProblem("priority", "Enter a whole number between -1000 and 1000.")
			h.renderLocations(w, r, http.StatusUnprocessableEntity, form)
			return
		}
		priority = n
	}
	loc, err := h.inv.CreateLocationAs(r.Context(), h.actor(r), r.PostFormValue("name"), priority)
	if err != nil {
		if !web.FormRefusal(err) {
			h.render.Error(w, r, err)
			return
		}
		form.Problem = problemOf(err)
		if apperr.Is(err, apperr.Conflict) {
			// The only conflict a new location meets is its name being taken.
			form.Problem.Fields = map[string]string{"name": "Another location has this name."}
		}
		h.renderLocations(w, r, web.FormStatus(err), form)
		return
	}
	h.flash(r, web.FlashSuccess, "Location “"+loc.Name+"” created.")
	web.SeeOther(w, r, locationsPath)
}
