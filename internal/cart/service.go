package cart

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/monoshop/monoshop/internal/cart/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// Catalog is what the cart needs of the catalog: the live variant, with its product, or
// NotFound when it is not for sale (DESIGN.md §2 rule 2; *catalog.Service satisfies it).
type Catalog interface {
	FindVariant(ctx context.Context, id catalog.VariantID) (catalog.Variant, catalog.Product, error)
	// ShopCurrency is the currency the shop sells in: a line priced in another cannot be
	// added up with the rest, so it is set aside as unavailable.
	ShopCurrency(ctx context.Context) (string, error)
}

// Stock is what the cart needs of inventory: how much of each variant can be sold now
// (*inventory.Service satisfies it).
type Stock interface {
	Availability(ctx context.Context, variantIDs []int64) (map[int64]inventory.Stock, error)
}

// Service is the cart module's public API.
//
// No method holds a transaction while it asks the catalog or inventory: those calls may
// take a connection of their own, and a request holding one connection while waiting for
// a second can starve the pool under load. Reads come first, then one short transaction
// re-checks ownership and writes.
type Service struct {
	pool    *pgxpool.Pool
	q       *dbsqlc.Queries
	catalog Catalog
	stock   Stock
	log     *slog.Logger

	hooksMu sync.RWMutex
	hooks   []CartUpdatedHook
}

// NewService returns the cart service.
func NewService(pool *pgxpool.Pool, cat Catalog, stock Stock, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{pool: pool, q: dbsqlc.New(), catalog: cat, stock: stock, log: log}
}

// OnCartUpdated subscribes h to every change of a cart's contents. cmd/shop registers
// subscribers at start-up.
func (s *Service) OnCartUpdated(h CartUpdatedHook) {
	s.hooksMu.Lock()
	defer s.hooksMu.Unlock()
	s.hooks = append(s.hooks, h)
}

