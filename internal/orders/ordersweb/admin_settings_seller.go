package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/web"
)

// adminSettingsSeller saves who the invoices name as the seller. A refusal shows the form
// as typed, each problem on its field.
func (h *Handler) adminSettingsSeller(w http.ResponseWriter, r *http.Request) {
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	in := orders.Seller{
		Name: r.PostFormValue("seller_name"), Address: r.PostFormValue("seller_address"),
		TaxID: r.PostFormValue("seller_tax_id"), InvoiceNote: r.PostFormValue("invoice_note"),
	}
	if _, err := h.d.Orders.SetSeller(r.Context(), h.d.Actor(r), in); err != nil {
		if !web.FormRefusal(err) {
			h.d.Renderer.Error(w, r, err)
			return
		}
		h.renderAdminSettings(w, r, web.FormStatus(err), adminSettingsRefused{seller: &adminSellerForm{
			Name: adminKept(in.Name), Address: adminKept(in.Address), TaxID: adminKept(in.TaxID), Note: adminKept(in.InvoiceNote),
			Problem: adminProblemOf(err),
		}})
		return
	}
	h.adminFlashSuccess(r, "Invoice details saved.")
	web.SeeOther(w, r, adminSettingsPath+"#"+adminSellerAnchor)
}
