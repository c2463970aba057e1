package catalog_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"maps"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// TestReadModel proves the storefront read model correct under change (issue 12, done
// means 5, and the replica half of 1): thousands of random catalog changes are made through
// the services (create, edit, archive, draft, re-publish, re-categorise, options and
// variants, prices and sales, SKUs, slug changes with redirects, featured, attributes,
// images, categories created, renamed, moved and deleted, CSV imports, stock), and after
// every batch every storefront read is compared with a catalog service built from scratch
// on the same database:
//
//   - the writer (A), which served reads all along, immediately: its own writes are visible
//     to it once they return;
//   - two replicas (B and C, each on its own pool, following changes through
//     FollowChanges only), compared until they agree, which they must within
//     rmConvergeLimit; a single title edit must reach both within rmVisibleLimit.
//
// The reads compared are the whole storefront surface: product pages by every slug ever used
// (active, drafts, archived, retired slugs that redirect), every variant id, related
// products, breadcrumbs, the category tree and every category slug ever used, the home page,
// the sitemap, listings of every category with every sort and page and the facet
// combinations derived from the facets present (one value, two values of one facet, two and
// three facets, in stock only, unknown values), search for a fixed set of queries (words,
// compounds, typos, prefixes, SKUs and SKU prefixes) with filters, sorts and pages, and
// autocomplete.
//
// Some batches also cut every LISTEN connection, as a lost connection or a restart of the
// database would, so that notifications are missed and must be made up for.
//
// The proof is differential: the reference is the same package loading everything at
// start, so what it checks is that updating the model as changes arrive ends exactly where
// building it afresh does. Whether the fresh build itself is right is for the other tests.
// Stock comes from a stand-in for inventory that every service shares (rmStock); should the
// read model ever keep stock itself, it must become real inventory here.
//
// READMODEL_SEED replays a run (the seed is logged); READMODEL_BATCHES and
// READMODEL_CHANGES change its size. -short runs a few small batches.
func TestReadModel(t *testing.T) {
	t.Parallel()

	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("READMODEL_SEED"); s != "" {
		var err error
		seed, err = strconv.ParseUint(s, 10, 64)
		require.NoError(t, err, "READMODEL_SEED")
	}
	batches, changes := 20, 100
	if testing.Short() {
		batches, changes = 4, 40
	}
	batches = rmEnvInt(t, "READMODEL_BATCHES", batches)
	changes = rmEnvInt(t, "READMODEL_CHANGES", changes)
	t.Logf("seed %d (replay with READMODEL_SEED=%d), %d batches of %d changes", seed, seed, batches, changes)

	h := newRMHarness(t, seed)
	start := time.Now()
	var maxCatchUp, maxVisible time.Duration
	for b := range batches {
		batchStart := time.Now()
		dropped := 0
		if b%4 == 3 {
			dropped = h.dropListeners()
		}
		stopReaders := h.startReaders()
		for range changes {
			h.change()
		}
		changed := time.Since(batchStart)
		require.NoError(t, stopReaders(), "a storefront read failed while the catalog changed")
		if dropped > 0 {
			h.awaitListeners(dropped)
		}
		maxVisible = max(maxVisible, h.probe())
		written := time.Now()
		catchUp := h.compare(b, written)
		maxCatchUp = max(maxCatchUp, catchUp)
		t.Logf("batch %d: %d products (%d active), %d categories, %d reads compared, listeners cut %d, replicas caught up in %v, batch took %v (changes %v)",
			b, len(h.products), h.lastActive, h.lastCategories, h.lastReads, dropped, catchUp.Round(time.Millisecond), time.Since(batchStart).Round(time.Millisecond), changed.Round(time.Millisecond))
	}
	names := slices.Sorted(maps.Keys(h.applied))
	var summary []string
	for _, n := range names {
		summary = append(summary, fmt.Sprintf("%s %d/%d", n, h.applied[n], h.applied[n]+h.refused[n]))
	}
	t.Logf("changes applied (of tried): %s", strings.Join(summary, ", "))
	for _, n := range slices.Sorted(maps.Keys(h.refusal)) {
		t.Logf("first %s refused: %s", n, h.refusal[n])
	}
	t.Logf("%d changes in %v; a single edit reached every replica within %v at most; replicas agreed with the rebuilt catalog on every read within %v of the last write at most (making the reads included)",
		batches*changes, time.Since(start).Round(time.Millisecond), maxVisible.Round(time.Millisecond), maxCatchUp.Round(time.Millisecond))
}

const (
	// rmVisibleLimit is how soon an edit made on one replica must be served by every other
	// (issue 12: "an edit is visible on every replica within 1 s").
	rmVisibleLimit = time.Second
	// rmConvergeLimit bounds how long a replica may go on disagreeing with the rebuilt
	// catalog once the test starts comparing it after a batch.
	rmConvergeLimit = 5 * time.Second
	// rmPerPage is the page size of compared listings: small, so paging is exercised.
	rmPerPage = 10
)

func rmEnvInt(t *testing.T, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	require.NoError(t, err, name)
	require.Positive(t, n, name)
	return n
}

// rmHarness holds the services under test and what the test knows of the catalog it made.
type rmHarness struct {
	t    *testing.T
	ctx  context.Context
	seed uint64
	rng  *rand.Rand
	pool *pgxpool.Pool

	// a writes and serves reads the whole time; replicas only follow changes.
	a        *catalog.Service
	replicas []rmReplica
	stock    *rmStock
	jobs     *rmJobs
	actor    audit.Actor

	products  []catalog.ProductID
	slugs     map[string]bool // every product slug ever used
	slugList  []string
	catSlugs  map[string]bool // every category slug ever used
	catIDs    map[catalog.CategoryID]bool
	seq       int
	applied   map[string]int
	refused   map[string]int
	refusal   map[string]string // the first refusal of each kind of change, for the log
	readerSeq uint64

	lastActive, lastCategories, lastReads int
}

type rmReplica struct {
	name string
	svc  *catalog.Service
}

