package catalog_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/catalog"
)

// TestReadVariants checks the variants the storefront serves, decoded straight off the
// wire (readvariants.go), against the database read the plain way: every field of every
// active variant, option values in the product's option order, sale prices, and a
// variant whose options were reordered after it was made.
func TestReadVariants(t *testing.T) {
	t.Parallel()
	b := setup(t)
	require.NoError(t, b.svc.SeedDemo(b.ctx, catalog.SeedOptions{Products: 60, Seed: 3}))
	// Options listed in the opposite order from the one their values were attached in,
	// a sale price, no barcode, and an archived variant the storefront must not offer.
	_, err := b.pool.Exec(b.ctx, `
		UPDATE catalog.options SET position = -position WHERE product_id = (SELECT min(id) FROM catalog.products WHERE status = 'active');
		UPDATE catalog.variants SET compare_at_minor = price_minor * 2, barcode = '' WHERE id IN (SELECT id FROM catalog.variants ORDER BY id LIMIT 5);
		UPDATE catalog.variants SET status = 'archived' WHERE id = (SELECT max(id) FROM catalog.variants)`)
	require.NoError(t, err)
	// The variants' copies of their option values follow the link table (migration 00020)
	// through a value deleted (and its links with it), a link moved to another variant,
	// and a variant's links replaced as the CSV import does.
	_, err = b.pool.Exec(b.ctx, `
		DELETE FROM catalog.option_values WHERE id = (SELECT min(option_value_id) FROM catalog.variant_option_values);
		WITH link AS (SELECT variant_id, option_value_id FROM catalog.variant_option_values
		              WHERE variant_id = (SELECT min(id) + 1 FROM catalog.variants) LIMIT 1),
		     target AS (SELECT v.id FROM catalog.variants v, link
		                WHERE v.product_id = (SELECT product_id FROM catalog.variants WHERE id = link.variant_id)
		                  AND NOT EXISTS (SELECT 1 FROM catalog.variant_option_values x
		                                  WHERE x.variant_id = v.id AND x.option_value_id = link.option_value_id)
		                ORDER BY v.id LIMIT 1)
		UPDATE catalog.variant_option_values vov SET variant_id = (SELECT id FROM target) FROM link
		WHERE vov.variant_id = link.variant_id AND vov.option_value_id = link.option_value_id;
		DELETE FROM catalog.variant_option_values WHERE variant_id = (SELECT min(id) + 2 FROM catalog.variants);
		INSERT INTO catalog.variant_option_values (variant_id, option_value_id)
		SELECT (SELECT min(id) + 2 FROM catalog.variants), ov.id FROM catalog.option_values ov
		JOIN catalog.options o ON o.id = ov.option_id
		WHERE o.product_id = (SELECT product_id FROM catalog.variants WHERE id = (SELECT min(id) + 2 FROM catalog.variants))
		ORDER BY ov.id DESC LIMIT 1`)
	require.NoError(t, err)

	type row struct {
		id                   int64
		product              int64
		sku, title, currency string
		price                int64
		compareAt            *int64
		grams                int32
		values               []int64
	}
	rows, err := b.pool.Query(b.ctx, `
		SELECT v.id, v.product_id, v.sku, v.title, v.currency, v.price_minor, v.compare_at_minor, v.weight_grams,
		       coalesce((SELECT array_agg(vov.option_value_id ORDER BY o.position, o.id, ov.id)
		                 FROM catalog.variant_option_values vov
		                 JOIN catalog.option_values ov ON ov.id = vov.option_value_id
		                 JOIN catalog.options o ON o.id = ov.option_id
		                 WHERE vov.variant_id = v.id), '{}')
		FROM catalog.variants v JOIN catalog.products p ON p.id = v.product_id
		WHERE v.status = 'active' AND p.status = 'active'
		ORDER BY v.id`)
	require.NoError(t, err)
	var want []row
	for rows.Next() {
		var r row
		require.NoError(t, rows.Scan(&r.id, &r.product, &r.sku, &r.title, &r.currency, &r.price, &r.compareAt, &r.grams, &r.values))
		want = append(want, r)
	}
	require.NoError(t, rows.Err())
	require.Greater(t, len(want), 100, "the demo catalog has variants")

	sales := 0
	for _, w := range want {
		v, p, err := b.svc.FindVariant(b.ctx, catalog.VariantID(w.id))
		require.NoError(t, err, "variant %d", w.id)
		require.Equal(t, catalog.ProductID(w.product), p.ID)
		require.Equal(t, catalog.ProductID(w.product), v.ProductID)
		require.Equal(t, w.sku, v.SKU)
		require.Equal(t, w.title, v.Title)
		require.Equal(t, w.currency, v.Price.Currency)
		require.Equal(t, w.price, v.Price.Minor)
		require.Equal(t, int(w.grams), v.WeightGrams)
		if w.compareAt == nil {
			require.Nil(t, v.CompareAt, "variant %d", w.id)
		} else {
			require.NotNil(t, v.CompareAt, "variant %d", w.id)
			require.Equal(t, *w.compareAt, v.CompareAt.Minor)
			sales++
		}
		require.Equal(t, w.values, append([]int64{}, v.OptionValueIDs...), "variant %d: option values in option order", w.id)
	}
	require.GreaterOrEqual(t, sales, 5)

	var archived int64
	require.NoError(t, b.pool.QueryRow(b.ctx, `SELECT max(id) FROM catalog.variants`).Scan(&archived))
	_, _, err = b.svc.FindVariant(b.ctx, catalog.VariantID(archived))
	require.Error(t, err, "an archived variant is not on the storefront")
}
