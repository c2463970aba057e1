// Package inventory owns stock: locations, stock levels per variant and location, the
// reservations that hold stock for unpaid orders, and the ledger of every movement
// (Postgres schema "inventory").
//
// The guarantee it exists for: the shop never sells more than it has. Every change of a
// level is one conditional update under row locks taken in (variant, location) order, so
// concurrent orders over overlapping variants queue instead of deadlocking; CHECK
// constraints make a negative or over-reserved level impossible even for code that gets
// it wrong; and the ledger records every change in the same transaction, so the levels
// can always be recomputed and audited. Nothing depends on process memory, so the
// guarantee holds with any number of replicas.
//
// Variants are identified by the catalog's variant ids (plain int64 here: inventory
// imports no other module).
package inventory

import (
	"fmt"
	"time"
)

// Line asks for a quantity of one variant.
type Line struct {
	VariantID int64
	Quantity  int
}

// Stock is what can be said about a variant's stock across active locations.
type Stock struct {
	VariantID         int64
	OnHand            int
	Reserved          int
	AllowBackorder    bool
	LowStockThreshold int
	// Tracked is false for a variant inventory knows nothing about: it has no stock.
	Tracked bool
}

// Available is what can still be sold (never negative).
func (s Stock) Available() int { return max(0, s.OnHand-s.Reserved) }

// CanSell reports whether qty more can be reserved now.
func (s Stock) CanSell(qty int) bool { return s.Tracked && (s.AllowBackorder || s.Available() >= qty) }

// InsufficientStock is returned when a reservation cannot be met; it names every line
// short of stock, so a checkout can tell the shopper exactly what changed.
type InsufficientStock struct {
	Short []Shortage
}

// Shortage is one line that cannot be reserved in full.
type Shortage struct {
	VariantID int64
	Requested int
	Available int
}

func (e *InsufficientStock) Error() string {
	return fmt.Sprintf("inventory: %d line(s) short of stock", len(e.Short))
}

// Location is a place stock is kept.
type Location struct {
	ID       int64
	Name     string
	Priority int
	Active   bool
}

// Level is the stock of one variant at one location.
type Level struct {
	VariantID    int64
	LocationID   int64
	LocationName string
	OnHand       int
	Reserved     int
}

// Movement is one ledger entry.
type Movement struct {
	ID            int64
	VariantID     int64
	LocationID    int64
	DeltaOnHand   int
	DeltaReserved int
	Reason        string
	Ref           string
	ActorID       *int64
	Note          string
	CreatedAt     time.Time
}