func newRMHarness(t *testing.T, seed uint64) *rmHarness {
	pool := dbtest.DB(t)
	h := &rmHarness{
		t: t, ctx: t.Context(), seed: seed, rng: rand.New(rand.NewPCG(seed, 0x726561646d6f64)), pool: pool,
		stock: &rmStock{in: map[catalog.VariantID]bool{}}, jobs: &rmJobs{},
		actor: audit.Actor{Email: "readmodel-test@example.com"},
		slugs: map[string]bool{}, catSlugs: map[string]bool{}, catIDs: map[catalog.CategoryID]bool{},
		applied: map[string]int{}, refused: map[string]int{}, refusal: map[string]string{},
	}
	h.a = catalog.NewService(pool, nil)
	h.a.UseInStock(h.stock)

	// Every service follows changes, as every replica of the shop does; the followers'
	// goroutines end before their pools close.
	followCtx, stopFollowing := context.WithCancel(context.Background())
	var following sync.WaitGroup
	follow := func(s *catalog.Service) {
		following.Add(1)
		go func() {
			defer following.Done()
			s.FollowChanges(followCtx)
		}()
	}
	follow(h.a)
	for _, name := range []string{"B", "C"} {
		p, err := pgxpool.New(h.ctx, pool.Config().ConnString())
		require.NoError(t, err)
		t.Cleanup(p.Close)
		s := catalog.NewService(p, nil)
		s.UseInStock(h.stock)
		follow(s)
		h.replicas = append(h.replicas, rmReplica{name: name, svc: s})
	}
	t.Cleanup(func() {
		stopFollowing()
		following.Wait()
	})

	// A realistic start: the demo catalog (its category tree, brands, sizes, colours,
	// materials, sales), then the random changes. Images come later, uploaded small.
	require.NoError(t, h.a.SeedDemo(h.ctx, catalog.SeedOptions{Products: 60, Seed: seed % 1000}))
	h.a.UseJobs(h.jobs)
	rows, _, err := h.a.AdminListProducts(h.ctx, catalog.AdminProductFilter{PerPage: 200})
	require.NoError(t, err)
	for _, r := range rows {
		h.addProduct(r.ID, r.Slug)
	}
	slices.Sort(h.products)
	cats, err := h.a.AdminListCategories(h.ctx)
	require.NoError(t, err)
	for _, c := range cats {
		h.catSlugs[c.Slug], h.catIDs[c.ID] = true, true
	}
	ids, err := h.a.ListVariantIDs(h.ctx)
	require.NoError(t, err)
	for _, id := range ids {
		h.stock.set(id, h.rng.IntN(10) < 7)
	}
	return h
}

func (h *rmHarness) addProduct(id catalog.ProductID, slug string) {
	h.products = append(h.products, id)
	h.noteSlug(slug)
}

func (h *rmHarness) noteSlug(slug string) {
	if !h.slugs[slug] {
		h.slugs[slug] = true
		h.slugList = append(h.slugList, slug)
	}
}

// done records the outcome of one change: validation and conflict errors are refusals a
// shopkeeper could meet too (a slug in use, a category moved into itself); anything else
// fails the test.
func (h *rmHarness) done(op string, err error) bool {
	h.t.Helper()
	switch {
	case err == nil:
		h.applied[op]++
		return true
	case apperr.Is(err, apperr.Invalid), apperr.Is(err, apperr.Conflict):
		h.refused[op]++
		if _, ok := h.refusal[op]; !ok {
			h.refusal[op] = fmt.Sprintf("%s %v", apperr.MessageOf(err), apperr.FieldsOf(err))
		}
		return false
	}
	require.NoError(h.t, err, op)
	return false
}

func (h *rmHarness) pick(n int) int { return h.rng.IntN(n) }

func rmPick[T any](h *rmHarness, xs []T) T { return xs[h.rng.IntN(len(xs))] }

// The words random products are made of: some the demo catalog uses, some it does not,
// accented ones, and compounds ("T-Shirt").
var (
	rmAdjectives = []string{"Aurora", "Glacier", "Ember", "Tundra", "Harbor", "Meadow", "Crème", "Nordic", "Solstice", "Drift", "Canyon", "Ridge", "Velvet", "Quartz", "Classic", "Vintage", "Trail"}
	rmNouns      = []string{"Parka", "T-Shirt", "Hoodie", "Jeans", "Sneakers", "Beanie", "Cardigan", "Backpack", "Rain Jacket", "Chinos", "Socks", "Boots", "Scarf", "Polo Shirt", "Tote Bag", "Fleece"}
	rmBrands     = []string{"Adidas", "Nike", "Levi's", "Patagonia", "Fjällräven", "Aurora Works", "Nordvik", "Ébène", "Harbor & Co", "Uniqlo", ""}
	rmMaterials  = []string{"Cotton", "Merino Wool", "Linen", "Recycled Polyester", "Leather", "Denim", "Cashmere", "Hemp"}
	rmFits       = []string{"Slim", "Regular", "Relaxed"}
	rmDepts      = []string{"Men", "Women", "Unisex"}
	rmSizes      = []string{"XS", "S", "M", "L", "XL", "XXL"}
	rmColours    = []string{"Black", "Navy", "Olive", "Crème", "Red", "Sky Blue", "Teal"}
	rmBlurbs     = []string{"Warm and light.", "Made to last, in small batches.", "Soft, breathable merino for every season.", "Waterproof and windproof.", "A vintage cut with a modern fit.", ""}
)

// change makes one random change through the services.
func (h *rmHarness) change() {
	ops := []struct {
		weight int
		run    func()
	}{
		{10, h.opCreate},
		{10, h.opEditText},
		{6, h.opSlug},
		{14, h.opPrices},
		{10, h.opStatus},
		{8, h.opRecategorise},
		{4, h.opFeatured},
		{6, h.opOptions},
		{5, h.opAttributes},
		{3, h.opSKU},
		{8, h.opCategory},
		{6, h.opImage},
		{3, h.opImageShownFor},
		{6, h.opStock},
		{2, h.opCSV},
		{2, h.opResave},
	}
	total := 0
	for _, o := range ops {
		total += o.weight
	}
	n := h.pick(total)
	for _, o := range ops {
		if n < o.weight {
			o.run()
			break
		}
		n -= o.weight
	}
	// Read now and then between writes, so the writer's model is built (or updated) in
	// intermediate states rather than once per batch.
	if h.pick(4) == 0 {
		_, err := h.a.ListProducts(h.ctx, catalog.ListingQuery{Category: h.randomCategory(), Sort: rmPick(h, catalog.Sorts).Sort})
		require.NoError(h.t, err)
	}
}

func (h *rmHarness) randomProduct() (catalog.AdminProduct, bool) {
	if len(h.products) == 0 {
		return catalog.AdminProduct{}, false
	}
	p, err := h.a.AdminGetProduct(h.ctx, rmPick(h, h.products))
	require.NoError(h.t, err)
	return p, true
}

func (h *rmHarness) categories() []catalog.AdminCategory {
	cats, err := h.a.AdminListCategories(h.ctx)
	require.NoError(h.t, err)
	return cats
}

func (h *rmHarness) randomCategory() catalog.CategoryID {
	ids := slices.Sorted(maps.Keys(h.catIDs))
	return rmPick(h, ids)
}

func (h *rmHarness) randomCategories() []catalog.CategoryID {
	cats := h.categories()
	var out []catalog.CategoryID
	for range h.pick(3) {
		out = append(out, rmPick(h, cats).ID)
	}
	return out
}

