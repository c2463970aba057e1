package catalog

import (
	"context"
	"log/slog"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/monoshop/monoshop/internal/catalog/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
)

// Service is the catalog's public API. Storefront reads are answered from an in-memory
// snapshot kept fresh across replicas by LISTEN/NOTIFY; writes go to Postgres.
type Service struct {
	pool  *pgxpool.Pool
	q     *dbsqlc.Queries
	log   *slog.Logger
	cache *cache
	jobs  JobInserter
	audit audit.Recorder
	// inStock answers the listings' "in stock only" filter; nil hides it (stockfacet.go).
	inStock   InStock
	stockMemo atomic.Pointer[inStockMemo]
	cardMemo  atomic.Pointer[cardStockMemo]
	// defaultCurrency is what a catalog without prices yet prices in (currency.go).
	defaultCurrency func(context.Context) string
	currencyMemo    atomic.Pointer[currencyMemo]
	// images decodes uploads and originals within this process's memory budget.
	images *imageDecoder
}

// NewService returns a catalog service reading and writing through pool.
func NewService(pool *pgxpool.Pool, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	q := dbsqlc.New()
	return &Service{pool: pool, q: q, log: log, cache: newCache(pool, q, log), images: newImageDecoder()}
}

// FollowChanges keeps this process's catalog cache in step with writes made by any
// replica, until ctx ends. Run it in its own goroutine for the life of the server.
func (s *Service) FollowChanges(ctx context.Context) { s.cache.listen(ctx) }

// MaxListing bounds any one listing, whatever the caller asks for.
const MaxListing = 100

// ListStorefrontProducts returns up to limit active products: featured ones first, then
// the rest, each group newest first.
func (s *Service) ListStorefrontProducts(ctx context.Context, limit int) ([]ProductSummary, error) {
	snap, err := s.cache.get(ctx)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > MaxListing {
		limit = MaxListing
	}
	return snap.storefront[:min(limit, len(snap.storefront))], nil
}

// ListTopCategories returns the root categories in display order, for navigation.
func (s *Service) ListTopCategories(ctx context.Context) ([]Category, error) {
	snap, err := s.cache.get(ctx)
	if err != nil {
		return nil, err
	}
	return derefAll(snap.children[0]), nil
}

// ListChildCategories returns the direct subcategories of id in display order.
func (s *Service) ListChildCategories(ctx context.Context, id CategoryID) ([]Category, error) {
	snap, err := s.cache.get(ctx)
	if err != nil {
		return nil, err
	}
	return derefAll(snap.children[id]), nil
}

// ListCategories returns every category, parents before children.
func (s *Service) ListCategories(ctx context.Context) ([]Category, error) {
	snap, err := s.cache.get(ctx)
	if err != nil {
		return nil, err
	}
	var out []Category
	var walk func(parent CategoryID)
	walk = func(parent CategoryID) {
		for _, c := range snap.children[parent] {
			out = append(out, *c)
			walk(c.ID)
		}
	}
	walk(0)
	return out, nil
}

// RedirectError says the thing asked for lives at another slug now; pages answer 301.
type RedirectError struct{ Slug string }

func (e *RedirectError) Error() string { return "moved to " + e.Slug }

// FindCategoryBySlug returns an active category, a *RedirectError for a retired slug,
// or NotFound.
func (s *Service) FindCategoryBySlug(ctx context.Context, slug string) (Category, error) {
	snap, err := s.cache.get(ctx)
	if err != nil {
		return Category{}, err
	}
	if c, ok := snap.categoryBySlug[slug]; ok {
		return *c, nil
	}
	if to, ok := snap.categoryRedirect[slug]; ok {
		return Category{}, &RedirectError{Slug: to}
	}
	return Category{}, apperr.New(apperr.NotFound, "We couldn't find that category.")
}

// CategoryTrail returns the path from the root to category id, for breadcrumbs.
func (s *Service) CategoryTrail(ctx context.Context, id CategoryID) ([]Category, error) {
	snap, err := s.cache.get(ctx)
	if err != nil {
		return nil, err
	}
	var trail []Category
	for c := snap.categoryByID[id]; c != nil; {
		trail = append(trail, *c)
		if c.ParentID == nil || len(trail) > 32 {
			break
		}
		c = snap.categoryByID[*c.ParentID]
	}
	slices.Reverse(trail)
	return trail, nil
}

// FindProductBySlug returns an active product (shared with the cache: read it, never
// modify it), a *RedirectError for a renamed one, or
// NotFound (drafts and archived products are not on the storefront).
func (s *Service) FindProductBySlug(ctx context.Context, slug string) (Product, error) {
	snap, err := s.cache.get(ctx)
	if err != nil {
		return Product{}, err
	}
	if pi, ok := snap.bySlug.get(slug); ok {
		return snap.entry(pi).product(), nil
	}
	if id, ok := snap.retired.get(slug); ok {
		if pi, ok := snap.byID.get(id); ok {
			return Product{}, &RedirectError{Slug: snap.product(pi).Slug}
		}
	}
	return Product{}, apperr.New(apperr.NotFound, "We couldn't find that product. It may no longer be sold.")
}

