package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/web"
)

// adminSettingsStore saves the store's name, contact email and currency. A refusal shows
// the form as typed, each problem on its field.
func (h *Handler) adminSettingsStore(w http.ResponseWriter, r *http.Request) {
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	in := orders.StoreDetails{
		Name: r.PostFormValue("store_name"), ContactEmail: r.PostFormValue("contact_email"), Currency: r.PostFormValue("currency"),
	}
	if err := h.d.Orders.SetStoreDetails(r.Context(), h.d.Actor(r), in, h.d.Catalog); err != nil {
		if !web.FormRefusal(err) {
			h.d.Renderer.Error(w, r, err)
			return
		}
		h.renderAdminSettings(w, r, web.FormStatus(err), adminSettingsRefused{store: &adminStoreForm{
			Name: adminKept(in.Name), ContactEmail: adminKept(in.ContactEmail), Currency: adminKept(in.Currency),
			Problem: adminProblemOf(err),
		}})
		return
	}
	h.adminFlashSuccess(r, "Store details saved.")
	web.SeeOther(w, r, adminSettingsPath+"#"+adminStoreAnchor)
}
