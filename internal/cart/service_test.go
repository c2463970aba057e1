package cart_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/cart"
	"github.com/monoshop/monoshop/internal/cart/carttest"
	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/internal/platform/money"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

type bundle struct {
	ctx  context.Context
	shop *carttest.Shop
	svc  *cart.Service
	// items are four variants of different products, each with 10 in stock.
	items []carttest.Item
}

func setup(t *testing.T) *bundle {
	t.Helper()
	pool := dbtest.DB(t)
	shop := carttest.NewShop(t, pool, 6)
	b := &bundle{ctx: t.Context(), shop: shop, svc: cart.NewService(pool, shop.Catalog, shop.Inventory, nil)}
	b.items = shop.Items(t, 4)
	for _, it := range b.items {
		shop.Stock(t, it.ID(), 10)
	}
	return b
}

// guestWith adds (variant, quantity) pairs to a new guest cart and returns its ref.
func (b *bundle) guestWith(t *testing.T, adds ...any) cart.Ref {
	t.Helper()
	var ref cart.Ref
	for i := 0; i < len(adds); i += 2 {
		res, err := b.svc.Add(b.ctx, ref, adds[i].(catalog.VariantID), adds[i+1].(int))
		require.NoError(t, err)
		ref.Token = res.Token
	}
	return ref
}

// quantities is the cart as variant -> quantity.
func (b *bundle) quantities(t *testing.T, ref cart.Ref) map[catalog.VariantID]int {
	t.Helper()
	c, err := b.svc.View(b.ctx, ref)
	require.NoError(t, err)
	out := map[catalog.VariantID]int{}
	for _, l := range c.Lines {
		out[l.VariantID] = l.Quantity
	}
	return out
}

// name is how messages name an item: the product, with the variant when it has options.
func name(it carttest.Item) string {
	if len(it.Product.Options) > 0 {
		return it.Product.Title + " (" + it.Variant.Title + ")"
	}
	return it.Product.Title
}

