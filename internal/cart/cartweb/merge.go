package cartweb

import (
	"context"

	"github.com/monoshop/monoshop/internal/platform/httpx"
	"github.com/monoshop/monoshop/web"
)

// MergeGuestCart is the sign-in hook: what the shopper put in the cart as a guest joins
// the customer's cart, and the next page says what changed. A failure is logged but
// never blocks signing in: the guest cart stays in the session, untouched.
func (h *Handler) MergeGuestCart(ctx context.Context, accountID int64) error {
	token := h.sessions.GetString(ctx, SessionKey)
	if token == "" {
		return nil
	}
	msgs, err := h.cart.MergeOnSignIn(ctx, token, accountID)
	if err != nil {
		h.log.ErrorContext(ctx, "guest cart not merged at sign-in", "err", err, "account_id", accountID,
			"request_id", httpx.RequestIDFrom(ctx))
		return nil
	}
	// The customer's cart is the cart from now on; after signing out the session starts
	// an empty guest cart rather than showing the account's to the next person.
	h.sessions.Remove(ctx, SessionKey)
	for i, m := range msgs {
		kind := web.FlashInfo
		if i == 0 {
			kind = web.FlashSuccess
		}
		h.flash(ctx, kind, m)
	}
	return nil
}
