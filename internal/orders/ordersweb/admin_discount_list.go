package ordersweb

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/web"
)

// adminDiscountListView is one page of the discount codes.
type adminDiscountListView struct {
	Total      int
	Rows       []adminDiscountRow
	Pagination web.PaginationVM
}

// adminDiscountRow is one code in the list.
type adminDiscountRow struct {
	Code     string
	Value    string
	Limits   string
	Used     string
	StartsAt *time.Time
	EndsAt   *time.Time
	Status   adminStatusBadge
	EditURL  string
	// DeactivateURL stops an active code; empty when it is inactive.
	DeactivateURL string
	Warning       string
}

// adminDiscountList lists the discount codes, newest first, with what each gives, its
// limits, how often it has been used and whether it applies now.
func (h *Handler) adminDiscountList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	page, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	codes, total, err := h.d.Orders.ListDiscountCodes(ctx, page)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	currency, err := h.adminShopCurrency(ctx)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	pages := (total + orders.DiscountCodesPerPage - 1) / orders.DiscountCodesPerPage
	v := adminDiscountListView{Total: total, Pagination: web.NewPagination(page, pages, func(n int) string {
		return adminDiscountsPath + "?" + url.Values{"page": {strconv.Itoa(n)}}.Encode()
	})}
	now := time.Now()
	for _, c := range codes {
		row := adminDiscountRow{
			Code: c.Code, Value: adminDiscountValue(c), Limits: adminDiscountLimits(c), Used: adminDiscountUsed(c),
			StartsAt: c.StartsAt, EndsAt: c.EndsAt, Status: adminDiscountStatus(c, now), EditURL: adminDiscountPath(c.ID),
			Warning: adminCurrencyWarning(adminDiscountCurrency(c), currency),
		}
		if c.Active {
			row.DeactivateURL = adminDiscountPath(c.ID) + "/deactivate"
		}
		v.Rows = append(v.Rows, row)
	}
	h.d.Renderer.Page(w, r, http.StatusOK, adminDiscountListPage(v))
}