func (s *Service) announce(ctx context.Context, tx pgx.Tx, e CartUpdated) error {
	s.hooksMu.RLock()
	hooks := s.hooks
	s.hooksMu.RUnlock()
	for _, h := range hooks {
		if err := h(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}

// Add puts qty more of a variant in the cart, creating the cart on a guest's first add
// (keep the returned Token in the session). The line never holds more than is in stock
// (unless the variant is sold on backorder) nor more than MaxLineQuantity: what does not
// fit is left out and Notice says so. An unknown or archived variant, a variant out of
// stock and a quantity outside 1..MaxLineQuantity are refused with the cart unchanged.
func (s *Service) Add(ctx context.Context, ref Ref, variantID catalog.VariantID, qty int) (AddResult, error) {
	if qty < 1 || qty > MaxLineQuantity {
		return AddResult{}, errQuantity()
	}
	v, p, err := s.catalog.FindVariant(ctx, variantID)
	if apperr.Is(err, apperr.NotFound) {
		return AddResult{}, errNoLongerAvailable(err)
	}
	if err != nil {
		return AddResult{}, err
	}
	name := itemName(p, v)
	st, err := s.stockOf(ctx, variantID)
	if err != nil {
		return AddResult{}, err
	}
	if !st.CanSell(1) {
		return AddResult{}, apperr.New(apperr.Conflict, "Sorry, "+name+" is out of stock.")
	}

	limit := MaxLineQuantity
	if !st.AllowBackorder {
		limit = min(limit, st.Available())
	}
	res := AddResult{ProductSlug: p.Slug}
	err = s.write(ctx, func(q dbsqlc.DBTX) (CartUpdated, error) {
		l, err := s.addLine(ctx, q, ref, variantID, qty, limit)
		if err != nil {
			return CartUpdated{}, err
		}
		res.Token, res.LineID, res.Quantity, res.Notice = l.token, l.id, l.quantity, ""
		switch want := l.had + qty; {
		case l.quantity >= want:
		case !st.AllowBackorder && l.quantity == st.Available() && st.Available() < MaxLineQuantity:
			res.Notice = stockNotice(st.Available(), name, l.had, l.quantity)
		default:
			res.Notice = fmt.Sprintf("You can buy at most %d of %s at once; your cart has %d.", MaxLineQuantity, name, l.quantity)
		}
		return CartUpdated{CartID: l.cart, AccountID: ref.AccountID, Reason: "add",
			Lines: []LineChange{{VariantID: variantID, Before: l.had, After: l.quantity}}}, nil
	})
	if err != nil {
		return AddResult{}, err
	}
	return res, nil
}

// addedLine is a line after an add.
type addedLine struct {
	id, cart      int64
	token         string // the guest cart's, possibly new; empty for a customer's
	quantity, had int
}

// addLine adds qty of a variant to the caller's cart in one statement, creating the cart
// when there is none (a guest's first add, or a session whose cart was cleaned up: a
// fresh token then, never the old one). The line ends at most at limit.
func (s *Service) addLine(ctx context.Context, q dbsqlc.DBTX, ref Ref, variant catalog.VariantID, qty, limit int) (addedLine, error) {
	if ref.AccountID != 0 {
		r, err := s.q.LineAddToAccountCart(ctx, q, dbsqlc.LineAddToAccountCartParams{AccountID: ref.AccountID,
			VariantID: int64(variant), Quantity: int32(qty), MaxQuantity: int32(limit)})
		if err != nil {
			return addedLine{}, interpretError(err, "cart line")
		}
		return addedLine{id: r.ID, cart: r.CartID, quantity: int(r.Quantity), had: int(r.Had)}, nil
	}
	if validToken(ref.Token) {
		r, err := s.q.LineAddToGuestCart(ctx, q, dbsqlc.LineAddToGuestCartParams{Token: ref.Token,
			VariantID: int64(variant), Quantity: int32(qty), MaxQuantity: int32(limit)})
		if err == nil {
			return addedLine{id: r.ID, cart: r.CartID, token: ref.Token, quantity: int(r.Quantity), had: int(r.Had)}, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return addedLine{}, interpretError(err, "cart line")
		}
	}
	token := newToken()
	r, err := s.q.LineAddToNewGuestCart(ctx, q, dbsqlc.LineAddToNewGuestCartParams{Token: token,
		VariantID: int64(variant), Quantity: int32(qty), MaxQuantity: int32(limit)})
	if err != nil {
		return addedLine{}, interpretError(err, "cart")
	}
	return addedLine{id: r.ID, cart: r.CartID, token: token, quantity: int(r.Quantity)}, nil
}

// write runs a change made of single statements. Each statement is atomic on its own, so
// a transaction is opened only when subscribers must see the change inside one (DESIGN.md
// §2.5): without them an add costs one round trip instead of three.
func (s *Service) write(ctx context.Context, fn func(q dbsqlc.DBTX) (CartUpdated, error)) error {
	s.hooksMu.RLock()
	subscribed := len(s.hooks) > 0
	s.hooksMu.RUnlock()
	if !subscribed {
		_, err := fn(s.pool)
		return err
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		e, err := fn(tx)
		if err != nil {
			return err
		}
		if changed := slices.ContainsFunc(e.Lines, func(l LineChange) bool { return l.Before != l.After }); !changed {
			return nil
		}
		return s.announce(ctx, tx, e)
	})
}

// stockNotice explains why a line holds less than the shopper asked for.
func stockNotice(available int, name string, existing, final int) string {
	if final == existing {
		return fmt.Sprintf("Only %d left of %s, and your cart already has %d.", available, name, final)
	}
	return fmt.Sprintf("Only %d left of %s — your cart now has %d.", available, name, final)
}

// SetQuantity changes a line's quantity; 0 removes the line. A quantity above what is in
// stock is lowered to it and Change.Notice says so. A line outside the caller's cart is
// NotFound; a line whose variant is no longer sold or out of stock can only be removed.
func (s *Service) SetQuantity(ctx context.Context, ref Ref, lineID int64, qty int) (Change, error) {
	if qty == 0 {
		return Change{}, s.Remove(ctx, ref, lineID)
	}
	if qty < 0 || qty > MaxLineQuantity {
		return Change{}, errQuantity()
	}
	line, err := s.line(ctx, ref, lineID)
	if err != nil {
		return Change{}, err
	}
	v, p, err := s.catalog.FindVariant(ctx, catalog.VariantID(line.VariantID))
	if apperr.Is(err, apperr.NotFound) {
		return Change{}, apperr.Wrap(err, apperr.Conflict, "This item is no longer available. Please remove it from your cart.")
	}
	if err != nil {
		return Change{}, err
	}
	name := itemName(p, v)
	st, err := s.stockOf(ctx, catalog.VariantID(line.VariantID))
	if err != nil {
		return Change{}, err
	}
	if !st.CanSell(1) {
		return Change{}, apperr.New(apperr.Conflict, "Sorry, "+name+" is out of stock.")
	}
	ch := Change{Quantity: qty}
	if !st.AllowBackorder && qty > st.Available() {
		ch.Quantity = st.Available()
		ch.Notice = fmt.Sprintf("Only %d left of %s — quantity lowered to %d.", st.Available(), name, ch.Quantity)
	}
	if ch.Quantity == int(line.Quantity) {
		return ch, nil
	}
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		cartID, err := s.findCart(ctx, tx, ref)
		if err != nil {
			return err
		}
		n, err := s.q.LineSetQuantity(ctx, tx, dbsqlc.LineSetQuantityParams{ID: lineID, CartID: cartID, Quantity: int32(ch.Quantity)})
		if err != nil {
			return interpretError(err, "cart line")
		}
		if n == 0 {
			// Removed in another tab since it was read.
			return errLineNotFound(nil)
		}
		return s.announce(ctx, tx, CartUpdated{CartID: cartID, AccountID: ref.AccountID, Reason: "quantity",
			Lines: []LineChange{{VariantID: catalog.VariantID(line.VariantID), Before: int(line.Quantity), After: ch.Quantity}}})
	})
	if err != nil {
		return Change{}, err
	}
	return ch, nil
}

