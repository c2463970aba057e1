package catalog

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/catalog/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// snapshot is the storefront's read model: every active product, category and facet in
// memory, immutable once built. Reads outnumber writes by orders of magnitude, so the
// storefront answers from here without a database round trip, and a change anywhere
// rebuilds the whole snapshot (see cache.go). A 10,000-product catalog loads in a fraction
// of a second and takes a few tens of megabytes.
type snapshot struct {
	builtAt time.Time
	// generation is the cache invalidation count this snapshot reflects.
	generation int64

	products []*Product // active products; the index into this slice is a product's "pi"
	byID     map[ProductID]int32
	bySlug   map[string]int32
	// productRedirects maps a retired slug to the product's current slug.
	productRedirects map[string]string

	categories       []*Category
	categoryByID     map[CategoryID]*Category
	categoryBySlug   map[string]*Category
	categoryRedirect map[string]string
	children         map[CategoryID][]*Category // key 0 holds the roots
	// members lists, per category, the products filed in it or any descendant, in the
	// category's merchandising order.
	members map[CategoryID][]int32

	// storefront is the home page order: featured first, then newest, bounded.
	storefront []ProductSummary

	// Per product, by pi.
	summaries []ProductSummary
	minPrice  []int64
	nameKey   []string
	published []int64
	facetRefs [][]facetRef

	facets []*facetDef
	// facetByKey finds a facet by its URL key (brand, size, color, material, price).
	facetByKey map[string]int

	variants map[VariantID]variantRef
	// vocabulary holds every word of the search terms table, to decide without a query
	// whether a searched word needs correcting.
	vocabulary map[string]struct{}
	// terms is the vocabulary sorted, for prefix look-ups while a shopper is typing.
	terms []string
	// skus maps a lower-cased SKU to its product, so a SKU typed into search finds it.
	skus map[string]int32
	// search remembers query results for as long as this snapshot is current.
	search searchCache
}

type variantRef struct {
	product int32
	index   int32
}

// facetRef says that a product has value v of facet f.
type facetRef struct {
	f, v int32
}

type facetDef struct {
	Key, Label string
	values     []facetValueDef
	valueIndex map[string]int32
	// display lists value indexes in the order shoppers see them, computed once per
	// snapshot rather than sorted on every request.
	display []int32
}

type facetValueDef struct {
	Value string
	// order sorts values the way shoppers expect: sizes by their position in the option
	// (XS before S), prices by range, everything else alphabetically.
	order int64
}

// priceBuckets are the price facet's ranges, in major units of the store currency.
var priceBuckets = []struct {
	min, max int64 // major units; max 0 means no upper bound
	label    string
}{
	{0, 25, "Under 25"},
	{25, 50, "25 – 50"},
	{50, 100, "50 – 100"},
	{100, 200, "100 – 200"},
	{200, 0, "200 and above"},
}

func priceBucketKey(i int) string {
	b := priceBuckets[i]
	if b.max == 0 {
		return fmt.Sprintf("%d-", b.min)
	}
	return fmt.Sprintf("%d-%d", b.min, b.max)
}

