package catalog_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/audit"
)

// catalogFingerprint is every product and variant field an import could touch, in a
// stable order, to compare a catalog before and after.
func catalogFingerprint(t *testing.T, tb *testBundle) string {
	t.Helper()
	var out string
	require.NoError(t, tb.pool.QueryRow(tb.ctx, `
		WITH vals AS (
			SELECT vov.variant_id, string_agg(ov.value, ',' ORDER BY ov.id) AS v
			FROM catalog.variant_option_values vov JOIN catalog.option_values ov ON ov.id = vov.option_value_id
			GROUP BY vov.variant_id)
		SELECT string_agg(line, E'\n' ORDER BY line) FROM (
			SELECT concat_ws('|', p.slug, p.title, p.status, p.brand, p.featured, p.description, p.version,
			       v.sku, v.price_minor, v.compare_at_minor, v.currency, v.weight_grams, v.barcode, v.status, vals.v) AS line
			FROM catalog.products p LEFT JOIN catalog.variants v ON v.product_id = p.id
			LEFT JOIN vals ON vals.variant_id = v.id) l`).Scan(&out))
	return out
}

func TestCSVRoundTrip(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	require.NoError(t, tb.svc.SeedDemo(tb.ctx, catalog.SeedOptions{Products: 400, Seed: 5}))
	before := catalogFingerprint(t, tb)

	var exported bytes.Buffer
	require.NoError(t, tb.svc.ExportCSV(tb.ctx, &exported))
	lines, err := csv.NewReader(bytes.NewReader(exported.Bytes())).ReadAll()
	require.NoError(t, err)
	var variants int
	require.NoError(t, tb.pool.QueryRow(tb.ctx, `SELECT count(*) FROM catalog.variants WHERE status = 'active'`).Scan(&variants))
	require.Len(t, lines, variants+1, "a header and one line per variant")

	for _, dry := range []bool{true, false} {
		rep, err := tb.svc.ImportCSV(tb.ctx, audit.Actor{Email: "test@example.com"}, bytes.NewReader(exported.Bytes()), dry)
		require.NoError(t, err)
		require.Empty(t, rep.Errors)
		require.Equal(t, variants, rep.Rows)
		require.Equal(t, 400, rep.Products)
		require.Zero(t, rep.Created, "dry run %v", dry)
		require.Zero(t, rep.Updated, "dry run %v", dry)
		require.Equal(t, variants, rep.Unchanged)
		require.False(t, rep.Applied, "nothing to apply")
	}
	require.Equal(t, before, catalogFingerprint(t, tb), "export then import changes nothing")
}

