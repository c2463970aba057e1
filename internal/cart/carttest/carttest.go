// Package carttest builds what cart tests need around a cart: a seeded catalog with
// stock at one location, and the changes a shop makes behind a cart's back (stock
// counted down, a variant archived). Tests of cart and cartweb use it.
package carttest

import (
	"context"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/platform/audit"
)

// Shop is a demo catalog on a database of the test's own, with an inventory location
// where Stock puts quantities.
type Shop struct {
	Pool      *pgxpool.Pool
	Catalog   *catalog.Service
	Inventory *inventory.Service
	location  int64
	onHand    map[catalog.VariantID]int
}

// NewShop seeds products demo products (with size and colour variants) into pool's
// empty database. No variant has stock until Stock gives it some.
func NewShop(t testing.TB, pool *pgxpool.Pool, products int) *Shop {
	t.Helper()
	ctx := context.WithoutCancel(t.Context())
	s := &Shop{Pool: pool, Catalog: catalog.NewService(pool, nil), Inventory: inventory.NewService(pool, nil),
		onHand: map[catalog.VariantID]int{}}
	require.NoError(t, s.Catalog.SeedDemo(ctx, catalog.SeedOptions{Products: products, Seed: 7}))
	loc, err := s.Inventory.CreateLocation(ctx, "Test warehouse", 10)
	require.NoError(t, err)
	s.location = loc.ID
	return s
}

// Item is a variant on sale with its product.
type Item struct {
	Variant catalog.Variant
	Product catalog.Product
}

// ID is the variant's id.
func (i Item) ID() catalog.VariantID { return i.Variant.ID }

// Items returns n variants on sale, each of a different product, so their names differ
// in messages.
func (s *Shop) Items(t testing.TB, n int) []Item {
	t.Helper()
	ids, err := s.Catalog.ListVariantIDs(t.Context())
	require.NoError(t, err)
	var out []Item
	seen := map[catalog.ProductID]bool{}
	for _, id := range ids {
		v, p, err := s.Catalog.FindVariant(t.Context(), id)
		if err != nil || seen[p.ID] {
			continue
		}
		seen[p.ID] = true
		out = append(out, Item{Variant: v, Product: p})
		if len(out) == n {
			return out
		}
	}
	require.Failf(t, "not enough products", "want %d variants of different products, the catalog has %d", n, len(out))
	return nil
}

// Stock sets the variant's quantity on hand.
func (s *Shop) Stock(t testing.TB, id catalog.VariantID, qty int) {
	t.Helper()
	require.NoError(t, s.Inventory.Adjust(context.WithoutCancel(t.Context()), audit.Actor{}, int64(id), s.location, s.onHand[id], qty, "test stock"))
	s.onHand[id] = qty
}

// Backorder lets the variant be sold beyond its stock.
func (s *Shop) Backorder(t testing.TB, id catalog.VariantID) {
	t.Helper()
	require.NoError(t, s.Inventory.SetPolicy(t.Context(), int64(id), true, 5))
}

// Archive takes a variant off sale the way the back office does (status archived and a
// change notification for every replica's cache), and waits until this process's
// catalog no longer sells it.
func (s *Shop) Archive(t testing.TB, id catalog.VariantID) {
	t.Helper()
	ctx := t.Context()
	_, err := s.Pool.Exec(ctx, `UPDATE catalog.variants SET status = 'archived' WHERE id = $1`, int64(id))
	require.NoError(t, err)
	_, err = s.Pool.Exec(ctx, `SELECT pg_notify('catalog_changed', '')`)
	require.NoError(t, err)
	s.Catalog.Invalidate()
	_, _, err = s.Catalog.FindVariant(ctx, id)
	require.Error(t, err, "archived variant %d is still on sale", id)
}

// SetPrice changes a variant's price behind the cart's back.
func (s *Shop) SetPrice(t testing.TB, id catalog.VariantID, minor int64) {
	t.Helper()
	_, err := s.Pool.Exec(t.Context(), `UPDATE catalog.variants SET price_minor = $2 WHERE id = $1`, int64(id), minor)
	require.NoError(t, err)
	s.Catalog.Invalidate()
}

// Lines returns a cart's contents straight from its table, variant -> quantity, for
// checking that a refused request changed nothing.
func Lines(t testing.TB, pool *pgxpool.Pool) map[int64]map[catalog.VariantID]int {
	t.Helper()
	rows, err := pool.Query(t.Context(), `SELECT cart_id, variant_id, quantity FROM cart.lines ORDER BY cart_id, variant_id`)
	require.NoError(t, err)
	defer rows.Close()
	out := map[int64]map[catalog.VariantID]int{}
	for rows.Next() {
		var cart, variant int64
		var qty int
		require.NoError(t, rows.Scan(&cart, &variant, &qty))
		if out[cart] == nil {
			out[cart] = map[catalog.VariantID]int{}
		}
		out[cart][catalog.VariantID(variant)] = qty
	}
	require.NoError(t, rows.Err())
	return out
}

// CartIDs lists every cart's id.
func CartIDs(t testing.TB, pool *pgxpool.Pool) []int64 {
	t.Helper()
	rows, err := pool.Query(t.Context(), `SELECT id FROM cart.carts ORDER BY id`)
	require.NoError(t, err)
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		require.NoError(t, rows.Scan(&id))
		out = append(out, id)
	}
	require.NoError(t, rows.Err())
	return slices.Clip(out)
}
