package orders_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
)

// statementLog keeps the statements a pool sent, with their arguments, so a test can ask
// PostgreSQL how it runs them.
type statementLog struct {
	mu   sync.Mutex
	sent []pgx.TraceQueryStartData
}

func (l *statementLog) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sent = append(l.sent, d)
	return ctx
}

func (l *statementLog) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// named returns the statements whose sqlc name is name.
func (l *statementLog) named(name string) []pgx.TraceQueryStartData {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []pgx.TraceQueryStartData
	for _, d := range l.sent {
		if strings.Contains(d.SQL, "-- name: "+name+" ") {
			out = append(out, d)
		}
	}
	return out
}

// TestListOrdersSearchUsesIndex: a search by a piece of an email or a name is answered
// from orders_search_trgm_idx, not by reading every order. The index and the list's
// queries must spell one expression; when they drift apart this fails (at a million
// orders the difference is 1.3 s against 3 ms for a page and its counts).
func TestListOrdersSearchUsesIndex(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	log := &statementLog{}
	pool, err := db.Open(ctx, dbtest.URL(t), db.PoolOptions{MaxConns: 2, Tracer: log})
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	pay, err := payments.NewService(pool, nil, payments.Config{DefaultProvider: payments.ProviderManual})
	require.NoError(t, err)
	svc := orders.NewService(pool, nil, inventory.NewService(pool, nil), pay, orders.Config{})

	// An order history large enough that reading it all costs more than the index.
	_, err = pool.Exec(ctx, `
		INSERT INTO orders.orders (token, email, currency, subtotal, discount_total, shipping_total, shipping_tax,
		    tax_total, grand_total, tax_included, shipping_address, idempotency_key, created_at)
		SELECT rpad(md5(i::text), 43, 'x'), 'shopper' || i || '@example.com', 'EUR', 2000, 0, 0, 0, 333, 2000, true,
		       jsonb_build_object('name', 'Name ' || i), 'history-' || i, now() - i * interval '1 minute'
		FROM generate_series(1, 20000) i`)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `ANALYZE orders.orders`)
	require.NoError(t, err)

	found, total, err := svc.ListOrders(ctx, orders.ListFilter{Query: "SHOPPER1234@"})
	require.NoError(t, err)
	require.Equal(t, 1, total)
	require.Equal(t, "shopper1234@example.com", found[0].Email)

	for _, name := range []string{"OrdersCountByStatus", "OrdersList"} {
		sent := log.named(name)
		require.Len(t, sent, 1, name)
		rows, err := pool.Query(ctx, "EXPLAIN "+sent[0].SQL, sent[0].Args...)
		require.NoError(t, err)
		plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		require.Contains(t, strings.Join(plan, "\n"), "orders_search_trgm_idx", "%s searches through the index:\n%s", name, strings.Join(plan, "\n"))
	}
}
