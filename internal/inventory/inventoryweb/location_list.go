package inventoryweb

import (
	"net/http"
	"strconv"
)

// locationListView is the locations page: where stock is kept, and the form to add one.
type locationListView struct {
	Rows    []locationRowVM
	CanEdit bool
	Form    locationForm
}

type locationRowVM struct {
	URL      string
	Name     string
	Priority string
	Active   bool
}

// locationForm is the new-location form's values and problems.
type locationForm struct {
	Name, Priority string
	Problem        problem
}

// locationList lists the stock locations, highest priority (allocated from first) first.
func (h *Handler) locationList(w http.ResponseWriter, r *http.Request) {
	h.renderLocations(w, r, http.StatusOK, locationForm{Priority: "0"})
}

func (h *Handler) renderLocations(w http.ResponseWriter, r *http.Request, status int, form locationForm) {
	locs, err := h.inv.Locations(r.Context())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	v := locationListView{CanEdit: h.canEdit(r), Form: form}
	for _, l := range locs {
		v.Rows = append(v.Rows, locationRowVM{URL: locationPath(l.ID), Name: l.Name, Priority: strconv.Itoa(l.Priority), Active: l.Active})
	}
	h.render.Page(w, r, status, locationListPage(v))
}
