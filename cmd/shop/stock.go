package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/catalog/catalogweb"
	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/users"
)

// Adapters between modules that may not import each other (DESIGN.md §2 rule 4): each
// module declares the small interface it needs, and these translate ids and types.

// catalogStock shows inventory to the catalog: stock levels for product pages
// (catalogweb.StockReader) and the in-stock filter of listings (catalog.InStock), both
// answered from a short-lived copy of every variant's stock.
type catalogStock struct {
	inv   *inventory.Service
	cache *stockCache
	// heldByUnpaid says when unpaid orders holding variants let go of them (orders'
	// HeldByUnpaid): a product page then says "reserved, check back in N minutes" rather
	// than "out of stock". nil: it says out of stock.
	heldByUnpaid func(ctx context.Context, variantIDs []int64) (map[int64]time.Time, error)
}

func newCatalogStock(inv *inventory.Service) catalogStock {
	c := &stockCache{inv: inv}
	// A change made by this process shows on its next page; other replicas see it within
	// stockTTL.
	inv.OnStockChange(c.markChanged)
	return catalogStock{inv: inv, cache: c}
}

// stockTTL bounds how stale the stock shown on storefront pages may be on a replica that
// did not make the change. Carts and reservations always read live stock, so a stale
// page can at worst offer something a reservation then refuses.
const stockTTL = time.Second

// stockServeStale is the oldest copy a page is answered from while a newer one is read
// in the background. After a quiet spell the copy is older, and the page that finds it so
// waits for the (small) read of what moved meanwhile instead: otherwise the first shopper
// after a quiet hour would see the stock of an hour ago.
const stockServeStale = 2 * stockTTL

// changedReadLive is how long a variant this process changed is read live rather than
// from the copy. The change is announced before its transaction commits, so the copy
// refreshed right after the mark may still predate it; a copy read a full stockTTL later
// has certainly seen it, and no page is answered from a copy older than stockServeStale.
const changedReadLive = stockServeStale + stockTTL

// stockFullRefresh is how often the copy is read whole again. In between it follows the
// stock movements, backorder policy changes and locations switched on or off (a few rows
// a second); a whole read also catches a transaction that took longer to commit than the
// marks allow for. Reading every variant costs the database about half a second
// at 150,000 variants, so it is rare.
const stockFullRefresh = 5 * time.Minute

// stockCommitGrace is how far back a refresh asks for policy changes: their time is when
// the changing transaction started, which may be before the previous refresh although it
// committed after.
const stockCommitGrace = 5 * time.Second

// stockCache keeps every variant's stock in memory. Product pages at thousands of
// requests per second would otherwise each cost a query, and a filtered top-level
// category would ask about tens of thousands of variants at once. It is read whole every
// stockFullRefresh and, every stockTTL in between, only the variants that moved.
//
// Variants this process just changed (an order reserved them, staff adjusted them) are
// read live for a moment instead: waiting for a refresh on every order would make pages
// wait while orders stream in.
type stockCache struct {
	inv stockSource

	mu         sync.Mutex // serialises refreshes of what moved, and publishing
	wholeMu    sync.Mutex // serialises whole reads
	data       atomic.Pointer[stockSnapshot]
	refreshing atomic.Bool
	// changed maps a variant id to when this process last changed it (time.Time).
	changed sync.Map
	// versions numbers the copies (under mu).
	versions uint64
}

// stockSource is what the copy reads: inventory, or in tests inventory held back.
type stockSource interface {
	StockAll(ctx context.Context) (*inventory.StockTable, int64, error)
	StockMovedSince(ctx context.Context, afterID int64, since time.Time) (map[int64]inventory.Sellable, int64, error)
	Availability(ctx context.Context, variantIDs []int64) (map[int64]inventory.Stock, error)
}

// stockSnapshot is an immutable copy: base from the last whole read, moved from the
// movements since (it wins over base).
type stockSnapshot struct {
	// version tells copies apart: listings remember which products are in stock per
	// version (catalog.StockView).
	version uint64
	at      time.Time // when the newest data in it was read
	baseAt  time.Time // when base was read
	base    *inventory.StockTable
	moved   map[int64]inventory.Sellable
	// marks are the last movement ids of the two latest reads, newest last, and markedAt
	// when those reads started: the next read asks from the older one, so a transaction
	// that committed after the newer read although its movement id was lower is still seen.
	marks    [2]int64
	markedAt [2]time.Time
}

