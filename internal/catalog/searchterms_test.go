package catalog_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/audit"
)

// vocabularyDrift lists every term whose kept frequency differs from a count of the
// whole catalog; empty when the incremental vocabulary is right.
func vocabularyDrift(t *testing.T, tb *testBundle) string {
	t.Helper()
	var drift string
	require.NoError(t, tb.pool.QueryRow(tb.ctx, `
		SELECT coalesce(string_agg(format('%s kept %s counted %s', coalesce(k.term, c.term), k.frequency, c.frequency), '; '
		                           ORDER BY coalesce(k.term, c.term)), '')
		FROM catalog.search_terms k FULL JOIN catalog.count_search_terms() c ON c.term = k.term
		WHERE k.frequency IS DISTINCT FROM c.frequency`).Scan(&drift))
	return drift
}

var vocabularyWords = []string{"Parka", "Shell", "T-Shirt", "Crème", "Trail", "Wool", "Linen", "Ultra-Light", "Nordic", "Rain", "X", "Björn", "Denim"}

func randomText(rng *rand.Rand, n int) string {
	words := make([]string, 1+rng.IntN(n))
	for i := range words {
		words[i] = vocabularyWords[rng.IntN(len(vocabularyWords))]
	}
	return strings.Join(words, " ")
}

func TestSearchTermsIncremental(t *testing.T) {
	t.Parallel()
	actor := audit.Actor{Email: "staff@example.com"}

	t.Run("OKEqualsFullCountAfterRandomEdits", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		require.NoError(t, tb.svc.SeedDemo(tb.ctx, catalog.SeedOptions{Products: 25, Seed: 4}))
		require.Empty(t, vocabularyDrift(t, tb), "after the seed")

		seed := uint64(time.Now().UnixNano())
		t.Logf("random seed %d", seed)
		rng := rand.New(rand.NewPCG(seed, 12))
		cats, err := tb.svc.AdminListCategories(tb.ctx)
		require.NoError(t, err)
		var products []catalog.ProductID
		require.NoError(t, tb.pool.QueryRow(tb.ctx, `SELECT array_agg(id ORDER BY id) FROM catalog.products`).Scan(&products))
		statuses := []catalog.Status{catalog.StatusActive, catalog.StatusDraft, catalog.StatusArchived}
		randomInput := func() catalog.ProductInput {
			in := catalog.ProductInput{
				Title: randomText(rng, 4), Brand: randomText(rng, 2), Status: statuses[rng.IntN(len(statuses))],
				Categories: []catalog.CategoryID{cats[rng.IntN(len(cats))].ID},
			}
			for i := range rng.IntN(3) {
				in.Attributes = append(in.Attributes, catalog.Attribute{Name: fmt.Sprintf("A%d", i), Value: randomText(rng, 3)})
			}
			return in
		}
		var newCategories []catalog.CategoryID
		for step := range 80 {
			var op string
			switch r := rng.IntN(10); {
			case r < 2:
				op = "create"
				in := randomInput()
				in.Slug = fmt.Sprintf("random-%d", step)
				id, err := tb.svc.CreateProduct(tb.ctx, actor, in)
				require.NoError(t, err)
				products = append(products, id)
			case r < 5:
				op = "update"
				id := products[rng.IntN(len(products))]
				p, err := tb.svc.AdminGetProduct(tb.ctx, id)
				require.NoError(t, err)
				in := randomInput()
				in.Slug = p.Slug
				_, err = tb.svc.UpdateProduct(tb.ctx, actor, id, p.Version, in)
				require.NoError(t, err)
			case r < 6:
				op = "status"
				ids := []catalog.ProductID{products[rng.IntN(len(products))], products[rng.IntN(len(products))]}
				_, err := tb.svc.SetProductsStatus(tb.ctx, actor, ids, statuses[rng.IntN(len(statuses))])
				require.NoError(t, err)
			case r < 8:
				op = "options"
				id := products[rng.IntN(len(products))]
				p, err := tb.svc.AdminGetProduct(tb.ctx, id)
				require.NoError(t, err)
				opts := []catalog.OptionInput{{Name: "Color", Values: []string{randomText(rng, 2), "Sky Blue " + fmt.Sprint(step)}}}
				if rng.IntN(2) == 0 {
					opts = append(opts, catalog.OptionInput{Name: "Size", Values: []string{"XL", "One Size"}})
				}
				_, err = tb.svc.SetProductOptions(tb.ctx, actor, id, p.Version, opts, "10.00")
				require.NoError(t, err)
			case r < 9:
				op = "category"
				c := cats[rng.IntN(len(cats))]
				in := catalog.CategoryInput{Name: randomText(rng, 3), Slug: c.Slug, Description: c.Description, Position: c.Position}
				if c.ParentID != nil && rng.IntN(3) > 0 {
					in.Parent = *c.ParentID // otherwise it moves to the top
				}
				_, err := tb.svc.SaveCategory(tb.ctx, actor, c.ID, in)
				require.NoError(t, err)
			default:
				if len(newCategories) > 0 && rng.IntN(2) == 0 {
					op = "delete category"
					require.NoError(t, tb.svc.DeleteCategory(tb.ctx, actor, newCategories[0]))
					newCategories = newCategories[1:]
				} else {
					op = "new category"
					id, err := tb.svc.SaveCategory(tb.ctx, actor, 0, catalog.CategoryInput{Name: randomText(rng, 3), Slug: fmt.Sprintf("new-%d", step)})
					require.NoError(t, err)
					newCategories = append(newCategories, id)
				}
			}
			require.Empty(t, vocabularyDrift(t, tb), "after step %d (%s)", step, op)
		}
	})

	t.Run("OKConcurrentSavesKeepEveryCount", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		require.NoError(t, tb.svc.SeedDemo(tb.ctx, catalog.SeedOptions{Products: 16, Seed: 6}))
		var products []catalog.ProductID
		require.NoError(t, tb.pool.QueryRow(tb.ctx, `SELECT array_agg(id ORDER BY id) FROM catalog.products`).Scan(&products))
		var wg sync.WaitGroup
		errs := make(chan error, len(products))
		for i, id := range products {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Every save changes the count of the same words, in a different order.
				for round := range 3 {
					p, err := tb.svc.AdminGetProduct(tb.ctx, id)
					if err != nil {
						errs <- err
						return
					}
					title := fmt.Sprintf("Shared Parka Trail Wool %d", (i+round)%4)
					if i%2 == 1 {
						title = fmt.Sprintf("Wool Trail Parka Shared %d", (i+round)%3)
					}
					if _, err := tb.svc.UpdateProduct(tb.ctx, actor, id, p.Version, catalog.ProductInput{
						Title: title, Slug: p.Slug, Brand: "Northwind", Status: catalog.StatusActive}); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		require.Empty(t, vocabularyDrift(t, tb))
		var parka int
		require.NoError(t, tb.pool.QueryRow(tb.ctx, `SELECT frequency FROM catalog.search_terms WHERE term = 'parka'`).Scan(&parka))
		require.Equal(t, len(products), parka, "one parka per product")
	})
}
