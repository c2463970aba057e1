package db_test

import (
	"net/url"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
)

// TestOpenPoolSize: the pool is small by default (a few connections per core keep the
// database's CPUs, not its scheduler, the queue), and an operator's pool_max_conns in
// DATABASE_URL wins over the default either way.
func TestOpenPoolSize(t *testing.T) {
	base := dbtest.URL(t)
	withParam := func(v string) string {
		u, err := url.Parse(base)
		require.NoError(t, err)
		q := u.Query()
		q.Set("pool_max_conns", v)
		u.RawQuery = q.Encode()
		return u.String()
	}
	cases := []struct {
		name string
		url  string
		opts db.PoolOptions
		want int32
	}{
		{"OKDefaultFourPerCore", base, db.PoolOptions{}, int32(4 * runtime.GOMAXPROCS(0))},
		{"OKURLSmaller", withParam("2"), db.PoolOptions{}, 2},
		{"OKURLLarger", withParam("40"), db.PoolOptions{}, 40},
		{"OKOptionsOverURL", withParam("40"), db.PoolOptions{MaxConns: 3}, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pool, err := db.Open(t.Context(), tc.url, tc.opts)
			require.NoError(t, err)
			t.Cleanup(pool.Close)
			require.Equal(t, tc.want, pool.Config().MaxConns)
		})
	}
}
