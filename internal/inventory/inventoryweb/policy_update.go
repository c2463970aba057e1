package inventoryweb

import (
	"net/http"
	"strconv"

	"github.com/monoshop/monoshop/web"
)

// policyUpdate sets whether the variant may be sold beyond its stock and the quantity at
// which it counts as low. Turning backorders off is refused while orders hold more than
// there is: those orders would otherwise be promised stock that does not exist.
func (h *Handler) policyUpdate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := web.URLID(r, "id")
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	if !h.render.ParseForm(w, r) {
		return
	}
	exists, err := h.variantExists(ctx, id)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	if !exists {
		h.render.Error(w, r, errNoVariant)
		return
	}
	backorder := r.PostFormValue("allow_backorder") != ""
	form := policyForm{AllowBackorder: backorder, Threshold: kept(r.PostFormValue("low_stock_threshold"))}
	threshold, ok := formInt(r, "low_stock_threshold")
	if !ok {
		form.Problem = fieldProblem("low_stock_threshold", "Enter a whole number of at least 0.")
		h.renderVariant(w, r, id, http.StatusUnprocessableEntity, submitted{policy: &form})
		return
	}
	if err := h.inv.SetPolicyAs(ctx, h.actor(r), id, backorder, threshold); err != nil {
		if !web.FormRefusal(err) {
			h.render.Error(w, r, err)
			return
		}
		form.Problem = problemOf(err)
		h.renderVariant(w, r, id, web.FormStatus(err), submitted{policy: &form})
		return
	}
	msg := "Backorders off; low at " + strconv.Itoa(threshold) + " or fewer."
	if backorder {
		msg = "Backorders allowed; low at " + strconv.Itoa(threshold) + " or fewer."
	}
	h.flash(r, web.FlashSuccess, msg)
	web.SeeOther(w, r, variantPath(id))
}