func TestAdd(t *testing.T) {
	t.Parallel()

	t.Run("OKGuestCartCreatedThenSummed", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		a, c := b.items[0], b.items[1]
		res, err := b.svc.Add(b.ctx, cart.Ref{}, a.ID(), 2)
		require.NoError(t, err)
		require.Len(t, res.Token, 43, "32 random bytes, base64url")
		require.Equal(t, 2, res.Quantity)
		require.Empty(t, res.Notice)
		require.Equal(t, a.Product.Slug, res.ProductSlug)

		ref := cart.Ref{Token: res.Token}
		res2, err := b.svc.Add(b.ctx, ref, a.ID(), 3)
		require.NoError(t, err)
		require.Equal(t, res.Token, res2.Token, "the same cart")
		require.Equal(t, res.LineID, res2.LineID, "one line per variant")
		require.Equal(t, 5, res2.Quantity)
		_, err = b.svc.Add(b.ctx, ref, c.ID(), 1)
		require.NoError(t, err)

		require.Equal(t, map[catalog.VariantID]int{a.ID(): 5, c.ID(): 1}, b.quantities(t, ref))
		n, err := b.svc.Count(b.ctx, ref)
		require.NoError(t, err)
		require.Equal(t, 6, n)
	})

	t.Run("OKAccountCart", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		ref := cart.Ref{AccountID: 42}
		res, err := b.svc.Add(b.ctx, ref, b.items[0].ID(), 1)
		require.NoError(t, err)
		require.Empty(t, res.Token, "a customer's cart has no token")
		require.Equal(t, map[catalog.VariantID]int{b.items[0].ID(): 1}, b.quantities(t, ref))
		require.Empty(t, b.quantities(t, cart.Ref{AccountID: 43}), "another customer's cart is their own")
	})

	t.Run("OKCappedByStock", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		it := b.items[0]
		b.shop.Stock(t, it.ID(), 3)
		res, err := b.svc.Add(b.ctx, cart.Ref{}, it.ID(), 5)
		require.NoError(t, err)
		require.Equal(t, 3, res.Quantity)
		require.Contains(t, res.Notice, "Only 3 left of "+it.Product.Title)
		ref := cart.Ref{Token: res.Token}

		res, err = b.svc.Add(b.ctx, ref, it.ID(), 1)
		require.NoError(t, err)
		require.Equal(t, 3, res.Quantity)
		require.Contains(t, res.Notice, "your cart already has 3")
		require.Equal(t, map[catalog.VariantID]int{it.ID(): 3}, b.quantities(t, ref))
	})

	t.Run("OKCappedByLineMaximum", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		it := b.items[0]
		b.shop.Stock(t, it.ID(), 500)
		ref := b.guestWith(t, it.ID(), 98)
		res, err := b.svc.Add(b.ctx, ref, it.ID(), 5)
		require.NoError(t, err)
		require.Equal(t, cart.MaxLineQuantity, res.Quantity)
		require.Contains(t, res.Notice, "at most 99")
	})

	t.Run("OKBackorderBeyondStock", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		it := b.items[0]
		b.shop.Stock(t, it.ID(), 0)
		b.shop.Backorder(t, it.ID())
		ref := b.guestWith(t, it.ID(), 4)
		c, err := b.svc.View(b.ctx, ref)
		require.NoError(t, err)
		require.Equal(t, cart.LineBackorder, c.Lines[0].Status)
		require.Equal(t, 4, c.Lines[0].Quantity)
		require.Equal(t, 1, c.Purchasable)
	})

	t.Run("ErrBadQuantityCartUnchanged", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		ref := b.guestWith(t, b.items[0].ID(), 2)
		for _, qty := range []int{0, -1, 100, 1_000_000_000_000} {
			_, err := b.svc.Add(b.ctx, ref, b.items[1].ID(), qty)
			require.True(t, apperr.Is(err, apperr.Invalid), "qty %d: %v", qty, err)
			require.Equal(t, "Please enter a quantity from 1 to 99.", apperr.MessageOf(err))
		}
		require.Equal(t, map[catalog.VariantID]int{b.items[0].ID(): 2}, b.quantities(t, ref))
	})

	t.Run("ErrUnknownVariant", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		ref := b.guestWith(t, b.items[0].ID(), 1)
		_, err := b.svc.Add(b.ctx, ref, 987654321, 1)
		require.True(t, apperr.Is(err, apperr.NotFound), "%v", err)
		require.Equal(t, "This product is no longer available.", apperr.MessageOf(err))
		require.Equal(t, map[catalog.VariantID]int{b.items[0].ID(): 1}, b.quantities(t, ref))
	})

	t.Run("ErrArchivedVariant", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.shop.Archive(t, b.items[1].ID())
		_, err := b.svc.Add(b.ctx, cart.Ref{}, b.items[1].ID(), 1)
		require.True(t, apperr.Is(err, apperr.NotFound), "%v", err)
		require.Equal(t, "This product is no longer available.", apperr.MessageOf(err))
		require.Empty(t, carttest.CartIDs(t, b.shop.Pool), "a refused first add creates no cart")
	})

	t.Run("ErrOutOfStock", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.shop.Stock(t, b.items[2].ID(), 0)
		_, err := b.svc.Add(b.ctx, cart.Ref{}, b.items[2].ID(), 1)
		require.True(t, apperr.Is(err, apperr.Conflict), "%v", err)
		require.Contains(t, apperr.MessageOf(err), "is out of stock")
		require.Empty(t, carttest.CartIDs(t, b.shop.Pool))
	})

	t.Run("OKStaleTokenStartsANewCart", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		// A session still holding the token of a cart that was cleaned up.
		stale := cart.Ref{Token: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}
		res, err := b.svc.Add(b.ctx, stale, b.items[0].ID(), 1)
		require.NoError(t, err)
		require.NotEqual(t, stale.Token, res.Token, "a token is never reused")
	})

	t.Run("OKConcurrentAddsAllCount", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		it := b.items[0]
		b.shop.Stock(t, it.ID(), 90)
		ref := b.guestWith(t, it.ID(), 1)
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for range 40 {
			wg.Go(func() {
				_, err := b.svc.Add(b.ctx, ref, it.ID(), 1)
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		require.Equal(t, map[catalog.VariantID]int{it.ID(): 41}, b.quantities(t, ref), "no add lost to a race")
	})
}

func TestSetQuantityAndRemove(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		ref := b.guestWith(t, b.items[0].ID(), 1, b.items[1].ID(), 1)
		c, err := b.svc.View(b.ctx, ref)
		require.NoError(t, err)
		ch, err := b.svc.SetQuantity(b.ctx, ref, c.Lines[0].ID, 4)
		require.NoError(t, err)
		require.Equal(t, cart.Change{Quantity: 4}, ch)
		ch, err = b.svc.SetQuantity(b.ctx, ref, c.Lines[1].ID, 0)
		require.NoError(t, err, "0 removes")
		require.Zero(t, ch.Quantity)
		require.Equal(t, map[catalog.VariantID]int{b.items[0].ID(): 4}, b.quantities(t, ref))
		require.NoError(t, b.svc.Remove(b.ctx, ref, c.Lines[0].ID))
		require.Empty(t, b.quantities(t, ref))
	})

	t.Run("OKLoweredToStock", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		it := b.items[0]
		ref := b.guestWith(t, it.ID(), 1)
		b.shop.Stock(t, it.ID(), 2)
		c, err := b.svc.View(b.ctx, ref)
		require.NoError(t, err)
		ch, err := b.svc.SetQuantity(b.ctx, ref, c.Lines[0].ID, 5)
		require.NoError(t, err)
		require.Equal(t, 2, ch.Quantity)
		require.Contains(t, ch.Notice, "Only 2 left of")
	})

	t.Run("ErrBadQuantityCartUnchanged", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		ref := b.guestWith(t, b.items[0].ID(), 3)
		c, err := b.svc.View(b.ctx, ref)
		require.NoError(t, err)
		for _, qty := range []int{-1, 100, 1_000_000_000_000} {
			_, err := b.svc.SetQuantity(b.ctx, ref, c.Lines[0].ID, qty)
			require.True(t, apperr.Is(err, apperr.Invalid), "qty %d: %v", qty, err)
		}
		require.Equal(t, map[catalog.VariantID]int{b.items[0].ID(): 3}, b.quantities(t, ref))
	})

	t.Run("ErrLineOfAnotherCart", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		alice := b.guestWith(t, b.items[0].ID(), 2)
		bob := b.guestWith(t, b.items[1].ID(), 1)
		customer := cart.Ref{AccountID: 7}
		_, err := b.svc.Add(b.ctx, customer, b.items[2].ID(), 1)
		require.NoError(t, err)
		c, err := b.svc.View(b.ctx, alice)
		require.NoError(t, err)
		aliceLine := c.Lines[0].ID
		before := carttest.Lines(t, b.shop.Pool)

		for name, ref := range map[string]cart.Ref{"guest": bob, "customer": customer, "no cart": {}} {
			_, err := b.svc.SetQuantity(b.ctx, ref, aliceLine, 5)
			require.True(t, apperr.Is(err, apperr.NotFound), "%s: %v", name, err)
			require.Equal(t, "That item is not in your cart.", apperr.MessageOf(err))
			_, err = b.svc.SetQuantity(b.ctx, ref, aliceLine, 0)
			require.True(t, apperr.Is(err, apperr.NotFound), "%s: %v", name, err)
			err = b.svc.Remove(b.ctx, ref, aliceLine)
			require.True(t, apperr.Is(err, apperr.NotFound), "%s: %v", name, err)
		}
		require.Equal(t, before, carttest.Lines(t, b.shop.Pool), "no cart changed")
	})

	t.Run("ErrUnavailableLineCanOnlyBeRemoved", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		ref := b.guestWith(t, b.items[0].ID(), 2)
		b.shop.Archive(t, b.items[0].ID())
		c, err := b.svc.View(b.ctx, ref)
		require.NoError(t, err)
		_, err = b.svc.SetQuantity(b.ctx, ref, c.Lines[0].ID, 3)
		require.True(t, apperr.Is(err, apperr.Conflict), "%v", err)
		require.Equal(t, map[catalog.VariantID]int{b.items[0].ID(): 2}, b.quantities(t, ref))
		require.NoError(t, b.svc.Remove(b.ctx, ref, c.Lines[0].ID))
	})
}

