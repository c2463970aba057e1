package catalog

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
)

// The look-ups below serve other modules' back offices (inventory's stock pages, its CSV
// import and its low-stock email) through interfaces they declare and cmd/shop adapts.
// They read the database rather than the storefront snapshot: staff work with variants
// in every status, drafts being stocked before they go on sale and archived ones being
// counted out.

// VariantLabel is how staff recognise a variant.
type VariantLabel struct {
	ID           VariantID
	ProductID    ProductID
	SKU          string
	Title        string
	ProductTitle string
}

// maxLookup bounds one look-up, whatever a caller asks for.
const maxLookup = 10_000

// DescribeVariants labels the given variants in any status; unknown ids are absent.
func (s *Service) DescribeVariants(ctx context.Context, ids []VariantID) (map[VariantID]VariantLabel, error) {
	out := make(map[VariantID]VariantLabel, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `
		SELECT v.id, v.product_id, v.sku, v.title, p.title
		FROM catalog.variants v JOIN catalog.products p ON p.id = v.product_id
		WHERE v.id = ANY($1::bigint[])`, ids)
	if err != nil {
		return nil, interpretError(err, "variants")
	}
	labels, err := pgx.CollectRows(rows, pgx.RowToStructByPos[VariantLabel])
	if err != nil {
		return nil, interpretError(err, "variants")
	}
	for _, l := range labels {
		out[l.ID] = l
	}
	return out, nil
}

// FindVariants returns up to limit variants, in any status, whose SKU starts with text
// or whose product title contains it (ignoring case and accents), by product title and
// then the product's own variant order. Empty text finds nothing.
func (s *Service) FindVariants(ctx context.Context, text string, limit int) ([]VariantID, error) {
	text = likeEscaper.Replace(cleanQuery(text))
	if text == "" {
		return nil, nil
	}
	if limit <= 0 || limit > maxLookup {
		limit = maxLookup
	}
	rows, err := s.pool.Query(ctx, `
		SELECT v.id
		FROM catalog.variants v JOIN catalog.products p ON p.id = v.product_id
		WHERE lower(v.sku) LIKE lower($1) || '%' ESCAPE '\'
		   OR catalog.fold(p.title) LIKE '%' || catalog.fold($1) || '%' ESCAPE '\'
		ORDER BY catalog.fold(p.title), p.id, v.position, v.id
		LIMIT $2`, text, limit)
	if err != nil {
		return nil, interpretError(err, "variants")
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[VariantID])
	if err != nil {
		return nil, interpretError(err, "variants")
	}
	return ids, nil
}

// FindVariantsBySKU maps each known SKU, lower-cased, to its variant (in any status).
// SKUs are unique regardless of case, so the match ignores it.
func (s *Service) FindVariantsBySKU(ctx context.Context, skus []string) (map[string]VariantID, error) {
	out := make(map[string]VariantID, len(skus))
	if len(skus) == 0 {
		return out, nil
	}
	lower := make([]string, len(skus))
	for i, sku := range skus {
		lower[i] = strings.ToLower(strings.TrimSpace(sku))
	}
	rows, err := s.pool.Query(ctx, `SELECT lower(sku), id FROM catalog.variants WHERE lower(sku) = ANY($1::text[])`, lower)
	if err != nil {
		return nil, interpretError(err, "variants")
	}
	defer rows.Close()
	for rows.Next() {
		var sku string
		var id VariantID
		if err := rows.Scan(&sku, &id); err != nil {
			return nil, interpretError(err, "variants")
		}
		out[sku] = id
	}
	if err := rows.Err(); err != nil {
		return nil, interpretError(err, "variants")
	}
	return out, nil
}
