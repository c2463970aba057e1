package catalog

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestChangePayloads: a change naming many products is split into notifications Postgres
// accepts, each tagged with its writer, and every product arrives.
func TestChangePayloads(t *testing.T) {
	c := newCache(nil, nil, nil)
	ids := make([]ProductID, 5000)
	for i := range ids {
		ids[i] = ProductID(1_000_000 + i)
	}
	payloads := encodeChange(c.origin+originSep, ids)
	require.Greater(t, len(payloads), 1, "5,000 IDs do not fit one notification")
	replica := newCache(nil, nil, nil)
	for _, p := range payloads {
		require.LessOrEqual(t, len(p), notifyPayloadLimit)
		require.True(t, strings.HasPrefix(p, c.origin+originSep))
		replica.notice(p)
	}
	got := replica.takePending()
	require.False(t, got.all)
	require.Len(t, got.products, len(ids), "another replica hears of every product")

	// The writer applied the change when it committed: its own echo is not read again.
	for _, p := range payloads {
		c.notice(p)
	}
	own := c.takePending()
	require.True(t, own.empty())
	c.notice(c.origin + originSep + categoriesChanged)
	own = c.takePending()
	require.True(t, own.empty())
	replica.notice(c.origin + originSep + categoriesChanged)
	require.True(t, replica.takePending().categories)
	c.notice(everythingChanged)
	require.True(t, c.takePending().all, "a bulk load is read again by everyone")
}
