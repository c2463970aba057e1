package catalog

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/catalog/internal/dbsqlc"
)

// snapshot is the storefront's read model: every active product, category and facet in
// memory, immutable once published. Reads outnumber writes by orders of magnitude, so the
// storefront answers from here without a database round trip.
//
// A change does not rebuild it: applying a change makes a new snapshot that shares every
// part the change did not touch (cow.go). Products live in slots ("pi", an index that
// stays with the product while it is active); maps from IDs, slugs and SKUs to slots are
// sharded so a change copies a few small shards. Everything a shopper sees is derived
// from the products alone, never from the order changes arrived in, so a snapshot updated
// change by change answers exactly like one read whole (readmodel_test.go proves it).
type snapshot struct {
	builtAt time.Time
	// generation counts the changes this process applied; pages key caches by it.
	generation int64
	// invalidation is the count of full-read requests this snapshot's full read answered.
	invalidation int64

	entries *chunkedSlice[*productEntry] // by pi; nil for a free slot
	free    []int32
	// all lists the active products' slots in product ID order: the order of an unsorted
	// listing of the whole catalog, the sitemap and suggestions.
	all      []int32
	byID     *shardedMap[ProductID, int32]
	bySlug   *shardedMap[string, int32]
	retired  *shardedMap[string, ProductID] // a retired slug → the product it redirects to
	variants *variantIndex

	*categoryIndex
	// direct lists, per category, the products filed in it directly, in its own order.
	direct map[CategoryID][]directRef
	// members lists, per category, the products filed in it or any descendant, in the
	// category's merchandising order.
	members map[CategoryID][]int32
	// memberRefs holds, per category, its members' facet values side by side: a
	// listing counts facets over every member, and reading them from one array instead
	// of through each product's entry is several times faster (the loop waits on memory,
	// not on arithmetic).
	memberRefs map[CategoryID]*memberRefs
	// listed records, per category, the generation its members, their order or their
	// facet values last changed at.
	listed map[CategoryID]int64
	// resorted records, per category and sort, the generation a member's sort key last
	// changed at without anything else in listed changing (a title under the name sort).
	resorted map[CategoryID]sortGenerations
	// facetsChanged is the generation at which facets last changed other than in their
	// counts: every listing shows them.
	facetsChanged int64
	// categoriesChanged is the generation at which the category tree was last read.
	categoriesChanged int64

	// storefront is the home page order: featured first, then newest, bounded.
	storefront []ProductSummary
	facets     *facetSet

	// vocabulary holds every word of the search terms table, to decide without a query
	// whether a searched word needs correcting.
	vocabulary map[string]struct{}
	// terms is the vocabulary sorted, for prefix look-ups while a shopper is typing.
	terms []string
	// search remembers query results (searchcache.go).
	search *searchCache
}

// productEntry is one active product and what listings need of it, precomputed.
type productEntry struct {
	// p is the product without its variants, which vars holds packed (compact.go).
	p         *Product
	vars      packedVariants
	summary   ProductSummary
	minPrice  int64
	nameKey   string
	published int64
	refs      []facetRef
	cats      []directRef
	retired   []string
	// generation is the snapshot generation the entry was made in: with its slot it
	// names this version of the product (the in-stock memo keys by it).
	generation int64
}

func (s *snapshot) entry(pi int32) *productEntry { return s.entries.get(pi) }

func (s *snapshot) product(pi int32) *Product { return s.entries.get(pi).p }

func (s *snapshot) productCount() int { return len(s.all) }

// categoryIndex is the category tree. It is small, so it is read whole when it changes.
type categoryIndex struct {
	categories       []*Category
	categoryByID     map[CategoryID]*Category
	categoryBySlug   map[string]*Category
	categoryRedirect map[string]string
	children         map[CategoryID][]*Category // key 0 holds the roots
	depth            map[CategoryID]int
}

