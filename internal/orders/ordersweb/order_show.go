package ordersweb

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/web"
)

// orderShow is an order's page by its link: the confirmation right after checkout and
// the guest's way back to the order. Whoever has the link sees the order (it is the
// guest's only key, sent in the confirmation email); a token that names no order is a
// plain 404, the same as a malformed one, so tokens cannot be probed.
func (h *Handler) orderShow(w http.ResponseWriter, r *http.Request) {
	o, ok := h.orderByToken(w, r)
	if !ok {
		return
	}
	d, err := h.loadOrderDetails(r.Context(), o)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	v := newOrderView(d, h.d.Renderer.Zone())
	if r.URL.RawQuery == fromCheckoutParam && o.Status == orders.StatusOpen {
		chrome := web.ChromeFrom(r.Context())
		chrome.Flashes = append(chrome.Flashes, checkoutNotice(o))
		r = r.WithContext(web.WithChrome(r.Context(), chrome))
	}
	h.shopperPage(w, r, http.StatusOK, orderPage(v, orderCrumbs(v)))
}

// orderByToken finds the order the URL's {token} names, answering 404 itself when there
// is none.
func (h *Handler) orderByToken(w http.ResponseWriter, r *http.Request) (orders.Order, bool) {
	token := chi.URLParam(r, "token")
	if !validOrderToken(token) {
		h.d.Renderer.NotFound(w, r)
		return orders.Order{}, false
	}
	o, err := h.d.Orders.OrderByToken(r.Context(), token)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return orders.Order{}, false
	}
	return o, true
}
