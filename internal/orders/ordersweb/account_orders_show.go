package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// accountOrderShow is one of the signed-in customer's orders, by number. Another
// account's order answers 404 exactly like a number that does not exist.
func (h *Handler) accountOrderShow(w http.ResponseWriter, r *http.Request) {
	acc, ok := h.signedIn(w, r)
	if !ok {
		return
	}
	number, ok := web.URLID(r, "number")
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	o, err := h.d.Orders.OrderForAccount(r.Context(), int64(acc.ID), number)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	d, err := h.loadOrderDetails(r.Context(), o)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	v := newOrderView(d, h.d.Renderer.Zone())
	h.shopperPage(w, r, http.StatusOK, orderPage(v, []web.Crumb{
		{Label: "Home", URL: "/"}, {Label: "Your account", URL: "/account"},
		{Label: "Your orders", URL: "/account/orders"}, {Label: "Order " + v.Number, URL: accountOrderPath(o.Number)},
	}))
}