func loadCategories(ctx context.Context, tx pgx.Tx, q *dbsqlc.Queries) (*categoryIndex, error) {
	rows, err := q.SnapshotCategories(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("catalog: read categories: %w", err)
	}
	redirects, err := q.SnapshotCategoryRedirects(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("catalog: read category redirects: %w", err)
	}
	ci := &categoryIndex{
		categoryByID:     make(map[CategoryID]*Category, len(rows)),
		categoryBySlug:   make(map[string]*Category, len(rows)),
		categoryRedirect: make(map[string]string, len(redirects)),
		children:         make(map[CategoryID][]*Category),
		depth:            make(map[CategoryID]int, len(rows)),
	}
	for _, r := range rows {
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
		ci.categories = append(ci.categories, c)
		ci.categoryByID[c.ID] = c
		ci.categoryBySlug[c.Slug] = c
		ci.children[parent] = append(ci.children[parent], c)
	}
	for _, r := range redirects {
		ci.categoryRedirect[r.OldSlug] = r.Slug
	}
	var depthOf func(c *Category) int
	depthOf = func(c *Category) int {
		if d, ok := ci.depth[c.ID]; ok {
			return d
		}
		d := 0
		if c.ParentID != nil {
			if p := ci.categoryByID[*c.ParentID]; p != nil && p != c {
				ci.depth[c.ID] = 0 // guards a cycle while recursing
				d = depthOf(p) + 1
			}
		}
		ci.depth[c.ID] = d
		return d
	}
	for _, c := range ci.categories {
		depthOf(c)
	}
	return ci, nil
}

// ancestors calls fn for c and each category above it.
func (ci *categoryIndex) ancestors(c CategoryID, fn func(CategoryID)) {
	for i := 0; i < 64; i++ {
		fn(c)
		cat := ci.categoryByID[c]
		if cat == nil || cat.ParentID == nil {
			return
		}
		c = *cat.ParentID
	}
}

func emptySnapshot(cats *categoryIndex, products int) *snapshot {
	return &snapshot{
		builtAt:       time.Now(),
		entries:       &chunkedSlice[*productEntry]{},
		byID:          newShardedMap[ProductID, int32](hashID[ProductID], products),
		bySlug:        newShardedMap[string, int32](stringHash(), products),
		retired:       newShardedMap[string, ProductID](stringHash(), products/8),
		variants:      newVariantIndex(variantIndexSlack),
		categoryIndex: cats,
		direct:        map[CategoryID][]directRef{},
		members:       map[CategoryID][]int32{},
		memberRefs:    map[CategoryID]*memberRefs{},
		listed:        map[CategoryID]int64{},
		resorted:      map[CategoryID]sortGenerations{},
		facets:        emptyFacets(),
		vocabulary:    map[string]struct{}{},
		search:        newSearchCache(),
	}
}

// newEntry precomputes what listings need of an active product.
func newEntry(lp loadedProduct, cats *categoryIndex) *productEntry {
	p := lp.p
	p.CategoryIDs = make([]CategoryID, 0, len(lp.cats))
	for _, c := range lp.cats {
		p.CategoryIDs = append(p.CategoryIDs, c.category)
	}
	// The most specific category first (the deepest, then the oldest): breadcrumbs and
	// related products use it, so a product on sale still shows "Clothing › Jeans"
	// rather than "Sale".
	slices.SortStableFunc(p.CategoryIDs, func(a, b CategoryID) int {
		return cmp.Or(cmp.Compare(cats.depth[b], cats.depth[a]), cmp.Compare(a, b))
	})
	vars := lp.vars
	if vars.len() == 0 && len(p.Variants) > 0 {
		vars = packVariants(p.Variants)
	}
	e := &productEntry{p: p, vars: vars, nameKey: fold(p.Title), published: p.PublishedAt.UnixNano(), cats: lp.cats, retired: lp.retired}
	p.Variants = nil
	e.summary = ProductSummary{ID: p.ID, Slug: p.Slug, Title: p.Title, Brand: p.Brand}
	if len(p.Images) > 0 {
		img := p.Images[0]
		e.summary.Image = &img
	}
	if ci := e.vars.cheapest(); ci >= 0 {
		v := e.vars.variant(ci, p.ID)
		e.summary.Price = v.Price
		if v.OnSale() {
			c := *v.CompareAt
			e.summary.CompareAt = &c
		}
		e.minPrice = v.Price.Minor
	}
	return e
}

