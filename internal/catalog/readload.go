package catalog

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/catalog/internal/dbsqlc"
)

// loadChunk bounds how many products one round of read queries asks for: large enough
// that a whole catalog takes few round trips, small enough that the rows of one round
// stay a few megabytes.
const loadChunk = 5000

// loadedProduct is one product as the database has it, whatever its status.
type loadedProduct struct {
	id     ProductID
	slug   string
	active bool
	// p is set for active products only.
	p *Product
	// cats are the product's category rows (its position in each category's own order).
	cats []directRef
	// retired lists the old slugs that redirect to it.
	retired []string
	// vars are its active variants, packed (readvariants.go).
	vars packedVariants
	// entry and claims are its read model entry and facet claims, when a whole read
	// made them early.
	entry  *productEntry
	claims []facetClaim
}

// directRef places a product in a category it is filed in directly.
type directRef struct {
	category CategoryID
	position int32
	product  ProductID
}

func compareDirect(a, b directRef) int {
	return cmp.Or(cmp.Compare(a.position, b.position), cmp.Compare(a.product, b.product))
}

// beginRead opens the transaction reads happen in: repeatable read, so every query sees
// one state, and custom plans, so each query is planned for the range or the IDs it is
// given (a generic plan would scan a range even for two IDs far apart).
// snapshot, when not empty, is an exported snapshot (pg_export_snapshot) the transaction
// sees, so several connections read one state.
func beginRead(ctx context.Context, db beginner, snapshot string) (pgx.Tx, error) {
	tx, err := db.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("catalog: read: %w", err)
	}
	if snapshot != "" {
		if _, err := tx.Exec(ctx, "SET TRANSACTION SNAPSHOT '"+strings.ReplaceAll(snapshot, "'", "")+"'"); err != nil {
			_ = tx.Rollback(ctx)
			return nil, fmt.Errorf("catalog: read: share snapshot: %w", err)
		}
	}
	// work_mem: a chunk's variants sort in memory rather than on disk.
	if _, err := tx.Exec(ctx, "SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL work_mem = '64MB'"); err != nil {
		_ = tx.Rollback(ctx)
		return nil, fmt.Errorf("catalog: read: %w", err)
	}
	return tx, nil
}

