package ordersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/web"
)

// adminOrderRefused ends an order action that failed. A refusal the staff member can act
// on (invalid input, a change that came too late) re-renders the order page with the
// message at the form that was sent, keeping what was typed, under 422 or 409; any other
// failure is for the error page.
func (h *Handler) adminOrderRefused(w http.ResponseWriter, r *http.Request, number int64, err error, sub func(adminProblem) adminSubmitted) {
	if !web.FormRefusal(err) {
		h.d.Renderer.Error(w, r, err)
		return
	}
	h.renderAdminOrder(w, r, number, web.FormStatus(err), sub(adminProblemOf(err)))
}

// adminOrderDone ends a successful order action: a flash for the next page and a redirect
// to the order (POST-redirect-GET), so reloading does not act again.
func (h *Handler) adminOrderDone(w http.ResponseWriter, r *http.Request, number int64, message string) {
	h.d.Flash(r, string(web.FlashSuccess), message)
	web.SeeOther(w, r, adminOrderPath(number))
}