// product is the storefront's Product, variants included.
func (e *productEntry) product() Product {
	p := *e.p
	p.Variants = e.vars.all(p.ID)
	return p
}

// applyProducts returns a new snapshot in which the products named by changed look as
// loaded says (a product missing from loaded, or loaded but not active, leaves the
// storefront). vocabulary, when not nil, replaces the search vocabulary; search is the
// next snapshot's search cache.
func (s *snapshot) applyProducts(changed []ProductID, loaded []loadedProduct, vocabulary []string, search *searchCache, generation int64) *snapshot {
	changed = slices.Compact(slices.Sorted(slices.Values(changed)))
	next := *s
	next.builtAt = time.Now()
	next.generation = generation
	entries := s.entries.edit()
	byID, bySlug, retired := s.byID.edit(), s.bySlug.edit(), s.retired.edit()
	nVariants := 0
	for i := range loaded {
		if e := loaded[i].entry; e != nil {
			nVariants += e.vars.len()
		} else {
			nVariants += loaded[i].vars.len()
		}
	}
	variants := s.variants.edit(nVariants)
	facets := s.facets.edit()
	next.free = slices.Clone(s.free)

	found := make(map[ProductID]*loadedProduct, len(loaded))
	for i := range loaded {
		found[loaded[i].id] = &loaded[i]
	}
	touchedDirect := map[CategoryID]bool{}
	relisted := map[CategoryID]bool{}
	resorted := map[CategoryID]sortGenerations{} // non-zero: that sort's key changed
	membership := false                          // a product joined or left the storefront
	storefront := false                          // the home page order may have changed
	var last *productEntry
	if len(s.storefront) > 0 {
		last = s.entry(mustGet(s.byID, s.storefront[len(s.storefront)-1].ID))
	}
	inStorefront := make(map[ProductID]bool, len(s.storefront))
	for _, sum := range s.storefront {
		inStorefront[sum.ID] = true
	}

	// First every old version goes, then every new one comes: two changed products may
	// swap slugs or SKUs.
	slots := make(map[ProductID]int32, len(changed))
	// touchedSlots are the slots whose product changed, left or came.
	touchedSlots := make(map[int32]bool, len(changed))
	// before are the changed products' previous entries.
	before := make(map[ProductID]*productEntry, len(changed))
	for _, id := range changed {
		pi, ok := byID.m.get(id)
		if !ok {
			continue
		}
		old := entries.get(pi)
		before[id] = old
		slots[id] = pi
		touchedSlots[pi] = true
		if cur, ok := bySlug.m.get(old.p.Slug); ok && cur == pi {
			bySlug.delete(old.p.Slug)
		}
		for _, r := range old.retired {
			if cur, ok := retired.m.get(r); ok && cur == id {
				retired.delete(r)
			}
		}
		variants.forget(pi, &old.vars)
		for _, c := range productClaims(old.p, &old.vars) {
			facets.claim(c, -1)
		}
		for _, c := range old.cats {
			touchedDirect[c.category] = true
			relisted[c.category] = true
		}
		if inStorefront[id] {
			storefront = true
		}
	}
	// Each touched list is copied once: the old snapshot's lists are never written.
	direct := maps.Clone(s.direct)
	for c := range touchedDirect {
		direct[c] = slices.DeleteFunc(slices.Clone(direct[c]), func(r directRef) bool { _, ok := slots[r.product]; return ok })
	}

	var added []int32
	for _, id := range changed {
		lp := found[id]
		pi, had := slots[id]
		if lp == nil || !lp.active {
			if had {
				entries.set(pi, nil)
				byID.delete(id)
				next.free = append(next.free, pi)
				membership = true
				delete(slots, id)
			}
			continue
		}
		e := lp.entry
		if e == nil {
			e = newEntry(*lp, s.categoryIndex)
		}
		e.generation = generation
		if !had {
			if n := len(next.free); n > 0 {
				pi, next.free = next.free[n-1], next.free[:n-1]
			} else {
				pi = entries.push(nil)
			}
			byID.set(id, pi)
			added = append(added, pi)
			membership = true
		}
		slots[id] = pi
		touchedSlots[pi] = true
		entries.set(pi, e)
		if old := before[id]; old != nil {
			if keys := changedSortKeys(old, e); keys != (sortGenerations{}) {
				for _, c := range e.cats {
					resorted[c.category] = mergeSortKeys(resorted[c.category], keys)
				}
			}
		}
		bySlug.set(e.p.Slug, pi)
		for _, r := range e.retired {
			retired.set(r, id)
		}
		variants.place(pi, &e.vars)
		claims := lp.claims
		if claims == nil {
			claims = productClaims(e.p, &e.vars)
		}
		e.refs = make([]facetRef, 0, len(claims))
		for _, c := range claims {
			e.refs = append(e.refs, facets.claim(c, 1))
		}
		for _, c := range e.cats {
			if !touchedDirect[c.category] {
				direct[c.category] = slices.Clone(direct[c.category])
				touchedDirect[c.category] = true
			}
			relisted[c.category] = true
			direct[c.category] = append(direct[c.category], c)
		}
		if inStorefront[id] || last == nil || len(s.storefront) < MaxListing || compareStorefront(e, last) < 0 {
			storefront = true
		}
	}
	// A product that took a slug over ends that slug's redirect, as the database did.
	for _, lp := range loaded {
		if to, ok := retired.m.get(lp.slug); ok && to != lp.id {
			retired.delete(lp.slug)
		}
	}
	for c := range touchedDirect {
		if _, ok := s.direct[c]; ok && len(direct[c]) == 0 {
			delete(direct, c)
			continue
		}
		if len(direct[c]) > 0 {
			slices.SortFunc(direct[c], compareDirect)
		}
	}

	next.entries = entries.done()
	next.byID, next.bySlug, next.retired = byID.done(), bySlug.done(), retired.done()
	next.variants = variants.done(next.entries)
	next.facets = facets.done()
	next.direct = direct
	if facets.layout {
		next.facetsChanged = generation
	}
	if membership {
		next.all = next.sortedSlots(added, s.all)
	}
	// Every category a changed product is or was in: its members' facet values changed.
	var moved map[CategoryID]bool
	next.members, next.memberRefs, moved = next.recollect(s.members, s.memberRefs, relisted, touchedSlots)
	next.listed = maps.Clone(s.listed)
	for c := range moved {
		next.listed[c] = generation
	}
	// A category whose members kept their places and values still lists them in a new
	// order under a sort whose key changed (a title under the name sort).
	if len(resorted) > 0 {
		next.resorted = maps.Clone(s.resorted)
		for c, keys := range resorted {
			next.categoryIndex.ancestors(c, func(a CategoryID) {
				g := next.resorted[a]
				for k, changed := range keys {
					if changed != 0 {
						g[k] = generation
					}
				}
				next.resorted[a] = g
			})
		}
	}
	if storefront {
		next.storefront = next.buildStorefront()
	}
	if vocabulary != nil {
		next.setVocabulary(vocabulary)
	}
	next.search = search
	return &next
}

