package ordersweb

import "github.com/go-chi/chi/v5"

// AdminDiscountRoutes mounts the discount-code pages (discounts.edit), under
// /admin/discounts.
func (h *Handler) AdminDiscountRoutes(r chi.Router) {
	r.Get("/", h.adminDiscountList)
	r.Get("/new", h.adminDiscountNew)
	r.Post("/", h.adminDiscountCreate)
	r.Get("/{id}", h.adminDiscountEdit)
	r.Post("/{id}", h.adminDiscountUpdate)
	r.Post("/{id}/deactivate", h.adminDiscountDeactivate)
}

// AdminSettingsRoutes mounts the shipping, tax and invoice settings (settings.edit), under
// /admin/settings.
func (h *Handler) AdminSettingsRoutes(r chi.Router) {
	r.Get("/", h.adminSettingsShow)
	r.Post("/tax-mode", h.adminSettingsTaxMode)
	r.Post("/seller", h.adminSettingsSeller)
	r.Post("/store", h.adminSettingsStore)
	r.Post("/logo", h.adminSettingsLogoUpload)
	r.Post("/logo/delete", h.adminSettingsLogoDelete)

	r.Get("/zones/new", h.adminZoneNew)
	r.Post("/zones", h.adminZoneCreate)
	r.Get("/zones/{id}", h.adminZoneEdit)
	r.Post("/zones/{id}", h.adminZoneUpdate)
	r.Post("/zones/{id}/delete", h.adminZoneDelete)

	r.Get("/zones/{id}/methods/new", h.adminMethodNew)
	r.Post("/zones/{id}/methods", h.adminMethodCreate)
	r.Get("/methods/{id}", h.adminMethodEdit)
	r.Post("/methods/{id}", h.adminMethodUpdate)
	r.Post("/methods/{id}/delete", h.adminMethodDelete)

	r.Get("/tax-rates/new", h.adminTaxRateNew)
	r.Post("/tax-rates", h.adminTaxRateCreate)
	r.Get("/tax-rates/{id}", h.adminTaxRateEdit)
	r.Post("/tax-rates/{id}", h.adminTaxRateUpdate)
	r.Post("/tax-rates/{id}/delete", h.adminTaxRateDelete)
}
