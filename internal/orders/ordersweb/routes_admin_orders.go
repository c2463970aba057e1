package ordersweb

import "github.com/go-chi/chi/v5"

// AdminViewRoutes mounts the back-office order pages anyone with orders.view may read
// (under /admin/orders).
func (h *Handler) AdminViewRoutes(r chi.Router) {
}

// AdminEditRoutes mounts the order actions that need orders.edit (mark paid, capture,
// fulfil, cancel, notes).
func (h *Handler) AdminEditRoutes(r chi.Router) {
}

// AdminRefundRoutes mounts the refund action (orders.refund).
func (h *Handler) AdminRefundRoutes(r chi.Router) {
}
