package catalog

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/monoshop/monoshop/internal/catalog/internal/dbsqlc"
)

// Service is the catalog's public API.
type Service struct {
	pool *pgxpool.Pool
	q    *dbsqlc.Queries
}

// NewService returns a catalog service reading and writing through pool.
func NewService(pool *pgxpool.Pool) *Service {
	return &Service{pool: pool, q: dbsqlc.New()}
}

// MaxListing bounds any one listing, whatever the caller asks for.
const MaxListing = 100

// ListStorefrontProducts returns up to limit active products, featured first, then newest.
func (s *Service) ListStorefrontProducts(ctx context.Context, limit int) ([]ProductSummary, error) {
	if limit <= 0 || limit > MaxListing {
		limit = MaxListing
	}
	rows, err := s.q.ProductListStorefront(ctx, s.pool, int32(limit))
	if err != nil {
		return nil, interpretError(err, "products")
	}
	out := make([]ProductSummary, len(rows))
	for i, r := range rows {
		out[i] = summaryFromRow(r)
	}
	return out, nil
}

// ListTopCategories returns the root categories in display order, for navigation.
func (s *Service) ListTopCategories(ctx context.Context) ([]Category, error) {
	rows, err := s.q.CategoryListTopLevel(ctx, s.pool)
	if err != nil {
		return nil, interpretError(err, "categories")
	}
	out := make([]Category, len(rows))
	for i, r := range rows {
		out[i] = Category{ID: r.ID, Slug: r.Slug, Name: r.Name}
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
