package inventory_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

type bundle struct {
	ctx   context.Context
	pools []*pgxpool.Pool // two pools stand for two app processes
	svcs  []*inventory.Service
}

// setup gives two independent pools (as two replicas would have) on one fresh database,
// each big enough that goroutines really race in Postgres rather than queue for a
// connection.
func setup(t *testing.T) *bundle {
	t.Helper()
	url := dbtest.URL(t)
	b := &bundle{ctx: t.Context()}
	for range 2 {
		pool, err := db.Open(t.Context(), url, db.PoolOptions{MaxConns: 16})
		require.NoError(t, err)
		t.Cleanup(pool.Close)
		b.pools = append(b.pools, pool)
		b.svcs = append(b.svcs, inventory.NewService(pool, nil))
	}
	return b
}

// stock creates a variant with onHand at each of the given locations (by priority).
func (b *bundle) stock(t *testing.T, variant int64, perLocation ...int) []int64 {
	t.Helper()
	var locs []int64
	for i, qty := range perLocation {
		name := fmt.Sprintf("Location %d", i+1)
		var loc int64
		require.NoError(t, b.pools[0].QueryRow(b.ctx, `
			INSERT INTO inventory.locations (name, priority) VALUES ($1, $2)
			ON CONFLICT (name) DO UPDATE SET priority = EXCLUDED.priority RETURNING id`, name, 100-i).Scan(&loc))
		locs = append(locs, loc)
		require.NoError(t, b.svcs[0].Adjust(b.ctx, audit.Actor{}, variant, loc, 0, qty, "initial count"))
	}
	return locs
}

// checkLedger proves that every level equals the sum of its ledger entries and that no
// level is negative or over-reserved.
func (b *bundle) checkLedger(t *testing.T) {
	t.Helper()
	var mismatches, bad int
	require.NoError(t, b.pools[0].QueryRow(b.ctx, `
		SELECT count(*) FILTER (WHERE l.on_hand <> coalesce(m.on_hand, 0) OR l.reserved <> coalesce(m.reserved, 0)),
		       count(*) FILTER (WHERE l.on_hand < 0 OR l.reserved < 0 OR (NOT l.allow_backorder AND l.reserved > l.on_hand))
		FROM inventory.levels l
		LEFT JOIN (SELECT variant_id, location_id, sum(delta_on_hand) AS on_hand, sum(delta_reserved) AS reserved
		           FROM inventory.movements GROUP BY 1, 2) m USING (variant_id, location_id)`).Scan(&mismatches, &bad))
	require.Zero(t, mismatches, "every level equals the sum of its ledger")
	require.Zero(t, bad, "no level is negative or over-reserved")
	var reservedRows, reservedLevels int
	require.NoError(t, b.pools[0].QueryRow(b.ctx, `
		SELECT (SELECT coalesce(sum(quantity), 0) FROM inventory.reservations WHERE state = 'reserved'),
		       (SELECT coalesce(sum(reserved), 0) FROM inventory.levels)`).Scan(&reservedRows, &reservedLevels))
	require.Equal(t, reservedRows, reservedLevels, "open reservations add up to the reserved quantities")
}

func TestReserveRace(t *testing.T) {
	t.Parallel()

	t.Run("OKLastUnitSoldOnce", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.stock(t, 1001, 1)
		var wins, sold atomic.Int32
		var wg sync.WaitGroup
		errs := make(chan error, 100)
		for i := range 100 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				svc, pool := b.svcs[i%2], b.pools[i%2]
				err := db.InTx(b.ctx, pool, func(tx pgx.Tx) error {
					return svc.ReserveTx(b.ctx, tx, fmt.Sprintf("order:%d", i), []inventory.Line{{VariantID: 1001, Quantity: 1}})
				})
				var short *inventory.InsufficientStock
				switch {
				case err == nil:
					wins.Add(1)
				case errors.As(err, &short):
					sold.Add(1)
				default:
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err, "only 'sold out' may reach a caller: no deadlock, no other error")
		}
		require.EqualValues(t, 1, wins.Load(), "exactly one shopper gets the last unit")
		require.EqualValues(t, 99, sold.Load())
		st, err := b.svcs[0].Availability(b.ctx, []int64{1001})
		require.NoError(t, err)
		require.Equal(t, 0, st[1001].Available())
		b.checkLedger(t)
	})

	t.Run("OKOverlappingMultiLineOrders", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		variants := []int64{11, 12, 13, 14, 15, 16}
		for _, v := range variants {
			b.stock(t, v, 3, 2) // split over two locations: lines may need both
		}
		var wins atomic.Int32
		reservedByOrder := make([][]inventory.Line, 100)
		var wg sync.WaitGroup
		errs := make(chan error, 100)
		for i := range 100 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(i), 7))
				// Lines in random order, sometimes the same variant twice.
				var lines []inventory.Line
				for range 1 + rng.IntN(4) {
					lines = append(lines, inventory.Line{VariantID: variants[rng.IntN(len(variants))], Quantity: 1 + rng.IntN(2)})
				}
				svc, pool := b.svcs[i%2], b.pools[i%2]
				err := db.InTx(b.ctx, pool, func(tx pgx.Tx) error {
					return svc.ReserveTx(b.ctx, tx, fmt.Sprintf("order:%d", i), lines)
				})
				var short *inventory.InsufficientStock
				switch {
				case err == nil:
					wins.Add(1)
					reservedByOrder[i] = lines
				case errors.As(err, &short):
				default:
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err, "only 'sold out' may reach a caller: no deadlock, no other error")
		}
		require.Positive(t, wins.Load())
		want := map[int64]int{}
		for _, lines := range reservedByOrder {
			for _, l := range lines {
				want[l.VariantID] += l.Quantity
			}
		}
		st, err := b.svcs[1].Availability(b.ctx, variants)
		require.NoError(t, err)
		for _, v := range variants {
			require.Equal(t, want[v], st[v].Reserved, "variant %d: reserved is what the winners asked for", v)
			require.LessOrEqual(t, st[v].Reserved, 5, "variant %d: never more than the 5 in stock", v)
		}
		b.checkLedger(t)
	})
}

