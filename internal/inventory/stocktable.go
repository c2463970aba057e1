package inventory

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/jackc/pgx/v5"
)

// StockTable is every tracked variant's Sellable, read in one go, for storefront copies of
// stock. At 1.5 million variants a map[int64]Sellable costs about 55 MB and is rebuilt
// (another 55 MB, plus the rows it was made from) every few minutes; this table costs 4
// bytes a variant when variant ids are dense, as a sequence hands them out, and 12 when
// they are not, and is built straight from the streamed rows. It is immutable.
type StockTable struct {
	// Dense: vals[id-first]. Sparse: ids sorted, vals beside them.
	first int64
	ids   []int64
	vals  []uint32
	n     int
}

// A value is 0 for an untracked variant, else available+1 with stockBackorder set when it
// may be sold on backorder and stockHeld when none is available but some is reserved.
const (
	stockBackorder = 1 << 31
	stockHeld      = 1 << 30
	stockMaxUnits  = stockHeld - 2
)

func encodeSellable(s Sellable) uint32 {
	units := min(max(s.Available, 0), stockMaxUnits)
	v := uint32(units + 1)
	if s.Backorder {
		v |= stockBackorder
	}
	if s.Held && units == 0 {
		v |= stockHeld
	}
	return v
}

func decodeSellable(v uint32) (Sellable, bool) {
	if v == 0 {
		return Sellable{}, false
	}
	return Sellable{Available: int(v&^(stockBackorder|stockHeld)) - 1, Backorder: v&stockBackorder != 0, Held: v&stockHeld != 0}, true
}

// Get returns a variant's stock, and false when inventory does not track it.
func (t *StockTable) Get(id int64) (Sellable, bool) {
	if t == nil {
		return Sellable{}, false
	}
	if t.ids == nil {
		i := id - t.first
		if i < 0 || i >= int64(len(t.vals)) {
			return Sellable{}, false
		}
		return decodeSellable(t.vals[i])
	}
	i, ok := slices.BinarySearch(t.ids, id)
	if !ok {
		return Sellable{}, false
	}
	return decodeSellable(t.vals[i])
}

// Len is the number of tracked variants.
func (t *StockTable) Len() int {
	if t == nil {
		return 0
	}
	return t.n
}

// stockTableBuilder collects rows in ascending id order.
type stockTableBuilder struct {
	ids  []int64
	vals []uint32
}

func (b *stockTableBuilder) add(id int64, s Sellable) error {
	if n := len(b.ids); n > 0 && id <= b.ids[n-1] {
		return fmt.Errorf("variant %d after %d: rows out of order", id, b.ids[n-1])
	}
	b.ids = append(b.ids, id)
	b.vals = append(b.vals, encodeSellable(s))
	return nil
}

// table lays the rows out densely when at least half the id range is tracked.
func (b *stockTableBuilder) table() *StockTable {
	n := len(b.ids)
	t := &StockTable{n: n}
	if n == 0 {
		return t
	}
	first, last := b.ids[0], b.ids[n-1]
	if span := last - first + 1; span <= 2*int64(n) && span <= math.MaxInt32 {
		t.first = first
		t.vals = make([]uint32, span)
		for i, id := range b.ids {
			t.vals[id-first] = b.vals[i]
		}
		return t
	}
	t.ids, t.vals = slices.Clip(b.ids), slices.Clip(b.vals)
	return t
}

// stockAllSQL is StockAll's query over one range of variant ids. It is written here
// rather than generated because the rows are streamed into the table: collected first
// they would cost more than the table.
const stockAllSQL = `
SELECT i.variant_id, i.allow_backorder,
       coalesce(sum(greatest(l.on_hand - l.reserved, 0)) FILTER (WHERE loc.active), 0)::int AS available,
       count(loc.id) FILTER (WHERE loc.active)::int AS active_locations,
       coalesce(sum(l.reserved) FILTER (WHERE loc.active), 0)::int AS reserved
FROM inventory.items i
LEFT JOIN inventory.levels l ON l.variant_id = i.variant_id
LEFT JOIN inventory.locations loc ON loc.id = l.location_id
WHERE i.variant_id BETWEEN $1 AND $2
GROUP BY i.variant_id, i.allow_backorder
ORDER BY i.variant_id`

// stockAllRange is how many variant ids one statement of StockAll covers: at 15 million
// variants the whole read takes longer than the statement timeout pages run under.
const stockAllRange = 500_000

// StockAll returns the stock of every tracked variant, read by ranges of variant ids, and
// the last stock movement it includes (for StockMovedSince). Storefront pages read it from
// a copy kept in memory instead of asking per page: a product page then needs no query.
// The ranges are separate statements; what moves meanwhile is after the mark, read first,
// and StockMovedSince brings it in.
func (s *Service) StockAll(ctx context.Context) (*StockTable, int64, error) {
	return s.stockAll(ctx, stockAllRange)
}

func (s *Service) stockAll(ctx context.Context, span int64) (*StockTable, int64, error) {
	last, err := s.q.MovementsLastID(ctx, s.pool)
	if err != nil {
		return nil, 0, interpretError(err, "stock")
	}
	var lo, hi *int64
	if err := s.pool.QueryRow(ctx, `SELECT min(variant_id), max(variant_id) FROM inventory.items`).Scan(&lo, &hi); err != nil {
		return nil, 0, interpretError(err, "stock")
	}
	var b stockTableBuilder
	if lo == nil {
		return b.table(), last, nil
	}
	var id int64
	var backorder bool
	var available, locations, reserved int32
	for from := *lo; from <= *hi; from += span {
		rows, err := s.pool.Query(ctx, stockAllSQL, from, from+span-1)
		if err != nil {
			return nil, 0, interpretError(err, "stock")
		}
		_, err = pgx.ForEachRow(rows, []any{&id, &backorder, &available, &locations, &reserved}, func() error {
			return b.add(id, Sellable{Available: int(available), Backorder: backorder && locations > 0, Held: available == 0 && reserved > 0})
		})
		if err != nil {
			return nil, 0, interpretError(err, "stock")
		}
	}
	return b.table(), last, nil
}
