package db

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestOffset(t *testing.T) {
	for _, tc := range []struct {
		page, per int
		want      int32
	}{
		{1, 50, 0}, {2, 50, 50}, {0, 50, 0}, {-3, 50, 0},
		{math.MaxInt32, 50, math.MaxInt32}, {math.MaxInt, 50, math.MaxInt32}, {42949674, 50, math.MaxInt32}, {42949673, 50, 2147483600},
	} {
		require.Equal(t, tc.want, Offset(tc.page, tc.per), "page %d of %d", tc.page, tc.per)
	}
}