func TestReserveReleaseCommit(t *testing.T) {
	t.Parallel()
	b := setup(t)
	locs := b.stock(t, 21, 2, 3)
	svc, pool := b.svcs[0], b.pools[0]
	reserve := func(ref string, qty int) error {
		return db.InTx(b.ctx, pool, func(tx pgx.Tx) error {
			return svc.ReserveTx(b.ctx, tx, ref, []inventory.Line{{VariantID: 21, Quantity: qty}})
		})
	}

	require.NoError(t, reserve("order:a", 4), "a line larger than any one location is split")
	levels, err := svc.Levels(b.ctx, 21)
	require.NoError(t, err)
	require.Equal(t, []int{2, 2}, []int{levels[0].Reserved, levels[1].Reserved}, "the higher-priority location is used up first")

	var short *inventory.InsufficientStock
	require.ErrorAs(t, reserve("order:b", 2), &short)
	require.Equal(t, 1, short.Short[0].Available)

	require.NoError(t, db.InTx(b.ctx, pool, func(tx pgx.Tx) error { return svc.ReleaseTx(b.ctx, tx, "order:a") }))
	require.NoError(t, db.InTx(b.ctx, pool, func(tx pgx.Tx) error { return svc.ReleaseTx(b.ctx, tx, "order:a") }), "releasing twice is harmless")
	st, err := svc.Availability(b.ctx, []int64{21})
	require.NoError(t, err)
	require.Equal(t, 5, st[21].Available())

	require.NoError(t, reserve("order:c", 3))
	require.NoError(t, db.InTx(b.ctx, pool, func(tx pgx.Tx) error { return svc.CommitTx(b.ctx, tx, "order:c") }))
	st, err = svc.Availability(b.ctx, []int64{21})
	require.NoError(t, err)
	require.Equal(t, 2, st[21].OnHand, "shipping takes stock off the shelf")
	require.Zero(t, st[21].Reserved)

	require.NoError(t, svc.Transfer(b.ctx, audit.Actor{}, 21, locs[1], locs[0], 1, "rebalance"))
	var tooMuch error = svc.Transfer(b.ctx, audit.Actor{}, 21, locs[1], locs[0], 50, "")
	require.Error(t, tooMuch)
	b.checkLedger(t)
}

func TestAdjustIsCompareAndSwap(t *testing.T) {
	t.Parallel()
	b := setup(t)
	locs := b.stock(t, 31, 10)
	svc := b.svcs[0]

	// Two staff opened the page when on hand was 10; the first saves 12.
	require.NoError(t, svc.Adjust(b.ctx, audit.Actor{}, 31, locs[0], 10, 12, "found two more"))
	err := svc.Adjust(b.ctx, audit.Actor{}, 31, locs[0], 10, 8, "two damaged")
	require.ErrorIs(t, err, inventory.ErrStaleLevel, "the stale edit is refused")
	levels, err := svc.Levels(b.ctx, 31)
	require.NoError(t, err)
	require.Equal(t, 12, levels[0].OnHand, "nothing overwritten")

	// Reserved stock cannot be adjusted away.
	require.NoError(t, db.InTx(b.ctx, b.pools[0], func(tx pgx.Tx) error {
		return svc.ReserveTx(b.ctx, tx, "order:x", []inventory.Line{{VariantID: 31, Quantity: 5}})
	}))
	err = svc.Adjust(b.ctx, audit.Actor{}, 31, locs[0], 12, 3, "recount")
	require.Error(t, err)
	b.checkLedger(t)
}

// TestReserveBackorderAtOneLevel reserves more than is on hand of a variant sold on
// backorder: what is there and the rest land on the same level, and both count.
func TestReserveBackorderAtOneLevel(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.stock(t, 61, 1)
	svc := b.svcs[0]
	require.NoError(t, svc.SetPolicy(b.ctx, 61, true, 0))
	require.NoError(t, db.InTx(b.ctx, b.pools[0], func(tx pgx.Tx) error {
		return svc.ReserveTx(b.ctx, tx, "order:61", []inventory.Line{{VariantID: 61, Quantity: 3}})
	}))
	levels, err := svc.Levels(b.ctx, 61)
	require.NoError(t, err)
	require.Len(t, levels, 1)
	require.Equal(t, 1, levels[0].OnHand)
	require.Equal(t, 3, levels[0].Reserved, "one from stock and two on backorder")
	b.checkLedger(t)

	require.NoError(t, db.InTx(b.ctx, b.pools[0], func(tx pgx.Tx) error { return svc.ReleaseTx(b.ctx, tx, "order:61") }))
	levels, err = svc.Levels(b.ctx, 61)
	require.NoError(t, err)
	require.Equal(t, 0, levels[0].Reserved, "releasing gives all three back")
	b.checkLedger(t)
}
