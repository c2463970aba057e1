package ordersweb

import "net/http"

// adminOrderMarkPaid records that the money of a manual payment (bank transfer, cash)
// arrived.
func (h *Handler) adminOrderMarkPaid(w http.ResponseWriter, r *http.Request) {
	number, ok := adminOrderNumber(r)
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	if _, err := h.d.Orders.MarkPaid(r.Context(), h.d.Actor(r), number); err != nil {
		h.adminOrderRefused(w, r, number, err, func(p adminProblem) adminSubmitted { return adminSubmitted{markPaid: &p} })
		return
	}
	h.adminOrderDone(w, r, number, "Order "+adminOrderLabel(number)+" is marked as paid.")
}
