package orders

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/money"
)

func TestDiscountApply(t *testing.T) {
	t.Parallel()
	eur := func(m int64) money.Amount { return money.New(m, "EUR") }
	cases := []struct {
		name     string
		d        Discount
		subtotal int64
		want     int64
		wantFree bool
	}{
		// 10 % of 52.48 = 5.248 → 5.25 (0.8 of a cent rounds up)
		{"PercentRoundsUp", Discount{Kind: DiscountPercent, BasisPoints: 1000}, 5248, 525, false},
		// 15 % of 43.95 = 6.5925 → 6.59
		{"PercentRoundsDown", Discount{Kind: DiscountPercent, BasisPoints: 1500}, 4395, 659, false},
		// 12.5 % of 1.00 = 12.5 cents → 13 (exact half up)
		{"PercentExactHalf", Discount{Kind: DiscountPercent, BasisPoints: 1250}, 100, 13, false},
		// 0.01 % of 0.01 = 0.0001 cents → 0
		{"PercentTiny", Discount{Kind: DiscountPercent, BasisPoints: 1}, 1, 0, false},
		{"PercentAll", Discount{Kind: DiscountPercent, BasisPoints: 10000}, 4395, 4395, false},
		{"Fixed", Discount{Kind: DiscountFixed, Amount: eur(500)}, 5447, 500, false},
		{"FixedCappedAtSubtotal", Discount{Kind: DiscountFixed, Amount: eur(2000)}, 1200, 1200, false},
		{"FreeShipping", Discount{Kind: DiscountFreeShipping}, 1200, 0, true},
		{"MinimumMet", Discount{Kind: DiscountFixed, Amount: eur(500), MinSubtotal: eur(5000)}, 5000, 500, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			off, free, err := c.d.apply(eur(c.subtotal))
			require.NoError(t, err)
			require.Equal(t, c.want, off)
			require.Equal(t, c.wantFree, free)
		})
	}

	t.Run("ErrDiscountMinimum", func(t *testing.T) {
		t.Parallel()
		d := Discount{Code: "BIG", Kind: DiscountFreeShipping, MinSubtotal: eur(5000)}
		_, _, err := d.apply(eur(4999))
		require.ErrorIs(t, err, ErrDiscountMinimum)
		require.Equal(t, "The code BIG needs a subtotal of at least €50.00; your subtotal is €49.99.", apperr.MessageOf(err))
	})
}

func TestAllocate(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name    string
		total   int64
		weights []int64
		want    []int64
	}{
		// 100 over 3 × 1000: 33 each, remainders tie → the earliest line gets the cent.
		{"ThreeEqualLines", 100, []int64{1000, 1000, 1000}, []int64{34, 33, 33}},
		// 200 over 3 equal: 66 each, 2 left → the first two.
		{"ThreeEqualTwoLeft", 200, []int64{1000, 1000, 1000}, []int64{67, 67, 66}},
		// 100 over 100/200/400: 14 r200, 28 r400, 57 r100 → B gets the cent.
		{"Proportional", 100, []int64{100, 200, 400}, []int64{14, 29, 57}},
		// 525 over 3998/1250: 399 r4998, 125 r250 → the first.
		{"TwoLines", 525, []int64{3998, 1250}, []int64{400, 125}},
		// A free line never takes a share.
		{"ZeroWeightLine", 10, []int64{0, 3, 0, 7}, []int64{0, 3, 0, 7}},
		{"ZeroWeightLineWithRemainder", 5, []int64{0, 3, 0, 7}, []int64{0, 2, 0, 3}}, // 1.5 r, 3.5 r → tie → earlier (B) gets +1
		{"Everything", 700, []int64{100, 200, 400}, []int64{100, 200, 400}},
		{"Nothing", 0, []int64{100, 200}, []int64{0, 0}},
		{"AllFree", 0, []int64{0, 0}, []int64{0, 0}},
		{"Huge", math.MaxInt64 / 2, []int64{math.MaxInt64 / 2, math.MaxInt64 / 2}, []int64{math.MaxInt64/4 + 1, math.MaxInt64 / 4}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, c.want, allocate(c.total, c.weights))
		})
	}

	t.Run("SumsExactlyAndStaysWithinEachLine", func(t *testing.T) {
		t.Parallel()
		rng := rand.New(rand.NewPCG(7, 7))
		for range 20000 {
			ws := make([]int64, 1+rng.IntN(12))
			var sum int64
			for i := range ws {
				ws[i] = rng.Int64N(1_000_000)
				sum += ws[i]
			}
			total := rng.Int64N(sum + 1)
			parts := allocate(total, ws)
			var got int64
			for i, p := range parts {
				require.GreaterOrEqual(t, p, int64(0))
				require.LessOrEqual(t, p, ws[i])
				// Largest remainder never strays from floor(exact share) by more than the one
				// extra minor unit: p·Σw − total·w lies in (−Σw, Σw).
				diff := p*sum - total*ws[i] // < 2^40 × 2^24 here: no overflow
				require.Less(t, diff, sum)
				require.Greater(t, diff, -sum)
				got += p
			}
			require.Equal(t, total, got)
		}
	})
}
