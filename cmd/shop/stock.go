package main

import (
	"context"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/catalog/catalogweb"
	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/users"
)

// Adapters between modules that may not import each other (DESIGN.md §2 rule 4): each
// module declares the small interface it needs, and these translate ids and types.

// catalogStock shows inventory to the catalog: stock levels for product pages
// (catalogweb.StockReader) and the in-stock filter of listings (catalog.InStock).
type catalogStock struct{ inv *inventory.Service }

// StockLevels reports every variant asked about. A variant inventory does not know has
// nothing to sell, so it shows as out of stock: offering "Add to cart" for it would only
// lead to a refusal later.
func (s catalogStock) StockLevels(ctx context.Context, ids []catalog.VariantID) (map[catalog.VariantID]catalogweb.StockLevel, error) {
	stock, err := s.inv.Availability(ctx, rawVariantIDs(ids))
	if err != nil {
		return nil, err
	}
	out := make(map[catalog.VariantID]catalogweb.StockLevel, len(stock))
	for id, st := range stock {
		out[catalog.VariantID(id)] = catalogweb.StockLevel{Available: st.Available(), Backorder: st.Tracked && st.AllowBackorder}
	}
	return out, nil
}

// InStockVariants answers the "In stock only" filter in one query per listing.
func (s catalogStock) InStockVariants(ctx context.Context, ids []catalog.VariantID) (map[catalog.VariantID]bool, error) {
	in, err := s.inv.InStockAmong(ctx, rawVariantIDs(ids))
	if err != nil {
		return nil, err
	}
	out := make(map[catalog.VariantID]bool, len(in))
	for id := range in {
		out[catalog.VariantID(id)] = true
	}
	return out, nil
}

func rawVariantIDs(ids []catalog.VariantID) []int64 {
	raw := make([]int64, len(ids))
	for i, id := range ids {
		raw[i] = int64(id)
	}
	return raw
}

// inventoryVariants shows the catalog's variants to inventory (inventory.VariantDirectory):
// names for the back office and the low-stock email, search by SKU or title, and SKUs for
// the stock import.
type inventoryVariants struct{ cat *catalog.Service }

func (v inventoryVariants) DescribeVariants(ctx context.Context, ids []int64) (map[int64]inventory.VariantLabel, error) {
	typed := make([]catalog.VariantID, len(ids))
	for i, id := range ids {
		typed[i] = catalog.VariantID(id)
	}
	labels, err := v.cat.DescribeVariants(ctx, typed)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]inventory.VariantLabel, len(labels))
	for id, l := range labels {
		out[int64(id)] = inventory.VariantLabel{SKU: l.SKU, Title: l.Title, ProductTitle: l.ProductTitle}
	}
	return out, nil
}

func (v inventoryVariants) FindVariants(ctx context.Context, text string, limit int) ([]int64, error) {
	ids, err := v.cat.FindVariants(ctx, text, limit)
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(ids))
	for i, id := range ids {
		out[i] = int64(id)
	}
	return out, nil
}

func (v inventoryVariants) VariantsBySKU(ctx context.Context, skus []string) (map[string]int64, error) {
	found, err := v.cat.FindVariantsBySKU(ctx, skus)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(found))
	for sku, id := range found {
		out[sku] = int64(id)
	}
	return out, nil
}

// lowStockAlerts is what the daily low-stock email needs from the other modules.
func (m *Main) lowStockAlerts() inventory.LowStockAlerts {
	return inventory.LowStockAlerts{
		Outbox: m.notify, Staff: stockAlertStaff{m.users}, Variants: inventoryVariants{m.catalog},
		StoreName: m.Config.StoreName, BaseURL: m.Config.BaseURL,
	}
}

// stockAlertStaff names who receives the daily low-stock email (inventory.StaffDirectory):
// the store's active owners. Inventory may not import users, so the rule lives here.
type stockAlertStaff struct{ users *users.Service }

func (s stockAlertStaff) StockAlertRecipients(ctx context.Context) ([]string, error) {
	staff, err := s.users.ListStaff(ctx)
	if err != nil {
		return nil, err
	}
	var to []string
	for _, a := range staff {
		if a.Role == users.RoleOwner && !a.Disabled {
			to = append(to, a.Email)
		}
	}
	return to, nil
}
