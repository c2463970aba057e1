package main

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMemoryLimit: an operator's SHOP_MEMORY_LIMIT wins, then GOMEMLIMIT, then 90% of
// the container's limit; with none of them the runtime is left alone.
func TestMemoryLimit(t *testing.T) {
	t.Parallel()
	const mib = 1 << 20
	for _, tc := range []struct {
		in   string
		want int64
	}{{"560MiB", 560 * mib}, {"2GiB", 2 << 30}, {"1TiB", 1 << 40}, {"734003200", 734003200}, {"64 MiB", 64 * mib}, {"off", 0}} {
		got, err := parseMemorySize(tc.in)
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got, tc.in)
	}
	for _, bad := range []string{"", "600MB", "-5MiB", "0", "lots", "9999999999TiB"} {
		_, err := parseMemorySize(bad)
		require.Error(t, err, bad)
	}
	cfg, err := LoadConfig(lookupFrom(map[string]string{"SHOP_MEMORY_LIMIT": "560MiB"}))
	require.NoError(t, err)
	require.True(t, cfg.MemoryLimitSet)
	require.Equal(t, int64(560*mib), cfg.MemoryLimit)

	none := int64(math.MaxInt64)
	limit, from := memoryLimit(560*mib, true, 900*mib, 1<<30)
	require.Equal(t, [2]any{int64(560 * mib), "SHOP_MEMORY_LIMIT"}, [2]any{limit, from})
	limit, from = memoryLimit(0, true, 900*mib, 1<<30)
	require.Equal(t, [2]any{int64(0), "SHOP_MEMORY_LIMIT"}, [2]any{limit, from}, "off lifts any other limit")
	limit, from = memoryLimit(0, false, 900*mib, 1<<30)
	require.Equal(t, [2]any{int64(900 * mib), "GOMEMLIMIT"}, [2]any{limit, from})
	limit, from = memoryLimit(0, false, none, 1000*mib)
	require.Equal(t, [2]any{int64(900 * mib), "container"}, [2]any{limit, from})
	_, from = memoryLimit(0, false, none, 0)
	require.Empty(t, from, "no limit anywhere: leave the runtime alone")

	files := map[string]string{}
	read := func(name string) ([]byte, error) {
		if v, ok := files[name]; ok {
			return []byte(v), nil
		}
		return nil, errors.New("no such file")
	}
	require.Zero(t, containerMemoryLimit(read), "not in a container")
	files["/sys/fs/cgroup/memory/memory.limit_in_bytes"] = "9223372036854771712\n"
	require.Zero(t, containerMemoryLimit(read), "cgroup v1 without a limit")
	files["/sys/fs/cgroup/memory/memory.limit_in_bytes"] = "536870912\n"
	require.Equal(t, int64(512*mib), containerMemoryLimit(read), "cgroup v1")
	files["/sys/fs/cgroup/memory.max"] = "max\n"
	require.Zero(t, containerMemoryLimit(read), "cgroup v2 without a limit")
	files["/sys/fs/cgroup/memory.max"] = "1073741824\n"
	require.Equal(t, int64(1<<30), containerMemoryLimit(read), "cgroup v2")
}
