package orders_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/users"
)

// discountInput is a valid form for a 10 % code, in euros.
func discountInput(code string) orders.DiscountCodeInput {
	return orders.DiscountCodeInput{Code: code, Kind: "percent", Percent: "10", Active: true, Currency: "EUR"}
}

// discountOrder is a checkout of two tees (€40.00) to France with code, as the shopper
// email, each key a separate submission.
func discountOrder(key, email, code string) orders.PlaceOrderInput {
	return orders.PlaceOrderInput{
		IdempotencyKey: key, Lines: settingsCart(2), Email: email, DiscountCode: code,
		Shipping:        orders.Address{Country: "FR"},
		ShippingAddress: orders.AddressDetails{"name": "Ada", "line1": "1 rue X", "city": "Paris", "postal_code": "75001", "country": "FR"},
		Method:          orders.ShippingMethod{Name: "Pickup", Kind: orders.MethodFlat, Price: settingsEUR(0)},
		Mode:            orders.PricesIncludeTax, PaymentProvider: payments.ProviderManual,
	}
}

func TestDiscountCodesAdmin(t *testing.T) {
	t.Parallel()

	t.Run("OKCreateEditDeactivate", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		in := discountInput(" summer-10 ")
		in.MinSubtotal, in.StartsAt, in.EndsAt, in.PerCustomerLimit = "30", "2026-06-01T00:00", "2026-09-01", "1"
		c, err := e.svc.CreateDiscountCodeAs(e.ctx, settingsStaff, in)
		require.NoError(t, err)
		require.Equal(t, "SUMMER-10", c.Code)
		require.Equal(t, 1000, c.BasisPoints)
		require.Equal(t, settingsEUR(3000), c.MinSubtotal)
		require.Equal(t, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), c.StartsAt.UTC())
		require.Equal(t, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), c.EndsAt.UTC())
		require.Nil(t, c.UsageLimit)
		require.Equal(t, 1, *c.PerCustomerLimit)
		require.True(t, c.Active)

		edit := orders.DiscountCodeInput{Code: "SUMMER-10", Kind: "fixed", Amount: "5", EndsAt: "2026-09-01T00:00", UsageLimit: "100",
			Active: true, Currency: "EUR"}
		_, err = e.svc.UpdateDiscountCode(e.ctx, settingsStaff, c.ID, edit)
		require.NoError(t, err)
		got, err := e.svc.FindDiscountCode(e.ctx, c.ID)
		require.NoError(t, err)
		require.Equal(t, orders.DiscountFixed, got.Kind)
		require.Equal(t, settingsEUR(500), got.Amount)
		require.Equal(t, 100, *got.UsageLimit)
		require.Nil(t, got.StartsAt, "an emptied date is cleared")
		require.Equal(t, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), got.EndsAt.UTC())
		require.Nil(t, got.PerCustomerLimit)

		off, err := e.svc.DeactivateDiscountCode(e.ctx, settingsStaff, c.ID)
		require.NoError(t, err)
		require.False(t, off.Active)
		list, total, err := e.svc.ListDiscountCodes(e.ctx, 1)
		require.NoError(t, err)
		require.Equal(t, 1, total)
		require.False(t, list[0].Active)

		created := e.audit(t, "discount.create")
		require.Len(t, created, 1)
		require.Equal(t, "SUMMER-10", created[0].Changes["code"].After)
		updated := e.audit(t, "discount.update")
		require.Len(t, updated, 1)
		require.Equal(t, users.Change{Before: "percent", After: "fixed"}, updated[0].Changes["kind"])
		require.NotContains(t, updated[0].Changes, "code", "an unchanged field is not logged as changed")
		require.NotContains(t, updated[0].Changes, "ends_at", "an unchanged date is not logged as changed")
		require.Len(t, e.audit(t, "discount.deactivate"), 1)
	})

	t.Run("OKDeactivatedCodeNoLongerApplies", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		c, err := e.svc.CreateDiscountCodeAs(e.ctx, settingsStaff, discountInput("WELCOME"))
		require.NoError(t, err)

		o, err := e.svc.PlaceOrder(e.ctx, discountOrder("first", "ada@example.com", "welcome"))
		require.NoError(t, err)
		require.Equal(t, settingsEUR(400), o.DiscountTotal, "10 % of €40.00")

		_, err = e.svc.DeactivateDiscountCode(e.ctx, settingsStaff, c.ID)
		require.NoError(t, err)
		_, err = e.svc.PlaceOrder(e.ctx, discountOrder("second", "bob@example.com", "WELCOME"))
		require.True(t, apperr.Is(err, apperr.Invalid), "%v", err)
		require.Equal(t, "The code WELCOME is not valid now.", apperr.MessageOf(err))

		got, err := e.svc.FindDiscountCode(e.ctx, c.ID)
		require.NoError(t, err)
		require.Equal(t, 1, got.UsedCount, "the refused order did not count a use")

		reactivate := discountInput("WELCOME")
		_, err = e.svc.UpdateDiscountCode(e.ctx, settingsStaff, c.ID, reactivate)
		require.NoError(t, err)
		o, err = e.svc.PlaceOrder(e.ctx, discountOrder("third", "bob@example.com", "WELCOME"))
		require.NoError(t, err, "an active code applies again")
		require.Equal(t, settingsEUR(400), o.DiscountTotal)
	})

	t.Run("ErrUsageLimitBelowUses", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		c, err := e.svc.CreateDiscountCodeAs(e.ctx, settingsStaff, discountInput("TWICE"))
		require.NoError(t, err)
		for i, email := range []string{"a@example.com", "b@example.com"} {
			_, err := e.svc.PlaceOrder(e.ctx, discountOrder(fmt.Sprint("order-", i), email, "TWICE"))
			require.NoError(t, err)
		}
		in := discountInput("TWICE")
		in.UsageLimit = "1"
		_, err = e.svc.UpdateDiscountCode(e.ctx, settingsStaff, c.ID, in)
		requireSettingsRefusal(t, err, "usage_limit", "This code has been used 2 times already; enter a limit of at least 2, or leave it empty.")
		in.UsageLimit = "2"
		got, err := e.svc.UpdateDiscountCode(e.ctx, settingsStaff, c.ID, in)
		require.NoError(t, err)
		require.Equal(t, 2, got.UsedCount)
		require.Equal(t, 2, *got.UsageLimit)
	})

	t.Run("ErrFields", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		with := func(change func(in *orders.DiscountCodeInput)) orders.DiscountCodeInput {
			in := discountInput("CODE")
			change(&in)
			return in
		}
		for _, tc := range []struct {
			name       string
			in         orders.DiscountCodeInput
			field, msg string
		}{
			{"NoCode", with(func(in *orders.DiscountCodeInput) { in.Code = " " }), "code", "Enter a code, like SUMMER10."},
			{"Space", with(func(in *orders.DiscountCodeInput) { in.Code = "SUMMER 10" }), "code",
				"Use up to 40 letters, digits, hyphens or underscores, like SUMMER-10."},
			{"TooLong", with(func(in *orders.DiscountCodeInput) { in.Code = strings.Repeat("A", 41) }), "code",
				"Use up to 40 letters, digits, hyphens or underscores, like SUMMER-10."},
			{"NoKind", with(func(in *orders.DiscountCodeInput) { in.Kind = "" }), "kind", "Choose what the code gives."},
			{"PercentZero", with(func(in *orders.DiscountCodeInput) { in.Percent = "0" }), "percent", "Enter a percentage from 1 to 100."},
			{"PercentOver", with(func(in *orders.DiscountCodeInput) { in.Percent = "100.01" }), "percent", "Enter a percentage from 1 to 100."},
			{"PercentDecimals", with(func(in *orders.DiscountCodeInput) { in.Percent = "12.345" }), "percent", "Use at most 2 decimals, like 8.25."},
			{"FixedZero", with(func(in *orders.DiscountCodeInput) { in.Kind, in.Amount = "fixed", "0" }), "amount", "Enter an amount above 0."},
			{"FixedWord", with(func(in *orders.DiscountCodeInput) { in.Kind, in.Amount = "fixed", "five" }), "amount",
				"Enter an amount as a number, like 4.90."},
			{"MinSubtotal", with(func(in *orders.DiscountCodeInput) { in.MinSubtotal = "-5" }), "min_subtotal", "Enter an amount of 0 or more."},
			{"StartWord", with(func(in *orders.DiscountCodeInput) { in.StartsAt = "tomorrow" }), "starts_at",
				"Enter a date and time like 2026-12-01 09:00 (UTC)."},
			{"EndBeforeStart", with(func(in *orders.DiscountCodeInput) { in.StartsAt, in.EndsAt = "2026-12-01T09:00", "2026-11-30T09:00" }),
				"ends_at", "The end must be after the start."},
			{"UsageZero", with(func(in *orders.DiscountCodeInput) { in.UsageLimit = "0" }), "usage_limit",
				"Enter a whole number of at least 1, or leave it empty for no limit."},
			{"PerCustomerWord", with(func(in *orders.DiscountCodeInput) { in.PerCustomerLimit = "once" }), "per_customer_limit",
				"Enter a whole number of at least 1, or leave it empty for no limit."},
		} {
			_, err := e.svc.CreateDiscountCodeAs(e.ctx, settingsStaff, tc.in)
			require.Error(t, err, tc.name)
			requireSettingsRefusal(t, err, tc.field, tc.msg)
		}
		_, total, err := e.svc.ListDiscountCodes(e.ctx, 1)
		require.NoError(t, err)
		require.Zero(t, total)
	})

	t.Run("ErrDuplicateCode", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		_, err := e.svc.CreateDiscountCodeAs(e.ctx, settingsStaff, discountInput("SUMMER10"))
		require.NoError(t, err)
		other, err := e.svc.CreateDiscountCodeAs(e.ctx, settingsStaff, discountInput("WINTER10"))
		require.NoError(t, err)
		_, err = e.svc.CreateDiscountCodeAs(e.ctx, settingsStaff, discountInput("summer10"))
		requireSettingsRefusal(t, err, "code", "A code SUMMER10 exists already.")
		_, err = e.svc.UpdateDiscountCode(e.ctx, settingsStaff, other.ID, discountInput("Summer10"))
		requireSettingsRefusal(t, err, "code", "A code SUMMER10 exists already.")
	})

	t.Run("OKPages", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		for i := range orders.DiscountCodesPerPage + 1 {
			_, err := e.svc.CreateDiscountCodeAs(e.ctx, settingsStaff, discountInput(fmt.Sprintf("CODE%02d", i)))
			require.NoError(t, err)
		}
		first, total, err := e.svc.ListDiscountCodes(e.ctx, 1)
		require.NoError(t, err)
		require.Equal(t, orders.DiscountCodesPerPage+1, total)
		require.Len(t, first, orders.DiscountCodesPerPage)
		require.Equal(t, fmt.Sprintf("CODE%02d", orders.DiscountCodesPerPage), first[0].Code, "newest first")
		second, _, err := e.svc.ListDiscountCodes(e.ctx, 2)
		require.NoError(t, err)
		require.Len(t, second, 1)
		require.Equal(t, "CODE00", second[0].Code)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t)
		_, err := e.svc.FindDiscountCode(e.ctx, 404)
		require.True(t, apperr.Is(err, apperr.NotFound), "%v", err)
		_, err = e.svc.UpdateDiscountCode(e.ctx, settingsStaff, 404, discountInput("GONE"))
		require.True(t, apperr.Is(err, apperr.NotFound), "%v", err)
		_, err = e.svc.DeactivateDiscountCode(e.ctx, settingsStaff, 404)
		require.True(t, apperr.Is(err, apperr.NotFound), "%v", err)
	})
}
