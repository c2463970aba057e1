package inventory_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// skuBook stands in for the catalog: it knows a few SKUs.
type skuBook map[string]int64

func (b skuBook) VariantsBySKU(_ context.Context, skus []string) (map[string]int64, error) {
	out := map[string]int64{}
	for _, s := range skus {
		if id, ok := b[strings.ToLower(s)]; ok {
			out[strings.ToLower(s)] = id
		}
	}
	return out, nil
}

var testSKUs = skuBook{"tee-s": 61, "tee-m": 62, "tee-l": 63}

func TestImportLevelsCSV(t *testing.T) {
	t.Parallel()

	// fixture: TEE-S has 5 at Location 1; Location 2 exists but is empty.
	fixture := func(t *testing.T) (*bundle, *inventory.Service) {
		b := setup(t)
		b.stock(t, 61, 5, 0)
		return b, b.svcs[0]
	}
	movements := func(t *testing.T, b *bundle, reason string) int {
		var n int
		require.NoError(t, b.pools[0].QueryRow(b.ctx, `SELECT count(*) FROM inventory.movements WHERE reason = $1`, reason).Scan(&n))
		return n
	}
	onHand := func(t *testing.T, svc *inventory.Service, variant int64) map[string]int {
		levels, err := svc.Levels(t.Context(), variant)
		require.NoError(t, err)
		out := map[string]int{}
		for _, l := range levels {
			out[l.LocationName] = l.OnHand
		}
		return out
	}
	const file = "sku,location,on_hand\nTEE-S,Location 1,8\ntee-m,location 2,3\nTEE-L,Location 1,0\n"

	t.Run("OKDryRunWritesNothing", func(t *testing.T) {
		t.Parallel()
		b, svc := fixture(t)
		rep, err := svc.ImportLevelsCSV(b.ctx, audit.Actor{ID: 9}, testSKUs, strings.NewReader(file), true)
		require.NoError(t, err)
		require.Empty(t, rep.Errors)
		require.False(t, rep.Applied)
		require.Equal(t, 3, rep.Rows)
		require.Equal(t, 2, rep.Changed)
		require.Equal(t, 1, rep.Unchanged, "TEE-L has nothing and the file says 0")
		require.Equal(t, []inventory.StockImportChange{
			{Line: 2, SKU: "TEE-S", Location: "Location 1", Before: 5, After: 8},
			{Line: 3, SKU: "tee-m", Location: "location 2", Before: 0, After: 3},
		}, rep.Changes)
		require.Equal(t, map[string]int{"Location 1": 5, "Location 2": 0}, onHand(t, svc, 61))
		require.Zero(t, movements(t, b, "import"))
	})

	t.Run("OKApplied", func(t *testing.T) {
		t.Parallel()
		b, svc := fixture(t)
		rep, err := svc.ImportLevelsCSV(b.ctx, audit.Actor{ID: 9}, testSKUs, strings.NewReader(file), false)
		require.NoError(t, err)
		require.Empty(t, rep.Errors)
		require.True(t, rep.Applied)
		require.Equal(t, 2, rep.Changed)
		require.Equal(t, map[string]int{"Location 1": 8, "Location 2": 0}, onHand(t, svc, 61))
		require.Equal(t, map[string]int{"Location 2": 3}, onHand(t, svc, 62))
		require.Equal(t, 2, movements(t, b, "import"), "one ledger entry per changed level, reason import")
		moves, err := svc.Movements(b.ctx, 61, 1)
		require.NoError(t, err)
		require.Equal(t, 3, moves[0].DeltaOnHand)
		require.Equal(t, int64(9), *moves[0].ActorID)
		b.checkLedger(t)

		again, err := svc.ImportLevelsCSV(b.ctx, audit.Actor{ID: 9}, testSKUs, strings.NewReader(file), false)
		require.NoError(t, err)
		require.False(t, again.Applied, "the same file again changes nothing")
		require.Equal(t, 3, again.Unchanged)
		require.Equal(t, 2, movements(t, b, "import"))
	})

	t.Run("ErrInvalidRowsNothingWritten", func(t *testing.T) {
		t.Parallel()
		b, svc := fixture(t)
		bad := "SKU,Location,On_Hand,comment\n" +
			"TEE-S,Location 1,9,fine\n" +
			"NOPE-1,Location 1,2,unknown sku\n" +
			"TEE-M,Location 1,lots,not a number\n" +
			"TEE-L,Attic,1,unknown location\n" +
			"TEE-M,Location 2,-1,negative\n" +
			"tee-s,location 1,4,twice\n"
		rep, err := svc.ImportLevelsCSV(b.ctx, audit.Actor{}, testSKUs, strings.NewReader(bad), false)
		require.NoError(t, err)
		require.False(t, rep.Applied)
		type problem struct {
			line int
			col  string
		}
		var got []problem
		for _, e := range rep.Errors {
			got = append(got, problem{e.Line, e.Column})
			require.NotEmpty(t, e.Message)
		}
		require.Equal(t, []problem{{3, "sku"}, {4, "on_hand"}, {5, "location"}, {6, "on_hand"}, {7, "sku"}}, got,
			"every problem of the file in one report, each by its line, in line order")
		require.Contains(t, rep.Errors[4].Message, "line 2", "a duplicate names the line it repeats")
		require.Zero(t, rep.Changed)
		require.Equal(t, map[string]int{"Location 1": 5, "Location 2": 0}, onHand(t, svc, 61), "the valid line 2 was not applied either")
		require.Zero(t, movements(t, b, "import"))
	})

	t.Run("ErrBelowReserved", func(t *testing.T) {
		t.Parallel()
		b, svc := fixture(t)
		require.NoError(t, db.InTx(b.ctx, b.pools[0], func(tx pgx.Tx) error {
			return svc.ReserveTx(b.ctx, tx, "order:1", []inventory.Line{{VariantID: 61, Quantity: 4}})
		}))
		rep, err := svc.ImportLevelsCSV(b.ctx, audit.Actor{}, testSKUs, strings.NewReader("sku,location,on_hand\nTEE-S,Location 1,3\n"), false)
		require.NoError(t, err)
		require.Len(t, rep.Errors, 1)
		require.Equal(t, 2, rep.Errors[0].Line)
		require.Contains(t, rep.Errors[0].Message, "Orders hold 4")
		require.Equal(t, 5, onHand(t, svc, 61)["Location 1"])
	})

	t.Run("ErrFileShape", func(t *testing.T) {
		t.Parallel()
		b, svc := fixture(t)
		for _, tc := range []struct{ name, file, want string }{
			{"Empty", "", "empty"},
			{"MissingColumn", "sku,location\nTEE-S,Location 1\n", "missing"},
			{"BrokenQuote", "sku,location,on_hand\nTEE-S,\"Location 1,4\n", "not valid CSV"},
		} {
			rep, err := svc.ImportLevelsCSV(b.ctx, audit.Actor{}, testSKUs, strings.NewReader(tc.file), false)
			require.NoError(t, err, tc.name)
			require.NotEmpty(t, rep.Errors, tc.name)
			require.Contains(t, rep.Errors[0].Message, tc.want, tc.name)
		}
		require.Zero(t, movements(t, b, "import"))
	})
}