func TestView(t *testing.T) {
	t.Parallel()

	t.Run("OKLivePricesAndDetails", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		a, c := b.items[0], b.items[1]
		ref := b.guestWith(t, a.ID(), 2, c.ID(), 1)
		b.shop.SetPrice(t, a.ID(), 1234)

		v, err := b.svc.View(b.ctx, ref)
		require.NoError(t, err)
		require.Len(t, v.Lines, 2)
		la := v.Lines[0]
		require.Equal(t, a.ID(), la.VariantID, "lines in the order they were added")
		require.Equal(t, cart.LineOK, la.Status)
		require.Empty(t, la.Notice)
		require.Equal(t, a.Product.Title, la.ProductTitle)
		require.Equal(t, a.Product.Slug, la.ProductSlug)
		require.Equal(t, a.Variant.SKU, la.SKU)
		require.Equal(t, int64(1234), la.UnitPrice.Minor, "the price is read live, never stored")
		require.Equal(t, int64(2468), la.LineTotal.Minor)
		require.NotEmpty(t, la.Options, "the variant's choices")
		require.Equal(t, 10, la.MaxQuantity)
		want, err := la.LineTotal.Add(c.Variant.Price)
		require.NoError(t, err)
		require.Equal(t, want, v.Subtotal)
		require.Equal(t, 3, v.Count)
	})

	t.Run("OKArchivedVariantFlaggedNotDropped", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		a, c := b.items[0], b.items[1]
		ref := b.guestWith(t, a.ID(), 2, c.ID(), 1)
		b.shop.Archive(t, a.ID())

		for range 2 { // and it stays flagged
			v, err := b.svc.View(b.ctx, ref)
			require.NoError(t, err)
			require.Len(t, v.Lines, 2, "the archived line stays")
			require.Equal(t, cart.LineUnavailable, v.Lines[0].Status)
			require.Equal(t, "No longer available", v.Lines[0].Notice)
			require.Equal(t, 2, v.Lines[0].Quantity)
			require.Equal(t, c.Variant.Price, v.Subtotal, "left out of the subtotal")
			require.Equal(t, 1, v.Purchasable)
			require.Equal(t, 3, v.Count)
		}
	})

	t.Run("OKQuantityLoweredToStockAndToldOnce", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		a := b.items[0]
		ref := b.guestWith(t, a.ID(), 5)
		b.shop.Stock(t, a.ID(), 2)
		var events []cart.CartUpdated
		b.svc.OnCartUpdated(func(_ context.Context, _ pgx.Tx, e cart.CartUpdated) error {
			events = append(events, e)
			return nil
		})

		v, err := b.svc.View(b.ctx, ref)
		require.NoError(t, err)
		require.Equal(t, cart.LineLowered, v.Lines[0].Status)
		require.Equal(t, "Only 2 left — quantity lowered", v.Lines[0].Notice)
		require.Equal(t, 2, v.Lines[0].Quantity)
		require.Equal(t, int64(2)*a.Variant.Price.Minor, v.Subtotal.Minor)
		require.Len(t, events, 1)
		require.Equal(t, "stock", events[0].Reason)

		v, err = b.svc.View(b.ctx, ref)
		require.NoError(t, err)
		require.Equal(t, cart.LineOK, v.Lines[0].Status, "the lowered quantity was kept")
		n, err := b.svc.Count(b.ctx, ref)
		require.NoError(t, err)
		require.Equal(t, 2, n)
	})

	t.Run("OKOutOfStockFlagged", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		a := b.items[0]
		ref := b.guestWith(t, a.ID(), 3)
		b.shop.Stock(t, a.ID(), 0)
		v, err := b.svc.View(b.ctx, ref)
		require.NoError(t, err)
		require.Equal(t, cart.LineOutOfStock, v.Lines[0].Status)
		require.Equal(t, "Out of stock", v.Lines[0].Notice)
		require.Equal(t, 3, v.Lines[0].Quantity, "kept for when it is back")
		require.Zero(t, v.Purchasable)
		require.Equal(t, money.Amount{}, v.Subtotal)
	})

	t.Run("OKContentsLeavesStockToTheReservation", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		a, c, gone := b.items[0], b.items[1], b.items[2]
		ref := b.guestWith(t, a.ID(), 5, c.ID(), 1, gone.ID(), 1)
		b.shop.Stock(t, a.ID(), 2)
		b.shop.Stock(t, c.ID(), 0)
		b.shop.Archive(t, gone.ID())

		v, err := b.svc.Contents(b.ctx, ref)
		require.NoError(t, err)
		require.Len(t, v.Lines, 3)
		require.Equal(t, cart.LineOK, v.Lines[0].Status, "stock is not looked at")
		require.Equal(t, 5, v.Lines[0].Quantity, "nor is the quantity lowered")
		require.Equal(t, cart.LineOK, v.Lines[1].Status)
		require.Equal(t, cart.LineUnavailable, v.Lines[2].Status, "a variant no longer sold is still flagged")
		require.Equal(t, 7, v.Count)
		n, err := b.svc.Count(b.ctx, ref)
		require.NoError(t, err)
		require.Equal(t, 7, n, "nothing was written")
	})

	t.Run("OKNoCart", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		for _, ref := range []cart.Ref{{}, {Token: "not-a-token"}, {AccountID: 99}} {
			v, err := b.svc.View(b.ctx, ref)
			require.NoError(t, err)
			require.Empty(t, v.Lines)
			n, err := b.svc.Count(b.ctx, ref)
			require.NoError(t, err)
			require.Zero(t, n)
		}
	})
}

