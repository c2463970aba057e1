package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/payments/paymentstest"
	"github.com/monoshop/monoshop/web/webtest"
)

// raceSubmits posts forms[i] from browsers[i] all at once (each goroutine waits at a start
// barrier), and returns the answers in order.
func raceSubmits(t *testing.T, browsers []*browser, forms []url.Values) []response {
	t.Helper()
	results := make([]response, len(browsers))
	errs := make([]error, len(browsers))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range browsers {
		wg.Go(func() {
			<-start
			results[i], errs[i] = browsers[i].postNoFail(t.Context(), "/checkout", forms[i])
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "shopper %d", i)
	}
	return results
}

// TestCheckoutRaces proves the two concurrency claims of checkout against real HTTP
// clients, each with its own session: the last unit is sold once, and one form submitted
// many times places one order.
func TestCheckoutRaces(t *testing.T) {
	t.Parallel()

	t.Run("LastUnitSoldOnce", func(t *testing.T) {
		t.Parallel()
		f := checkoutSetup(t)
		it := f.items[0]
		f.setStock(t, it, 1)
		const shoppers = 20
		browsers := make([]*browser, shoppers)
		forms := make([]url.Values, shoppers)
		for i := range shoppers {
			browsers[i] = f.a.browser(t)
			require.Equal(t, http.StatusSeeOther, browsers[i].addFromProductPage(t, it, 1).status)
			fill := map[string]string{}
			for k, v := range guestAddress {
				fill[k] = v
			}
			fill["email"] = fmt.Sprintf("shopper%d@example.com", i)
			forms[i] = browsers[i].filledCheckout(t, fill)
			forms[i].Set("action", "place")
		}

		results := raceSubmits(t, browsers, forms)
		winner := -1
		for i, res := range results {
			require.Equal(t, http.StatusSeeOther, res.status, "shopper %d: %s", i, res.body)
			switch loc := res.header.Get("Location"); {
			case strings.HasPrefix(loc, "/pay/test/"):
				require.Equal(t, -1, winner, "shoppers %d and %d both got the last unit", winner, i)
				winner = i
			default:
				require.Equal(t, "/cart", loc, "shopper %d", i)
			}
		}
		require.NotEqual(t, -1, winner, "somebody gets the last unit")
		// While the winner pays, the others see the item reserved, not sold out.
		stockLabel := func() string {
			res := f.a.browser(t).send(t, http.MethodGet, "/p/"+it.p.Slug+"?variant="+it.id(), nil)
			require.Equal(t, http.StatusOK, res.status)
			return webtest.Text(parsePage(t, res.body).one("stock-status"))
		}
		require.Regexp(t, `^Reserved by other shoppers: check back in 1[45] minutes$`, stockLabel())

		op, _ := browsers[winner].orderPageAfterPaying(t,
			browsers[winner].payOnTestPage(t, results[winner].header.Get("Location"), paymentstest.CardSucceeds))
		require.Equal(t, "Paid", webtest.Text(op.one("payment-status")))

		variant := it.id()
		for i, b := range browsers {
			if i == winner {
				continue
			}
			lines, p := b.cartLines(t)
			require.Contains(t, flashes(p), "Sorry, "+it.p.Title+" is reserved by other shoppers who have not paid yet. "+
				"Check back in 15 minutes: what they do not buy goes back on sale.", "shopper %d", i)
			require.Contains(t, lines, variant, "shopper %d still has the item in their cart", i)
		}

		require.Equal(t, "Out of stock", stockLabel(), "paid: the unit is gone for good")
		require.Equal(t, placed{orders: 1, payments: 1, reservations: 1}, f.placed(t))
		var onHand, reserved int
		require.NoError(t, f.a.pool.QueryRow(t.Context(), `SELECT sum(on_hand), sum(reserved) FROM inventory.levels WHERE variant_id = $1`,
			int64(it.v.ID)).Scan(&onHand, &reserved))
		require.Equal(t, 1, onHand)
		require.Equal(t, 1, reserved, "the paid order holds the unit until it ships")
		require.Zero(t, f.count(t, `SELECT count(*) FROM inventory.levels WHERE on_hand < 0 OR reserved < 0 OR reserved > on_hand`))
	})

	t.Run("DoubleSubmitOneOrder", func(t *testing.T) {
		t.Parallel()
		f := checkoutSetup(t)
		b := f.a.browser(t)
		require.Equal(t, http.StatusSeeOther, b.addFromProductPage(t, f.items[1], 2).status)
		form := b.filledCheckout(t, guestAddress)
		form.Set("action", "place")
		const submits = 10
		browsers := make([]*browser, submits)
		forms := make([]url.Values, submits)
		for i := range submits {
			browsers[i], forms[i] = b, form
		}

		results := raceSubmits(t, browsers, forms)
		payPage := results[0].header.Get("Location")
		require.True(t, strings.HasPrefix(payPage, "/pay/test/"), "first answer: %d %s", results[0].status, payPage)
		for i, res := range results {
			require.Equal(t, http.StatusSeeOther, res.status, "submit %d: %s", i, res.body)
			require.Equal(t, payPage, res.header.Get("Location"), "submit %d leads to the same payment page", i)
		}
		require.Equal(t, placed{orders: 1, payments: 1, reservations: 1}, f.placed(t))

		_, orderURL := b.orderPageAfterPaying(t, b.payOnTestPage(t, payPage, paymentstest.CardSucceeds))
		// Once more after paying (the back button, then "Place order" again): the order page.
		res := b.send(t, http.MethodPost, "/checkout", form)
		require.Equal(t, http.StatusSeeOther, res.status, res.body)
		require.Equal(t, orderURL, res.header.Get("Location"))
		require.Equal(t, placed{orders: 1, payments: 1, reservations: 1}, f.placed(t))
	})
}
