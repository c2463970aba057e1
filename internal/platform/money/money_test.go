package money_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/platform/money"
)

func TestAmountString(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   money.Amount
		want string
	}{
		{money.New(1250, "usd"), "$12.50"},
		{money.New(5, "EUR"), "€0.05"},
		{money.New(0, "GBP"), "£0.00"},
		{money.New(-1999, "USD"), "-$19.99"},
		{money.New(1200, "JPY"), "¥1200"},
		{money.New(1234, "SEK"), "12.34 kr"},
		{money.New(1001, "BHD"), "1.001 BHD"},
		{money.New(700, "XYZ"), "7.00 XYZ"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, c.in.String())
	}
}

func TestParseDecimal(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		for in, want := range map[string]int64{"12": 1200, "12.5": 1250, "12.50": 1250, "0.01": 1, "-3.20": -320} {
			got, err := money.ParseDecimal(in, "EUR")
			require.NoError(t, err, in)
			require.Equal(t, money.New(want, "EUR"), got, in)
		}
		got, err := money.ParseDecimal("1200", "JPY")
		require.NoError(t, err)
		require.EqualValues(t, 1200, got.Minor)
	})

	t.Run("ErrMorePrecisionThanTheCurrencyHas", func(t *testing.T) {
		t.Parallel()
		for _, in := range []string{"12.345", "1.5"} {
			cur := "EUR"
			if in == "1.5" {
				cur = "JPY"
			}
			_, err := money.ParseDecimal(in, cur)
			require.Error(t, err, "%s %s must not be rounded silently", in, cur)
		}
	})

	t.Run("ErrNotANumber", func(t *testing.T) {
		t.Parallel()
		for _, in := range []string{"", "abc", "1.", ".5", "1e3", "12,50", "99999999999999999999"} {
			_, err := money.ParseDecimal(in, "EUR")
			require.Error(t, err, in)
		}
	})
}

func TestAdd(t *testing.T) {
	t.Parallel()
	sum, err := money.New(150, "EUR").Add(money.New(275, "EUR"))
	require.NoError(t, err)
	require.Equal(t, money.New(425, "EUR"), sum)

	_, err = money.New(1, "EUR").Add(money.New(1, "USD"))
	require.ErrorIs(t, err, money.ErrCurrencyMismatch)

	require.Equal(t, money.New(3000, "USD"), money.New(1000, "USD").Mul(3))
	require.Equal(t, "12.50", money.New(1250, "USD").Decimal())
}
