package ordersweb

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/web"
)

// adminDateLayout is how the list's date filters are written (what <input type="date">
// sends). They are days on the store's clock, like every time the back office shows.
const adminDateLayout = "2006-01-02"

// adminOrderListView is one page of the order list with its filters.
type adminOrderListView struct {
	Filters    adminOrderFilters
	Tabs       []adminStatusTab
	Total      int
	Rows       []adminOrderRow
	Pagination web.PaginationVM
	// Filtered says some filter is set, so an empty page means "nothing matches" rather
	// than "no orders yet".
	Filtered bool
}

// adminOrderFilters is the filter form as typed, with a message for a date it could not read.
type adminOrderFilters struct {
	Status, Payment, Fulfillment string
	From, To, Query              string
	Problem                      adminProblem
}

// adminStatusTab is one order status as a link with its count.
type adminStatusTab struct {
	Label   string
	Key     string // "" for every status
	URL     string
	Count   int
	Current bool
}

// adminOrderRow is one order in the list.
type adminOrderRow struct {
	Number      string
	URL         string
	PlacedAt    time.Time
	Email       string
	Name        string
	Status      adminStatusBadge
	Payment     adminStatusBadge
	Fulfillment adminStatusBadge
	Total       string
}

// adminOrderList lists orders newest first, filtered by status, payment and fulfilment
// status, date placed and a search (order number, email or name). A filter value that is
// not one of the choices is ignored; a date that cannot be read is named on its field
// and left out, and the rest of the filters still apply.
func (h *Handler) adminOrderList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	// A filter that could not be read answers 422 (its field says why) with the page the
	// other filters select.
	status := http.StatusOK
	v := adminOrderListView{Filters: adminOrderFilters{
		Status: q.Get("status"), Payment: q.Get("payment"), Fulfillment: q.Get("fulfillment"),
		From: adminKept(strings.TrimSpace(q.Get("from"))), To: adminKept(strings.TrimSpace(q.Get("to"))),
		Query: adminKept(strings.TrimSpace(q.Get("q"))),
	}}
	f := orders.ListFilter{
		Status: v.Filters.Status, PaymentStatus: v.Filters.Payment, FulfillmentStatus: v.Filters.Fulfillment,
		Query: v.Filters.Query, Page: page, PerPage: orders.DefaultPerPage,
	}
	problems := map[string]string{}
	loc := h.d.Renderer.Zone()
	from, okFrom := adminParseDay(v.Filters.From, loc)
	if !okFrom {
		problems["from"] = "Enter a date like 2026-01-31; this filter was not applied."
	}
	to, okTo := adminParseDay(v.Filters.To, loc)
	if !okTo {
		problems["to"] = "Enter a date like 2026-01-31; this filter was not applied."
	}
	if from != nil && to != nil && to.Before(*from) {
		problems["to"] = "The end date is before the start date; this filter was not applied."
		to = nil
	}
	f.From = from
	if to != nil {
		// The form's end date is inclusive: everything placed before the next day.
		next := to.AddDate(0, 0, 1)
		f.To = &next
	}
	if len(problems) > 0 {
		v.Filters.Problem = adminFieldsProblem(problems)
		status = http.StatusUnprocessableEntity
	}

	list, total, err := h.d.Orders.ListOrders(ctx, f)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	counts, err := h.d.Orders.CountOrdersByStatus(ctx, f)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}

	// Links keep the filters that were read, not the ones that were refused or ignored.
	kept := url.Values{}
	set := func(k, val string) {
		if val != "" {
			kept.Set(k, val)
		}
	}
	if orders.IsPaymentStatus(f.PaymentStatus) {
		set("payment", f.PaymentStatus)
	}
	if orders.IsFulfillmentStatus(f.FulfillmentStatus) {
		set("fulfillment", f.FulfillmentStatus)
	}
	if from != nil {
		set("from", from.Format(adminDateLayout))
	}
	if to != nil {
		set("to", to.Format(adminDateLayout))
	}
	set("q", v.Filters.Query)
	v.Filtered = len(kept) > 0 || orders.IsOrderStatus(f.Status)

	current := ""
	if orders.IsOrderStatus(f.Status) {
		current = f.Status
	}
	all := 0
	for _, n := range counts {
		all += n
	}
	v.Tabs = append(v.Tabs, adminStatusTab{Label: "All", URL: adminOrderListURL(kept, "", 1), Count: all, Current: current == ""})
	for _, s := range orders.OrderStatuses {
		v.Tabs = append(v.Tabs, adminStatusTab{Label: adminOrderStatusBadge(s).Label, Key: s,
			URL: adminOrderListURL(kept, s, 1), Count: counts[s], Current: current == s})
	}

	v.Total = total
	pages := max(1, (total+orders.DefaultPerPage-1)/orders.DefaultPerPage)
	v.Pagination = web.NewPagination(page, pages, func(n int) string { return adminOrderListURL(kept, current, n) })
	v.Rows = make([]adminOrderRow, len(list))
	for i, o := range list {
		v.Rows[i] = adminOrderRow{
			Number: adminOrderLabel(o.Number), URL: adminOrderPath(o.Number), PlacedAt: o.CreatedAt,
			Email: o.Email, Name: adminCustomerName(o), Status: adminOrderStatusBadge(o.Status),
			Payment: adminPaymentBadge(o.PaymentStatus), Fulfillment: adminFulfillmentBadge(o.FulfillmentStatus),
			Total: o.GrandTotal.String(),
		}
	}
	h.d.Renderer.Page(w, r, status, adminOrderListPage(v))
}

// adminParseDay reads a YYYY-MM-DD date as the start of that day on loc's clock; blank is
// no date.
func adminParseDay(s string, loc *time.Location) (*time.Time, bool) {
	if s == "" {
		return nil, true
	}
	t, err := time.ParseInLocation(adminDateLayout, s, loc)
	if err != nil {
		return nil, false
	}
	return &t, true
}

// adminOrderListURL is the list with filters, status and page, so every tab and page link
// is shareable and bookmarkable.
func adminOrderListURL(filters url.Values, status string, page int) string {
	v := url.Values{}
	for k, vs := range filters {
		v[k] = vs
	}
	if status != "" {
		v.Set("status", status)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return adminOrdersPath
	}
	return adminOrdersPath + "?" + v.Encode()
}

// adminOrderCount is the line above the table.
func adminOrderCount(total int, filtered bool) string {
	switch {
	case total == 0 && filtered:
		return "No order matches these filters."
	case total == 0:
		return "No orders yet. Orders appear here as soon as shoppers check out."
	case total == 1:
		return "1 order"
	}
	return strconv.Itoa(total) + " orders"
}

// adminStatusChoices are a status filter's options, "any" first.
func adminStatusChoices(anyLabel string, values []string, label func(string) adminStatusBadge) []web.Option {
	out := []web.Option{{Value: "", Label: anyLabel}}
	for _, s := range values {
		out = append(out, web.Option{Value: s, Label: label(s).Label})
	}
	return out
}
