package cartweb

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/web"
)

// itemAdd is the product page's "Add to cart" form. It always answers with a redirect:
// back to the product with "Added to your cart" (or what kept part of it out), or, when
// the input was refused, back to the page the form was on with the reason. The cart is
// unchanged by a refused add.
func (h *Handler) itemAdd(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	refuse := func(msg string) {
		h.flash(ctx, web.FlashError, msg)
		seeOther(w, r, back(r))
	}
	variant, err := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get("variant_id")), 10, 64)
	if err != nil || variant <= 0 {
		refuse("This product is no longer available.")
		return
	}
	qty := 1
	if raw := r.PostForm.Get("quantity"); raw != "" {
		var ok bool
		if qty, ok = parseQuantity(raw); !ok {
			refuse(quantityProblem)
			return
		}
	}
	ref := h.ref(ctx)
	res, err := h.cart.Add(ctx, ref, catalog.VariantID(variant), qty)
	if err != nil {
		if apperr.CodeOf(err) == apperr.Internal {
			h.renderError(w, r, err)
			return
		}
		refuse(apperr.MessageOf(err))
		return
	}
	if res.Token != "" && res.Token != ref.Token {
		h.sessions.Put(ctx, SessionKey, res.Token)
	}
	target := productURL(res.ProductSlug, variant)
	// A form that is not on the product page (a "buy again" link, a recommendation) may
	// ask to land on the cart instead; nothing else is accepted, so no open redirect.
	if r.PostForm.Get("next") == "/cart" {
		target = "/cart"
	}
	if res.Notice != "" {
		h.flash(ctx, web.FlashInfo, res.Notice)
	} else {
		// The plain confirmation rides on the URL (see AddedMessage): adding to a cart is
		// the busiest write of the shop, and a flash would cost a session write each time.
		target = withAdded(target)
	}
	seeOther(w, r, target)
}
