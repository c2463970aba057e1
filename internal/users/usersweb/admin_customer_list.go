package usersweb

import (
	"net/http"
	"strconv"
	"time"

	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
)

// adminCustomersPath is the customer list; its links keep the search.
const adminCustomersPath = "/admin/customers"

// adminCustomerListView is one page of shopper accounts.
type adminCustomerListView struct {
	Search     string
	Total      int
	Rows       []adminCustomerRow
	Pagination web.PaginationVM
}

// adminCustomerRow is one shopper in the list.
type adminCustomerRow struct {
	URL       string
	Email     string
	Name      string
	Disabled  bool
	CreatedAt time.Time
}

// adminCustomerList lists shopper accounts, newest first, searchable by email or name.
func (h *Handler) adminCustomerList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page := adminPage(q)
	search := kept(q.Get("q"))
	list, total, err := h.users.ListCustomers(r.Context(), users.CustomerFilter{Search: search, Page: page, PerPage: adminPerPage})
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	pages := (total + adminPerPage - 1) / adminPerPage
	v := adminCustomerListView{
		Search: search, Total: total, Rows: make([]adminCustomerRow, len(list)),
		Pagination: web.NewPagination(page, pages, func(n int) string { return adminListURL(adminCustomersPath, q, n) }),
	}
	for i, a := range list {
		v.Rows[i] = adminCustomerRow{URL: adminCustomersPath + "/" + strconv.FormatInt(int64(a.ID), 10),
			Email: a.Email, Name: a.Name, Disabled: a.Disabled, CreatedAt: a.CreatedAt}
	}
	h.render.Page(w, r, http.StatusOK, adminCustomerListPage(v))
}
