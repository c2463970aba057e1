package contentweb

import (
	"net/http"
	"strconv"
	"time"

	"github.com/monoshop/monoshop/internal/content"
)

// adminPageListView is every page, in footer order.
type adminPageListView struct {
	Rows []adminPageRow
}

// adminPageRow is one page of the list.
type adminPageRow struct {
	ID        string
	Title     string
	Path      string
	ShopURL   string // empty for a draft, which the shop does not show
	Published bool
	Position  string
	UpdatedAt time.Time
	EditURL   string
}

// adminPageList lists the pages with their address, status and footer position.
func (h *Handler) adminPageList(w http.ResponseWriter, r *http.Request) {
	pages, err := h.content.ListPages(r.Context())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	var v adminPageListView
	for _, p := range pages {
		row := adminPageRow{ID: strconv.FormatInt(int64(p.ID), 10), Title: p.Title, Path: content.PagePath(p.Slug),
			Published: p.Published, Position: strconv.Itoa(p.Position), UpdatedAt: p.UpdatedAt, EditURL: adminPagePath(p.ID)}
		if p.Published {
			row.ShopURL = row.Path
		}
		v.Rows = append(v.Rows, row)
	}
	h.render.Page(w, r, http.StatusOK, adminPageListPage(v))
}
