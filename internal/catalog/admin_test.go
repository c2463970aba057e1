package catalog_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
)

// TestConcurrentSaves has several staff save products at the same moment: every save
// rebuilds the search vocabulary, and none may fail because another did the same.
func TestConcurrentSaves(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	require.NoError(t, tb.svc.SeedDemo(tb.ctx, catalog.SeedOptions{Products: 20, Seed: 8}))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := tb.svc.CreateProduct(tb.ctx, audit.Actor{Email: "staff@example.com"}, catalog.ProductInput{
				Title: fmt.Sprintf("Concurrent Parka %d", i), Brand: "Northwind", Status: catalog.StatusActive,
			})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	rows, total, err := tb.svc.AdminListProducts(tb.ctx, catalog.AdminProductFilter{Search: "Concurrent Parka"})
	require.NoError(t, err)
	require.Equal(t, 8, total)
	require.Nil(t, rows[0].MinPrice, "a product without variants lists without a price")
}

// TestSaveWithDeletedCategory: a category deleted while staff had the product form open
// gets a message on the categories field, not a server error, and nothing is saved.
func TestSaveWithDeletedCategory(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	_, err := tb.svc.CreateProduct(tb.ctx, audit.Actor{Email: "staff@example.com"}, catalog.ProductInput{
		Title: "Orphan Parka", Brand: "Northwind", Status: catalog.StatusDraft, Categories: []catalog.CategoryID{999_999},
	})
	require.Error(t, err)
	require.Equal(t, map[string]string{"categories": "One of the chosen categories no longer exists."}, apperr.FieldsOf(err))
	_, total, err := tb.svc.AdminListProducts(tb.ctx, catalog.AdminProductFilter{Search: "Orphan Parka"})
	require.NoError(t, err)
	require.Zero(t, total, "nothing of the product was saved")
}
