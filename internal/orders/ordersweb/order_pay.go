package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/web"
)

// orderPay is the order page's "Pay now": the order's payment begun again when it was
// abandoned, or a new attempt after a refused one, and the shopper sent to pay it. An
// order paid or cancelled meanwhile goes back to its page, which says so.
func (h *Handler) orderPay(w http.ResponseWriter, r *http.Request) {
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	o, ok := h.orderByToken(w, r)
	if !ok {
		return
	}
	p, err := h.d.Orders.RetryPayment(r.Context(), o.Number)
	switch {
	case apperr.Is(err, apperr.Conflict):
		h.d.Flash(r, flashInfo, apperr.MessageOf(err))
		web.SeeOther(w, r, orderPath(o.Token))
		return
	case err != nil:
		h.d.Renderer.Error(w, r, err)
		return
	}
	h.beginPayment(w, r, o, int64(p.ID))
}