func TestCSVImport(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	require.NoError(t, tb.svc.SeedDemo(tb.ctx, catalog.SeedOptions{Products: 20, Seed: 6}))
	actor := audit.Actor{Email: "test@example.com"}
	header := "product_slug,title,status,brand,featured,categories,description,seo_title,seo_description,attributes,option1_name,option1_value,option2_name,option2_value,option3_name,option3_value,sku,price,compare_at_price,currency,weight_grams,barcode\n"

	t.Run("OKCreatesAndUpdates", func(t *testing.T) {
		file := header +
			"rain-poncho,Rain Poncho,active,Northwind,false,jackets,A light poncho.,,,Material=Nylon,Size,S,Color,Yellow,,,PONCHO-S-YLW,29.00,,EUR,300,\n" +
			"rain-poncho,Rain Poncho,active,Northwind,false,jackets,A light poncho.,,,Material=Nylon,Size,M,Color,Yellow,,,PONCHO-M-YLW,29.00,39.00,EUR,320,\n"
		rep, err := tb.svc.ImportCSV(tb.ctx, actor, strings.NewReader(file), false)
		require.NoError(t, err)
		require.Empty(t, rep.Errors)
		require.Equal(t, 2, rep.Created)
		require.True(t, rep.Applied)

		p, err := tb.svc.FindProductBySlug(tb.ctx, "rain-poncho")
		require.NoError(t, err)
		require.Len(t, p.Variants, 2)
		require.Equal(t, "€29.00", p.Variants[0].Price.String())
		res, err := tb.svc.Search(tb.ctx, catalog.SearchQuery{Text: "poncho"})
		require.NoError(t, err)
		require.Equal(t, 1, res.Total, "imported products are searchable at once")

		// Same file with one price changed: one update, one unchanged.
		changed := strings.Replace(file, "PONCHO-M-YLW,29.00", "PONCHO-M-YLW,27.50", 1)
		rep, err = tb.svc.ImportCSV(tb.ctx, actor, strings.NewReader(changed), false)
		require.NoError(t, err)
		require.Equal(t, 1, rep.Updated)
		require.Equal(t, 1, rep.Unchanged)
		p, err = tb.svc.FindProductBySlug(tb.ctx, "rain-poncho")
		require.NoError(t, err)
		require.Equal(t, "€27.50", p.Variants[1].Price.String())
	})

	t.Run("ErrForeignCurrency", func(t *testing.T) {
		// The demo catalog sells in euros; a dollar price would leave every cart holding
		// it unpriceable (a 500 on the cart and checkout, found by an audit).
		before := catalogFingerprint(t, tb)
		file := header +
			"dollar-thing,Dollar Thing,active,,false,,,,,,,,,,,,DOL-1,10.00,,USD,,\n" +
			"euro-thing,Euro Thing,active,,false,,,,,,,,,,,,EUR-1,10.00,,EUR,,\n"
		rep, err := tb.svc.ImportCSV(tb.ctx, actor, strings.NewReader(file), false)
		require.NoError(t, err)
		require.False(t, rep.Applied)
		require.Equal(t, []catalog.ImportError{{Line: 2, Column: "currency",
			Message: "The shop sells in EUR (Settings, Store details) and prices are never converted: write this price in EUR."}}, rep.Errors)
		require.Equal(t, before, catalogFingerprint(t, tb), "nothing written")
	})

	t.Run("ErrInvalidRowWritesNothing", func(t *testing.T) {
		before := catalogFingerprint(t, tb)
		file := header +
			"new-thing,New Thing,active,,false,,,,,,,,,,,,NEW-1,10.00,,EUR,,\n" +
			"new-thing,New Thing,active,,false,,,,,,,,,,,,NEW-2,ten dollars,,EUR,,\n" +
			"bad slug!,X,active,,false,nope,,,,,,,,,,,NEW-3,5.00,4.00,EUR,-1,\n"
		rep, err := tb.svc.ImportCSV(tb.ctx, actor, strings.NewReader(file), false)
		require.NoError(t, err)
		require.False(t, rep.Applied)
		byLine := map[int][]string{}
		for _, e := range rep.Errors {
			byLine[e.Line] = append(byLine[e.Line], e.Column)
		}
		require.Contains(t, byLine[3], "price", "line numbers count the header as line 1")
		require.Contains(t, byLine[4], "slug")
		require.Contains(t, byLine[4], "categories")
		require.Contains(t, byLine[4], "compare_at_price")
		require.Contains(t, byLine[4], "weight_grams")
		require.NotContains(t, byLine, 2, "the valid line has no error")
		require.Equal(t, before, catalogFingerprint(t, tb), "nothing written when any line is invalid")
	})

	t.Run("ErrMissingColumnsAndForeignSKU", func(t *testing.T) {
		rep, err := tb.svc.ImportCSV(tb.ctx, actor, strings.NewReader("title,sku\nX,Y\n"), false)
		require.NoError(t, err)
		require.NotEmpty(t, rep.Errors)
		require.Equal(t, 1, rep.Errors[0].Line)

		var sku string
		require.NoError(t, tb.pool.QueryRow(tb.ctx, `SELECT sku FROM catalog.variants ORDER BY id LIMIT 1`).Scan(&sku))
		file := header + "someone-else,Someone Else,draft,,false,,,,,,,,,,,," + sku + ",1.00,,EUR,,\n"
		rep, err = tb.svc.ImportCSV(tb.ctx, actor, strings.NewReader(file), false)
		require.NoError(t, err)
		require.Len(t, rep.Errors, 1)
		require.Equal(t, "sku", rep.Errors[0].Column)
		require.False(t, rep.Applied)
	})

	t.Run("OKHostileBytes", func(t *testing.T) {
		for _, file := range []string{"", "\xff\xfe", header + "\"unterminated", header + strings.Repeat(",", 40) + "\n"} {
			rep, err := tb.svc.ImportCSV(tb.ctx, actor, strings.NewReader(file), true)
			require.NoError(t, err)
			require.NotEmpty(t, rep.Errors)
		}
	})
}

