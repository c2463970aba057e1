package catalog_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/audit"
)

// TestCacheAcrossReplicas runs two catalog services on separate pools, as two replicas
// would: a change made through one reaches the other's in-memory catalog through
// LISTEN/NOTIFY, without the other being told directly.
func TestCacheAcrossReplicas(t *testing.T) {
	t.Parallel()
	a := setup(t)
	poolB, err := pgxpool.New(t.Context(), a.pool.Config().ConnString())
	require.NoError(t, err)
	t.Cleanup(poolB.Close)
	b := catalog.NewService(poolB, nil)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go b.FollowChanges(ctx)

	require.NoError(t, a.svc.SeedDemo(a.ctx, catalog.SeedOptions{Products: 10, Seed: 3}))
	require.Eventually(t, func() bool {
		got, err := b.ListStorefrontProducts(t.Context(), 50)
		require.NoError(t, err)
		return len(got) == 10
	}, 10*time.Second, 50*time.Millisecond, "replica B sees the seeded products")

	p, err := b.ListStorefrontProducts(t.Context(), 1)
	require.NoError(t, err)
	id := p[0].ID
	full, err := a.svc.AdminGetProduct(a.ctx, id)
	require.NoError(t, err)
	in := catalog.ProductInput{Title: "Renamed On Replica A", Slug: "renamed-on-replica-a", Status: catalog.StatusActive,
		Brand: full.Brand, Description: full.Description, Categories: full.CategoryIDs}
	_, err = a.svc.UpdateProduct(a.ctx, audit.Actor{}, id, full.Version, in)
	require.NoError(t, err)

	require.Eventually(t, func() bool {
		got, err := b.FindProductBySlug(t.Context(), "renamed-on-replica-a")
		return err == nil && got.Title == "Renamed On Replica A"
	}, 10*time.Second, 50*time.Millisecond, "replica B serves the change")
	_, err = b.FindProductBySlug(t.Context(), full.Slug)
	var moved *catalog.RedirectError
	require.ErrorAs(t, err, &moved, "the old slug redirects on replica B too")
	require.Equal(t, "renamed-on-replica-a", moved.Slug)
}
