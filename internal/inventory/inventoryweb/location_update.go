package inventoryweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/web"
)

// locationUpdate saves a location's name, priority and whether it is sold from. A
// refusal shows the form as typed, each problem on its field.
func (h *Handler) locationUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := web.URLID(r, "id")
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	if !h.render.ParseForm(w, r) {
		return
	}
	loc, err := h.inv.Location(r.Context(), id)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	form := locationEditForm{Name: kept(r.PostFormValue("name")), Priority: kept(r.PostFormValue("priority")),
		Active: r.PostFormValue("active") != ""}
	priority, ok := formInt(r, "priority")
	if !ok {
		form.Problem = fieldProblem("priority", "Enter a whole number between -1000 and 1000.")
		h.renderLocationEdit(w, r, http.StatusUnprocessableEntity, loc, form)
		return
	}
	saved, err := h.inv.UpdateLocationAs(r.Context(), h.actor(r), id, inventory.LocationChange{
		Name: r.PostFormValue("name"), Priority: priority, Active: form.Active,
	})
	if err != nil {
		if !web.FormRefusal(err) {
			h.render.Error(w, r, err)
			return
		}
		form.Problem = problemOf(err)
		if apperr.Is(err, apperr.Conflict) {
			// The only conflict an edit meets is the new name being another location's.
			form.Problem.Fields = map[string]string{"name": "Another location has this name."}
		}
		h.renderLocationEdit(w, r, web.FormStatus(err), loc, form)
		return
	}
	msg := "Location “" + saved.Name + "” saved."
	if loc.Active && !saved.Active {
		msg = "Location “" + saved.Name + "” switched off: new orders are no longer allocated from it."
	} else if !loc.Active && saved.Active {
		msg = "Location “" + saved.Name + "” switched on: its stock is for sale again."
	}
	h.flash(r, web.FlashSuccess, msg)
	web.SeeOther(w, r, locationsPath)
}
