package cartweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/platform/httpx"
)

// Count is the number of items in the caller's cart, for the header of every page. A
// guest who never added anything costs no query; a failure is logged and shows 0, as a
// header is no reason to fail a page.
func (h *Handler) Count(r *http.Request) int {
	ctx := r.Context()
	ref := h.ref(ctx)
	if ref.IsZero() {
		return 0
	}
	n, err := h.cart.Count(ctx, ref)
	if err != nil {
		h.log.WarnContext(ctx, "cart count unavailable", "err", err, "request_id", httpx.RequestIDFrom(ctx))
		return 0
	}
	return n
}
