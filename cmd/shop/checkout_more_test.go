package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/notify"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web/webtest"
)

// TestCheckoutManualPayment is a shop taking bank transfers: the order is placed with
// no payment page, the shopper is told it waits for the money, and it is paid once staff
// mark it so in the back office.
func TestCheckoutManualPayment(t *testing.T) {
	t.Parallel()
	f := checkoutSetupWith(t, appOptions{env: map[string]string{"SHOP_PAYMENT_PROVIDER": "manual"}})
	ctx := t.Context()
	b := f.a.browser(t)
	require.Equal(t, http.StatusSeeOther, b.addFromProductPage(t, f.items[0], 1).status)
	form := b.filledCheckout(t, guestAddress)
	res := b.submitCheckout(t, form, "place")
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	orderURL := res.header.Get("Location")
	require.True(t, strings.HasPrefix(orderURL, "/orders/"), "no payment page to go to: %s", orderURL)

	page := b.follow(t, res, http.StatusOK)
	p := parsePage(t, page.body)
	require.Contains(t, strings.Join(flashes(p), " "), "We will confirm it when we receive your payment.")
	require.Equal(t, "Awaiting payment", webtest.Text(p.one("payment-status")))
	require.True(t, p.has("manual-payment-note"))
	require.False(t, p.has("retry-payment"), "nothing to pay online")
	number := strings.TrimPrefix(webtest.Text(p.one("order-number")), "#")

	sent, _, err := f.a.m.notify.ListMessages(ctx, notify.MessageFilter{To: guestAddress["email"], Kind: "order_confirmation"})
	require.NoError(t, err)
	require.Len(t, sent, 1, "the shopper is told the order is placed and waits for the money")
	require.Equal(t, "Order #"+number+" received, awaiting payment", sent[0].Subject)

	// The money arrives; staff record it.
	_, err = f.a.m.users.CreateStaff(ctx, users.Actor{}, users.RoleOwner, users.RegisterInput{
		Email: "owner@shop.test", Name: "Owner", Password: adminTestPassword}, users.RoleOwner)
	require.NoError(t, err)
	staff := f.a.signIn(t, "owner@shop.test")
	admin := staff.send(t, http.MethodGet, "/admin/orders/"+number, nil)
	require.Equal(t, http.StatusOK, admin.status)
	ap := parsePage(t, admin.body)
	markPaid := ap.one("mark-paid-form")
	res = staff.send(t, http.MethodPost, webtest.Attr(markPaid, "action"), webtest.FormValues(t, markPaid))
	require.Equal(t, http.StatusSeeOther, res.status, res.body)

	page = b.send(t, http.MethodGet, orderURL, nil)
	require.Equal(t, "Paid", webtest.Text(parsePage(t, page.body).one("payment-status")))
	sent, _, err = f.a.m.notify.ListMessages(ctx, notify.MessageFilter{To: guestAddress["email"], Kind: "order_confirmation"})
	require.NoError(t, err)
	require.Len(t, sent, 2, "and then that the money arrived")
	require.Equal(t, "Order #"+number+" confirmed", sent[0].Subject, "newest first")
	require.Contains(t, sent[0].Text, "We have received your payment")
}

// TestCheckoutRateLimit: a client that has placed the most orders a minute allows is
// refused politely, with the form as typed, and nothing is placed.
func TestCheckoutRateLimit(t *testing.T) {
	t.Parallel()
	f := checkoutSetup(t)
	ctx := t.Context()
	b := f.a.browser(t)
	require.Equal(t, http.StatusSeeOther, b.addFromProductPage(t, f.items[0], 1).status)
	form := b.filledCheckout(t, guestAddress)

	// Thirty orders from this address in this minute already (the tests reach the shop
	// from 127.0.0.1).
	for range 30 {
		require.NoError(t, f.a.m.users.Allow(ctx, "checkout:127.0.0.1", users.Limit{Max: 30, Window: time.Minute}))
	}
	before := f.placed(t)
	res := b.submitCheckout(t, form, "place")
	require.Equal(t, http.StatusTooManyRequests, res.status)
	p := parsePage(t, res.body)
	require.Contains(t, webtest.Text(p.one("form-error")), "Too many attempts")
	require.Equal(t, guestAddress["ship_line1"], inputValue(t, p, "ship_line1"), "what was typed is kept")
	require.Equal(t, before, f.placed(t), "nothing placed")
	lines, _ := b.cartLines(t)
	require.Len(t, lines, 1, "the cart is intact")
}
