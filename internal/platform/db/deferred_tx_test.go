package db_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// roundTrips records what a pool sends: each traced query is a round trip of its own;
// a batch is one round trip for all of its queries.
type roundTrips struct {
	mu   sync.Mutex
	sent []string
}

func (r *roundTrips) add(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, strings.Join(strings.Fields(s), " "))
}

func (r *roundTrips) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.add(d.SQL)
	return ctx
}
func (r *roundTrips) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (r *roundTrips) TraceBatchStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchStartData) context.Context {
	var qs []string
	for _, q := range d.Batch.QueuedQueries {
		qs = append(qs, q.SQL)
	}
	r.add("[" + strings.Join(qs, "; ") + "]")
	return ctx
}
func (r *roundTrips) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (r *roundTrips) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

func (r *roundTrips) reset() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.sent
	r.sent = nil
	return out
}

type txFixture struct {
	ctx    context.Context
	pool   *pgxpool.Pool
	trips  *roundTrips
	other  *pgxpool.Pool // a second pool, to look from outside the transaction
	insert string
}

func setupTx(t *testing.T) *txFixture {
	t.Helper()
	url := dbtest.URL(t)
	f := &txFixture{ctx: t.Context(), trips: &roundTrips{},
		insert: "INSERT INTO tx_probe (name) VALUES ($1) RETURNING id"}
	var err error
	f.pool, err = db.Open(f.ctx, url, db.PoolOptions{Tracer: f.trips, MaxConns: 4})
	require.NoError(t, err)
	t.Cleanup(f.pool.Close)
	f.other, err = db.Open(f.ctx, url, db.PoolOptions{MaxConns: 2})
	require.NoError(t, err)
	t.Cleanup(f.other.Close)
	_, err = f.other.Exec(f.ctx, "CREATE TABLE tx_probe (id bigserial PRIMARY KEY, name text UNIQUE NOT NULL)")
	require.NoError(t, err)
	return f
}

func (f *txFixture) count(t *testing.T, name string) int {
	t.Helper()
	var n int
	require.NoError(t, f.other.QueryRow(f.ctx, "SELECT count(*) FROM tx_probe WHERE name = $1", name).Scan(&n))
	return n
}

