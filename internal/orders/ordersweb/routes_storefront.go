package ordersweb

import "github.com/go-chi/chi/v5"

// Routes mounts the shopper's pages: checkout, order pages, account order history.
func (h *Handler) Routes(r chi.Router) {
	r.Get("/checkout", h.checkoutShow)
	r.Post("/checkout", h.checkoutSubmit)
	r.Get("/checkout/return/{token}", h.checkoutReturn)
	r.Get("/orders/{token}", h.orderShow)
	r.Post("/orders/{token}/pay", h.orderPay)
	r.Get("/orders/{token}/invoice", h.orderInvoice)
	r.Get("/account/orders", h.accountOrders)
	r.Get("/account/orders/{number}", h.accountOrderShow)
	r.Get("/store/logo/{sha}", h.storeLogo)
}