// TestCSVImportBatches imports a file larger than one batch: every line applies, every
// replica hears of every product batch by batch, and a problem anywhere in the file still
// writes nothing.
func TestCSVImportBatches(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	require.NoError(t, tb.svc.SeedDemo(tb.ctx, catalog.SeedOptions{Products: 300, Seed: 2}))
	actor := audit.Actor{Email: "test@example.com"}
	var exported bytes.Buffer
	require.NoError(t, tb.svc.ExportCSV(tb.ctx, &exported))
	lines, err := csv.NewReader(bytes.NewReader(exported.Bytes())).ReadAll()
	require.NoError(t, err)
	require.Greater(t, len(lines), 4000, "several batches of lines")

	// Every price one unit up, every title renamed: each line changes.
	price, title, slug := slices.Index(lines[0], "price"), slices.Index(lines[0], "title"), slices.Index(lines[0], "product_slug")
	rewrite := func(skip string, extra ...[]string) ([]byte, int) {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		require.NoError(t, w.Write(lines[0]))
		n := 1
		for _, l := range lines[1:] {
			if l[slug] == skip {
				continue
			}
			n++
			l = slices.Clone(l)
			p, err := strconv.ParseFloat(l[price], 64)
			require.NoError(t, err)
			l[price] = strconv.FormatFloat(p+1, 'f', 2, 64)
			l[title] = "Batch " + l[title]
			require.NoError(t, w.Write(l))
		}
		for _, l := range extra {
			require.NoError(t, w.Write(l))
		}
		w.Flush()
		return b.Bytes(), n + len(extra)
	}

	t.Run("ErrProblemOnTheLastLineWritesNothing", func(t *testing.T) {
		before := catalogFingerprint(t, tb)
		// The last line gives a product the file leaves out's SKU to a new product: only
		// the catalog can tell.
		foreign := slices.Clone(lines[1])
		foreign[slug] = "a-new-product"
		file, last := rewrite(lines[1][slug], foreign)
		rep, err := tb.svc.ImportCSV(tb.ctx, actor, bytes.NewReader(file), false)
		require.NoError(t, err)
		require.Len(t, rep.Errors, 1)
		require.Equal(t, "sku", rep.Errors[0].Column)
		require.Equal(t, last, rep.Errors[0].Line)
		require.False(t, rep.Applied)
		require.Equal(t, before, catalogFingerprint(t, tb), "nothing written")
	})

	t.Run("OKAppliesEveryBatchAndNotifiesEach", func(t *testing.T) {
		conn, err := tb.pool.Acquire(tb.ctx)
		require.NoError(t, err)
		defer conn.Release()
		_, err = conn.Exec(tb.ctx, "LISTEN catalog_changed")
		require.NoError(t, err)

		file, _ := rewrite("")
		rep, err := tb.svc.ImportCSV(tb.ctx, actor, bytes.NewReader(file), false)
		require.NoError(t, err)
		require.Empty(t, rep.Errors)
		require.True(t, rep.Applied)
		require.Equal(t, len(lines)-1, rep.Updated)

		var renamed, products int
		require.NoError(t, tb.pool.QueryRow(tb.ctx, `SELECT count(*) FILTER (WHERE title LIKE 'Batch %'), count(*) FROM catalog.products`).Scan(&renamed, &products))
		require.Equal(t, 300, renamed)
		require.Equal(t, 300, products)

		notified := map[string]bool{}
		var notifications int
		for len(notified) < products {
			ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
			n, err := conn.Conn().WaitForNotification(ctx)
			cancel()
			require.NoError(t, err, "notified of %d of %d products", len(notified), products)
			notifications++
			for _, id := range strings.Split(n.Payload, ",") {
				notified[id] = true
			}
		}
		require.Greater(t, notifications, 1, "one notification per batch, not one for the file")
		require.Empty(t, vocabularyDrift(t, tb))

		// The same file again: everything is already there.
		rep, err = tb.svc.ImportCSV(tb.ctx, actor, bytes.NewReader(file), false)
		require.NoError(t, err)
		require.Zero(t, rep.Updated)
		require.False(t, rep.Applied)
	})
}