func TestInTxOnPool(t *testing.T) {
	t.Parallel()

	t.Run("OKBeginTravelsWithTheFirstStatement", func(t *testing.T) {
		t.Parallel()
		f := setupTx(t)
		f.trips.reset()
		var first, second int64
		require.NoError(t, db.InTx(f.ctx, f.pool, func(tx pgx.Tx) error {
			if err := tx.QueryRow(f.ctx, f.insert, "a").Scan(&first); err != nil {
				return err
			}
			return tx.QueryRow(f.ctx, f.insert, "b").Scan(&second)
		}))
		require.Equal(t, []string{
			"[begin; " + f.insert + "]",
			f.insert,
			"commit",
		}, f.trips.reset(), "three round trips for two statements")
		require.Equal(t, 1, f.count(t, "a"))
		require.Equal(t, first+1, second)
	})

	t.Run("OKUncommittedRowsStayInvisible", func(t *testing.T) {
		// The batch's BEGIN must open a real transaction block: were the first
		// statement only in the batch's implicit transaction, its row would be
		// committed, and visible, before the transaction ends.
		t.Parallel()
		f := setupTx(t)
		seenDuring := -1
		require.NoError(t, db.InTx(f.ctx, f.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(f.ctx, "INSERT INTO tx_probe (name) VALUES ('hidden')"); err != nil {
				return err
			}
			seenDuring = f.count(t, "hidden")
			return nil
		}))
		require.Zero(t, seenDuring, "not visible before commit")
		require.Equal(t, 1, f.count(t, "hidden"), "visible after")
	})

	t.Run("OKErrorRollsBack", func(t *testing.T) {
		t.Parallel()
		f := setupTx(t)
		boom := errors.New("boom")
		err := db.InTx(f.ctx, f.pool, func(tx pgx.Tx) error {
			rows, err := tx.Query(f.ctx, "INSERT INTO tx_probe (name) VALUES ('x'), ('y') RETURNING name")
			if err != nil {
				return err
			}
			names, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return err
			}
			require.Equal(t, []string{"x", "y"}, names, "rows of a first statement read through the batch")
			var id int64
			if err := tx.QueryRow(f.ctx, f.insert, "z").Scan(&id); err != nil {
				return err
			}
			return boom
		})
		require.ErrorIs(t, err, boom)
		require.Zero(t, f.count(t, "x")+f.count(t, "y")+f.count(t, "z"), "nothing committed")
	})

	t.Run("OKFirstStatementFails", func(t *testing.T) {
		t.Parallel()
		f := setupTx(t)
		_, err := f.other.Exec(f.ctx, "INSERT INTO tx_probe (name) VALUES ('taken')")
		require.NoError(t, err)
		for range 6 { // more than the pool's connections: each must come back usable
			err := db.InTx(f.ctx, f.pool, func(tx pgx.Tx) error {
				var id int64
				return tx.QueryRow(f.ctx, f.insert, "taken").Scan(&id)
			})
			var pgErr *pgconn.PgError
			require.ErrorAs(t, err, &pgErr)
			require.Equal(t, "23505", pgErr.Code, "the unique violation, as sent")
		}
		var id int64
		require.NoError(t, db.InTx(f.ctx, f.pool, func(tx pgx.Tx) error {
			return tx.QueryRow(f.ctx, f.insert, "after").Scan(&id)
		}))
		require.Equal(t, 1, f.count(t, "after"))
	})

	t.Run("OKNoRowsIsNoRows", func(t *testing.T) {
		t.Parallel()
		f := setupTx(t)
		require.NoError(t, db.InTx(f.ctx, f.pool, func(tx pgx.Tx) error {
			var id int64
			err := tx.QueryRow(f.ctx, "SELECT id FROM tx_probe WHERE name = 'none'").Scan(&id)
			require.ErrorIs(t, err, pgx.ErrNoRows)
			// And the transaction goes on.
			_, err = tx.Exec(f.ctx, "INSERT INTO tx_probe (name) VALUES ('went-on')")
			return err
		}))
		require.Equal(t, 1, f.count(t, "went-on"))
	})

	t.Run("OKNothingSentNothingToCommit", func(t *testing.T) {
		t.Parallel()
		f := setupTx(t)
		f.trips.reset()
		require.NoError(t, db.InTx(f.ctx, f.pool, func(pgx.Tx) error { return nil }))
		require.Empty(t, f.trips.reset())
	})

	t.Run("OKSavepointAfterFirstStatement", func(t *testing.T) {
		t.Parallel()
		f := setupTx(t)
		require.NoError(t, db.InTx(f.ctx, f.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(f.ctx, "INSERT INTO tx_probe (name) VALUES ('outer')"); err != nil {
				return err
			}
			err := db.InTx(f.ctx, tx, func(inner pgx.Tx) error {
				if _, err := inner.Exec(f.ctx, "INSERT INTO tx_probe (name) VALUES ('inner')"); err != nil {
					return err
				}
				return errors.New("undo the inner part only")
			})
			require.Error(t, err)
			return nil
		}))
		require.Equal(t, 1, f.count(t, "outer"))
		require.Zero(t, f.count(t, "inner"), "rolled back to the savepoint")
	})

	t.Run("OKSavepointFirst", func(t *testing.T) {
		t.Parallel()
		f := setupTx(t)
		require.NoError(t, db.InTx(f.ctx, f.pool, func(tx pgx.Tx) error {
			return db.InTx(f.ctx, tx, func(inner pgx.Tx) error {
				_, err := inner.Exec(f.ctx, "INSERT INTO tx_probe (name) VALUES ('nested-first')")
				return err
			})
		}))
		require.Equal(t, 1, f.count(t, "nested-first"))
	})

	t.Run("OKPanicRollsBackAndRepanics", func(t *testing.T) {
		t.Parallel()
		f := setupTx(t)
		require.PanicsWithValue(t, "kaput", func() {
			_ = db.InTx(f.ctx, f.pool, func(tx pgx.Tx) error {
				if _, err := tx.Exec(f.ctx, "INSERT INTO tx_probe (name) VALUES ('panicked')"); err != nil {
					return err
				}
				panic("kaput")
			})
		})
		require.Zero(t, f.count(t, "panicked"))
		require.NoError(t, db.InTx(f.ctx, f.pool, func(tx pgx.Tx) error {
			_, err := tx.Exec(f.ctx, "INSERT INTO tx_probe (name) VALUES ('next')")
			return err
		}), "the connection went back to the pool usable")
	})
}