// loadSnapshot reads the whole active catalog in a fixed number of queries inside one
// repeatable-read transaction, so they all see one consistent state.
func loadSnapshot(ctx context.Context, db beginner, q *dbsqlc.Queries) (*snapshot, error) {
	tx, err := db.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("catalog: load snapshot: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()

	// One transaction means one connection, so the queries run one after another; they
	// are few and each reads one table once.
	var (
		products   []dbsqlc.SnapshotProductsRow
		variants   []dbsqlc.SnapshotVariantsRow
		options    []dbsqlc.CatalogOption
		values     []dbsqlc.CatalogOptionValue
		varValues  []dbsqlc.CatalogVariantOptionValue
		prodCats   []dbsqlc.CatalogProductCategory
		attributes []dbsqlc.CatalogProductAttribute
		images     []dbsqlc.SnapshotImagesRow
		categories []dbsqlc.SnapshotCategoriesRow
		pRedirects []dbsqlc.SnapshotProductRedirectsRow
		cRedirects []dbsqlc.SnapshotCategoryRedirectsRow
		terms      []string
	)
	steps := []func() error{
		func() (err error) { products, err = q.SnapshotProducts(ctx, tx); return },
		func() (err error) { variants, err = q.SnapshotVariants(ctx, tx); return },
		func() (err error) { options, err = q.SnapshotOptions(ctx, tx); return },
		func() (err error) { values, err = q.SnapshotOptionValues(ctx, tx); return },
		func() (err error) { varValues, err = q.SnapshotVariantOptionValues(ctx, tx); return },
		func() (err error) { prodCats, err = q.SnapshotProductCategories(ctx, tx); return },
		func() (err error) { attributes, err = q.SnapshotAttributes(ctx, tx); return },
		func() (err error) { images, err = q.SnapshotImages(ctx, tx); return },
		func() (err error) { categories, err = q.SnapshotCategories(ctx, tx); return },
		func() (err error) { pRedirects, err = q.SnapshotProductRedirects(ctx, tx); return },
		func() (err error) { cRedirects, err = q.SnapshotCategoryRedirects(ctx, tx); return },
		func() (err error) { terms, err = q.SnapshotSearchTerms(ctx, tx); return },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, fmt.Errorf("catalog: load snapshot: %w", err)
		}
	}

	s := &snapshot{
		builtAt:          time.Now(),
		byID:             make(map[ProductID]int32, len(products)),
		bySlug:           make(map[string]int32, len(products)),
		productRedirects: make(map[string]string, len(pRedirects)),
		categoryByID:     make(map[CategoryID]*Category, len(categories)),
		categoryBySlug:   make(map[string]*Category, len(categories)),
		categoryRedirect: make(map[string]string, len(cRedirects)),
		children:         make(map[CategoryID][]*Category),
		members:          make(map[CategoryID][]int32),
		facetByKey:       make(map[string]int),
		variants:         make(map[VariantID]variantRef, len(variants)),
		vocabulary:       make(map[string]struct{}, len(terms)),
	}
	for _, r := range products {
		p := &Product{
			ID: ProductID(r.ID), Slug: r.Slug, Title: r.Title, Description: r.Description,
			Brand: r.Brand, Featured: r.Featured, SEOTitle: r.SeoTitle, SEODescription: r.SeoDescription,
			CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		}
		p.PublishedAt = r.CreatedAt
		if r.PublishedAt != nil {
			p.PublishedAt = *r.PublishedAt
		}
		pi := int32(len(s.products))
		s.products = append(s.products, p)
		s.byID[p.ID] = pi
		s.bySlug[p.Slug] = pi
	}
	for _, r := range pRedirects {
		s.productRedirects[r.OldSlug] = r.Slug
	}

	optionOwner := make(map[int64]int32, len(options)) // option id -> product
	optionPos := make(map[int64]int, len(options))     // option id -> index in Product.Options
	for _, r := range options {
		pi, ok := s.byID[ProductID(r.ProductID)]
		if !ok {
			continue
		}
		p := s.products[pi]
		optionOwner[r.ID] = pi
		optionPos[r.ID] = len(p.Options)
		p.Options = append(p.Options, Option{ID: r.ID, Name: r.Name})
	}
	valueOption := make(map[int64]int64, len(values)) // value id -> option id
	valuePosition := make(map[int64]int32, len(values))
	for _, r := range values {
		pi, ok := optionOwner[r.OptionID]
		if !ok {
			continue
		}
		o := &s.products[pi].Options[optionPos[r.OptionID]]
		valueOption[r.ID] = r.OptionID
		valuePosition[r.ID] = int32(len(o.Values))
		o.Values = append(o.Values, OptionValue{ID: r.ID, Value: r.Value})
	}
	variantValues := make(map[int64][]int64, len(variants))
	for _, r := range varValues {
		variantValues[r.VariantID] = append(variantValues[r.VariantID], r.OptionValueID)
	}
	for _, r := range variants {
		pi, ok := s.byID[ProductID(r.ProductID)]
		if !ok {
			continue
		}
		p := s.products[pi]
		v := Variant{
			ID: VariantID(r.ID), ProductID: p.ID, SKU: r.Sku, Title: r.Title,
			Price: money.New(r.PriceMinor, r.Currency), WeightGrams: int(r.WeightGrams), Barcode: r.Barcode,
		}
		if r.CompareAtMinor != nil {
			c := money.New(*r.CompareAtMinor, r.Currency)
			v.CompareAt = &c
		}
		// Order the variant's values by the product's option order.
		ids := variantValues[r.ID]
		slices.SortFunc(ids, func(a, b int64) int {
			return cmp.Compare(optionPos[valueOption[a]], optionPos[valueOption[b]])
		})
		v.OptionValueIDs = ids
		s.variants[v.ID] = variantRef{product: pi, index: int32(len(p.Variants))}
		p.Variants = append(p.Variants, v)
	}
	for _, r := range attributes {
		if pi, ok := s.byID[ProductID(r.ProductID)]; ok {
			s.products[pi].Attributes = append(s.products[pi].Attributes, Attribute{Name: r.Name, Value: r.Value})
		}
	}
	for _, r := range images {
		if pi, ok := s.byID[ProductID(r.ProductID)]; ok {
			img := Image{ID: r.ID, Alt: r.Alt, Width: int(r.Width), Height: int(r.Height), Hash: r.Hash}
			if r.VariantID != nil {
				vid := VariantID(*r.VariantID)
				img.VariantID = &vid
			}
			s.products[pi].Images = append(s.products[pi].Images, img)
		}
	}

	for _, r := range categories {
		c := &Category{
			ID: CategoryID(r.ID), Slug: r.Slug, Name: r.Name, Description: r.Description,
			SEOTitle: r.SeoTitle, SEODescription: r.SeoDescription, Featured: r.Featured,
		}
		var parent CategoryID
		if r.ParentID != nil {
			pid := CategoryID(*r.ParentID)
			c.ParentID = &pid
			parent = pid
		}
		s.categories = append(s.categories, c)
		s.categoryByID[c.ID] = c
		s.categoryBySlug[c.Slug] = c
		s.children[parent] = append(s.children[parent], c)
	}
	for _, r := range cRedirects {
		s.categoryRedirect[r.OldSlug] = r.Slug
	}
	direct := make(map[CategoryID][]int32)
	for _, r := range prodCats {
		pi, ok := s.byID[ProductID(r.ProductID)]
		if !ok {
			continue
		}
		cid := CategoryID(r.CategoryID)
		s.products[pi].CategoryIDs = append(s.products[pi].CategoryIDs, cid)
		direct[cid] = append(direct[cid], pi)
	}
	s.buildMembers(direct)
	s.orderProductCategories()

	for _, t := range terms {
		s.vocabulary[t] = struct{}{}
	}
	s.terms = slices.Sorted(maps.Keys(s.vocabulary))
	s.skus = make(map[string]int32, len(variants))
	for pi, p := range s.products {
		for _, v := range p.Variants {
			s.skus[strings.ToLower(v.SKU)] = int32(pi)
		}
	}
	s.buildListingData()
	return s, nil
}