func (d *stockSnapshot) stock(id int64) (inventory.Sellable, bool) {
	if st, ok := d.moved[id]; ok {
		return st, true
	}
	return d.base.Get(id)
}

func (c *stockCache) markChanged(variantID int64) { c.changed.Store(variantID, time.Now()) }

// loaded reports whether the stock copy has been read once (readyz waits for it). Without
// a copy (stock not wired, in some tests) there is nothing to wait for.
func (s catalogStock) loaded() bool { return s.cache == nil || s.cache.data.Load() != nil }

// recentlyChanged returns the ids among ids this process changed within changedReadLive.
func (c *stockCache) recentlyChanged(ids []int64) []int64 {
	var out []int64
	for _, id := range ids {
		if at, ok := c.changed.Load(id); ok {
			if time.Since(at.(time.Time)) < changedReadLive {
				out = append(out, id)
			} else {
				c.changed.CompareAndDelete(id, at)
			}
		}
	}
	return out
}

// get returns the copy. While pages keep coming it answers at once and refreshes in the
// background, so no page waits for the refresh; the first call, and the first after a
// quiet spell, wait for a read.
func (c *stockCache) get(ctx context.Context) (*stockSnapshot, error) {
	d := c.data.Load()
	if d == nil {
		return c.refresh(ctx, true)
	}
	age := time.Since(d.at)
	if age >= stockServeStale {
		// Only what moved: a whole read, due after a quiet spell, follows in the background.
		d, err := c.refresh(ctx, false)
		if err == nil {
			c.refreshInBackground(ctx)
		}
		return d, err
	}
	if age >= stockTTL {
		c.refreshInBackground(ctx)
	}
	return d, nil
}

func (c *stockCache) refreshInBackground(ctx context.Context) {
	if !c.refreshing.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer c.refreshing.Store(false)
		_, _ = c.refresh(context.WithoutCancel(ctx), true)
	}()
}

