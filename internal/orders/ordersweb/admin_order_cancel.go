package ordersweb

import (
	"net/http"
	"strings"
)

// adminOrderCancel cancels an open order. The form's confirmation box must be ticked: a
// cancellation releases the order's stock and cannot be undone.
func (h *Handler) adminOrderCancel(w http.ResponseWriter, r *http.Request) {
	number, ok := adminOrderNumber(r)
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	form := adminCancelForm{Reason: adminKept(r.PostFormValue("reason")), Confirm: r.PostFormValue("confirm") != ""}
	if !form.Confirm {
		form.Problem = adminFieldsProblem(map[string]string{"confirm": "Tick the box to confirm that the order is to be cancelled."})
		h.renderAdminOrder(w, r, number, http.StatusUnprocessableEntity, adminSubmitted{cancel: &form})
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if _, err := h.d.Orders.Cancel(r.Context(), h.d.Actor(r), number, reason); err != nil {
		h.adminOrderRefused(w, r, number, err, func(p adminProblem) adminSubmitted {
			form.Problem = p
			return adminSubmitted{cancel: &form}
		})
		return
	}
	h.adminOrderDone(w, r, number, "Order "+adminOrderLabel(number)+" is cancelled.")
}