func TestMergeOnSignIn(t *testing.T) {
	t.Parallel()

	t.Run("OKSummedAndCapped", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		a, c, d := b.items[0], b.items[1], b.items[2]
		const account = 501
		customer := cart.Ref{AccountID: account}
		for _, add := range []struct {
			id  catalog.VariantID
			qty int
		}{{a.ID(), 1}, {c.ID(), 3}} {
			_, err := b.svc.Add(b.ctx, customer, add.id, add.qty)
			require.NoError(t, err)
		}
		guest := b.guestWith(t, a.ID(), 2, c.ID(), 4, d.ID(), 1)
		b.shop.Stock(t, c.ID(), 5) // 3 + 4 asked, 5 left

		msgs, err := b.svc.MergeOnSignIn(b.ctx, guest.Token, account)
		require.NoError(t, err)
		require.Equal(t, []string{
			"We added the 7 items from your visit to your cart.",
			"Only 5 left of " + name(c) + " — quantity lowered",
		}, msgs)
		require.Equal(t, map[catalog.VariantID]int{a.ID(): 3, c.ID(): 5, d.ID(): 1}, b.quantities(t, customer))
		require.Empty(t, b.quantities(t, guest), "the guest cart is gone")
		require.Len(t, carttest.CartIDs(t, b.shop.Pool), 1)

		msgs, err = b.svc.MergeOnSignIn(b.ctx, guest.Token, account)
		require.NoError(t, err)
		require.Empty(t, msgs, "merging twice changes nothing")
		require.Equal(t, map[catalog.VariantID]int{a.ID(): 3, c.ID(): 5, d.ID(): 1}, b.quantities(t, customer))
	})

	t.Run("OKGuestCartBecomesTheCustomersFirst", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		guest := b.guestWith(t, b.items[0].ID(), 1)
		msgs, err := b.svc.MergeOnSignIn(b.ctx, guest.Token, 502)
		require.NoError(t, err)
		require.Equal(t, []string{"We added the 1 item from your visit to your cart."}, msgs)
		require.Equal(t, map[catalog.VariantID]int{b.items[0].ID(): 1}, b.quantities(t, cart.Ref{AccountID: 502}))
	})

	t.Run("OKLineMaximumAndArchivedCarriedOver", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		a, c := b.items[0], b.items[1]
		b.shop.Stock(t, a.ID(), 500)
		customer := cart.Ref{AccountID: 503}
		_, err := b.svc.Add(b.ctx, customer, a.ID(), 60)
		require.NoError(t, err)
		guest := b.guestWith(t, a.ID(), 60, c.ID(), 2)
		b.shop.Archive(t, c.ID())

		msgs, err := b.svc.MergeOnSignIn(b.ctx, guest.Token, 503)
		require.NoError(t, err)
		require.Len(t, msgs, 2)
		require.Contains(t, msgs[1], "at most 99")
		v, err := b.svc.View(b.ctx, customer)
		require.NoError(t, err)
		require.Len(t, v.Lines, 2, "nothing silently dropped")
		require.Equal(t, 99, v.Lines[0].Quantity)
		require.Equal(t, cart.LineUnavailable, v.Lines[1].Status)
	})

	t.Run("OKNoGuestCart", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		for _, token := range []string{"", "short", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
			msgs, err := b.svc.MergeOnSignIn(b.ctx, token, 504)
			require.NoError(t, err)
			require.Empty(t, msgs)
		}
		require.Empty(t, carttest.CartIDs(t, b.shop.Pool), "no empty customer cart is made")
	})
}

