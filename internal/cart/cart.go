package cart

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// MaxLineQuantity is the most of one variant a cart holds: enough for any household,
// small enough that a typo (1000 instead of 10) is caught before checkout.
const MaxLineQuantity = 99

// Ref says whose cart a call is about, as the caller's session knows it: the signed-in
// customer's account, or the token of the guest cart kept in the session. A Ref never
// comes from a URL or a form, which is what keeps one shopper out of another's cart.
type Ref struct {
	// AccountID is the signed-in customer (0 for a guest); when set, Token is ignored.
	AccountID int64
	// Token is the guest cart's token from the session ("" before the first add).
	Token string
}

// IsZero reports whether the caller has no cart yet (a guest who never added anything),
// so nothing needs to be looked up.
func (r Ref) IsZero() bool { return r.AccountID == 0 && r.Token == "" }

// LineStatus is what can be said about a line now, against the live catalog and stock.
type LineStatus string

const (
	// LineOK is a line that can be bought as it is.
	LineOK LineStatus = "ok"
	// LineLowered is a line whose quantity was more than is in stock and was lowered.
	LineLowered LineStatus = "lowered"
	// LineBackorder is a line with more than is in stock, on a variant sold on backorder.
	LineBackorder LineStatus = "backorder"
	// LineOutOfStock is a line whose variant has no stock now; it stays in the cart.
	LineOutOfStock LineStatus = "out_of_stock"
	// LineUnavailable is a line whose variant is archived or gone from the catalog; it
	// stays, flagged, until the shopper removes it.
	LineUnavailable LineStatus = "unavailable"
)

// Purchasable reports whether a line counts toward the subtotal and can go to checkout.
func (s LineStatus) Purchasable() bool {
	return s == LineOK || s == LineLowered || s == LineBackorder
}

// The notices a line may carry, shown next to it.
const (
	NoticeUnavailable = "No longer available"
	NoticeOutOfStock  = "Out of stock"
	NoticeBackorder   = "On backorder: ships when back in stock"
)

// Cart is a cart as the shopper sees it now.
type Cart struct {
	Lines []Line
	// Count is the sum of the quantities of all lines, flagged ones included (what the
	// header shows).
	Count int
	// Subtotal sums the purchasable lines; its currency is empty when there are none.
	Subtotal money.Amount
	// Purchasable counts the lines that can go to checkout.
	Purchasable int
}

// Line is one variant in the cart with everything the cart page shows about it.
type Line struct {
	ID        int64
	VariantID catalog.VariantID
	Quantity  int
	Status    LineStatus
	// Notice tells the shopper what is wrong or what changed ("Only 2 left — quantity
	// lowered"); empty for a line that is fine.
	Notice string
	// MaxQuantity is the most the shopper may ask for now (stock or the per-line maximum).
	MaxQuantity int

	// Live catalog data; empty for an unavailable line, which the catalog no longer
	// describes.
	ProductSlug  string
	ProductTitle string
	VariantTitle string
	SKU          string
	Options      []OptionValue
	Image        *catalog.Image
	UnitPrice    money.Amount
	LineTotal    money.Amount
}

// OptionValue is one of the variant's choices, for the line's description (Size: M).
type OptionValue struct {
	Name, Value string
}

// AddResult is what an add did.
type AddResult struct {
	// Token is the guest cart's token after the add, to keep in the session: a first add
	// creates the cart. Empty for a customer's cart.
	Token    string
	LineID   int64
	Quantity int // the line's quantity now
	// ProductSlug is the variant's product, whose page the shopper may go back to.
	ProductSlug string
	// Notice says why less than asked is in the cart ("Only 2 left of …"); empty when
	// everything asked for was added.
	Notice string
}

// Change is what a quantity change did.
type Change struct {
	Quantity int    // the line's quantity now; 0 when it was removed
	Notice   string // why it differs from what was asked, if it does
}

// CartUpdated announces a change of a cart's contents, for modules that learn from carts
// (recommendations, abandoned-cart analysis).
type CartUpdated struct {
	CartID int64
	// AccountID is the customer owning the cart, 0 for a guest cart.
	AccountID int64
	// Reason is "add", "quantity", "remove", "merge" or "stock" (lowered to what is in
	// stock when the cart was viewed).
	Reason string
	Lines  []LineChange
}

// LineChange is one variant's quantity before and after (0 when absent).
type LineChange struct {
	VariantID catalog.VariantID
	Before    int
	After     int
}

// CartUpdatedHook is called inside the transaction of every change (DESIGN.md §2.5), so
// a subscriber can queue a job with InsertTx that exists exactly when the change does;
// an error rolls the change back.
type CartUpdatedHook func(ctx context.Context, tx pgx.Tx, e CartUpdated) error
