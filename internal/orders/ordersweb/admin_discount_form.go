package ordersweb

import (
	"net/http"
	"strconv"
	"time"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/web"
)

// adminDiscountFormView is the page of one discount code, new or existing.
type adminDiscountFormView struct {
	Title    string
	Action   string
	Submit   string
	Currency string
	Form     adminDiscountForm
	// The rest is for an existing code only.
	Used   string
	Status *adminStatusBadge
	// DeactivateAction stops the code; empty when it is new or inactive.
	DeactivateAction string
	Warning          string
}

// adminDiscountForm is a code's form as stored or as typed.
type adminDiscountForm struct {
	Code, Kind, Percent, Amount, MinSubtotal string
	StartsAt, EndsAt                         string
	UsageLimit, PerCustomerLimit             string
	Active                                   bool
	Problem                                  adminProblem
}

// adminDiscountInput reads a submitted code form: what the service is asked to save, in
// the shop's currency, and the form as typed.
func adminDiscountInput(r *http.Request, currency string, loc *time.Location) (orders.DiscountCodeInput, adminDiscountForm) {
	pf := r.PostForm
	in := orders.DiscountCodeInput{
		Code: pf.Get("code"), Kind: pf.Get("kind"), Percent: pf.Get("percent"), Amount: pf.Get("amount"),
		MinSubtotal: pf.Get("min_subtotal"), StartsAt: pf.Get("starts_at"), EndsAt: pf.Get("ends_at"),
		UsageLimit: pf.Get("usage_limit"), PerCustomerLimit: pf.Get("per_customer_limit"),
		Active: pf.Get("active") != "", Currency: currency, Location: loc,
	}
	return in, adminDiscountForm{
		Code: adminKept(in.Code), Kind: adminKept(in.Kind), Percent: adminKept(in.Percent), Amount: adminKept(in.Amount),
		MinSubtotal: adminKept(in.MinSubtotal), StartsAt: adminKept(in.StartsAt), EndsAt: adminKept(in.EndsAt),
		UsageLimit: adminKept(in.UsageLimit), PerCustomerLimit: adminKept(in.PerCustomerLimit), Active: in.Active,
	}
}

// adminDiscountFormOf is a stored code's form, its times on loc's clock.
func adminDiscountFormOf(c orders.DiscountCode, loc *time.Location) adminDiscountForm {
	f := adminDiscountForm{Code: c.Code, Kind: string(c.Kind), Active: c.Active}
	switch c.Kind {
	case orders.DiscountPercent:
		f.Percent = adminPercentInput(c.BasisPoints)
	case orders.DiscountFixed:
		f.Amount = adminAmountInput(c.Amount)
	}
	if c.MinSubtotal.Minor > 0 {
		f.MinSubtotal = adminAmountInput(c.MinSubtotal)
	}
	inputTime := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(loc).Format(adminDiscountInputTime)
	}
	f.StartsAt, f.EndsAt = inputTime(c.StartsAt), inputTime(c.EndsAt)
	if c.UsageLimit != nil {
		f.UsageLimit = strconv.Itoa(*c.UsageLimit)
	}
	if c.PerCustomerLimit != nil {
		f.PerCustomerLimit = strconv.Itoa(*c.PerCustomerLimit)
	}
	return f
}

// renderAdminNewDiscount renders the new-code page with form.
func (h *Handler) renderAdminNewDiscount(w http.ResponseWriter, r *http.Request, status int, form adminDiscountForm) {
	currency, err := h.adminShopCurrency(r.Context())
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	h.d.Renderer.Page(w, r, status, adminDiscountFormPage(adminDiscountFormView{
		Title: "New discount code", Action: adminDiscountsPath, Submit: "Create code", Currency: currency, Form: form,
	}))
}

// renderAdminDiscount renders an existing code's page; form replaces the stored values
// when not nil (a refused save).
func (h *Handler) renderAdminDiscount(w http.ResponseWriter, r *http.Request, id int64, status int, form *adminDiscountForm) {
	ctx := r.Context()
	c, err := h.d.Orders.FindDiscountCode(ctx, id)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	currency, err := h.adminShopCurrency(ctx)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	badge := adminDiscountStatus(c, time.Now())
	v := adminDiscountFormView{
		Title: "Discount code " + c.Code, Action: adminDiscountPath(id), Submit: "Save code", Currency: currency,
		Form: adminDiscountFormOf(c, h.d.Renderer.Zone()), Used: adminDiscountUsed(c), Status: &badge,
		Warning: adminCurrencyWarning(adminDiscountCurrency(c), currency),
	}
	if c.Active {
		v.DeactivateAction = adminDiscountPath(id) + "/deactivate"
	}
	if form != nil {
		v.Form = *form
	}
	h.d.Renderer.Page(w, r, status, adminDiscountFormPage(v))
}

// adminDiscountSaved ends a successful save on the list of codes.
func (h *Handler) adminDiscountSaved(w http.ResponseWriter, r *http.Request, c orders.DiscountCode) {
	h.adminFlashSuccess(r, "Discount code "+c.Code+" saved.")
	web.SeeOther(w, r, adminDiscountsPath)
}
