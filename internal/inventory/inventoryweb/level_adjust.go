package inventoryweb

import (
	"errors"
	"net/http"
	"strings"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/web"
)

// levelAdjust sets the quantity on hand of one level, with a reason for the ledger. The
// form carries the quantity it showed (expected_on_hand); when the level no longer holds
// it, the change is refused with 409 and the page shows the current quantity next to what
// was typed: two people counting the same shelf never silently overwrite each other.
func (h *Handler) levelAdjust(w http.ResponseWriter, r *http.Request) {
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
	locID, ok := formID(r, "location_id")
	if !ok {
		h.render.Status(w, r, http.StatusBadRequest)
		return
	}
	loc, found, err := h.location(ctx, locID)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	if !found {
		// The location list is not typed in: a location that vanished, or a forged form.
		h.render.Status(w, r, http.StatusBadRequest)
		return
	}
	form := adjustForm{OnHand: kept(r.PostFormValue("on_hand")), Reason: kept(r.PostFormValue("reason"))}
	refuse := func(status int) {
		h.renderVariant(w, r, id, status, submitted{adjustLocation: locID, adjust: &form})
	}
	newOnHand, ok := formInt(r, "on_hand")
	if !ok {
		form.Problem = fieldProblem("on_hand", "Enter a whole number of at least 0.")
		refuse(http.StatusUnprocessableEntity)
		return
	}
	// A missing or mangled expected quantity cannot match any level, so the change is
	// refused as stale rather than applied over a quantity the form never showed.
	expected, ok := formInt(r, "expected_on_hand")
	if !ok {
		expected = -1
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	err = h.inv.Adjust(ctx, h.actor(r), id, locID, expected, newOnHand, reason)
	switch {
	case errors.Is(err, inventory.ErrStaleLevel):
		form.Stale = true
		refuse(http.StatusConflict)
		return
	case err != nil && web.FormRefusal(err):
		form.Problem = problemOf(err)
		refuse(web.FormStatus(err))
		return
	case err != nil:
		h.render.Error(w, r, err)
		return
	}
	h.flash(r, web.FlashSuccess, "Stock at "+loc.Name+" saved.")
	web.SeeOther(w, r, variantPath(id))
}
