package ordersweb

import "github.com/go-chi/chi/v5"

// AdminViewRoutes mounts the back-office order pages anyone with orders.view may read
// (under /admin/orders).
func (h *Handler) AdminViewRoutes(r chi.Router) {
	r.Get("/", h.adminOrderList)
	r.Get("/{number}", h.adminOrderShow)
	r.Get("/{number}/packing-slip", h.adminOrderPackingSlip)
	r.Get("/{number}/invoice", h.adminOrderInvoice)
}

// AdminEditRoutes mounts the order actions that need orders.edit (mark paid, capture,
// fulfil, cancel, notes).
func (h *Handler) AdminEditRoutes(r chi.Router) {
	r.Post("/{number}/mark-paid", h.adminOrderMarkPaid)
	r.Post("/{number}/capture", h.adminOrderCapture)
	r.Post("/{number}/fulfil", h.adminOrderFulfil)
	r.Post("/{number}/cancel", h.adminOrderCancel)
	r.Post("/{number}/notes", h.adminOrderNote)
}

// AdminRefundRoutes mounts the refund action (orders.refund).
func (h *Handler) AdminRefundRoutes(r chi.Router) {
	r.Post("/{number}/refund", h.adminOrderRefund)
}