// Remove takes a line out of the cart. A line outside the caller's cart is NotFound.
func (s *Service) Remove(ctx context.Context, ref Ref, lineID int64) error {
	if ref.IsZero() {
		return errLineNotFound(nil)
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		cartID, err := s.findCart(ctx, tx, ref)
		if err != nil {
			return err
		}
		line, err := s.q.LineDelete(ctx, tx, dbsqlc.LineDeleteParams{ID: lineID, CartID: cartID})
		if errors.Is(err, pgx.ErrNoRows) {
			return errLineNotFound(err)
		}
		if err != nil {
			return interpretError(err, "cart line")
		}
		return s.announce(ctx, tx, CartUpdated{CartID: cartID, AccountID: ref.AccountID, Reason: "remove",
			Lines: []LineChange{{VariantID: catalog.VariantID(line.VariantID), Before: int(line.Quantity)}}})
	})
}

// Count is the number of items in the cart (the sum of its quantities), in one query; 0
// without one.
func (s *Service) Count(ctx context.Context, ref Ref) (int, error) {
	var (
		n   int32
		err error
	)
	switch {
	case ref.AccountID != 0:
		n, err = s.q.CountByAccount(ctx, s.pool, ref.AccountID)
	case validToken(ref.Token):
		n, err = s.q.CountByToken(ctx, s.pool, ref.Token)
	default:
		return 0, nil
	}
	if err != nil {
		return 0, interpretError(err, "cart")
	}
	return int(n), nil
}

// View returns the cart with live names, prices and stock. A line whose quantity is more
// than is in stock is lowered for good (the shopper is told on the line); a line whose
// variant is no longer sold stays, flagged and left out of the subtotal, until the
// shopper removes it.
func (s *Service) View(ctx context.Context, ref Ref) (Cart, error) {
	return s.view(ctx, ref, true)
}

// Contents is View without stock: live names and prices, lines whose variant is no longer
// sold flagged, quantities as the shopper left them. It is for placing an order, whose
// reservation checks stock under lock anyway (a line short of stock fails it with
// *inventory.InsufficientStock): looking first would be a query for nothing.
func (s *Service) Contents(ctx context.Context, ref Ref) (Cart, error) {
	return s.view(ctx, ref, false)
}

