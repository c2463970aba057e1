package ordersweb

import "github.com/go-chi/chi/v5"

// AdminDiscountRoutes mounts the discount-code pages (discounts.edit), under
// /admin/discounts.
func (h *Handler) AdminDiscountRoutes(r chi.Router) {
}

// AdminSettingsRoutes mounts the shipping and tax settings (settings.edit), under
// /admin/settings.
func (h *Handler) AdminSettingsRoutes(r chi.Router) {
}
