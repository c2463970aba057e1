package catalog

import "github.com/monoshop/monoshop/internal/platform/money"

// ProductID identifies a product; it is internal, shoppers see slugs.
type ProductID int64

// ProductSummary is what a listing shows of a product: enough for a card, nothing more.
type ProductSummary struct {
	ID    ProductID
	Slug  string
	Title string
	Brand string
	// Price is the lowest price among the product's variants.
	Price money.Amount
	// CompareAt is that variant's former price when it is on sale, else nil.
	CompareAt *money.Amount
}

// Category is a node of the category tree.
type Category struct {
	ID   int64
	Slug string
	Name string
}