func (s *Service) view(ctx context.Context, ref Ref, withStock bool) (Cart, error) {
	rows, err := s.lines(ctx, ref)
	if err != nil || len(rows) == 0 {
		return Cart{}, err
	}
	var stock map[int64]inventory.Stock
	if withStock {
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = r.VariantID
		}
		if stock, err = s.stock.Availability(ctx, ids); err != nil {
			return Cart{}, err
		}
	}

	var out Cart
	var lowered []LineChange
	lowerIDs := map[int64]int{}
	shopCurrency := ""
	if len(rows) > 0 {
		if shopCurrency, err = s.catalog.ShopCurrency(ctx); err != nil {
			return Cart{}, err
		}
	}
	for _, r := range rows {
		l := Line{ID: r.ID, VariantID: catalog.VariantID(r.VariantID), Quantity: int(r.Quantity), Status: LineOK, MaxQuantity: MaxLineQuantity}
		v, p, err := s.catalog.FindVariant(ctx, l.VariantID)
		switch {
		case apperr.Is(err, apperr.NotFound):
			l.Status, l.Notice = LineUnavailable, NoticeUnavailable
		case err != nil:
			return Cart{}, err
		case !withStock:
			describe(&l, p, v)
		default:
			describe(&l, p, v)
			st := stock[r.VariantID]
			switch avail := st.Available(); {
			case !st.CanSell(1):
				l.Status, l.Notice = LineOutOfStock, NoticeOutOfStock
			case st.AllowBackorder:
				if l.Quantity > avail {
					l.Status, l.Notice = LineBackorder, NoticeBackorder
				}
			case l.Quantity > avail:
				lowered = append(lowered, LineChange{VariantID: l.VariantID, Before: l.Quantity, After: avail})
				lowerIDs[l.ID] = avail
				l.Quantity, l.Status = avail, LineLowered
				l.Notice = fmt.Sprintf("Only %d left — quantity lowered", avail)
				l.MaxQuantity = avail
			default:
				l.MaxQuantity = min(MaxLineQuantity, avail)
			}
		}
		if l.Status.Purchasable() && l.UnitPrice.Currency != shopCurrency {
			// Priced in another currency than the shop's (data from before imports refused
			// it): shown, removable, never summed, so the cart and checkout still answer.
			l.Status, l.Notice = LineUnavailable, NoticeUnavailable
		}
		if l.Status.Purchasable() {
			l.LineTotal = l.UnitPrice.Mul(int64(l.Quantity))
			if out.Purchasable == 0 {
				out.Subtotal = l.LineTotal
			} else if out.Subtotal, err = out.Subtotal.Add(l.LineTotal); err != nil {
				return Cart{}, fmt.Errorf("cart: subtotal: %w", err)
			}
			out.Purchasable++
		}
		out.Count += l.Quantity
		out.Lines = append(out.Lines, l)
	}
	if len(lowered) > 0 {
		if err := s.lower(ctx, ref, lowerIDs, lowered); err != nil {
			return Cart{}, err
		}
	}
	return out, nil
}

// lower writes the quantities View lowered to what is in stock.
func (s *Service) lower(ctx context.Context, ref Ref, ids map[int64]int, changes []LineChange) error {
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		cartID, err := s.findCart(ctx, tx, ref)
		if err != nil {
			return err
		}
		for id, qty := range ids {
			if _, err := s.q.LineLower(ctx, tx, dbsqlc.LineLowerParams{ID: id, Quantity: int32(qty)}); err != nil {
				return interpretError(err, "cart line")
			}
		}
		return s.announce(ctx, tx, CartUpdated{CartID: cartID, AccountID: ref.AccountID, Reason: "stock", Lines: changes})
	})
}

