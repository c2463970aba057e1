package ordersweb

import "net/http"

// orderInvoice is an order's printable invoice, by the order's link like the order page.
// The browser's print command prints it without the shop's navigation (orders.css).
func (h *Handler) orderInvoice(w http.ResponseWriter, r *http.Request) {
	o, ok := h.orderByToken(w, r)
	if !ok {
		return
	}
	o, err := h.d.Orders.Invoice(r.Context(), o)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	d, err := h.loadOrderDetails(r.Context(), o)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	seller, err := h.d.Orders.Seller(r.Context())
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	v := newOrderView(d, h.d.Renderer.Zone())
	// An invoice states the tax even when none was charged (exports say 0 %).
	v.Totals.Untaxed = false
	h.shopperPage(w, r, http.StatusOK, invoicePage(v, seller))
}