func TestEvents(t *testing.T) {
	t.Parallel()

	t.Run("OKEveryChangeAnnounced", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		var got []cart.CartUpdated
		b.svc.OnCartUpdated(func(_ context.Context, tx pgx.Tx, e cart.CartUpdated) error {
			require.NotNil(t, tx, "inside the change's transaction")
			got = append(got, e)
			return nil
		})
		ref := b.guestWith(t, b.items[0].ID(), 2)
		v, err := b.svc.View(b.ctx, ref)
		require.NoError(t, err)
		_, err = b.svc.SetQuantity(b.ctx, ref, v.Lines[0].ID, 3)
		require.NoError(t, err)
		require.NoError(t, b.svc.Remove(b.ctx, ref, v.Lines[0].ID))

		id := b.items[0].ID()
		require.Len(t, got, 3)
		require.Equal(t, "add", got[0].Reason)
		require.Equal(t, []cart.LineChange{{VariantID: id, Before: 0, After: 2}}, got[0].Lines)
		require.Equal(t, "quantity", got[1].Reason)
		require.Equal(t, []cart.LineChange{{VariantID: id, Before: 2, After: 3}}, got[1].Lines)
		require.Equal(t, "remove", got[2].Reason)
		require.Equal(t, []cart.LineChange{{VariantID: id, Before: 3, After: 0}}, got[2].Lines)
		require.Zero(t, got[0].AccountID)
		require.Equal(t, got[0].CartID, got[2].CartID)
	})

	t.Run("ErrHookFailureRollsBack", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		ref := b.guestWith(t, b.items[0].ID(), 1)
		boom := errors.New("subscriber failed")
		b.svc.OnCartUpdated(func(context.Context, pgx.Tx, cart.CartUpdated) error { return boom })
		_, err := b.svc.Add(b.ctx, ref, b.items[0].ID(), 1)
		require.ErrorIs(t, err, boom)
		require.Equal(t, map[catalog.VariantID]int{b.items[0].ID(): 1}, b.quantities(t, ref))
	})
}