func (h *rmHarness) randomAttributes() []catalog.Attribute {
	var out []catalog.Attribute
	if h.pick(5) > 0 {
		out = append(out, catalog.Attribute{Name: "Material", Value: rmPick(h, rmMaterials)})
	}
	if h.pick(2) == 0 {
		out = append(out, catalog.Attribute{Name: "Fit", Value: rmPick(h, rmFits)})
	}
	if h.pick(3) == 0 {
		out = append(out, catalog.Attribute{Name: "Department", Value: rmPick(h, rmDepts)})
	}
	return out
}

func (h *rmHarness) randomTitle() string {
	title := rmPick(h, rmAdjectives) + " " + rmPick(h, rmNouns)
	if h.pick(3) == 0 {
		title = rmPick(h, rmAdjectives) + " " + title
	}
	return title
}

func (h *rmHarness) randomStatus() catalog.Status {
	switch n := h.pick(10); {
	case n < 7:
		return catalog.StatusActive
	case n < 9:
		return catalog.StatusDraft
	}
	return catalog.StatusArchived
}

func rmInput(p catalog.AdminProduct) catalog.ProductInput {
	return catalog.ProductInput{Title: p.Title, Slug: p.Slug, Description: p.Description, Brand: p.Brand, Status: p.Status,
		Featured: p.Featured, SEOTitle: p.SEOTitle, SEODescription: p.SEODescription,
		Categories: slices.Clone(p.CategoryIDs), Attributes: slices.Clone(p.Attributes)}
}

func (h *rmHarness) randomOptions() []catalog.OptionInput {
	sizes := func() catalog.OptionInput {
		from := h.pick(len(rmSizes))
		to := min(len(rmSizes), from+1+h.pick(4))
		return catalog.OptionInput{Name: "Size", Values: slices.Clone(rmSizes[from:to])}
	}
	colours := func() catalog.OptionInput {
		var vals []string
		for _, i := range h.rng.Perm(len(rmColours))[:1+h.pick(3)] {
			vals = append(vals, rmColours[i])
		}
		return catalog.OptionInput{Name: "Color", Values: vals}
	}
	switch n := h.pick(20); {
	case n < 3:
		return nil
	case n < 10:
		return []catalog.OptionInput{sizes()}
	case n < 13:
		return []catalog.OptionInput{colours()}
	}
	return []catalog.OptionInput{sizes(), colours()}
}

func (h *rmHarness) randomPrice() int64 {
	// Across every price bucket, in whole and odd cents.
	return int64(500+h.pick(30000)) - int64(h.pick(2))*int64(h.pick(100))
}

func rmDecimal(minor int64) string { return money.New(minor, "USD").Decimal() }

// opCreate creates a product the way the editor does: the main form, then its options,
// then perhaps its prices.
func (h *rmHarness) opCreate() {
	in := catalog.ProductInput{Title: h.randomTitle(), Description: rmPick(h, rmBlurbs), Brand: rmPick(h, rmBrands),
		Status: h.randomStatus(), Featured: h.pick(6) == 0, Categories: h.randomCategories(), Attributes: h.randomAttributes()}
	if h.pick(4) == 0 {
		h.seq++
		in.Slug = fmt.Sprintf("%s-%d", strings.ToLower(strings.ReplaceAll(rmPick(h, rmAdjectives), "è", "e")), h.seq)
	}
	id, err := h.a.CreateProduct(h.ctx, h.actor, in)
	if !h.done("create", err) {
		return
	}
	p, err := h.a.AdminGetProduct(h.ctx, id)
	require.NoError(h.t, err)
	h.addProduct(id, p.Slug)
	if h.pick(10) == 0 {
		return // a product without variants yet
	}
	_, err = h.a.SetProductOptions(h.ctx, h.actor, id, p.Version, h.randomOptions(), rmDecimal(h.randomPrice()))
	h.done("options", err)
	if h.pick(2) == 0 {
		h.opPricesOf(id)
	}
}

func (h *rmHarness) opEditText() {
	p, ok := h.randomProduct()
	if !ok {
		return
	}
	in := rmInput(p)
	switch h.pick(4) {
	case 0:
		in.Brand = rmPick(h, rmBrands)
	case 1:
		in.Description = rmPick(h, rmBlurbs)
	case 2:
		in.SEOTitle = h.randomTitle()
	default:
		in.Title = h.randomTitle()
	}
	_, err := h.a.UpdateProduct(h.ctx, h.actor, p.ID, p.Version, in)
	if h.done("edit", err) && p.Status == catalog.StatusActive {
		// The writer serves its own write at once.
		got, err := h.a.FindProductBySlug(h.ctx, p.Slug)
		require.NoError(h.t, err)
		require.Equal(h.t, in.Title, got.Title, "the writer serves its own edit once it returns")
		require.Equal(h.t, in.Brand, got.Brand)
	}
}

// opSlug gives a product a new address; the old one redirects. Sometimes the new one is
// an address used before (by it or another product), which takes the redirect over.
func (h *rmHarness) opSlug() {
	p, ok := h.randomProduct()
	if !ok {
		return
	}
	in := rmInput(p)
	if h.pick(3) == 0 {
		in.Slug = rmPick(h, h.slugList)
	} else {
		h.seq++
		in.Slug = fmt.Sprintf("%s-%d", p.Slug[:min(len(p.Slug), 40)], h.seq)
		in.Slug = strings.Trim(in.Slug, "-")
	}
	if h.pick(2) == 0 {
		in.Title = h.randomTitle()
	}
	_, err := h.a.UpdateProduct(h.ctx, h.actor, p.ID, p.Version, in)
	if !h.done("slug", err) {
		return
	}
	h.noteSlug(in.Slug)
	if p.Status == catalog.StatusActive && in.Slug != p.Slug {
		_, err := h.a.FindProductBySlug(h.ctx, p.Slug)
		var moved *catalog.RedirectError
		require.ErrorAs(h.t, err, &moved, "the writer redirects the old slug at once")
		require.Equal(h.t, in.Slug, moved.Slug)
	}
}

func (h *rmHarness) opPrices() {
	if len(h.products) > 0 {
		h.opPricesOf(rmPick(h, h.products))
	}
}

// opPricesOf saves the variant table with some prices changed and sales started or ended.
func (h *rmHarness) opPricesOf(id catalog.ProductID) {
	p, err := h.a.AdminGetProduct(h.ctx, id)
	require.NoError(h.t, err)
	if len(p.Variants) == 0 {
		return
	}
	rows := rmVariantRows(p)
	for i := range rows {
		if h.pick(3) > 0 && i > 0 {
			continue
		}
		price := h.randomPrice()
		rows[i].Price = rmDecimal(price)
		switch h.pick(4) {
		case 0:
			rows[i].CompareAt = rmDecimal(price + price/5 + int64(h.pick(5000)) + 1)
		case 1:
			rows[i].CompareAt = ""
		default:
			if c, err := money.ParseDecimal(rows[i].CompareAt, "USD"); err == nil && c.Minor <= price {
				rows[i].CompareAt = ""
			}
		}
	}
	_, err = h.a.UpdateVariants(h.ctx, h.actor, id, p.Version, rows)
	h.done("prices", err)
}

