package orders_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
)

// listSetup runs the orders service on a fresh database with stock of one variant. It
// returns a function placing an order for an email and shipping name, and one moving an
// order's placing time.
func listSetup(t *testing.T) (*orders.Service, *payments.Service, func(email, name string) orders.Order, func(number int64, at time.Time)) {
	t.Helper()
	pool := dbtest.DB(t)
	ctx := t.Context()
	inv := inventory.NewService(pool, nil)
	pay, err := payments.NewService(pool, nil, payments.Config{DefaultProvider: payments.ProviderManual})
	require.NoError(t, err)
	svc := orders.NewService(pool, nil, inv, pay, orders.Config{})
	pay.OnPaid(svc.MarkPaidTx)
	loc, err := inv.CreateLocation(ctx, "Main", 10)
	require.NoError(t, err)
	require.NoError(t, inv.Adjust(ctx, audit.Actor{}, variantID, loc.ID, 0, 1000, "delivery"))

	n := 0
	place := func(email, name string) orders.Order {
		t.Helper()
		n++
		in := input(fmt.Sprintf("list-%d", n))
		in.Email = email
		in.ShippingAddress = orders.AddressDetails{"name": name, "line1": "1 rue X", "city": "Paris", "country": "FR"}
		o, err := svc.PlaceOrder(ctx, in)
		require.NoError(t, err)
		return o
	}
	// placedAt moves an order's placing time: the database stamps it with now(), and a
	// date filter needs orders on other days.
	placedAt := func(number int64, at time.Time) {
		t.Helper()
		_, err := pool.Exec(ctx, `UPDATE orders.orders SET created_at = $1 WHERE number = $2`, at, number)
		require.NoError(t, err)
	}
	return svc, pay, place, placedAt
}

func numbers(list []orders.Order) []int64 {
	out := make([]int64, len(list))
	for i, o := range list {
		out[i] = o.Number
	}
	return out
}

func TestListOrders(t *testing.T) {
	t.Parallel()
	svc, pay, place, placedAt := listSetup(t)
	ctx := t.Context()
	ada := place("ada@example.com", "Ada Lovelace")
	bob := place("Bob@Example.org", "Bob Stone")
	cy := place("cy@example.com", "Cyrille 100%_Sure")
	day := func(d int) time.Time { return time.Date(2026, 3, d, 12, 0, 0, 0, time.UTC) }
	placedAt(ada.Number, day(1))
	placedAt(bob.Number, day(2))
	placedAt(cy.Number, day(3))
	_, err := pay.MarkPaidManually(ctx, payments.PaymentID(bob.PaymentID), audit.Actor{ID: 1})
	require.NoError(t, err)

	list := func(t *testing.T, f orders.ListFilter) ([]int64, int) {
		t.Helper()
		got, total, err := svc.ListOrders(ctx, f)
		require.NoError(t, err)
		return numbers(got), total
	}

	t.Run("OKNewestFirst", func(t *testing.T) {
		t.Parallel()
		got, total := list(t, orders.ListFilter{})
		require.Equal(t, []int64{cy.Number, bob.Number, ada.Number}, got)
		require.Equal(t, 3, total)
	})

	t.Run("OKPaginated", func(t *testing.T) {
		t.Parallel()
		got, total := list(t, orders.ListFilter{Page: 2, PerPage: 2})
		require.Equal(t, []int64{ada.Number}, got)
		require.Equal(t, 3, total, "the total counts every page")
		got, _ = list(t, orders.ListFilter{Page: 3, PerPage: 2})
		require.Empty(t, got)
	})

	t.Run("OKStatuses", func(t *testing.T) {
		t.Parallel()
		got, total := list(t, orders.ListFilter{PaymentStatus: orders.PaymentPaid})
		require.Equal(t, []int64{bob.Number}, got)
		require.Equal(t, 1, total)
		got, _ = list(t, orders.ListFilter{PaymentStatus: orders.PaymentPending, Status: orders.StatusOpen})
		require.Equal(t, []int64{cy.Number, ada.Number}, got)
		got, _ = list(t, orders.ListFilter{FulfillmentStatus: orders.FulfillmentFulfilled})
		require.Empty(t, got)
		got, _ = list(t, orders.ListFilter{Status: orders.StatusCancelled})
		require.Empty(t, got)
	})

	t.Run("OKUnknownValuesIgnored", func(t *testing.T) {
		t.Parallel()
		got, total := list(t, orders.ListFilter{Status: "shipped", PaymentStatus: "'; DROP TABLE", FulfillmentStatus: "x", Page: -4, PerPage: 100000})
		require.Len(t, got, 3)
		require.Equal(t, 3, total)
	})

	t.Run("OKDates", func(t *testing.T) {
		t.Parallel()
		from, to := day(2), day(3).Truncate(24*time.Hour)
		got, _ := list(t, orders.ListFilter{From: &from, To: &to})
		require.Equal(t, []int64{bob.Number}, got, "From is inclusive, To exclusive")
		got, _ = list(t, orders.ListFilter{From: &from})
		require.Equal(t, []int64{cy.Number, bob.Number}, got)
	})

	t.Run("OKSearchByNumber", func(t *testing.T) {
		t.Parallel()
		for _, q := range []string{strconv.FormatInt(bob.Number, 10), "#" + strconv.FormatInt(bob.Number, 10), " #" + strconv.FormatInt(bob.Number, 10) + " "} {
			got, total := list(t, orders.ListFilter{Query: q})
			require.Equal(t, []int64{bob.Number}, got, q)
			require.Equal(t, 1, total)
		}
		got, total := list(t, orders.ListFilter{Query: strconv.FormatInt(bob.Number, 10), PaymentStatus: orders.PaymentPending})
		require.Empty(t, got, "the other filters still apply")
		require.Zero(t, total)
		got, _ = list(t, orders.ListFilter{Query: "999999999999999999999999"})
		require.Empty(t, got)
		got, _ = list(t, orders.ListFilter{Query: "#4"})
		require.Empty(t, got)
	})

	t.Run("OKSearchByEmailOrName", func(t *testing.T) {
		t.Parallel()
		for q, want := range map[string][]int64{
			"bob@example.org": {bob.Number},
			"EXAMPLE.COM":     {cy.Number, ada.Number},
			"lovelace":        {ada.Number},
			"STONE":           {bob.Number},
			"100%_sure":       {cy.Number},
			"100%":            {cy.Number},
			"_":               {cy.Number},
			"nobody":          {},
		} {
			got, total := list(t, orders.ListFilter{Query: q})
			require.Equal(t, want, got, q)
			require.Equal(t, len(want), total, q)
		}
	})

	t.Run("OKCountsByStatus", func(t *testing.T) {
		t.Parallel()
		counts, err := svc.CountOrdersByStatus(ctx, orders.ListFilter{Status: orders.StatusCancelled})
		require.NoError(t, err)
		require.Equal(t, map[string]int{orders.StatusOpen: 3}, counts, "the status filter itself is left out")
		counts, err = svc.CountOrdersByStatus(ctx, orders.ListFilter{Query: "#" + strconv.FormatInt(ada.Number, 10)})
		require.NoError(t, err)
		require.Equal(t, map[string]int{orders.StatusOpen: 1}, counts)
	})
}
