package ordersweb

import (
	"net/http"
	"strconv"
	"time"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/web"
)

// accountOrdersView is the signed-in customer's order history.
type accountOrdersView struct {
	Rows       []historyRowView
	Pagination web.PaginationVM
}

// historyRowView is one order in a history list.
type historyRowView struct {
	Number      string
	URL         string
	Date        string
	Status      string
	Payment     string
	Fulfillment string
	Total       string
}

func historyRows(list []orders.Order, loc *time.Location) []historyRowView {
	rows := make([]historyRowView, len(list))
	for i, o := range list {
		rows[i] = historyRowView{
			Number: orderNumber(o.Number), URL: accountOrderPath(o.Number), Date: formatDate(o.CreatedAt, loc),
			Status: statusWords(o.Status), Payment: paymentWords(o.PaymentStatus),
			Fulfillment: fulfillmentWords(o.FulfillmentStatus), Total: o.GrandTotal.String(),
		}
	}
	return rows
}

func accountOrderPath(number int64) string { return "/account/orders/" + strconv.FormatInt(number, 10) }

// accountOrders lists the signed-in customer's orders, newest first, a page at a time.
// Signed-out visitors are sent to sign in and brought back.
func (h *Handler) accountOrders(w http.ResponseWriter, r *http.Request) {
	acc, ok := h.signedIn(w, r)
	if !ok {
		return
	}
	page := 1
	if p := r.URL.Query().Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			h.d.Renderer.NotFound(w, r)
			return
		}
		page = n
	}
	list, total, err := h.d.Orders.ListOrdersForAccount(r.Context(), int64(acc.ID), page)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	pages := max(1, (total+orders.AccountOrdersPerPage-1)/orders.AccountOrdersPerPage)
	if page > pages {
		h.d.Renderer.NotFound(w, r)
		return
	}
	v := accountOrdersView{
		Rows: historyRows(list, h.d.Renderer.Zone()),
		Pagination: web.NewPagination(page, pages, func(n int) string {
			return "/account/orders?page=" + strconv.Itoa(n)
		}),
	}
	h.shopperPage(w, r, http.StatusOK, accountOrdersPage(v))
}