// MergeOnSignIn moves a guest cart into the customer's cart when they sign in: the
// quantities of a variant in both are summed, then capped by stock and MaxLineQuantity;
// lines no longer sold or out of stock come along flagged rather than being dropped. The
// guest cart is deleted. It returns what the shopper should be told; nothing when there
// was no guest cart or it was empty.
func (s *Service) MergeOnSignIn(ctx context.Context, guestToken string, accountID int64) ([]string, error) {
	if accountID == 0 {
		return nil, apperr.New(apperr.Invalid, "Sign in to keep your cart.")
	}
	if !validToken(guestToken) {
		return nil, nil
	}
	// Read first, outside the transaction: names and stock of what the guest holds.
	guest, err := s.q.LinesByToken(ctx, s.pool, guestToken)
	if err != nil {
		return nil, interpretError(err, "cart")
	}
	ids := make([]int64, len(guest))
	names := map[int64]string{}
	for i, l := range guest {
		ids[i] = l.VariantID
		if v, p, err := s.catalog.FindVariant(ctx, catalog.VariantID(l.VariantID)); err == nil {
			names[l.VariantID] = itemName(p, v)
		} else if !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
	}
	stock := map[int64]inventory.Stock{}
	if len(ids) > 0 {
		if stock, err = s.stock.Availability(ctx, ids); err != nil {
			return nil, err
		}
	}

	var msgs []string
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		msgs = nil
		guestID, err := s.q.GuestCartLock(ctx, tx, guestToken)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // merged already (a second tab), or cleaned up
		}
		if err != nil {
			return interpretError(err, "cart")
		}
		// The guest's lines again, under the lock: authoritative if they changed since.
		lines, err := s.q.LinesOfCart(ctx, tx, guestID)
		if err != nil {
			return interpretError(err, "cart")
		}
		if len(lines) == 0 {
			return interpretError(s.q.CartDelete(ctx, tx, guestID), "cart")
		}
		cartID, err := s.q.AccountCartEnsure(ctx, tx, accountID)
		if err != nil {
			return interpretError(err, "cart")
		}
		mine, err := s.q.LinesOfCart(ctx, tx, cartID)
		if err != nil {
			return interpretError(err, "cart")
		}
		before := lineQuantities(mine)
		// The guest cart goes first: the unique line per variant then belongs to the
		// customer's cart alone.
		if err := s.q.CartDelete(ctx, tx, guestID); err != nil {
			return interpretError(err, "cart")
		}
		units := 0
		var notes []string
		var changes []LineChange
		for _, l := range lines {
			units += int(l.Quantity)
			had := before[l.VariantID]
			final := min(had+int(l.Quantity), MaxLineQuantity)
			name, known := names[l.VariantID]
			st, stocked := stock[l.VariantID]
			if known && stocked && st.CanSell(1) && !st.AllowBackorder && final > st.Available() {
				final = st.Available()
				notes = append(notes, fmt.Sprintf("Only %d left of %s — quantity lowered", st.Available(), name))
			} else if final < had+int(l.Quantity) {
				notes = append(notes, fmt.Sprintf("You can buy at most %d of %s at once — quantity lowered", MaxLineQuantity, cmpName(name, known)))
			}
			if final == had {
				continue
			}
			if _, err := s.q.LineUpsert(ctx, tx, dbsqlc.LineUpsertParams{CartID: cartID, VariantID: l.VariantID, Quantity: int32(final)}); err != nil {
				return interpretError(err, "cart line")
			}
			changes = append(changes, LineChange{VariantID: catalog.VariantID(l.VariantID), Before: had, After: final})
		}
		msgs = append([]string{fmt.Sprintf("We added the %s from your visit to your cart.", items(units))}, notes...)
		if len(changes) == 0 {
			return nil
		}
		return s.announce(ctx, tx, CartUpdated{CartID: cartID, AccountID: accountID, Reason: "merge", Lines: changes})
	})
	if err != nil {
		return nil, err
	}
	return msgs, nil
}

func items(n int) string {
	if n == 1 {
		return "1 item"
	}
	return fmt.Sprintf("%d items", n)
}

// cmpName names a line in a message even when the catalog no longer knows it.
func cmpName(name string, known bool) string {
	if known {
		return name
	}
	return "an item no longer sold"
}

