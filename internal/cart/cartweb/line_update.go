package cartweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/web"
)

// lineUpdate is a line's quantity form on the cart page; 0 removes the line. A line of
// another cart (or none) is 404, whoever asks. Other refusals come back to the cart page
// as a message, the line unchanged.
func (h *Handler) lineUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := lineID(r)
	if !ok {
		h.renderError(w, r, apperr.New(apperr.NotFound, "That item is not in your cart."))
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	qty, ok := parseQuantity(r.PostForm.Get("quantity"))
	if !ok {
		h.flash(ctx, web.FlashError, quantityProblem)
		seeOther(w, r, "/cart")
		return
	}
	ch, err := h.cart.SetQuantity(ctx, h.ref(ctx), id, qty)
	switch code := apperr.CodeOf(err); {
	case err == nil:
	case code == apperr.Invalid || code == apperr.Conflict:
		h.flash(ctx, web.FlashError, apperr.MessageOf(err))
		seeOther(w, r, "/cart")
		return
	default:
		h.renderError(w, r, err)
		return
	}
	switch {
	case ch.Notice != "":
		h.flash(ctx, web.FlashInfo, ch.Notice)
	case ch.Quantity == 0:
		h.flash(ctx, web.FlashSuccess, "Removed from your cart.")
	default:
		h.flash(ctx, web.FlashSuccess, "Quantity updated.")
	}
	seeOther(w, r, "/cart")
}
