package inventoryweb

import (
	"net/http"
	"strconv"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/web"
)

// locationEditView is one location's page: its name, priority and whether orders are
// allocated from it, as a form for staff who may change stock.
type locationEditView struct {
	ID      int64
	Name    string
	CanEdit bool
	Form    locationEditForm
}

// locationEditForm is the location's values as stored, or as submitted when refused.
type locationEditForm struct {
	Name, Priority string
	Active         bool
	Problem        problem
}

func locationPath(id int64) string { return locationsPath + "/" + strconv.FormatInt(id, 10) }

// locationEdit shows a location with its edit form.
func (h *Handler) locationEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := web.URLID(r, "id")
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	loc, err := h.inv.Location(r.Context(), id)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.renderLocationEdit(w, r, http.StatusOK, loc, locationEditForm{
		Name: loc.Name, Priority: strconv.Itoa(loc.Priority), Active: loc.Active,
	})
}

func (h *Handler) renderLocationEdit(w http.ResponseWriter, r *http.Request, status int, loc inventory.Location, form locationEditForm) {
	h.render.Page(w, r, status, locationEditPage(locationEditView{ID: loc.ID, Name: loc.Name, CanEdit: h.canEdit(r), Form: form}))
}