func TestDeleteStaleGuestCarts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	old := b.guestWith(t, b.items[0].ID(), 1)
	fresh := b.guestWith(t, b.items[1].ID(), 1)
	customer := cart.Ref{AccountID: 600}
	_, err := b.svc.Add(b.ctx, customer, b.items[2].ID(), 1)
	require.NoError(t, err)
	_, err = b.shop.Pool.Exec(b.ctx, `UPDATE cart.carts SET updated_at = now() - interval '31 days' WHERE token = $1 OR account_id = 600`, old.Token)
	require.NoError(t, err)

	n, err := b.svc.DeleteStaleGuestCarts(b.ctx, time.Now().Add(-cart.GuestCartMaxAge))
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Empty(t, b.quantities(t, old), "the abandoned guest cart is gone, lines and all")
	require.Len(t, b.quantities(t, fresh), 1)
	require.Len(t, b.quantities(t, customer), 1, "a customer's cart is kept however old")

	var lines int
	require.NoError(t, b.shop.Pool.QueryRow(b.ctx, `SELECT count(*) FROM cart.lines`).Scan(&lines))
	require.Equal(t, 2, lines)
}

// TestCartTouchedAtMostHourly: a cart's last use moves when it is an hour old or more,
// so the month-old guest carts are still found, while the adds in between leave every
// indexed column alone (HOT updates, no index writes on the storefront's busiest write).
func TestCartTouchedAtMostHourly(t *testing.T) {
	t.Parallel()
	b := setup(t)
	guest := b.guestWith(t, b.items[0].ID(), 1)
	customer := cart.Ref{AccountID: 601}
	_, err := b.svc.Add(b.ctx, customer, b.items[0].ID(), 1)
	require.NoError(t, err)

	for _, ref := range []cart.Ref{guest, customer} {
		setUsed := func(ago string) time.Time {
			t.Helper()
			var at time.Time
			require.NoError(t, b.shop.Pool.QueryRow(b.ctx, `UPDATE cart.carts SET updated_at = now() - $3::interval
				WHERE token = $1 OR account_id = $2 RETURNING updated_at`, ref.Token, ref.AccountID, ago).Scan(&at))
			return at
		}
		used := func() time.Time {
			t.Helper()
			var at time.Time
			require.NoError(t, b.shop.Pool.QueryRow(b.ctx, `SELECT updated_at FROM cart.carts WHERE token = $1 OR account_id = $2`,
				ref.Token, ref.AccountID).Scan(&at))
			return at
		}

		recent := setUsed("40 minutes")
		_, err := b.svc.Add(b.ctx, ref, b.items[1].ID(), 1)
		require.NoError(t, err)
		require.True(t, used().Equal(recent), "used 40 minutes ago: an add leaves the time as it was")

		setUsed("61 minutes")
		_, err = b.svc.Add(b.ctx, ref, b.items[1].ID(), 1)
		require.NoError(t, err)
		require.WithinDuration(t, time.Now(), used(), time.Minute, "used over an hour ago: an add makes it now")
	}
}