// loadProducts reads the storefront data of products inside tx (see beginRead): those
// with IDs from lo to hi, or when ids is not empty, only those (lo and hi then being
// their smallest and largest). Products not returned no longer exist.
func loadProducts(ctx context.Context, tx pgx.Tx, q *dbsqlc.Queries, in *interner, lo, hi int64, ids []int64) ([]loadedProduct, error) {
	if ids == nil {
		ids = []int64{}
	}
	var (
		products   []dbsqlc.ReadProductsRow
		options    []dbsqlc.ReadOptionsRow
		values     []dbsqlc.ReadOptionValuesRow
		prodCats   []dbsqlc.CatalogProductCategory
		attributes []dbsqlc.CatalogProductAttribute
		images     []dbsqlc.ReadImagesRow
		redirects  []dbsqlc.ReadProductRedirectsRow
	)
	// One transaction is one connection, so the queries go one after another; each reads
	// one table for the chunk. Variants come last, read as they stream in, once their
	// products and options are known.
	steps := []func() error{
		func() (err error) {
			products, err = q.ReadProducts(ctx, tx, dbsqlc.ReadProductsParams{Lo: lo, Hi: hi, Ids: ids})
			return
		},
		func() (err error) {
			options, err = q.ReadOptions(ctx, tx, dbsqlc.ReadOptionsParams{Lo: lo, Hi: hi, Ids: ids})
			return
		},
		func() (err error) {
			values, err = q.ReadOptionValues(ctx, tx, dbsqlc.ReadOptionValuesParams{Lo: lo, Hi: hi, Ids: ids})
			return
		},
		func() (err error) {
			prodCats, err = q.ReadProductCategories(ctx, tx, dbsqlc.ReadProductCategoriesParams{Lo: lo, Hi: hi, Ids: ids})
			return
		},
		func() (err error) {
			attributes, err = q.ReadAttributes(ctx, tx, dbsqlc.ReadAttributesParams{Lo: lo, Hi: hi, Ids: ids})
			return
		},
		func() (err error) {
			images, err = q.ReadImages(ctx, tx, dbsqlc.ReadImagesParams{Lo: lo, Hi: hi, Ids: ids})
			return
		},
		func() (err error) {
			redirects, err = q.ReadProductRedirects(ctx, tx, dbsqlc.ReadProductRedirectsParams{Lo: lo, Hi: hi, Ids: ids})
			return
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, fmt.Errorf("catalog: read products: %w", err)
		}
	}

	out := make([]loadedProduct, len(products))
	index := make(map[ProductID]int, len(products))
	for i, r := range products {
		id := ProductID(r.ID)
		index[id] = i
		out[i] = loadedProduct{id: id, slug: r.Slug, active: r.Status == string(StatusActive)}
		if !out[i].active {
			continue
		}
		p := &Product{
			ID: id, Slug: r.Slug, Title: r.Title, Description: r.Description,
			Brand: in.str(r.Brand), Featured: r.Featured, SEOTitle: r.SeoTitle, SEODescription: r.SeoDescription,
			CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, PublishedAt: r.CreatedAt,
		}
		if r.PublishedAt != nil {
			p.PublishedAt = *r.PublishedAt
		}
		out[i].p = p
	}
	product := func(id int64) *Product {
		if i, ok := index[ProductID(id)]; ok {
			return out[i].p
		}
		return nil
	}

	type optionAt struct {
		p   *Product
		pos int
	}
	optionOf := make(map[int64]optionAt, len(options))
	for _, r := range options {
		p := product(r.ProductID)
		if p == nil {
			continue
		}
		optionOf[r.ID] = optionAt{p, len(p.Options)}
		p.Options = append(p.Options, Option{ID: r.ID, Name: in.str(r.Name)})
	}
	valueOption := make(map[int64]int, len(values)) // value id -> option position
	for _, r := range values {
		o, ok := optionOf[r.OptionID]
		if !ok {
			continue
		}
		valueOption[r.ID] = o.pos
		opt := &o.p.Options[o.pos]
		opt.Values = append(opt.Values, OptionValue{ID: r.ID, Value: in.str(r.Value)})
	}
	// A variant's values in the product's option order.
	err := readVariants(ctx, tx, in, lo, hi, ids, valueOption, func(id ProductID, pv packedVariants) {
		if i, ok := index[id]; ok && out[i].active {
			out[i].vars = pv
		}
	})
	if err != nil {
		return nil, err
	}
	for _, r := range attributes {
		if p := product(r.ProductID); p != nil {
			p.Attributes = append(p.Attributes, Attribute{Name: in.str(r.Name), Value: in.str(r.Value)})
		}
	}
	for _, r := range images {
		p := product(r.ProductID)
		if p == nil {
			continue
		}
		img := Image{ID: r.ID, Alt: r.Alt, Width: int(r.Width), Height: int(r.Height), Hash: r.Hash}
		if r.OptionValueID != nil {
			img.OptionValueID = *r.OptionValueID
		}
		p.Images = append(p.Images, img)
	}
	for _, r := range prodCats {
		if i, ok := index[ProductID(r.ProductID)]; ok && out[i].active {
			out[i].cats = append(out[i].cats, directRef{category: CategoryID(r.CategoryID), position: r.Position, product: ProductID(r.ProductID)})
		}
	}
	for _, r := range redirects {
		if i, ok := index[ProductID(r.ProductID)]; ok && out[i].active {
			out[i].retired = append(out[i].retired, r.OldSlug)
		}
	}
	for i := range out {
		slices.SortFunc(out[i].cats, func(a, b directRef) int { return cmp.Compare(a.category, b.category) })
		slices.Sort(out[i].retired)
	}
	return out, nil
}

// interner keeps one copy of strings that repeat across products: brands, option names
// and values, variant titles ("M / Navy"), currencies, attribute names and values. A
// catalog of a million variants repeats a few thousand such strings.
type interner struct{ m map[string]string }

func newInterner() *interner { return &interner{m: make(map[string]string)} }

func (in *interner) str(s string) string {
	if in == nil {
		return s
	}
	if v, ok := in.m[s]; ok {
		return v
	}
	in.m[s] = s
	return s
}
