package cartweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/web"
)

// lineDelete is a line's "Remove" button. A line of another cart (or none) is 404.
func (h *Handler) lineDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := lineID(r)
	if !ok {
		h.renderError(w, r, apperr.New(apperr.NotFound, "That item is not in your cart."))
		return
	}
	ctx := r.Context()
	if err := h.cart.Remove(ctx, h.ref(ctx), id); err != nil {
		h.renderError(w, r, err)
		return
	}
	h.flash(ctx, web.FlashSuccess, "Removed from your cart.")
	seeOther(w, r, "/cart")
}