// refresh reads what moved since the copy was made, or the whole stock when none is
// loaded or (with whole) the copy's base is due to be read again.
func (c *stockCache) refresh(ctx context.Context, whole bool) (*stockSnapshot, error) {
	if old := c.data.Load(); old == nil || (whole && time.Since(old.baseAt) >= stockFullRefresh) {
		return c.readWhole(ctx)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.readMovedLocked(ctx, c.data.Load())
}

// readWhole reads every variant's stock, then what moved while it read. The whole read
// holds no lock pages wait on: at 15 million variants it takes tens of seconds, and pages
// meanwhile keep getting the copy brought up to date by small reads of what moved.
func (c *stockCache) readWhole(ctx context.Context) (*stockSnapshot, error) {
	c.wholeMu.Lock()
	defer c.wholeMu.Unlock()
	if d := c.data.Load(); d != nil && time.Since(d.baseAt) < stockFullRefresh {
		return d, nil // another caller just read it
	}
	start := time.Now()
	base, last, err := c.inv.StockAll(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.versions++
	read := &stockSnapshot{version: c.versions, at: start, baseAt: start, base: base, marks: [2]int64{last, last}, markedAt: [2]time.Time{start, start}}
	return c.readMovedLocked(ctx, read)
}

// readMovedLocked brings old (the published copy, or a whole read about to replace it)
// up to date with what moved since its marks, and publishes it. c.mu is held, so no other
// copy is published meanwhile.
func (c *stockCache) readMovedLocked(ctx context.Context, old *stockSnapshot) (*stockSnapshot, error) {
	start := time.Now()
	if start.Sub(old.at) < stockTTL {
		c.data.Store(old)
		return old, nil
	}
	moved, last, err := c.inv.StockMovedSince(ctx, old.marks[0], old.markedAt[0].Add(-stockCommitGrace))
	if err != nil {
		return nil, err
	}
	merged := make(map[int64]inventory.Sellable, len(old.moved)+len(moved))
	for id, st := range old.moved {
		merged[id] = st
	}
	for id, st := range moved {
		merged[id] = st
	}
	version := old.version
	if len(moved) > 0 {
		c.versions++
		version = c.versions
	}
	d := &stockSnapshot{version: version, at: start, baseAt: old.baseAt, base: old.base, moved: merged,
		marks: [2]int64{old.marks[1], last}, markedAt: [2]time.Time{old.markedAt[1], start}}
	c.data.Store(d)
	return d, nil
}

// lookup returns the stock of ids: from the copy, except variants this process changed
// a moment ago, which are read live in one query.
func (c *stockCache) lookup(ctx context.Context, ids []int64) (map[int64]inventory.Stock, error) {
	snap, err := c.get(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]inventory.Stock, len(ids))
	for _, id := range ids {
		st, tracked := snap.stock(id)
		s := inventory.Stock{VariantID: id, OnHand: st.Available, AllowBackorder: st.Backorder, Tracked: tracked}
		if st.Held {
			// The copy keeps what can be sold, not the counts: "some reserved" is all it
			// knows, and all StockLevels asks.
			s.Reserved = 1
		}
		out[id] = s
	}
	if live := c.recentlyChanged(ids); len(live) > 0 {
		fresh, err := c.inv.Availability(ctx, live)
		if err != nil {
			return nil, err
		}
		for id, st := range fresh {
			out[id] = st
		}
	}
	return out, nil
}

// StockLevels reports every variant asked about. A variant inventory does not know has
// nothing to sell, so it shows as out of stock: offering "Add to cart" for it would only
// lead to a refusal later.
func (s catalogStock) StockLevels(ctx context.Context, ids []catalog.VariantID) (map[catalog.VariantID]catalogweb.StockLevel, error) {
	stock, err := s.cache.lookup(ctx, rawVariantIDs(ids))
	if err != nil {
		return nil, err
	}
	out := make(map[catalog.VariantID]catalogweb.StockLevel, len(ids))
	var held []int64
	for _, id := range ids {
		st := stock[int64(id)]
		out[id] = catalogweb.StockLevel{Available: st.Available(), Backorder: st.AllowBackorder && st.Tracked}
		if st.Tracked && !st.AllowBackorder && st.Available() == 0 && st.Reserved > 0 {
			held = append(held, int64(id))
		}
	}
	// Only a page with an item gone while someone holds it asks (one query): paid orders
	// waiting to ship hold stock too, and those do not come back.
	if len(held) > 0 && s.heldByUnpaid != nil {
		until, err := s.heldByUnpaid(ctx, held)
		if err != nil {
			return nil, err
		}
		now := time.Now()
		for id, at := range until {
			l := out[catalog.VariantID(id)]
			l.HeldMinutes = orders.MinutesUntil(now, at)
			out[catalog.VariantID(id)] = l
		}
	}
	return out, nil
}

// InStockNow answers the "In stock only" filter from the same copy, with the variants
// this process changed a moment ago read live (one query, only while there are such).
func (s catalogStock) InStockNow(ctx context.Context) (catalog.StockView, error) {
	snap, err := s.cache.get(ctx)
	if err != nil {
		return catalog.StockView{}, err
	}
	var live map[int64]inventory.Stock
	view := catalog.StockView{Version: snap.version, InStock: func(id catalog.VariantID) bool {
		st, _ := snap.stock(int64(id))
		return st.CanSell()
	}, Units: func(id catalog.VariantID) (int, bool, bool) {
		if st, ok := live[int64(id)]; ok {
			return st.Available(), st.Tracked, st.AllowBackorder
		}
		st, tracked := snap.stock(int64(id))
		return st.Available, tracked, st.Backorder
	}}
	var recent []int64
	s.cache.changed.Range(func(k, _ any) bool {
		recent = append(recent, k.(int64))
		return true
	})
	if recent = s.cache.recentlyChanged(recent); len(recent) > 0 {
		if live, err = s.inv.Availability(ctx, recent); err != nil {
			return catalog.StockView{}, err
		}
		view.Live = make(map[catalog.VariantID]bool, len(live))
		for id, st := range live {
			view.Live[catalog.VariantID(id)] = st.CanSell(1)
		}
	}
	return view, nil
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
		StoreName: m.storeName, BaseURL: m.Config.BaseURL,
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

// cartStock answers the cart's availability questions from the same short-lived copy:
// a cart page shows honest notices without a stock query per view. Reservations at
// checkout read live stock, so a notice up to stockTTL old can never oversell.
type cartStock struct{ cache *stockCache }

func (s cartStock) Availability(ctx context.Context, ids []int64) (map[int64]inventory.Stock, error) {
	return s.cache.lookup(ctx, ids)
}
