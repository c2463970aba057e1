package orders_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/notify"
	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/payments/paymentstest"
)

// one returns the only email of kind about o.
func (s *shop) one(t *testing.T, kind string, o orders.Order) notify.Message {
	t.Helper()
	msgs := s.emails(t, kind, o)
	require.Len(t, msgs, 1, "%s emails of order %d", kind, o.Number)
	require.Equal(t, "shopper@example.com", msgs[0].To)
	return msgs[0]
}

func TestOrderEmails(t *testing.T) {
	t.Parallel()

	t.Run("OKConfirmedWhenPaid", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.place(t, order("card", payments.ProviderTest))
		require.Empty(t, s.emails(t, orders.EmailOrderConfirmation, o), "a card order is confirmed when the money arrives")
		s.payByCard(t, o, paymentstest.CardSucceeds)

		m := s.one(t, orders.EmailOrderConfirmation, o)
		require.Equal(t, fmt.Sprintf("Order #%d confirmed", o.Number), m.Subject)
		for _, want := range []string{
			"3 × Blue tee (Size: M)  €60.00",
			"2 × Red cap  €30.00",
			"Subtotal: €90.00",
			"Shipping (Colissimo): €5.00",
			"Total: €95.00",
			"Including tax: €15.83",
			"https://shop.test/orders/" + o.Token,
		} {
			require.Contains(t, m.Text, want)
		}
		require.NotContains(t, m.Text, "Discount")
		require.NotContains(t, m.Text, "awaiting payment")
		for _, want := range []string{"Blue tee", "Size: M", "€60.00", "Including tax", "€15.83", "€95.00", `href="https://shop.test/orders/` + o.Token + `"`, "Test Shop"} {
			require.Contains(t, m.HTML, want)
		}
		require.Equal(t, 1, s.hookCalls(t, "placed", o.Number))
		require.Equal(t, 1, s.hookCalls(t, "paid", o.Number))
	})

	t.Run("OKAwaitingPaymentWhenManual", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.place(t, order("transfer", payments.ProviderManual))
		m := s.one(t, orders.EmailOrderConfirmation, o)
		require.Equal(t, fmt.Sprintf("Order #%d received, awaiting payment", o.Number), m.Subject)
		require.Contains(t, m.Text, "awaiting payment")
		require.Contains(t, m.HTML, "awaiting payment")
		require.Zero(t, s.hookCalls(t, "paid", o.Number))
	})

	t.Run("OKTaxExcludedAndDiscount", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		_, err := s.svc.CreateDiscountCode(s.ctx, orders.CreateDiscountCodeInput{Code: "SAVE10", Kind: orders.DiscountPercent, BasisPoints: 1000})
		require.NoError(t, err)
		in := order("excl", payments.ProviderManual)
		in.Mode = orders.PricesExcludeTax
		in.DiscountCode = "save10"
		o := s.place(t, in)
		m := s.one(t, orders.EmailOrderConfirmation, o)
		// 90.00 − 9.00 = 81.00 taxed 16.20, shipping 5.00 taxed 1.00: 81 + 5 + 17.20.
		for _, want := range []string{"Subtotal: €90.00", "Discount SAVE10: −€9.00", "Tax: €17.20", "Total: €103.20"} {
			require.Contains(t, m.Text, want)
		}
		require.NotContains(t, m.Text, "Including tax")
		require.Less(t, strings.Index(m.Text, "Tax: "), strings.Index(m.Text, "Total: "), "tax is added before the total")
	})

	t.Run("OKFreeOrderConfirmedAtOnce", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		_, err := s.svc.CreateDiscountCode(s.ctx, orders.CreateDiscountCodeInput{Code: "GIFT", Kind: orders.DiscountPercent, BasisPoints: 10000})
		require.NoError(t, err)
		in := order("free", payments.ProviderTest)
		in.DiscountCode = "GIFT"
		in.Method.Price = eur(0)
		o := s.place(t, in)
		require.Equal(t, orders.PaymentPaid, o.PaymentStatus)
		m := s.one(t, orders.EmailOrderConfirmation, o)
		require.Contains(t, m.Text, "There is nothing to pay")
		require.Equal(t, 1, s.hookCalls(t, "paid", o.Number), "a free order is paid when placed")
	})

	t.Run("OKPaymentFailed", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.place(t, order("declined", payments.ProviderTest))
		s.payByCard(t, o, paymentstest.CardDeclined)
		m := s.one(t, orders.EmailOrderPaymentFailed, o)
		require.Equal(t, fmt.Sprintf("Payment for order #%d failed", o.Number), m.Subject)
		require.Contains(t, m.Text, "(card declined)")
		require.Contains(t, m.Text, "https://shop.test/orders/"+o.Token)
		require.Empty(t, s.emails(t, orders.EmailOrderConfirmation, o))
	})

	t.Run("OKShippedWithoutTracking", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.paidOrder(t, "no-tracking")
		_, err := s.svc.Fulfil(s.ctx, ann, o.Number, orders.FulfilInput{})
		require.NoError(t, err)
		m := s.one(t, orders.EmailOrderShipped, o)
		require.Contains(t, m.Text, fmt.Sprintf("order #%d is on its way", o.Number))
		require.NotContains(t, m.Text, "Tracking")
		require.NotContains(t, m.HTML, "Track your parcel")
	})

	t.Run("OKRefundedShowsAmount", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, shopOptions{})
		o := s.paidOrder(t, "refunded")
		_, err := s.svc.Refund(s.ctx, ann, o.Number, orders.RefundInput{Amount: eur(1250), IdempotencyKey: "k"})
		require.NoError(t, err)
		m := s.one(t, orders.EmailOrderRefunded, o)
		require.Equal(t, fmt.Sprintf("Refund for order #%d", o.Number), m.Subject)
		require.Contains(t, m.Text, "We refunded €12.50")
		require.Contains(t, m.Text, "Refunded: €12.50")
		require.Contains(t, m.HTML, "€12.50")
	})

	t.Run("OKNoOutboxNoEmail", func(t *testing.T) {
		t.Parallel()
		e := setup(t, 5)
		_, err := e.svc.PlaceOrder(e.ctx, input("quiet"))
		require.NoError(t, err, "a service without an outbox places orders silently")
	})
}
