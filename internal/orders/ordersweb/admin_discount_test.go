package ordersweb_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/web/webtest"
)

func TestAdminDiscountCodes(t *testing.T) {
	t.Parallel()

	// discountRow is what the list says of code: value, conditions, uses and status.
	discountRow := func(t *testing.T, e *settingsEnv, code string) []string {
		t.Helper()
		row := settingsRow(t, e.open(t, "/admin/discounts"), "discount-row", "data-code", code)
		return []string{settingsTextIn(t, row, "discount-value"), settingsTextIn(t, row, "discount-limits"),
			settingsTextIn(t, row, "discount-used"), settingsTextIn(t, row, "discount-status")}
	}

	t.Run("OKCreateEditDeactivate", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		require.True(t, e.open(t, "/admin/discounts").has("discounts-empty"))

		p := e.open(t, "/admin/discounts/new")
		require.True(t, webtest.HasAttr(webtest.Control(t, p.one(t, "discount-form"), "active"), "checked"), "a new code is active unless unticked")
		to, msg := e.followed(t, settingsSubmit(t, e, p, "discount-form", url.Values{
			"code": {"spring-15"}, "kind": {"percent"}, "percent": {"15"}, "min_subtotal": {"30"},
			"starts_at": {"2020-03-01T00:00"}, "ends_at": {"2099-06-01T00:00"}, "usage_limit": {"100"}, "per_customer_limit": {"1"},
		}))
		require.Equal(t, "/admin/discounts", to)
		require.Equal(t, "Discount code SPRING-15 saved.", msg)
		require.Equal(t, []string{"15% off", "From €30.00 · 1 per customer", "0 of 100", "Active"}, discountRow(t, e, "SPRING-15"))
		row := settingsRow(t, e.open(t, "/admin/discounts"), "discount-row", "data-code", "SPRING-15")
		require.Equal(t, "2020-03-01 00:00:00 UTC", settingsTextIn(t, row, "discount-starts"))
		require.Equal(t, "2099-06-01 00:00:00 UTC", settingsTextIn(t, row, "discount-ends"))

		o, err := e.checkout(t, "ada", "spring-15")
		require.NoError(t, err)
		require.Equal(t, money.New(600, "EUR"), o.DiscountTotal, "15 % of €40.00")
		require.Equal(t, "1 of 100", discountRow(t, e, "SPRING-15")[2])

		edit := webtest.Attr(webtest.ByTestID(row, "discount-code")[0], "href")
		p = e.open(t, edit)
		require.Equal(t, "15", settingsValue(t, p, "discount-form", "percent"))
		require.Equal(t, "2099-06-01T00:00", settingsValue(t, p, "discount-form", "ends_at"))
		require.Equal(t, "1 of 100", p.text(t, "discount-used"))
		e.followed(t, settingsSubmit(t, e, p, "discount-form", url.Values{"percent": {"12.5"}}))
		require.Equal(t, []string{"12.5% off", "From €30.00 · 1 per customer", "1 of 100", "Active"}, discountRow(t, e, "SPRING-15"),
			"saving the form as shown keeps everything else, uses included")

		row = settingsRow(t, e.open(t, "/admin/discounts"), "discount-row", "data-code", "SPRING-15")
		to, msg = e.saved(t, webtest.Attr(webtest.ByTestID(row, "discount-deactivate")[0], "action"), url.Values{})
		require.Equal(t, "/admin/discounts", to)
		require.Equal(t, "Discount code SPRING-15 deactivated: it no longer applies to new orders.", msg)
		require.Equal(t, "Inactive", discountRow(t, e, "SPRING-15")[3])
		row = settingsRow(t, e.open(t, "/admin/discounts"), "discount-row", "data-code", "SPRING-15")
		require.Empty(t, webtest.ByTestID(row, "discount-deactivate"), "an inactive code offers no deactivation")

		_, err = e.checkout(t, "bob", "SPRING-15")
		require.True(t, apperr.Is(err, apperr.Invalid), "%v", err)
		require.Equal(t, "The code SPRING-15 is not valid now.", apperr.MessageOf(err), "checkout refuses a deactivated code")
		require.Equal(t, 1, e.auditCount(t, "discount.create"))
		require.Equal(t, 1, e.auditCount(t, "discount.update"))
		require.Equal(t, 1, e.auditCount(t, "discount.deactivate"))
	})

	t.Run("ErrFieldsKeepWhatWasTyped", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		p := e.refused(t, "/admin/discounts", url.Values{"code": {"bad code!"}, "kind": {"fixed"}, "amount": {"0"},
			"starts_at": {"2026-12-01T09:00"}, "ends_at": {"2026-11-30T09:00"}, "usage_limit": {"none"}, "active": {"on"}})
		require.Equal(t, "Please correct the highlighted fields.", p.text(t, "form-error"))
		require.Equal(t, "Use up to 40 letters, digits, hyphens or underscores, like SUMMER-10.", settingsFieldError(t, p, "code"))
		require.Equal(t, "Enter an amount above 0.", settingsFieldError(t, p, "amount"))
		require.Equal(t, "The end must be after the start.", settingsFieldError(t, p, "ends_at"))
		require.Equal(t, "Enter a whole number of at least 1, or leave it empty for no limit.", settingsFieldError(t, p, "usage_limit"))
		for name, typed := range map[string]string{"code": "bad code!", "amount": "0", "starts_at": "2026-12-01T09:00",
			"ends_at": "2026-11-30T09:00", "usage_limit": "none"} {
			require.Equal(t, typed, settingsValue(t, p, "discount-form", name), "%s is kept as typed", name)
		}
		require.Equal(t, "fixed", webtest.Attr(webtest.All(webtest.Control(t, p.one(t, "discount-form"), "kind"), func(n *htmlNode) bool {
			return n.Data == "option" && webtest.HasAttr(n, "selected")
		})[0], "value"))
		require.True(t, e.open(t, "/admin/discounts").has("discounts-empty"), "nothing was saved")

		p = e.refused(t, "/admin/discounts", url.Values{"code": {"TEN"}, "kind": {"percent"}, "percent": {"10.555"}})
		require.Equal(t, "Use at most 2 decimals, like 8.25.", settingsFieldError(t, p, "percent"))
		require.Equal(t, "10.555", settingsValue(t, p, "discount-form", "percent"))
	})

	t.Run("ErrDuplicateCode", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		e.saved(t, "/admin/discounts", url.Values{"code": {"WELCOME"}, "kind": {"free_shipping"}, "active": {"on"}})
		require.Equal(t, []string{"Free shipping", "None", "0 (no limit)", "Active"}, discountRow(t, e, "WELCOME"))
		p := e.refused(t, "/admin/discounts", url.Values{"code": {"welcome"}, "kind": {"percent"}, "percent": {"5"}})
		require.Equal(t, "A code WELCOME exists already.", settingsFieldError(t, p, "code"))
		require.Equal(t, "welcome", settingsValue(t, p, "discount-form", "code"))
	})

	t.Run("ErrUnknownCode", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		require.Equal(t, http.StatusNotFound, e.get(t, "/admin/discounts/999").status)
		require.Equal(t, http.StatusNotFound, e.post(t, "/admin/discounts/999/deactivate", url.Values{}).status)
		require.Equal(t, http.StatusNotFound, e.post(t, "/admin/discounts/999", url.Values{"code": {"X"}, "kind": {"free_shipping"}}).status)
	})
}
