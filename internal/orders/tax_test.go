package orders

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/platform/money"
)

func TestRateFor(t *testing.T) {
	t.Parallel()
	rates := []TaxRate{
		{Country: "US", Region: "TX", Rate: 825, Name: "TX"},
		{Country: "ES", Rate: 2100, Name: "ES"},
		{Country: "ES", Region: "CN", Rate: 700, Name: "ES-CN"},
		{Country: "ES", Class: "reduced", Rate: 1000, Name: "ES reduced"},
		{Country: "ES", Region: "CN", Class: "reduced", Rate: 300, Name: "ES-CN reduced"},
		{Country: "DE", Rate: 1900, Name: "DE"},
		{Country: "DE", Rate: 1600, Name: "DE second, ignored"},
		{Country: "DE", Class: "exempt", Rate: 0, Name: "DE exempt"},
	}
	cases := []struct {
		name     string
		addr     Address
		class    string
		want     string
		wantRate int
		wantOK   bool
	}{
		{"CountryRate", Address{Country: "ES"}, "", "ES", 2100, true},
		{"RegionOverridesCountry", Address{Country: "ES", Region: "CN"}, "", "ES-CN", 700, true},
		{"CaseInsensitive", Address{Country: "es", Region: "cn"}, "", "ES-CN", 700, true},
		{"RegionWithoutOwnRateUsesCountry", Address{Country: "ES", Region: "MD"}, "", "ES", 2100, true},
		{"ClassAtRegion", Address{Country: "ES", Region: "CN"}, "reduced", "ES-CN reduced", 300, true},
		{"ClassAtCountry", Address{Country: "ES", Region: "MD"}, "reduced", "ES reduced", 1000, true},
		{"ClassMissingFallsBackToStandard", Address{Country: "DE"}, "reduced", "DE", 1900, true},
		{"ZeroRateIsARate", Address{Country: "DE"}, "exempt", "DE exempt", 0, true},
		{"FirstMatchWins", Address{Country: "DE", Region: "BY"}, "", "DE", 1900, true},
		{"RegionOnlyCountryWithoutRegion", Address{Country: "US"}, "", "", 0, false},
		{"RegionOnlyCountryOtherRegion", Address{Country: "US", Region: "NH"}, "", "", 0, false},
		{"UnknownCountry", Address{Country: "JP"}, "", "", 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, ok := RateFor(rates, c.addr, c.class)
			require.Equal(t, c.wantOK, ok)
			require.Equal(t, c.want, got.Name)
			require.Equal(t, c.wantRate, got.Rate)
		})
	}
}

func TestTaxOn(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		amount int64
		rate   int
		mode   TaxMode
		want   int64
	}{
		// 11.99 incl. 20 %: 1199 × 2000 / 12000 = 199.83 → 200
		{"Inclusive20", 1199, 2000, PricesIncludeTax, 200},
		// 10.00 incl. 8.25 %: 1000 × 825 / 10825 = 76.21 → 76
		{"Inclusive825", 1000, 825, PricesIncludeTax, 76},
		// 0.03 incl. 20 %: 3 / 6 = 0.5 → 1 (half up)
		{"InclusiveHalf", 3, 2000, PricesIncludeTax, 1},
		// 10.00 excl. 8.25 %: 1000 × 825 / 10000 = 82.5 → 83 (half up)
		{"ExclusiveHalf", 1000, 825, PricesExcludeTax, 83},
		// 9.99 excl. 8.25 %: 999 × 825 / 10000 = 82.4175 → 82
		{"ExclusiveBelowHalf", 999, 825, PricesExcludeTax, 82},
		{"ZeroRate", 1000, 0, PricesExcludeTax, 0},
		{"ZeroAmount", 0, 2000, PricesIncludeTax, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := TaxOn(money.New(c.amount, "EUR"), c.rate, c.mode)
			require.NoError(t, err)
			require.Equal(t, money.New(c.want, "EUR"), got)
		})
	}

	t.Run("ErrNegativeAmount", func(t *testing.T) {
		t.Parallel()
		_, err := TaxOn(money.New(-1, "EUR"), 2000, PricesIncludeTax)
		require.Error(t, err)
	})
	t.Run("ErrUnknownMode", func(t *testing.T) {
		t.Parallel()
		_, err := TaxOn(money.New(1, "EUR"), 2000, "gross")
		require.Error(t, err)
	})
}

func TestMulDivHalfUp(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		cases := []struct{ a, b, c, want int64 }{
			{5, 1, 2, 3},   // 2.5 → 3
			{-5, 1, 2, -3}, // −2.5 → −3: half away from zero
			{5, -1, 2, -3}, // sign from either factor
			{7, 1, 3, 2},   // 2.33 → 2
			{8, 1, 3, 3},   // 2.67 → 3
			{-7, 1, 3, -2}, // −2.33 → −2
			{0, 99, 7, 0},  //
			{1, 1, 1, 1},   //
			{math.MaxInt64, math.MaxInt64, math.MaxInt64, math.MaxInt64}, // product needs 126 bits
			{math.MaxInt64, 2000, 12000, 1537228672809129301},            // (2^63−1)/6 = …300.83 → …301
			{math.MinInt64, 1, 1, math.MinInt64},
			{math.MinInt64, 1, 2, math.MinInt64 / 2},
		}
		for _, c := range cases {
			got, ok := mulDivHalfUp(c.a, c.b, c.c)
			require.True(t, ok, "%d × %d / %d", c.a, c.b, c.c)
			require.Equal(t, c.want, got, "%d × %d / %d", c.a, c.b, c.c)
		}
	})

	t.Run("ErrOverflow", func(t *testing.T) {
		t.Parallel()
		for _, c := range [][3]int64{
			{math.MaxInt64, 2, 1},
			{math.MinInt64, -1, 1}, // +2^63 does not fit
			{math.MaxInt64, math.MaxInt64, 1},
			{1, 1, 0},
			{1, 1, -1},
		} {
			_, ok := mulDivHalfUp(c[0], c[1], c[2])
			require.False(t, ok, "%v", c)
		}
	})

	t.Run("MatchesBigInt", func(t *testing.T) {
		t.Parallel()
		rng := rand.New(rand.NewPCG(1, 2))
		for range 100000 {
			a, b, c := rng.Int64()>>rng.IntN(63), rng.Int64()>>rng.IntN(63), 1+rng.Int64N(math.MaxInt64)>>rng.IntN(63)
			if rng.IntN(2) == 0 {
				a = -a
			}
			want, wantOK := bigMulDivHalfUp(a, b, c)
			got, ok := mulDivHalfUp(a, b, c)
			require.Equal(t, wantOK, ok, "%d × %d / %d", a, b, c)
			if ok {
				require.Equal(t, want, got, "%d × %d / %d", a, b, c)
			}
		}
	})
}

// bigMulDivHalfUp is the definition with arbitrary precision: |a·b| / c rounded half-up,
// sign restored (half away from zero).
func bigMulDivHalfUp(a, b, c int64) (int64, bool) {
	p := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	neg := p.Sign() < 0
	p.Abs(p)
	q, r := new(big.Int).QuoRem(p, big.NewInt(c), new(big.Int))
	if r.Lsh(r, 1).Cmp(big.NewInt(c)) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return q.Int64(), q.IsInt64()
}
