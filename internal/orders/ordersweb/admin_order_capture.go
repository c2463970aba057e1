package ordersweb

import "net/http"

// adminOrderCapture takes the money of an authorized payment.
func (h *Handler) adminOrderCapture(w http.ResponseWriter, r *http.Request) {
	number, ok := adminOrderNumber(r)
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	if _, err := h.d.Orders.Capture(r.Context(), h.d.Actor(r), number); err != nil {
		h.adminOrderRefused(w, r, number, err, func(p adminProblem) adminSubmitted { return adminSubmitted{capture: &p} })
		return
	}
	h.adminOrderDone(w, r, number, "The payment of order "+adminOrderLabel(number)+" is captured.")
}