func rmVariantRows(p catalog.AdminProduct) []catalog.VariantInput {
	rows := make([]catalog.VariantInput, len(p.Variants))
	for i, v := range p.Variants {
		rows[i] = catalog.VariantInput{ID: v.ID, SKU: v.SKU, Price: v.Price.Decimal(), WeightGrams: strconv.Itoa(v.WeightGrams), Barcode: v.Barcode}
		if v.CompareAt != nil {
			rows[i].CompareAt = v.CompareAt.Decimal()
		}
	}
	return rows
}

// opStatus publishes, unpublishes or archives a few products at once, as the bulk action
// of the product list does.
func (h *rmHarness) opStatus() {
	if len(h.products) == 0 {
		return
	}
	var ids []catalog.ProductID
	for range 1 + h.pick(4) {
		ids = append(ids, rmPick(h, h.products))
	}
	status := []catalog.Status{catalog.StatusActive, catalog.StatusActive, catalog.StatusArchived, catalog.StatusDraft}[h.pick(4)]
	_, err := h.a.SetProductsStatus(h.ctx, h.actor, ids, status)
	if !h.done("status", err) {
		return
	}
	for _, id := range ids {
		p, err := h.a.AdminGetProduct(h.ctx, id)
		require.NoError(h.t, err)
		got, err := h.a.FindProductBySlug(h.ctx, p.Slug)
		if status == catalog.StatusActive {
			require.NoError(h.t, err, "the writer serves a product it published at once")
			require.Equal(h.t, id, got.ID)
		} else {
			require.True(h.t, apperr.Is(err, apperr.NotFound), "the writer stops serving a product it took off sale at once: %v", err)
		}
	}
}

func (h *rmHarness) opRecategorise() {
	p, ok := h.randomProduct()
	if !ok {
		return
	}
	in := rmInput(p)
	in.Categories = h.randomCategories()
	_, err := h.a.UpdateProduct(h.ctx, h.actor, p.ID, p.Version, in)
	h.done("recategorise", err)
}

func (h *rmHarness) opFeatured() {
	p, ok := h.randomProduct()
	if !ok {
		return
	}
	in := rmInput(p)
	in.Featured = !in.Featured
	_, err := h.a.UpdateProduct(h.ctx, h.actor, p.ID, p.Version, in)
	h.done("featured", err)
}

func (h *rmHarness) opAttributes() {
	p, ok := h.randomProduct()
	if !ok {
		return
	}
	in := rmInput(p)
	in.Attributes = h.randomAttributes()
	_, err := h.a.UpdateProduct(h.ctx, h.actor, p.ID, p.Version, in)
	h.done("attributes", err)
}

// opResave saves a product unchanged: a write, a notification, nothing different.
func (h *rmHarness) opResave() {
	p, ok := h.randomProduct()
	if !ok {
		return
	}
	_, err := h.a.UpdateProduct(h.ctx, h.actor, p.ID, p.Version, rmInput(p))
	h.done("resave", err)
}

// opOptions changes a product's options: values added, removed or reordered, an option
// added, dropped or renamed (a new facet), or a new matrix altogether. Variants whose
// combination disappears are archived, and come back when it does.
func (h *rmHarness) opOptions() {
	p, ok := h.randomProduct()
	if !ok {
		return
	}
	var opts []catalog.OptionInput
	for _, o := range p.Options {
		in := catalog.OptionInput{Name: o.Name}
		for _, v := range o.Values {
			in.Values = append(in.Values, v.Value)
		}
		opts = append(opts, in)
	}
	switch n := h.pick(8); {
	case n == 0 || len(opts) == 0:
		opts = h.randomOptions()
	case n == 1:
		opts = opts[1:]
	case n == 2 && len(opts) < 2:
		opts = append(opts, catalog.OptionInput{Name: "Color", Values: []string{rmPick(h, rmColours)}})
	case n == 3:
		opts[0].Name = map[string]string{"Color": "Colour", "Colour": "Color", "Size": "Size"}[opts[0].Name]
		if opts[0].Name == "" {
			opts[0].Name = "Style"
		}
	case n == 4 && len(opts[0].Values) > 1:
		i := h.pick(len(opts[0].Values))
		opts[0].Values = slices.Delete(opts[0].Values, i, i+1)
	case n == 5:
		slices.Reverse(opts[len(opts)-1].Values)
	default:
		o := &opts[h.pick(len(opts))]
		pool := rmColours
		if o.Name == "Size" {
			pool = rmSizes
		}
		o.Values = append(o.Values, rmPick(h, pool))
	}
	_, err := h.a.SetProductOptions(h.ctx, h.actor, p.ID, p.Version, opts, rmDecimal(h.randomPrice()))
	h.done("options", err)
}

func (h *rmHarness) opSKU() {
	p, ok := h.randomProduct()
	if !ok || len(p.Variants) == 0 {
		return
	}
	rows := rmVariantRows(p)
	h.seq++
	rows[h.pick(len(rows))].SKU = fmt.Sprintf("RM-%d-%s", h.seq, strings.ToUpper(rmPick(h, rmAdjectives)[:3]))
	_, err := h.a.UpdateVariants(h.ctx, h.actor, p.ID, p.Version, rows)
	h.done("sku", err)
}

