package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/orders"
)

// adminOrderRefund gives money back, optionally putting units back into stock. The form
// carries the idempotency key generated when the page was rendered: a double click, a
// resubmitted page or a retry after a lost response refunds once.
//
// The amount and restock quantities are only read here; whether they fit what is left to
// refund is the service's decision, because a resubmitted form must reach the service
// (which recognises its key) even though the first submission already lowered what is
// left. The service's refusals name the amount and restock_<line id> fields, which are
// this form's inputs.
func (h *Handler) adminOrderRefund(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	number, ok := adminOrderNumber(r)
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	o, err := h.d.Orders.Order(ctx, number)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	lines, err := h.d.Orders.Lines(ctx, o)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	form := adminRefundForm{
		Amount: adminKept(r.PostFormValue("amount")),
		Reason: adminKept(r.PostFormValue("reason")),
		Values: map[string]string{},
	}

	problems := map[string]string{}
	amount, msg := adminParseAmount(r.PostFormValue("amount"), o.GrandTotal.Currency)
	if msg != "" {
		problems["amount"] = msg
	}
	restock := map[int64]int{}
	for _, l := range lines {
		field := orders.RestockField(l.ID)
		raw := r.PostFormValue(field)
		form.Values[field] = adminKept(raw)
		n, ok := adminWholeNumber(raw)
		switch {
		case !ok:
			problems[field] = "Enter a whole number of units, 0 or more."
		case n > 0:
			restock[l.ID] = n
		}
	}
	if len(problems) > 0 {
		form.Problem = adminFieldsProblem(problems)
		h.renderAdminOrder(w, r, number, http.StatusUnprocessableEntity, adminSubmitted{refund: &form})
		return
	}
	_, err = h.d.Orders.Refund(ctx, h.d.Actor(r), number, orders.RefundInput{
		Amount: amount, Restock: restock, Reason: r.PostFormValue("reason"), IdempotencyKey: r.PostFormValue("idempotency_key"),
	})
	if err != nil {
		h.adminOrderRefused(w, r, number, err, func(p adminProblem) adminSubmitted {
			form.Problem = p
			return adminSubmitted{refund: &form}
		})
		return
	}
	h.adminOrderDone(w, r, number, "Refunded "+amount.String()+" on order "+adminOrderLabel(number)+".")
}
