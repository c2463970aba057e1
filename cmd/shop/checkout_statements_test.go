package main

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/payments/paymentstest"
	"github.com/monoshop/monoshop/internal/platform/httpx"
	"github.com/monoshop/monoshop/web/webtest"
)

// requestStatements counts the statements each request runs, by request ID (the access
// log's ID, which the request's context carries into every query it makes).
type requestStatements struct {
	mu  sync.Mutex
	sql map[string][]string
	// trips counts round trips: a batch is one for all its statements.
	trips map[string]int
}

func (c *requestStatements) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	if id := httpx.RequestIDFrom(ctx); id != "" {
		c.mu.Lock()
		c.sql[id] = append(c.sql[id], strings.Join(strings.Fields(data.SQL), " "))
		c.trips[id]++
		c.mu.Unlock()
	}
	return ctx
}

func (c *requestStatements) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchStart counts each statement of a batch (a transaction's BEGIN goes with its
// first statement): statements, not round trips, are what the budgets count.
func (c *requestStatements) TraceBatchStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchStartData) context.Context {
	if id := httpx.RequestIDFrom(ctx); id != "" {
		c.mu.Lock()
		for _, q := range data.Batch.QueuedQueries {
			c.sql[id] = append(c.sql[id], strings.Join(strings.Fields(q.SQL), " "))
		}
		c.trips[id]++
		c.mu.Unlock()
	}
	return ctx
}

func (c *requestStatements) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (c *requestStatements) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

func (c *requestStatements) of(res response) ([]string, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := res.header.Get(httpx.RequestIDHeader)
	return c.sql[id], c.trips[id]
}

// TestCheckoutStatements holds each checkout step to a budget of statements. Under load
// the database is what a checkout waits for (each statement is a round trip that waits
// its turn for a busy CPU), so a step that quietly grows a query per line or re-reads
// settings it already has shows up here first.
func TestCheckoutStatements(t *testing.T) {
	t.Parallel()
	tracer := &requestStatements{sql: map[string][]string{}, trips: map[string]int{}}
	f := checkoutSetupWith(t, appOptions{tracer: tracer})
	b := f.a.browser(t)

	steps := []struct {
		name   string
		budget int
		res    response
	}{}
	step := func(name string, budget int, res response) response {
		steps = append(steps, struct {
			name   string
			budget int
			res    response
		}{name, budget, res})
		return res
	}

	step("add to cart", 4, b.addFromProductPage(t, f.items[0], 1))
	// Three lines in the cart: a statement per line would show in every budget below.
	b.addFromProductPage(t, f.items[1], 2)
	b.addFromProductPage(t, f.items[2], 1)
	res := step("checkout form", 4, b.send(t, http.MethodGet, "/checkout", nil))
	require.Equal(t, http.StatusOK, res.status)
	require.Equal(t, "4", webtest.Text(parsePage(t, res.body).one("cart-count")), "the header counts the cart the form shows, without a query of its own")
	form := webtest.FormValues(t, parsePage(t, res.body).one("checkout-form"))
	for k, v := range guestAddress {
		form.Set(k, v)
	}
	form.Set("action", "place")
	res = step("place", 12, b.send(t, http.MethodPost, "/checkout", form))
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	payPage := res.header.Get("Location")
	res = step("pay", 8, b.send(t, http.MethodPost, payPage, map[string][]string{"card_number": {paymentstest.CardSucceeds}}))
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	res = step("return", 11, b.send(t, http.MethodGet, res.header.Get("Location"), nil))
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	res = step("confirmation", 5, b.send(t, http.MethodGet, res.header.Get("Location"), nil))
	require.Equal(t, http.StatusOK, res.status)

	for _, s := range steps {
		sql, trips := tracer.of(s.res)
		counts := map[string]int{}
		for _, q := range sql {
			if len(q) > 90 {
				q = q[:90]
			}
			counts[q]++
		}
		var lines []string
		for q, n := range counts {
			lines = append(lines, strings.Repeat(" ", 4)+q+" ×"+strconv.Itoa(n))
		}
		sort.Strings(lines)
		t.Logf("%s: %d statements in %d round trips\n%s", s.name, len(sql), trips, strings.Join(lines, "\n"))
		require.LessOrEqual(t, len(sql), s.budget, "%s runs at most %d statements", s.name, s.budget)
	}
}
