package catalog

import (
	"time"

	"github.com/monoshop/monoshop/internal/platform/money"
)

// ProductID identifies a product; it is internal, shoppers see slugs.
type ProductID int64

// VariantID identifies a purchasable variant (one size in one colour).
type VariantID int64

// CategoryID identifies a category.
type CategoryID int64

// Product is a product as the storefront shows it, with everything its page needs.
type Product struct {
	ID             ProductID
	Slug           string
	Title          string
	Description    string
	Brand          string
	Featured       bool
	SEOTitle       string
	SEODescription string
	PublishedAt    time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Options        []Option
	Variants       []Variant
	// CategoryIDs lists the categories the product is filed in directly, first is primary.
	CategoryIDs []CategoryID
	Attributes  []Attribute
	Images      []Image
}

// Option is one dimension a product varies in (Size, Color), with its values in order.
type Option struct {
	ID     int64
	Name   string
	Values []OptionValue
}

// OptionValue is one choice of an option (M, Navy).
type OptionValue struct {
	ID    int64
	Value string
}

// Variant is one purchasable combination of option values with its own SKU and price.
type Variant struct {
	ID          VariantID
	ProductID   ProductID
	SKU         string
	Title       string
	Price       money.Amount
	CompareAt   *money.Amount
	WeightGrams int
	// OptionValueIDs holds one value per option of the product, in option order.
	OptionValueIDs []int64
}

// OnSale reports whether the variant is cheaper than its compare-at price.
func (v Variant) OnSale() bool { return v.CompareAt != nil && v.CompareAt.Minor > v.Price.Minor }

// Attribute is a filterable property beyond brand and options (Material: Merino).
type Attribute struct {
	Name, Value string
}

// Image is one product picture; its files are rendered at fixed widths.
type Image struct {
	ID int64
	// OptionValueID is the option value the picture shows ("Colour: Orange"): it is
	// shown for the variants with that value. 0 shows it for every variant.
	OptionValueID int64
	Alt           string
	Width         int
	Height        int
	Hash          string
}

// Category is a node of the category tree.
type Category struct {
	ID             CategoryID
	ParentID       *CategoryID
	Slug           string
	Name           string
	Description    string
	SEOTitle       string
	SEODescription string
	Featured       bool
}

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
	Image     *Image
}
