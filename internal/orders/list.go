package orders

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/monoshop/monoshop/internal/orders/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// Page sizes of the back office's order list.
const (
	DefaultPerPage = 50
	MaxPerPage     = 200
)

// maxListPage bounds how deep the list pages: an OFFSET of millions of rows is a slow
// query for a page nobody reads.
const maxListPage = 10_000

// ListFilter selects orders for the back office's list. Empty fields select everything;
// a status the order model does not know is ignored rather than refused, so a stale
// bookmark still opens the list.
type ListFilter struct {
	Status, PaymentStatus, FulfillmentStatus string
	// From and To bound when the order was placed: From inclusive, To exclusive (the
	// caller turns "to 30 June" into "before 1 July").
	From, To *time.Time
	// Query is "#1001" or "1001" (the order number), or any other text, matched
	// case-insensitively within the email address and the names on both addresses.
	Query string
	// Page is 1-based; PerPage defaults to DefaultPerPage and is capped at MaxPerPage.
	Page, PerPage int
}

// ListOrders returns one page of the orders f selects, newest first, and how many it
// selects in all.
func (s *Service) ListOrders(ctx context.Context, f ListFilter) ([]Order, int, error) {
	f = f.normalized()
	if number, ok := orderNumberQuery(f.Query); ok {
		return s.listByNumber(ctx, f, number)
	}
	counts, err := s.countByStatus(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	total := 0
	for status, n := range counts {
		if f.Status == "" || f.Status == status {
			total += n
		}
	}
	if total == 0 {
		return []Order{}, 0, nil
	}
	rows, err := s.q.OrdersList(ctx, s.pool, dbsqlc.OrdersListParams{
		Status:            nullIfEmpty(f.Status),
		PaymentStatus:     nullIfEmpty(f.PaymentStatus),
		FulfillmentStatus: nullIfEmpty(f.FulfillmentStatus),
		CreatedFrom:       f.From,
		CreatedBefore:     f.To,
		Pattern:           containsPattern(f.Query),
		SkipRows:          db.Offset(f.Page, f.PerPage),
		MaxRows:           int32(f.PerPage),
	})
	if err != nil {
		return nil, 0, fmt.Errorf("orders: list orders: %w", err)
	}
	out := make([]Order, len(rows))
	for i, r := range rows {
		out[i] = orderFromRow(r)
	}
	return out, total, nil
}

// CountOrdersByStatus counts, per order status, the orders f selects when its Status is
// left out: the numbers on the list's status tabs.
func (s *Service) CountOrdersByStatus(ctx context.Context, f ListFilter) (map[string]int, error) {
	f = f.normalized()
	if number, ok := orderNumberQuery(f.Query); ok {
		f.Status = ""
		found, _, err := s.listByNumber(ctx, f, number)
		if err != nil {
			return nil, err
		}
		counts := map[string]int{}
		for _, o := range found {
			counts[o.Status]++
		}
		return counts, nil
	}
	return s.countByStatus(ctx, f)
}

func (s *Service) countByStatus(ctx context.Context, f ListFilter) (map[string]int, error) {
	rows, err := s.q.OrdersCountByStatus(ctx, s.pool, dbsqlc.OrdersCountByStatusParams{
		PaymentStatus:     nullIfEmpty(f.PaymentStatus),
		FulfillmentStatus: nullIfEmpty(f.FulfillmentStatus),
		CreatedFrom:       f.From,
		CreatedBefore:     f.To,
		Pattern:           containsPattern(f.Query),
	})
	if err != nil {
		return nil, fmt.Errorf("orders: count orders: %w", err)
	}
	counts := make(map[string]int, len(rows))
	for _, r := range rows {
		counts[r.Status] = int(r.Orders)
	}
	return counts, nil
}

// listByNumber answers a search by order number from the unique index: the order, if it
// exists and the other filters keep it.
func (s *Service) listByNumber(ctx context.Context, f ListFilter, number int64) ([]Order, int, error) {
	o, err := s.Order(ctx, number)
	if apperr.Is(err, apperr.NotFound) {
		return []Order{}, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	if !f.keeps(o) {
		return []Order{}, 0, nil
	}
	if f.Page > 1 {
		// Past the end of a one-order result, like any page past the end of a list.
		return []Order{}, 1, nil
	}
	return []Order{o}, 1, nil
}

// keeps reports whether o passes every filter but the search text.
func (f ListFilter) keeps(o Order) bool {
	switch {
	case f.Status != "" && o.Status != f.Status,
		f.PaymentStatus != "" && o.PaymentStatus != f.PaymentStatus,
		f.FulfillmentStatus != "" && o.FulfillmentStatus != f.FulfillmentStatus,
		f.From != nil && o.CreatedAt.Before(*f.From),
		f.To != nil && !o.CreatedAt.Before(*f.To):
		return false
	}
	return true
}

// normalized drops unknown statuses, trims the search and puts paging in range.
func (f ListFilter) normalized() ListFilter {
	if !IsOrderStatus(f.Status) {
		f.Status = ""
	}
	if !IsPaymentStatus(f.PaymentStatus) {
		f.PaymentStatus = ""
	}
	if !IsFulfillmentStatus(f.FulfillmentStatus) {
		f.FulfillmentStatus = ""
	}
	f.Query = strings.TrimSpace(f.Query)
	f.Page = min(max(f.Page, 1), maxListPage)
	switch {
	case f.PerPage <= 0:
		f.PerPage = DefaultPerPage
	case f.PerPage > MaxPerPage:
		f.PerPage = MaxPerPage
	}
	return f
}

// OrderStatuses, PaymentStatuses and FulfillmentStatuses list the values each status
// takes, in the order the back office offers them.
var (
	OrderStatuses   = []string{StatusOpen, StatusCompleted, StatusCancelled}
	PaymentStatuses = []string{PaymentPending, PaymentAuthorized, PaymentPaid, PaymentPartiallyRefunded,
		PaymentRefunded, PaymentFailed, PaymentVoided}
	FulfillmentStatuses = []string{FulfillmentUnfulfilled, FulfillmentPartial, FulfillmentFulfilled}
)

// IsOrderStatus reports whether s is an order status.
func IsOrderStatus(s string) bool { return slices.Contains(OrderStatuses, s) }

// IsPaymentStatus reports whether s is a payment status.
func IsPaymentStatus(s string) bool { return slices.Contains(PaymentStatuses, s) }

// IsFulfillmentStatus reports whether s is a fulfilment status.
func IsFulfillmentStatus(s string) bool { return slices.Contains(FulfillmentStatuses, s) }

// orderNumberQuery reads a search for an order number: "1001" or "#1001".
func orderNumberQuery(q string) (int64, bool) {
	digits := strings.TrimSpace(strings.TrimPrefix(q, "#"))
	if digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if errors.Is(err, strconv.ErrRange) {
		// More digits than any order number has: it names no order.
		return -1, true
	}
	return n, err == nil
}

// containsPattern is the LIKE pattern matching text anywhere, its own wildcards escaped
// so that "100%" or "a_b" mean what they say; nil for no text. Line breaks become spaces:
// the searched fields are one text joined by line breaks (orders_search_trgm_idx), and a
// search must not match across two of them.
func containsPattern(text string) *string {
	if text == "" {
		return nil
	}
	escaped := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`, "\r", " ", "\n", " ").Replace(text)
	p := "%" + escaped + "%"
	return &p
}

// nullIfEmpty is a filter's value for sqlc.narg: NULL (any) when the filter is unset.
func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
