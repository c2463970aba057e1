package payments_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/payments"
)

// TestCanMove pins the state machine: only forward moves, so late and duplicate events
// change nothing.
func TestCanMove(t *testing.T) {
	t.Parallel()
	all := []payments.State{payments.StatePending, payments.StateAuthorized, payments.StatePaid,
		payments.StatePartiallyRefunded, payments.StateRefunded, payments.StateFailed, payments.StateVoided}
	allowed := map[[2]payments.State]bool{
		{payments.StatePending, payments.StateAuthorized}:                  true,
		{payments.StatePending, payments.StatePaid}:                        true,
		{payments.StatePending, payments.StateFailed}:                      true,
		{payments.StatePending, payments.StateVoided}:                      true,
		{payments.StateAuthorized, payments.StatePaid}:                     true,
		{payments.StateAuthorized, payments.StateVoided}:                   true,
		{payments.StateFailed, payments.StateAuthorized}:                   true,
		{payments.StateFailed, payments.StatePaid}:                         true,
		{payments.StatePaid, payments.StatePartiallyRefunded}:              true,
		{payments.StatePaid, payments.StateRefunded}:                       true,
		{payments.StatePartiallyRefunded, payments.StatePartiallyRefunded}: true,
		{payments.StatePartiallyRefunded, payments.StateRefunded}:          true,
	}
	for _, from := range all {
		for _, to := range all {
			require.Equal(t, allowed[[2]payments.State{from, to}], payments.CanMove(from, to), "%s → %s", from, to)
		}
	}
}