// TestLineInAnotherCurrency: a line priced in another currency than the shop's (left by
// an import from before such prices were refused) cannot be added up with the rest. The
// cart still opens, sets the line aside as unavailable, totals the others, and lets the
// shopper remove it: it used to answer 500 and trap the shopper.
func TestLineInAnotherCurrency(t *testing.T) {
	t.Parallel()
	b := setup(t)
	good, foreign := b.items[0], b.items[1]
	ref := b.guestWith(t, good.ID(), 2, foreign.ID(), 1)
	shopCurrency := good.Variant.Price.Currency
	other := "USD"
	if shopCurrency == "USD" {
		other = "EUR"
	}
	_, err := b.shop.Pool.Exec(b.ctx, `UPDATE catalog.variants SET currency = $2 WHERE id = $1`, int64(foreign.ID()), other)
	require.NoError(t, err)
	b.shop.Catalog.Invalidate()

	c, err := b.svc.View(b.ctx, ref)
	require.NoError(t, err, "the cart opens")
	statuses := map[catalog.VariantID]cart.LineStatus{}
	for _, l := range c.Lines {
		statuses[l.VariantID] = l.Status
	}
	require.Equal(t, map[catalog.VariantID]cart.LineStatus{good.ID(): cart.LineOK, foreign.ID(): cart.LineUnavailable}, statuses)
	require.Equal(t, good.Variant.Price.Mul(2), c.Subtotal, "only the shop's currency is added up")
	require.Equal(t, 1, c.Purchasable)

	for _, l := range c.Lines {
		if l.VariantID == foreign.ID() {
			require.NoError(t, b.svc.Remove(b.ctx, ref, l.ID))
		}
	}
	require.Equal(t, map[catalog.VariantID]int{good.ID(): 2}, b.quantities(t, ref), "the shopper can take it out")
}
