package catalog

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOptionValueOrder: sizes sort as a shopper reads them, whatever position each
// product gave them; other values keep their position.
func TestOptionValueOrder(t *testing.T) {
	sortByOrder := func(values []string, positions []int) []string {
		out := slices.Clone(values)
		order := map[string]int64{}
		for i, v := range values {
			order[v] = optionValueOrder(v, positions[i])
		}
		slices.SortStableFunc(out, func(a, b string) int { return int(order[a] - order[b]) })
		return out
	}
	// Positions as two products would give them: one starting at S, one at XS.
	require.Equal(t,
		[]string{"XXS", "XS", "S", "M", "L", "XL", "XXL", "3XL"},
		sortByOrder([]string{"S", "XL", "XS", "M", "3XL", "L", "XXL", "XXS"}, []int{0, 3, 0, 1, 5, 2, 4, 0}))
	require.Equal(t,
		[]string{"6", "9.5", "10", "10.5", "42", "One Size"},
		sortByOrder([]string{"10", "42", "One Size", "9.5", "10.5", "6"}, []int{0, 0, 0, 0, 0, 0}))
	require.Equal(t,
		[]string{"Navy", "Black", "Olive"},
		sortByOrder([]string{"Black", "Olive", "Navy"}, []int{1, 2, 0}))
	require.Equal(t, optionValueOrder("xl", 4), optionValueOrder("XL", 0), "case and position do not matter for sizes")
}
