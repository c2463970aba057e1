package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/web"
)

// adminSettingsTaxMode says whether catalog prices include tax. It applies to the next
// checkout page a shopper opens; placed orders keep the mode they were priced with.
func (h *Handler) adminSettingsTaxMode(w http.ResponseWriter, r *http.Request) {
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	mode := orders.TaxMode(r.PostFormValue("tax_mode"))
	if err := h.d.Orders.SetTaxMode(r.Context(), h.d.Actor(r), mode); err != nil {
		if !web.FormRefusal(err) {
			h.d.Renderer.Error(w, r, err)
			return
		}
		h.renderAdminSettings(w, r, web.FormStatus(err), adminSettingsRefused{
			taxMode: &adminTaxModeForm{Mode: adminKept(string(mode)), Problem: adminProblemOf(err)},
		})
		return
	}
	msg := "Catalog prices now include tax."
	if mode == orders.PricesExcludeTax {
		msg = "Tax is now added to catalog prices at checkout."
	}
	h.adminFlashSuccess(r, msg)
	web.SeeOther(w, r, adminSettingsPath)
}
