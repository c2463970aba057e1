package orders

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/platform/apperr"
)

// HeldByUnpaid returns, for those of the variants that unpaid orders hold, when the
// first of those orders lets go of its stock (paid or not, by then it is settled): a
// shopper who finds an item gone can be told when to look again.
func (s *Service) HeldByUnpaid(ctx context.Context, variantIDs []int64) (map[int64]time.Time, error) {
	rows, err := s.q.HeldByUnpaid(ctx, s.pool, variantIDs)
	if err != nil {
		return nil, fmt.Errorf("orders: stock held by unpaid orders: %w", err)
	}
	out := make(map[int64]time.Time, len(rows))
	for _, r := range rows {
		out[r.VariantID] = r.ReleasedAt
	}
	return out, nil
}

// MinutesUntil rounds the wait until t up to whole minutes, at least one: "check back in
// N minutes".
func MinutesUntil(now, t time.Time) int {
	return max(1, int((t.Sub(now)+time.Minute-time.Second)/time.Minute))
}

// explainShortage rewrites a refused order's message: lines short because unpaid orders
// of other shoppers hold the stock are "reserved by other shoppers", with when to come
// back, rather than sold out. err is returned as it was if that cannot be told.
func (s *Service) explainShortage(ctx context.Context, err error, short *inventory.InsufficientStock, lines []Line) error {
	ids := make([]int64, len(short.Short))
	for i, sh := range short.Short {
		ids[i] = sh.VariantID
	}
	held, herr := s.HeldByUnpaid(ctx, ids)
	if herr != nil || len(held) == 0 {
		return err
	}
	name := func(id int64) string {
		for _, l := range lines {
			if l.VariantID == id {
				return l.Name
			}
		}
		return "an item"
	}
	var gone, reserved []string
	var first time.Time
	for _, sh := range short.Short {
		n := name(sh.VariantID)
		at, ok := held[sh.VariantID]
		if !ok {
			if sh.Available > 0 {
				n += " (only " + strconv.Itoa(sh.Available) + " left)"
			}
			gone = append(gone, n)
			continue
		}
		if sh.Available > 0 {
			n += " (" + strconv.Itoa(sh.Available) + " available now)"
		}
		reserved = append(reserved, n)
		if first.IsZero() || at.Before(first) {
			first = at
		}
	}
	minutes := MinutesUntil(s.cfg.Now(), first)
	msg := "Sorry, " + strings.Join(reserved, ", ") + " is reserved by other shoppers who have not paid yet. Check back in " +
		plural(minutes, "minute") + ": what they do not buy goes back on sale."
	if len(gone) > 0 {
		msg = "Sorry, " + strings.Join(gone, ", ") + " is sold out. " + strings.TrimPrefix(msg, "Sorry, ")
	}
	return apperr.Wrap(err, apperr.Conflict, msg)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
