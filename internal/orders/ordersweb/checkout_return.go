package ordersweb

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/web"
)

// checkoutReturn is where the payment provider sends the shopper back. The provider's
// webhook may not have arrived yet, so a payment still pending is asked about at once
// (Reconcile applies the answer exactly as the webhook would, once): the order page then
// says "Paid" or "Payment failed" right away. It ends on the order page, whose first
// view thanks the shopper.
func (h *Handler) checkoutReturn(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	token := chi.URLParam(r, "token")
	if !validOrderToken(token) {
		h.d.Renderer.NotFound(w, r)
		return
	}
	o, err := h.d.Orders.OrderByToken(ctx, token)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	status := o.PaymentStatus
	if o.PaymentID != 0 && (status == orders.PaymentPending || status == orders.PaymentAuthorized) {
		if p, err := h.d.Payments.Reconcile(ctx, payments.PaymentID(o.PaymentID)); err != nil {
			// The webhook and the recovery job will settle it; the page says "Awaiting
			// payment" meanwhile.
			h.d.Log.WarnContext(ctx, "orders: payment status not available on return", "order", o.Number, "err", err)
		} else {
			// The order's payment status moved with the payment, in the same transaction.
			status = string(p.State)
		}
	}
	switch status {
	case orders.PaymentPaid, orders.PaymentAuthorized:
		h.d.Flash(r, flashSuccess, "Thank you for your order! We have received your payment.")
	case orders.PaymentFailed, orders.PaymentVoided:
		h.d.Flash(r, flashError, "Your payment did not go through and nothing was charged. You can try again below.")
	default:
		h.d.Flash(r, flashInfo, "Thank you for your order! We will confirm it as soon as the payment provider confirms your payment.")
	}
	web.SeeOther(w, r, orderPath(o.Token))
}