// opCategory creates, renames (a new slug: the old one redirects), moves, reorders or
// deletes a category.
func (h *rmHarness) opCategory() {
	cats := h.categories()
	input := func(c catalog.AdminCategory) catalog.CategoryInput {
		in := catalog.CategoryInput{Name: c.Name, Slug: c.Slug, Description: c.Description, Position: c.Position,
			SEOTitle: c.SEOTitle, SEODescription: c.SEODescription, Featured: c.Featured}
		if c.ParentID != nil {
			in.Parent = *c.ParentID
		}
		return in
	}
	switch n := h.pick(20); {
	case n < 7 || len(cats) == 0:
		h.seq++
		in := catalog.CategoryInput{Name: fmt.Sprintf("%s %s", rmPick(h, rmAdjectives), rmPick(h, []string{"Gear", "Layers", "Finds", "Edit", "Outlet"})),
			Position: h.pick(6), Featured: h.pick(4) == 0, Description: rmPick(h, rmBlurbs)}
		if h.pick(3) == 0 {
			in.Slug = fmt.Sprintf("collection-%d", h.seq)
		}
		if len(cats) > 0 && h.pick(2) == 0 {
			in.Parent = rmPick(h, cats).ID
		}
		id, err := h.a.SaveCategory(h.ctx, h.actor, 0, in)
		if h.done("category create", err) {
			h.catIDs[id] = true
			h.noteCategorySlugs()
		}
	case n < 11:
		c := rmPick(h, cats)
		in := input(c)
		in.Name = rmPick(h, rmAdjectives) + " " + c.Name
		in.Name = in.Name[:min(len(in.Name), 100)]
		in.Slug = ""
		_, err := h.a.SaveCategory(h.ctx, h.actor, c.ID, in)
		if h.done("category rename", err) {
			h.noteCategorySlugs()
			_, err := h.a.FindCategoryBySlug(h.ctx, c.Slug)
			var moved *catalog.RedirectError
			if c.Slug != in.Slug && errors.As(err, &moved) {
				require.NotEqual(h.t, c.Slug, moved.Slug)
			}
		}
	case n < 15:
		c := rmPick(h, cats)
		in := input(c)
		in.Parent = 0
		if h.pick(3) > 0 {
			in.Parent = rmPick(h, cats).ID // may be itself or below it: refused
		}
		_, err := h.a.SaveCategory(h.ctx, h.actor, c.ID, in)
		h.done("category move", err)
	case n < 17:
		c := rmPick(h, cats)
		in := input(c)
		in.Position = h.pick(6)
		in.Featured = !in.Featured
		_, err := h.a.SaveCategory(h.ctx, h.actor, c.ID, in)
		h.done("category reorder", err)
	default:
		err := h.a.DeleteCategory(h.ctx, h.actor, rmPick(h, cats).ID)
		h.done("category delete", err)
	}
}

func (h *rmHarness) noteCategorySlugs() {
	for _, c := range h.categories() {
		h.catSlugs[c.Slug] = true
	}
}

// opImage uploads a small picture (shown once rendered), renders what is waiting, deletes,
// reorders or describes an image.
func (h *rmHarness) opImage() {
	p, ok := h.randomProduct()
	if !ok {
		return
	}
	switch n := h.pick(10); {
	case n >= 4 && n < 7:
		for _, hash := range h.jobs.take(1 + h.pick(3)) {
			err := catalog.RenderImageFiles(h.a, h.ctx, hash)
			if errors.Is(err, pgx.ErrNoRows) {
				continue // its upload rolled back
			}
			h.done("image render", err)
		}
	case n < 4 || len(p.AllImage) == 0:
		img := image.NewNRGBA(image.Rect(0, 0, 4+h.pick(12), 4+h.pick(12)))
		c := color.NRGBA{uint8(h.pick(256)), uint8(h.pick(256)), uint8(h.pick(256)), 255}
		for i := 0; i < len(img.Pix); i += 4 {
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
		}
		var b bytes.Buffer
		require.NoError(h.t, png.Encode(&b, img))
		_, _, err := h.a.UploadProductImage(h.ctx, h.actor, p.ID, p.Version, &b, p.Title+" in colour")
		h.done("image upload", err)
	case n < 8:
		_, err := h.a.DeleteImage(h.ctx, h.actor, p.ID, p.Version, rmPick(h, p.AllImage).ID)
		h.done("image delete", err)
	case n < 9:
		var order []int64
		for _, im := range p.AllImage {
			order = append(order, im.ID)
		}
		slices.Reverse(order)
		_, err := h.a.ReorderImages(h.ctx, h.actor, p.ID, p.Version, order)
		h.done("image reorder", err)
	default:
		_, err := h.a.SetImageAlt(h.ctx, h.actor, p.ID, p.Version, rmPick(h, p.AllImage).ID, h.randomTitle())
		h.done("image alt", err)
	}
}

// opImageShownFor shows a picture for one of its product's option values, for all
// variants again, or now and then tries a value of another product (refused).
func (h *rmHarness) opImageShownFor() {
	// Few products have pictures: look at a few for one that does.
	var p catalog.AdminProduct
	for range 4 {
		var ok bool
		if p, ok = h.randomProduct(); !ok || len(p.AllImage) > 0 {
			break
		}
	}
	if len(p.AllImage) == 0 {
		return
	}
	var values []int64
	for _, o := range p.Options {
		for _, v := range o.Values {
			values = append(values, v.ID)
		}
	}
	var value int64
	switch n := h.pick(10); {
	case n < 6 && len(values) > 0:
		value = rmPick(h, values)
	case n == 9:
		other, ok := h.randomProduct()
		if ok && other.ID != p.ID && len(other.Options) > 0 {
			value = rmPick(h, other.Options[0].Values).ID
		}
	}
	_, err := h.a.SetImageShownFor(h.ctx, h.actor, p.ID, p.Version, rmPick(h, p.AllImage).ID, value)
	h.done("image shown for", err)
}

// opStock changes the stock of a few variants: what "in stock only" listings show.
func (h *rmHarness) opStock() {
	ids, err := h.a.ListVariantIDs(h.ctx)
	require.NoError(h.t, err)
	if len(ids) == 0 {
		return
	}
	for range 1 + h.pick(8) {
		h.stock.set(rmPick(h, ids), h.pick(2) == 0)
	}
	h.applied["stock"]++
}

