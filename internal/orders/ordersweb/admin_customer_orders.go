package ordersweb

import (
	"net/http"

	"github.com/a-h/templ"

	"github.com/monoshop/monoshop/internal/platform/httpx"
)

// adminCustomerOrdersShown is how many of a customer's orders their back-office page
// lists, newest first; the count says how many there are in all.
const adminCustomerOrdersShown = 20

// CustomerOrders renders the "Orders" section of a customer's back-office page (the
// users module's slot, Handler.UseCustomerOrders there): their latest orders, each
// linked to its back-office page.
func (h *Handler) CustomerOrders(r *http.Request, accountID int64) templ.Component {
	ctx := r.Context()
	list, total, err := h.d.Orders.ListOrdersForAccount(ctx, accountID, 1)
	if err != nil {
		// The rest of the customer's page is still useful: say the list is unavailable.
		h.d.Log.ErrorContext(ctx, "orders: customer's orders unavailable", "err", err,
			"request_id", httpx.RequestIDFrom(ctx))
		return adminCustomerOrders(nil, 0, true)
	}
	if len(list) > adminCustomerOrdersShown {
		list = list[:adminCustomerOrdersShown]
	}
	rows := historyRows(list, h.d.Renderer.Zone())
	for i, o := range list {
		rows[i].URL = adminOrderPath(o.Number)
	}
	return adminCustomerOrders(rows, total, false)
}