func mustGet[K comparable](m *shardedMap[K, int32], k K) int32 {
	v, _ := m.get(k)
	return v
}

// sortedSlots merges the slots of old that still hold the same product with the added
// ones, in product ID order.
func (s *snapshot) sortedSlots(added []int32, old []int32) []int32 {
	reused := make(map[int32]bool, len(added))
	for _, pi := range added {
		reused[pi] = true
	}
	id := func(pi int32) ProductID { return s.entry(pi).p.ID }
	slices.SortFunc(added, func(a, b int32) int { return cmp.Compare(id(a), id(b)) })
	out := make([]int32, 0, len(old)+len(added))
	for _, pi := range old {
		if s.entry(pi) == nil || reused[pi] {
			continue
		}
		for len(added) > 0 && id(added[0]) < id(pi) {
			out = append(out, added[0])
			added = added[1:]
		}
		out = append(out, pi)
	}
	return append(out, added...)
}

// recollect recomputes the member lists of the categories whose direct products changed
// and of every category above them, reusing the rest.
func (s *snapshot) recollect(old map[CategoryID][]int32, oldRefs map[CategoryID]*memberRefs, touched map[CategoryID]bool, touchedSlots map[int32]bool) (map[CategoryID][]int32, map[CategoryID]*memberRefs, map[CategoryID]bool) {
	if len(touched) == 0 {
		return old, oldRefs, nil
	}
	moved := map[CategoryID]bool{}
	members := maps.Clone(old)
	refs := maps.Clone(oldRefs)
	redo := map[CategoryID]bool{}
	for c := range touched {
		s.ancestors(c, func(a CategoryID) { redo[a] = true })
	}
	order := slices.Collect(maps.Keys(redo))
	// Children before parents, so a parent reads its children's new lists.
	slices.SortFunc(order, func(a, b CategoryID) int { return cmp.Or(cmp.Compare(s.depth[b], s.depth[a]), cmp.Compare(a, b)) })
	seen := make([]uint32, s.entries.len())
	var mark uint32
	oldAt := make([]int32, s.entries.len()) // a slot's place+1 in the old list being reused
	changedSlot := make([]bool, s.entries.len())
	for pi := range touchedSlots {
		changedSlot[pi] = true
	}
	for _, c := range order {
		if _, ok := s.categoryByID[c]; !ok {
			delete(members, c)
			delete(refs, c)
			moved[c] = true
			continue
		}
		mark++
		var out []int32
		add := func(pi int32) {
			if seen[pi] != mark {
				seen[pi] = mark
				out = append(out, pi)
			}
		}
		for _, r := range s.direct[c] {
			if pi, ok := s.byID.get(r.product); ok {
				add(pi)
			}
		}
		for _, child := range s.children[c] {
			for _, pi := range members[child.ID] {
				add(pi)
			}
		}
		if prev := oldRefs[c]; prev != nil && s.sameMembers(out, old[c], prev, changedSlot) {
			// Most edits (a title, a description, a price within its bucket) change no
			// member's place or facet values: the lists and the facet bitsets made for
			// them stay. Whether a changed product is in stock is worked out again.
			kept := &memberRefs{offs: prev.offs, refs: prev.refs}
			kept.index.Store(prev.index.Load())
			refs[c] = kept
			continue
		}
		members[c] = out
		refs[c] = s.gatherRefs(out, old[c], oldRefs[c], changedSlot, oldAt)
		moved[c] = true
	}
	return members, refs, moved
}