// orderProductCategories puts a product's most specific category first (the deepest in
// the tree, then the oldest): it is the one breadcrumbs and related products use, so a
// product on sale still shows "Clothing › Jeans" rather than "Sale".
func (s *snapshot) orderProductCategories() {
	depth := make(map[CategoryID]int, len(s.categories))
	var depthOf func(c *Category) int
	depthOf = func(c *Category) int {
		if d, ok := depth[c.ID]; ok {
			return d
		}
		d := 0
		if c.ParentID != nil {
			if p := s.categoryByID[*c.ParentID]; p != nil && p != c {
				depth[c.ID] = 0 // guards a cycle while recursing
				d = depthOf(p) + 1
			}
		}
		depth[c.ID] = d
		return d
	}
	for _, c := range s.categories {
		depthOf(c)
	}
	for _, p := range s.products {
		slices.SortStableFunc(p.CategoryIDs, func(a, b CategoryID) int {
			return cmp.Or(cmp.Compare(depth[b], depth[a]), cmp.Compare(a, b))
		})
	}
}

// buildMembers gives each category the products of its whole subtree, direct members
// first in their own order, then each child's in tree order, without duplicates.
func (s *snapshot) buildMembers(direct map[CategoryID][]int32) {
	var collect func(c *Category) []int32
	collect = func(c *Category) []int32 {
		if m, ok := s.members[c.ID]; ok {
			return m
		}
		seen := make(map[int32]struct{})
		var out []int32
		add := func(pis []int32) {
			for _, pi := range pis {
				if _, dup := seen[pi]; !dup {
					seen[pi] = struct{}{}
					out = append(out, pi)
				}
			}
		}
		add(direct[c.ID])
		for _, child := range s.children[c.ID] {
			add(collect(child))
		}
		s.members[c.ID] = out
		return out
	}
	for _, c := range s.categories {
		collect(c)
	}
}