// FindVariant returns an active variant with its product, or NotFound.
func (s *Service) FindVariant(ctx context.Context, id VariantID) (Variant, Product, error) {
	snap, err := s.cache.get(ctx)
	if err != nil {
		return Variant{}, Product{}, err
	}
	pi, index, ok := snap.variant(id)
	if !ok {
		return Variant{}, Product{}, apperr.New(apperr.NotFound, "That product option is no longer available.")
	}
	p := snap.entry(pi).product()
	return p.Variants[index], p, nil
}

// ListProducts runs a faceted listing over the storefront catalog.
func (s *Service) ListProducts(ctx context.Context, q ListingQuery) (Listing, error) {
	snap, err := s.cache.get(ctx)
	if err != nil {
		return Listing{}, err
	}
	return s.listWithStock(ctx, snap, q)
}

// ListRelatedProducts returns up to n other products from the product's primary category,
// starting just after it in the category's order so neighbours differ from page to page.
func (s *Service) ListRelatedProducts(ctx context.Context, id ProductID, n int) ([]ProductSummary, error) {
	snap, err := s.cache.get(ctx)
	if err != nil {
		return nil, err
	}
	pi, ok := snap.byID.get(id)
	if !ok || len(snap.product(pi).CategoryIDs) == 0 {
		return nil, nil
	}
	members := snap.members[snap.product(pi).CategoryIDs[0]]
	start := slices.Index(members, pi)
	var out []ProductSummary
	for i := 1; i < len(members) && len(out) < n; i++ {
		out = append(out, snap.entry(members[(start+i)%len(members)]).summary)
	}
	return out, nil
}

// SitemapEntry is one URL of the sitemap.
type SitemapEntry struct {
	Slug      string
	UpdatedAt time.Time
}

// ListSitemapProducts returns every storefront product's slug and last change.
func (s *Service) ListSitemapProducts(ctx context.Context) ([]SitemapEntry, error) {
	snap, err := s.cache.get(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]SitemapEntry, len(snap.all))
	for i, pi := range snap.all {
		p := snap.product(pi)
		out[i] = SitemapEntry{Slug: p.Slug, UpdatedAt: p.UpdatedAt}
	}
	return out, nil
}

// CountProducts counts products in every status; zero means a fresh shop.
func (s *Service) CountProducts(ctx context.Context) (int64, error) {
	n, err := s.q.ProductCount(ctx, s.pool)
	if err != nil {
		return 0, interpretError(err, "products")
	}
	return n, nil
}

// Loaded reports whether this process has read the catalog: until then the first page
// waits for the read. FollowChanges starts it as soon as it listens.
func (s *Service) Loaded() bool { return s.cache.current.Load() != nil }

// Invalidate drops this process's cached catalog: the next read reads it whole. For
// changes made behind the service's back (tests writing SQL); the service's own writes
// update the catalog themselves.
func (s *Service) Invalidate() { s.cache.invalidate() }

// changed brings this process's catalog up to date with products a write just committed,
// so the writer's next page shows the change without waiting for the notification (which
// every other replica acts on). Failing that, the next read reads everything.
func (s *Service) changed(ctx context.Context, ids ...ProductID) {
	ch := change{}
	for _, id := range ids {
		ch.add(strconv.FormatInt(int64(id), 10))
	}
	s.applyNow(ctx, ch)
}

// categoriesChanged does the same after a change to the category tree.
func (s *Service) categoriesChanged(ctx context.Context) {
	s.applyNow(ctx, change{categories: true})
}

func (s *Service) applyNow(ctx context.Context, ch change) {
	if err := s.cache.apply(context.WithoutCancel(ctx), ch); err != nil {
		s.log.WarnContext(ctx, "catalog: applying own change failed; reading everything on next use", "err", err)
		s.cache.invalidate()
	}
}

func derefAll[T any](ps []*T) []T {
	out := make([]T, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}

// ListVariantIDs returns the id of every variant, in any status (for stocking a demo
// catalog and for reconciliation jobs).
func (s *Service) ListVariantIDs(ctx context.Context) ([]VariantID, error) {
	rows, err := s.pool.Query(ctx, `SELECT id FROM catalog.variants ORDER BY id`)
	if err != nil {
		return nil, interpretError(err, "variants")
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[VariantID])
	if err != nil {
		return nil, interpretError(err, "variants")
	}
	return ids, nil
}

// ListingGeneration identifies a category's listings under a sort as this process
// currently serves them, but for the products shown: it changes when a product joins or
// leaves the category (or one below it), moves in its order, changes a facet value or its
// key under that sort, or anything every listing shows changes. now is the catalog's
// current generation. A listing cached with both is still right while ListingGeneration
// stays the same and ProductsChangedSince(its products, now) is false: staff editing a
// product's description, or a title under the price sort, empty no cached page that does
// not show that product.
func (s *Service) ListingGeneration(ctx context.Context, id CategoryID, sort Sort) (gen, now int64, err error) {
	snap, err := s.cache.get(ctx)
	if err != nil {
		return 0, 0, err
	}
	return snap.listingGeneration(id, sort), snap.generation, nil
}

// ProductsChangedSince reports whether any of the products changed (or left the
// storefront) after the catalog generation given.
func (s *Service) ProductsChangedSince(ctx context.Context, ids []ProductID, generation int64) (bool, error) {
	snap, err := s.cache.get(ctx)
	if err != nil {
		return false, err
	}
	return snap.productsChangedSince(ids, generation), nil
}
