package inventory

import "context"

// VariantLabel is how staff recognise a variant in the back office and in emails. The
// catalog owns variants and inventory knows only their ids (it imports no other module,
// DESIGN.md §2), so labels come from a VariantDirectory that cmd/shop builds over the
// catalog.
type VariantLabel struct {
	SKU string
	// Title is the variant's own title ("M / Navy"); empty for a product's only variant.
	Title        string
	ProductTitle string
}

// Name is the label in one line: "Merino crew — M / Navy".
func (l VariantLabel) Name() string {
	if l.Title == "" || l.Title == l.ProductTitle {
		return l.ProductTitle
	}
	return l.ProductTitle + " — " + l.Title
}

// VariantDirectory is the consumer-side view of the catalog (DESIGN.md §2 rule 2).
type VariantDirectory interface {
	// DescribeVariants labels the given variants; unknown ids are absent from the map.
	DescribeVariants(ctx context.Context, ids []int64) (map[int64]VariantLabel, error)
	// FindVariants returns up to limit variants whose SKU starts with text or whose
	// product title contains it, in any status (staff stock drafts before they sell).
	FindVariants(ctx context.Context, text string, limit int) ([]int64, error)
	// VariantsBySKU maps each known SKU, lower-cased, to its variant.
	VariantsBySKU(ctx context.Context, skus []string) (map[string]int64, error)
}