// DeleteAccountCartTx deletes a customer's cart inside the caller's transaction (account
// deletion: nothing of the person is kept).
func (s *Service) DeleteAccountCartTx(ctx context.Context, tx pgx.Tx, accountID int64) error {
	return interpretError(s.q.AccountCartDelete(ctx, tx, accountID), "cart")
}

// findCart returns the caller's existing cart, locked for the transaction; a caller
// without one gets "not in your cart", which is all a change of a line needs to say.
func (s *Service) findCart(ctx context.Context, tx pgx.Tx, ref Ref) (int64, error) {
	var (
		id  int64
		err error
	)
	switch {
	case ref.AccountID != 0:
		id, err = s.q.AccountCartTouch(ctx, tx, ref.AccountID)
	case validToken(ref.Token):
		id, err = s.q.GuestCartTouch(ctx, tx, ref.Token)
	default:
		return 0, errLineNotFound(nil)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, errLineNotFound(err)
	}
	return id, interpretError(err, "cart")
}

// line returns one line of the caller's cart.
func (s *Service) line(ctx context.Context, ref Ref, id int64) (dbsqlc.CartLine, error) {
	var (
		l   dbsqlc.CartLine
		err error
	)
	switch {
	case ref.AccountID != 0:
		l, err = s.q.LineByAccount(ctx, s.pool, dbsqlc.LineByAccountParams{ID: id, AccountID: ref.AccountID})
	case validToken(ref.Token):
		l, err = s.q.LineByToken(ctx, s.pool, dbsqlc.LineByTokenParams{ID: id, Token: ref.Token})
	default:
		return l, errLineNotFound(nil)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return l, errLineNotFound(err)
	}
	return l, interpretError(err, "cart line")
}

// lines returns the caller's lines in the order they were added.
func (s *Service) lines(ctx context.Context, ref Ref) ([]dbsqlc.CartLine, error) {
	var (
		rows []dbsqlc.CartLine
		err  error
	)
	switch {
	case ref.AccountID != 0:
		rows, err = s.q.LinesByAccount(ctx, s.pool, ref.AccountID)
	case validToken(ref.Token):
		rows, err = s.q.LinesByToken(ctx, s.pool, ref.Token)
	default:
		return nil, nil
	}
	return rows, interpretError(err, "cart")
}

func (s *Service) stockOf(ctx context.Context, id catalog.VariantID) (inventory.Stock, error) {
	m, err := s.stock.Availability(ctx, []int64{int64(id)})
	if err != nil {
		return inventory.Stock{}, err
	}
	return m[int64(id)], nil
}

// itemName names a variant in messages: the product, and the variant when the product
// has options ("Merino Hoodie (M / Navy)").
func itemName(p catalog.Product, v catalog.Variant) string {
	if len(p.Options) > 0 && v.Title != "" {
		return p.Title + " (" + v.Title + ")"
	}
	return p.Title
}

// describe fills a line with what the catalog says about its variant now.
func describe(l *Line, p catalog.Product, v catalog.Variant) {
	l.ProductSlug, l.ProductTitle, l.SKU, l.UnitPrice = p.Slug, p.Title, v.SKU, v.Price
	if len(p.Options) > 0 {
		l.VariantTitle = v.Title
	}
	names := map[int64]OptionValue{}
	for _, o := range p.Options {
		for _, ov := range o.Values {
			names[ov.ID] = OptionValue{Name: o.Name, Value: ov.Value}
		}
	}
	for _, id := range v.OptionValueIDs {
		if ov, ok := names[id]; ok {
			l.Options = append(l.Options, ov)
		}
	}
	l.Image = lineImage(p, v)
}

// lineImage is the first picture the product page shows for the variant: its colour's
// in the cart, else the product's general one. It returns a copy: the catalog's product
// is shared with its cache.
func lineImage(p catalog.Product, v catalog.Variant) *catalog.Image {
	imgs := p.ImagesFor(&v)
	if len(imgs) == 0 {
		return nil
	}
	img := imgs[0]
	return &img
}
