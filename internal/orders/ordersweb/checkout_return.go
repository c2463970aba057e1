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
// says "Paid" or "Payment failed" right away. It ends on the order page, marked as the
// view right after checkout, which thanks the shopper (a mark in the link rather than a
// one-time message in the session: two session writes fewer per order).
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
	if o.PaymentID != 0 && (o.PaymentStatus == orders.PaymentPending || o.PaymentStatus == orders.PaymentAuthorized) {
		if _, err := h.d.Payments.Reconcile(ctx, payments.PaymentID(o.PaymentID)); err != nil {
			// The webhook and the recovery job will settle it; the page says "Awaiting
			// payment" meanwhile.
			h.d.Log.WarnContext(ctx, "orders: payment status not available on return", "order", o.Number, "err", err)
		}
	}
	web.SeeOther(w, r, orderPath(o.Token)+"?"+fromCheckoutParam)
}

// fromCheckoutParam marks the order page's link as the view right after checkout.
const fromCheckoutParam = "from=checkout"

// checkoutNotice is what the order page says first when the shopper arrives from
// checkout, by where the payment stands now.
func checkoutNotice(o orders.Order) web.FlashMessage {
	switch o.PaymentStatus {
	case orders.PaymentPaid, orders.PaymentAuthorized:
		return web.FlashMessage{Kind: web.FlashSuccess, Text: "Thank you for your order! We have received your payment."}
	case orders.PaymentFailed, orders.PaymentVoided:
		return web.FlashMessage{Kind: web.FlashError, Text: "Your payment did not go through and nothing was charged. You can try again below."}
	}
	return web.FlashMessage{Kind: web.FlashInfo, Text: "Thank you for your order! We will confirm it as soon as the payment provider confirms your payment."}
}