// buildListingData precomputes what listings sort and filter on, and the facet index.
func (s *snapshot) buildListingData() {
	n := len(s.products)
	s.summaries = make([]ProductSummary, n)
	s.minPrice = make([]int64, n)
	s.nameKey = make([]string, n)
	s.published = make([]int64, n)
	s.facetRefs = make([][]facetRef, n)

	facet := func(key, label string) int32 {
		if i, ok := s.facetByKey[key]; ok {
			return int32(i)
		}
		s.facets = append(s.facets, &facetDef{Key: key, Label: label, valueIndex: map[string]int32{}})
		s.facetByKey[key] = len(s.facets) - 1
		return int32(len(s.facets) - 1)
	}
	value := func(f int32, v string, order int64) int32 {
		d := s.facets[f]
		if i, ok := d.valueIndex[v]; ok {
			if order < d.values[i].order {
				d.values[i].order = order
			}
			return i
		}
		d.values = append(d.values, facetValueDef{Value: v, order: order})
		d.valueIndex[v] = int32(len(d.values) - 1)
		return int32(len(d.values) - 1)
	}
	// Fixed facets first, so they lead the filter column in this order.
	brandF := facet("brand", "Brand")
	priceF := facet("price", "Price")
	for i := range priceBuckets {
		value(priceF, priceBucketKey(i), int64(i))
	}

	for pi, p := range s.products {
		sum := ProductSummary{ID: p.ID, Slug: p.Slug, Title: p.Title, Brand: p.Brand}
		if len(p.Images) > 0 {
			img := p.Images[0]
			sum.Image = &img
		}
		cheapest := -1
		for vi, v := range p.Variants {
			if cheapest < 0 || v.Price.Minor < p.Variants[cheapest].Price.Minor {
				cheapest = vi
			}
		}
		if cheapest >= 0 {
			v := p.Variants[cheapest]
			sum.Price = v.Price
			if v.OnSale() {
				c := *v.CompareAt
				sum.CompareAt = &c
			}
			s.minPrice[pi] = v.Price.Minor
		}
		s.summaries[pi] = sum
		s.nameKey[pi] = fold(p.Title)
		s.published[pi] = p.PublishedAt.UnixNano()

		var refs []facetRef
		if p.Brand != "" {
			refs = append(refs, facetRef{brandF, value(brandF, p.Brand, 0)})
		}
		if cheapest >= 0 {
			major := s.minPrice[pi] / pow10(money.Digits(sum.Price.Currency))
			for i, b := range priceBuckets {
				if major >= b.min && (b.max == 0 || major < b.max) {
					refs = append(refs, facetRef{priceF, int32(i)})
					break
				}
			}
		}
		// An option value counts for the product only if an active variant has it.
		used := make(map[int64]struct{})
		for _, v := range p.Variants {
			for _, id := range v.OptionValueIDs {
				used[id] = struct{}{}
			}
		}
		for _, o := range p.Options {
			f := facet(facetKey(o.Name), o.Name)
			for pos, ov := range o.Values {
				if _, ok := used[ov.ID]; ok {
					refs = append(refs, facetRef{f, value(f, ov.Value, int64(pos))})
				}
			}
		}
		for _, a := range p.Attributes {
			f := facet(facetKey(a.Name), a.Name)
			refs = append(refs, facetRef{f, value(f, a.Value, 0)})
		}
		s.facetRefs[pi] = refs
	}
	for _, f := range s.facets {
		f.display = make([]int32, len(f.values))
		folded := make([]string, len(f.values))
		for i, v := range f.values {
			f.display[i] = int32(i)
			folded[i] = fold(v.Value)
		}
		if f.Key != "price" {
			slices.SortStableFunc(f.display, func(a, b int32) int {
				return cmp.Or(cmp.Compare(f.values[a].order, f.values[b].order), strings.Compare(folded[a], folded[b]))
			})
		}
	}

	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		fa, fb := s.products[a].Featured, s.products[b].Featured
		if fa != fb {
			if fa {
				return -1
			}
			return 1
		}
		return cmp.Compare(s.published[b], s.published[a])
	})
	s.storefront = make([]ProductSummary, 0, min(n, MaxListing))
	for _, pi := range order[:min(n, MaxListing)] {
		s.storefront = append(s.storefront, s.summaries[pi])
	}
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// facetKey turns an option or attribute name into its URL parameter: "Color" → "color".
func facetKey(name string) string { return slugify(name) }

// fold lowercases and strips accents the simple way for sorting and matching in Go; the
// database's catalog.fold does the same for search.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if a, ok := accentFold[r]; ok {
			b.WriteString(a)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var accentFold = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'æ': "ae", 'ç': "c",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i",
	'ñ': "n", 'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'œ': "oe",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ý': "y", 'ÿ': "y", 'ß': "ss",
}

// beginner is what loading needs of the pool.
type beginner interface {
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}