// sameMembers reports whether a category's new member list is its old one and each
// changed member kept its facet values.
func (s *snapshot) sameMembers(pis, prevPis []int32, prev *memberRefs, changed []bool) bool {
	if !slices.Equal(pis, prevPis) {
		return false
	}
	for i, pi := range pis {
		if changed[pi] && !slices.Equal(s.entry(pi).refs, prev.refs[prev.offs[i]:prev.offs[i+1]]) {
			return false
		}
	}
	return true
}

// memberRefs is the facet values of a list of products, one product after another:
// product i's are refs[offs[i]:offs[i+1]].
type memberRefs struct {
	offs []uint32
	refs []facetRef
	// index is their bitsets by facet value, made when a listing first needs them
	// (memberbits.go).
	index atomic.Pointer[memberBits]
	// stock is which of them are in stock in the latest stock copy a listing asked about.
	stock atomic.Pointer[stockBits]
}

// gatherRefs lays out the facet values of pis. Runs of products that did not change and
// kept their order are copied from the category's previous layout (prev, of the list
// prevPis) in one go; only changed products are read from their entries. oldAt is
// scratch space of one int32 per slot, zero on entry and on return.
func (s *snapshot) gatherRefs(pis, prevPis []int32, prev *memberRefs, changed []bool, oldAt []int32) *memberRefs {
	if prev != nil {
		for i, pi := range prevPis {
			oldAt[pi] = int32(i) + 1
		}
		defer func() {
			for _, pi := range prevPis {
				oldAt[pi] = 0
			}
		}()
	}
	n := 0
	if prev != nil {
		n = len(prev.refs) + 64
	}
	m := &memberRefs{offs: make([]uint32, 0, len(pis)+1), refs: make([]facetRef, 0, n)}
	// A run of old places [runFrom, runTo) waiting to be copied.
	runFrom, runTo := int32(-1), int32(-1)
	flush := func() {
		if runFrom >= 0 {
			m.refs = append(m.refs, prev.refs[prev.offs[runFrom]:prev.offs[runTo]]...)
			runFrom, runTo = -1, -1
		}
	}
	for _, pi := range pis {
		if at := oldAt[pi]; at > 0 && !changed[pi] {
			place := at - 1
			if place != runTo {
				flush()
				runFrom = place
			}
			// Its values start where the run so far ends.
			m.offs = append(m.offs, uint32(len(m.refs))+prev.offs[place]-prev.offs[runFrom])
			runTo = place + 1
			continue
		}
		flush()
		m.offs = append(m.offs, uint32(len(m.refs)))
		m.refs = append(m.refs, s.entry(pi).refs...)
	}
	flush()
	m.offs = append(m.offs, uint32(len(m.refs)))
	return m
}

