package ordersweb

import (
	"net/http"

	"github.com/a-h/templ"

	"github.com/monoshop/monoshop/internal/platform/httpx"
)

// historyOnAccountPage is how many recent orders the account page lists.
const historyOnAccountPage = 5

// OrderHistory is the account page's "Order history" section: the customer's latest
// orders and a link to all of them, or the empty state. The users module renders the
// account page but may not import orders, so cmd/shop hands it this function.
func (h *Handler) OrderHistory(r *http.Request) templ.Component {
	ctx := r.Context()
	acc, ok := h.d.Account(ctx)
	if !ok {
		return orderHistorySection(nil, false)
	}
	list, err := h.d.Orders.RecentOrdersForAccount(ctx, int64(acc.ID), historyOnAccountPage, 0)
	if err != nil {
		// The rest of the account page is still useful: say the list is unavailable.
		h.d.Log.ErrorContext(ctx, "orders: order history unavailable", "err", err,
			"request_id", httpx.RequestIDFrom(ctx))
		return orderHistorySection(nil, true)
	}
	return orderHistorySection(historyRows(list, h.d.Renderer.Zone()), false)
}