// opCSV exports the catalog, changes the lines of a few products (prices, titles, status)
// and perhaps adds a product, and imports the result: the bulk path.
func (h *rmHarness) opCSV() {
	var out bytes.Buffer
	require.NoError(h.t, h.a.ExportCSV(h.ctx, &out))
	recs, err := csv.NewReader(&out).ReadAll()
	require.NoError(h.t, err)
	header, lines := recs[0], recs[1:]
	col := func(name string) int {
		i := slices.Index(header, name)
		require.GreaterOrEqual(h.t, i, 0, name)
		return i
	}
	slugC, titleC, statusC, priceC, compareC, skuC := col("product_slug"), col("title"), col("status"), col("price"), col("compare_at_price"), col("sku")
	bySlug := map[string][][]string{}
	var slugs []string
	for _, l := range lines {
		if _, ok := bySlug[l[slugC]]; !ok {
			slugs = append(slugs, l[slugC])
		}
		bySlug[l[slugC]] = append(bySlug[l[slugC]], l)
	}
	var file [][]string
	file = append(file, header)
	for range 1 + h.pick(4) {
		if len(slugs) == 0 {
			break
		}
		i := h.pick(len(slugs))
		chosen := bySlug[slugs[i]]
		slugs = slices.Delete(slugs, i, i+1)
		title := h.randomTitle()
		status := h.randomStatus()
		changeTitle, changeStatus := h.pick(2) == 0, h.pick(4) == 0
		for _, l := range chosen {
			l = slices.Clone(l)
			if changeTitle {
				l[titleC] = title
			}
			if changeStatus {
				l[statusC] = string(status)
			}
			if l[skuC] != "" && h.pick(2) == 0 {
				l[priceC], l[compareC] = rmDecimal(h.randomPrice()), ""
			}
			file = append(file, l)
		}
	}
	if h.pick(3) == 0 && len(lines) > 0 {
		h.seq++
		slug := fmt.Sprintf("imported-%d", h.seq)
		title := h.randomTitle()
		brand, attrs, cat := rmPick(h, rmBrands), "Material="+rmPick(h, rmMaterials), ""
		if cats := h.categories(); len(cats) > 0 {
			cat = rmPick(h, cats).Slug
		}
		for _, size := range []string{"S", "M", "L"}[:1+h.pick(3)] {
			l := make([]string, len(header))
			l[slugC], l[titleC], l[statusC] = slug, title, "active"
			l[col("brand")], l[col("attributes")], l[col("categories")] = brand, attrs, cat
			l[col("option1_name")], l[col("option1_value")] = "Size", size
			l[skuC] = fmt.Sprintf("IMP-%d-%s", h.seq, size)
			l[priceC], l[col("currency")] = rmDecimal(h.randomPrice()), "USD"
			file = append(file, l)
		}
	}
	var in bytes.Buffer
	w := csv.NewWriter(&in)
	require.NoError(h.t, w.WriteAll(file))
	rep, err := h.a.ImportCSV(h.ctx, h.actor, &in, false)
	require.NoError(h.t, err)
	if len(rep.Errors) > 0 {
		h.refused["csv import"]++
		if _, ok := h.refusal["csv import"]; !ok {
			h.refusal["csv import"] = fmt.Sprint(rep.Errors[0])
		}
		return
	}
	h.applied["csv import"]++
	// Learn the products the import created.
	rows, _, err := h.a.AdminListProducts(h.ctx, catalog.AdminProductFilter{Search: "imported-", PerPage: 200})
	require.NoError(h.t, err)
	for _, r := range rows {
		if !slices.Contains(h.products, r.ID) {
			h.addProduct(r.ID, r.Slug)
		}
	}
}

// probe edits one active product's title through the writer and measures how soon both
// replicas serve it.
func (h *rmHarness) probe() time.Duration {
	rows, _, err := h.a.AdminListProducts(h.ctx, catalog.AdminProductFilter{Status: catalog.StatusActive, PerPage: 200})
	require.NoError(h.t, err)
	if len(rows) == 0 {
		return 0
	}
	p, err := h.a.AdminGetProduct(h.ctx, rmPick(h, rows).ID)
	require.NoError(h.t, err)
	in := rmInput(p)
	h.seq++
	in.Title = fmt.Sprintf("%s Edition %d", rmPick(h, rmAdjectives), h.seq)
	_, err = h.a.UpdateProduct(h.ctx, h.actor, p.ID, p.Version, in)
	require.NoError(h.t, err)
	edited := time.Now()
	var slowest time.Duration
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, r := range h.replicas {
		wg.Go(func() {
			for {
				got, err := r.svc.FindProductBySlug(h.ctx, p.Slug)
				if err == nil && got.Title == in.Title {
					mu.Lock()
					slowest = max(slowest, time.Since(edited))
					mu.Unlock()
					return
				}
				if time.Since(edited) > rmVisibleLimit {
					mu.Lock()
					slowest = max(slowest, time.Since(edited))
					mu.Unlock()
					return
				}
				time.Sleep(2 * time.Millisecond)
			}
		})
	}
	wg.Wait()
	require.LessOrEqual(h.t, slowest, rmVisibleLimit, "an edit made on one replica is served by every other within %v", rmVisibleLimit)
	return slowest
}

// dropListeners ends every LISTEN connection of the test database, as a network failure
// or a database restart would: notifications sent until the followers reconnect are lost,
// and they must catch up anyway. It returns how many it ended.
func (h *rmHarness) dropListeners() int {
	var n int
	require.NoError(h.t, h.pool.QueryRow(h.ctx, `
		SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'`).Scan(&n))
	return n
}

// awaitListeners waits until n LISTEN connections are back, so that the probe measures
// notification delivery rather than a reconnect delay.
func (h *rmHarness) awaitListeners(n int) {
	require.Eventually(h.t, func() bool {
		var got int
		require.NoError(h.t, h.pool.QueryRow(h.ctx, `
			SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'`).Scan(&got))
		return got >= n
	}, 10*time.Second, 20*time.Millisecond, "the change followers reconnect")
}

// startReaders keeps shoppers reading from every service while the catalog changes, so
// that updates race with reads (run with -race). stop returns the first unexpected error.
func (h *rmHarness) startReaders() (stop func() error) {
	services := []*catalog.Service{h.a}
	for _, r := range h.replicas {
		services = append(services, r.svc)
	}
	slugs := slices.Clone(h.slugList)
	cats := slices.Sorted(maps.Keys(h.catIDs))
	done := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for _, s := range services {
		h.readerSeq++
		rng := rand.New(rand.NewPCG(h.seed, h.readerSeq))
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				case <-time.After(10 * time.Millisecond):
				}
				var err error
				switch rng.IntN(4) {
				case 0:
					_, err = s.FindProductBySlug(h.ctx, slugs[rng.IntN(len(slugs))])
				case 1:
					_, err = s.ListProducts(h.ctx, catalog.ListingQuery{Category: cats[rng.IntN(len(cats))], Filters: map[string][]string{"size": {"M"}}})
				case 2:
					_, err = s.Search(h.ctx, catalog.SearchQuery{Text: []string{"shirt", "aurora", "jeans", "hood"}[rng.IntN(4)]})
				default:
					_, err = s.ListStorefrontProducts(h.ctx, 24)
				}
				var moved *catalog.RedirectError
				if err != nil && !errors.As(err, &moved) && !apperr.Is(err, apperr.NotFound) {
					mu.Lock()
					first = rmFirstErr(first, err)
					mu.Unlock()
				}
			}
		})
	}
	return func() error {
		close(done)
		wg.Wait()
		return first
	}
}

func rmFirstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// compare checks the writer at once and each replica until it agrees, against a service
// that builds its catalog from scratch now. It returns how long after written the slower
// replica agreed.
func (h *rmHarness) compare(batch int, written time.Time) time.Duration {
	fresh := catalog.NewService(h.pool, nil)
	fresh.UseInStock(h.stock)
	plan := h.plan(fresh, batch)
	want := h.collect(fresh, plan)
	h.lastReads = len(want)
	h.requireSame("the writer (A)", batch, want, h.collect(h.a, plan))
	var slowest time.Duration
	for _, r := range h.replicas {
		// The limit counts from the first look at this replica, so that slow reads (under
		// -race, on a loaded machine) do not count against it.
		started := time.Now()
		for {
			got := h.collect(r.svc, plan)
			if len(rmDiff(want, got)) == 0 {
				slowest = max(slowest, time.Since(written))
				break
			}
			if time.Since(started) > rmConvergeLimit {
				h.requireSame("replica "+r.name+" after "+rmConvergeLimit.String(), batch, want, got)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return slowest
}

func (h *rmHarness) requireSame(who string, batch int, want, got map[string]any) {
	h.t.Helper()
	diff := rmDiff(want, got)
	if len(diff) == 0 {
		return
	}
	shown := diff[:min(len(diff), 25)]
	h.t.Logf("%s differs from the catalog rebuilt from scratch in %d of %d reads after batch %d (seed %d); first: %s",
		who, len(diff), len(want), batch, h.seed, strings.Join(shown, "; "))
	require.Equal(h.t, want[diff[0]], got[diff[0]], "%s: %s (batch %d, READMODEL_SEED=%d)", who, diff[0], batch, h.seed)
	require.Fail(h.t, "reads differ", "%s: %s", who, strings.Join(shown, "; "))
}

// rmPlan is the reads compared after a batch, chosen from the rebuilt catalog.
type rmPlan struct {
	productSlugs []string
	productIDs   []catalog.ProductID
	variantIDs   []catalog.VariantID
	catSlugs     []string
	catIDs       []catalog.CategoryID
	listings     []rmListing
	searches     []rmSearch
	suggests     []string
}

type rmListing struct {
	key string
	q   catalog.ListingQuery
}

type rmSearch struct {
	key string
	q   catalog.SearchQuery
}

// rmSearchTexts are the fixed queries: demo words, words only the random products use,
// compounds, plurals, typos, prefixes, accents, several words, nothing found.
var rmSearchTexts = []string{
	"shirt", "t shirt", "tshirt", "jeans", "merino wool", "navy", "hoodie", "hood", "sneakr", "addidas", "levis",
	"cardi", "rain jacket", "creme", "crème", "boots leather", "socks", "aurora", "glaicer", "tundra parka", "ember",
	"solst", "velvet quartz", "teal", "hemp", "harbor", "nordvik", "ebene", "xyzzy",
}

func (h *rmHarness) plan(fresh *catalog.Service, batch int) *rmPlan {
	ctx := h.ctx
	rng := rand.New(rand.NewPCG(h.seed, uint64(batch)+1<<32))
	p := &rmPlan{productSlugs: append(slices.Sorted(maps.Keys(h.slugs)), "no-such-product"), productIDs: slices.Clone(h.products)}
	vids, err := fresh.ListVariantIDs(ctx)
	require.NoError(h.t, err)
	p.variantIDs = append(vids, 1<<40)
	p.catSlugs = append(slices.Sorted(maps.Keys(h.catSlugs)), "no-such-category")
	p.catIDs = append(slices.Sorted(maps.Keys(h.catIDs)), 0)

	cats, err := fresh.ListCategories(ctx)
	require.NoError(h.t, err)
	h.lastCategories = len(cats)
	scopes := []catalog.CategoryID{0}
	for _, c := range cats {
		scopes = append(scopes, c.ID)
	}
	add := func(q catalog.ListingQuery) {
		q.PerPage = rmPerPage
		p.listings = append(p.listings, rmListing{key: fmt.Sprintf("list category=%d sort=%s page=%d filters=%v", q.Category, q.Sort, q.Page, q.Filters), q: q})
	}
	for _, cat := range scopes {
		all, err := fresh.ListProducts(ctx, catalog.ListingQuery{Category: cat, PerPage: rmPerPage})
		require.NoError(h.t, err)
		if cat == 0 {
			h.lastActive = all.Total
		}
		for _, s := range catalog.Sorts {
			for page := 1; page <= all.Pages+1; page++ {
				add(catalog.ListingQuery{Category: cat, Sort: s.Sort, Page: page})
			}
		}
		var combos []map[string][]string
		var facets []catalog.Facet
		for _, f := range all.Facets {
			if f.Key != catalog.InStockFacet {
				facets = append(facets, f)
			}
		}
		value := func(f catalog.Facet) string { return f.Values[rng.IntN(len(f.Values))].Value }
		for i, f := range facets {
			for j, v := range f.Values {
				combos = append(combos, map[string][]string{f.Key: {v.Value}})
				if j > 0 && j < 4 {
					combos = append(combos, map[string][]string{f.Key: {f.Values[j-1].Value, v.Value}})
				}
			}
			for _, g := range facets[i+1:] {
				combos = append(combos, map[string][]string{f.Key: {value(f)}, g.Key: {value(g)}})
			}
			combos = append(combos, map[string][]string{f.Key: {value(f)}, catalog.InStockFacet: {"1"}})
		}
		if len(facets) >= 3 {
			combo := map[string][]string{}
			for _, i := range rng.Perm(len(facets))[:3] {
				combo[facets[i].Key] = []string{value(facets[i])}
			}
			combos = append(combos, combo)
		}
		combos = append(combos,
			map[string][]string{catalog.InStockFacet: {"1"}},
			map[string][]string{"brand": {"No Such Brand"}},
			map[string][]string{"no-such-facet": {"x"}})
		for i, f := range combos {
			add(catalog.ListingQuery{Category: cat, Filters: f, Sort: catalog.Sorts[i%len(catalog.Sorts)].Sort, Page: 1})
			if i%3 == 0 {
				add(catalog.ListingQuery{Category: cat, Filters: f, Sort: catalog.Sorts[(i+2)%len(catalog.Sorts)].Sort, Page: 2})
			}
		}
	}

	texts := slices.Clone(rmSearchTexts)
	// SKUs of a few variants in any status (archived ones find nothing), and their prefixes.
	for range 4 {
		labels, err := fresh.DescribeVariants(ctx, []catalog.VariantID{vids[rng.IntN(len(vids))]})
		require.NoError(h.t, err)
		for _, l := range labels {
			texts = append(texts, l.SKU, strings.ToLower(l.SKU))
			if i := strings.LastIndex(l.SKU, "-"); i > 0 {
				texts = append(texts, l.SKU[:i])
			}
		}
	}
	addSearch := func(q catalog.SearchQuery) {
		q.PerPage = rmPerPage
		p.searches = append(p.searches, rmSearch{key: fmt.Sprintf("search %q exact=%v sort=%s page=%d filters=%v", q.Text, q.Exact, q.Sort, q.Page, q.Filters), q: q})
	}
	for i, text := range texts {
		addSearch(catalog.SearchQuery{Text: text})
		addSearch(catalog.SearchQuery{Text: text, Exact: true, Sort: catalog.Sorts[i%len(catalog.Sorts)].Sort})
		addSearch(catalog.SearchQuery{Text: text, Sort: catalog.SortPriceAsc, Page: 2})
		addSearch(catalog.SearchQuery{Text: text, Filters: map[string][]string{catalog.InStockFacet: {"1"}}})
		res, err := fresh.Search(ctx, catalog.SearchQuery{Text: text})
		require.NoError(h.t, err)
		for _, f := range res.Facets {
			if f.Key != catalog.InStockFacet && len(f.Values) > 0 {
				addSearch(catalog.SearchQuery{Text: text, Sort: catalog.SortName, Filters: map[string][]string{f.Key: {f.Values[rng.IntN(len(f.Values))].Value}}})
			}
		}
	}
	p.suggests = []string{"sh", "cl", "ad", "je", "hoo", "ni", "le", "pa", "ru", "au", "gl", "cr", "crè", "bo", "sa", "me", "em", "ha", "no", "éb", "x"}
	return p
}

// collect makes every read of the plan on svc, keyed by what was asked.
func (h *rmHarness) collect(svc *catalog.Service, p *rmPlan) map[string]any {
	ctx := h.ctx
	out := make(map[string]any, len(p.listings)+len(p.searches)+len(p.variantIDs)+len(p.productSlugs)+256)
	put := func(key string, v any, err error) {
		if err != nil {
			out[key] = rmErrView(err)
			return
		}
		out[key] = rmCanon(v)
	}
	home, err := svc.ListStorefrontProducts(ctx, 100)
	put("home 100", home, err)
	home, err = svc.ListStorefrontProducts(ctx, 7)
	put("home 7", home, err)
	sitemap, err := svc.ListSitemapProducts(ctx)
	put("sitemap", sitemap, err)
	all, err := svc.ListCategories(ctx)
	put("categories", all, err)
	top, err := svc.ListTopCategories(ctx)
	put("top categories", top, err)
	for _, slug := range p.productSlugs {
		prod, err := svc.FindProductBySlug(ctx, slug)
		put("product "+slug, prod, err)
	}
	for _, id := range p.productIDs {
		rel, err := svc.ListRelatedProducts(ctx, id, 4)
		put(fmt.Sprintf("related %d", id), rel, err)
	}
	for _, id := range p.variantIDs {
		v, prod, err := svc.FindVariant(ctx, id)
		put(fmt.Sprintf("variant %d", id), rmVariantView{Variant: v, ProductID: prod.ID, ProductSlug: prod.Slug, ProductTitle: prod.Title}, err)
	}
	for _, slug := range p.catSlugs {
		c, err := svc.FindCategoryBySlug(ctx, slug)
		put("category "+slug, c, err)
	}
	for _, id := range p.catIDs {
		trail, err := svc.CategoryTrail(ctx, id)
		put(fmt.Sprintf("trail %d", id), trail, err)
		children, err := svc.ListChildCategories(ctx, id)
		put(fmt.Sprintf("children %d", id), children, err)
	}
	for _, l := range p.listings {
		res, err := svc.ListProducts(ctx, l.q)
		put(l.key, res, err)
	}
	for _, s := range p.searches {
		res, err := svc.Search(ctx, s.q)
		put(s.key, res, err)
	}
	for _, prefix := range p.suggests {
		res, err := svc.Suggest(ctx, prefix, 10)
		put("suggest "+prefix, res, err)
	}
	return out
}

// rmVariantView is what FindVariant answers: the variant and which product it belongs to
// (the product itself is compared by slug).
type rmVariantView struct {
	Variant      catalog.Variant
	ProductID    catalog.ProductID
	ProductSlug  string
	ProductTitle string
}

func rmErrView(err error) string {
	var moved *catalog.RedirectError
	switch {
	case errors.As(err, &moved):
		return "redirect to " + moved.Slug
	case apperr.Is(err, apperr.NotFound):
		return "not found: " + apperr.MessageOf(err)
	}
	return "error: " + err.Error()
}

// rmDiff lists, sorted, the reads whose answers differ.
func rmDiff(want, got map[string]any) []string {
	var out []string
	for k, w := range want {
		if g, ok := got[k]; !ok || !reflect.DeepEqual(w, g) {
			out = append(out, k)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

var rmTimeType = reflect.TypeFor[time.Time]()

// rmCanon copies a read's answer into a canonical form, so that only what a shopper could
// tell apart counts: an empty slice or map equals a missing one, and times compare by
// instant, not by location.
func rmCanon(v any) any {
	if v == nil {
		return nil
	}
	return rmCanonValue(reflect.ValueOf(v)).Interface()
}

func rmCanonValue(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Slice:
		if v.Len() == 0 {
			return reflect.Zero(v.Type())
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(rmCanonValue(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.Len() == 0 {
			return reflect.Zero(v.Type())
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(it.Key(), rmCanonValue(it.Value()))
		}
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type().Elem())
		out.Elem().Set(rmCanonValue(v.Elem()))
		return out
	case reflect.Struct:
		if v.Type() == rmTimeType {
			return reflect.ValueOf(v.Interface().(time.Time).UTC())
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(v)
		for i := range v.NumField() {
			if out.Field(i).CanSet() {
				out.Field(i).Set(rmCanonValue(v.Field(i)))
			}
		}
		return out
	}
	return v
}

// rmStock stands in for inventory (the catalog may not import it): which variants can be
// bought now. Every service asks the same one, as every replica asks the same database.
type rmStock struct {
	mu      sync.Mutex
	in      map[catalog.VariantID]bool
	version uint64 // counts changes, as inventory's copy does
}

func (s *rmStock) InStockNow(context.Context) (catalog.StockView, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := maps.Clone(s.in)
	return catalog.StockView{Version: s.version + 1, InStock: func(id catalog.VariantID) bool { return in[id] }}, nil
}

func (s *rmStock) set(id catalog.VariantID, in bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.in[id] = in
	s.version++
}

// rmJobs stands in for the job queue: it remembers which images wait to be rendered, and
// the test renders them when it chooses (catalog.RenderImageFiles).
type rmJobs struct {
	mu     sync.Mutex
	hashes []string
}

func (j *rmJobs) InsertTx(_ context.Context, _ pgx.Tx, args river.JobArgs, _ *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	if a, ok := args.(catalog.RenderImageArgs); ok {
		j.mu.Lock()
		j.hashes = append(j.hashes, a.Hash)
		j.mu.Unlock()
	}
	return &rivertype.JobInsertResult{}, nil
}

func (j *rmJobs) take(n int) []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	n = min(n, len(j.hashes))
	out := slices.Clone(j.hashes[:n])
	j.hashes = j.hashes[n:]
	return out
}