// compareStorefront orders the home page: featured first, then newest, then by ID.
func compareStorefront(a, b *productEntry) int {
	if a.p.Featured != b.p.Featured {
		if a.p.Featured {
			return -1
		}
		return 1
	}
	return cmp.Or(cmp.Compare(b.published, a.published), cmp.Compare(a.p.ID, b.p.ID))
}

func (s *snapshot) buildStorefront() []ProductSummary {
	top := make([]*productEntry, 0, MaxListing+1)
	for _, pi := range s.all {
		e := s.entry(pi)
		if len(top) == MaxListing && compareStorefront(e, top[MaxListing-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, e, compareStorefront)
		top = slices.Insert(top, i, e)
		if len(top) > MaxListing {
			top = top[:MaxListing]
		}
	}
	out := make([]ProductSummary, len(top))
	for i, e := range top {
		out[i] = e.summary
	}
	return out
}

// sameVocabulary reports whether terms are exactly the snapshot's vocabulary.
func (s *snapshot) sameVocabulary(terms []string) bool {
	if len(terms) != len(s.vocabulary) {
		return false
	}
	for _, t := range terms {
		if _, ok := s.vocabulary[t]; !ok {
			return false
		}
	}
	return true
}

func (s *snapshot) setVocabulary(terms []string) {
	s.vocabulary = make(map[string]struct{}, len(terms))
	for _, t := range terms {
		s.vocabulary[t] = struct{}{}
	}
	s.terms = slices.Sorted(maps.Keys(s.vocabulary))
}

// listingGeneration is the generation a category's listings under a sort (or, for
// category 0, every listing) last changed at, but for the products they show: a cached
// listing keyed by it is still right if none of its page's products changed since it was
// made (productsChangedSince).
func (s *snapshot) listingGeneration(c CategoryID, sort Sort) int64 {
	if c == 0 {
		return s.generation
	}
	return max(s.listed[c], s.resorted[c][sortKeyOf(sort)], s.facetsChanged, s.categoriesChanged)
}

// productsChangedSince reports whether any of ids changed, left or came back after
// generation.
func (s *snapshot) productsChangedSince(ids []ProductID, generation int64) bool {
	for _, id := range ids {
		pi, ok := s.byID.get(id)
		if !ok || s.entry(pi).generation > generation {
			return true
		}
	}
	return false
}

// sortGenerations holds a generation per sort key: relevance (featured first), newest,
// price, name.
type sortGenerations [4]int64

func sortKeyOf(sort Sort) int {
	switch sort {
	case SortNewest:
		return 1
	case SortPriceAsc, SortPriceDesc:
		return 2
	case SortName:
		return 3
	}
	return 0
}

// changedSortKeys marks (with 1) the sort keys in which two versions of a product differ.
func changedSortKeys(old, e *productEntry) sortGenerations {
	var g sortGenerations
	if old.p.Featured != e.p.Featured {
		g[0] = 1
	}
	if old.published != e.published {
		g[1] = 1
	}
	if old.minPrice != e.minPrice {
		g[2] = 1
	}
	if old.nameKey != e.nameKey {
		g[3] = 1
	}
	return g
}

func mergeSortKeys(a, b sortGenerations) sortGenerations {
	for i := range a {
		a[i] = max(a[i], b[i])
	}
	return a
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
