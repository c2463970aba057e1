package main

import (
	"bytes"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/platform/dbtest"
)

// runShop runs one command in-process the way main does, with env as the whole
// environment.
func runShop(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(t.Context(), args, lookupFrom(env), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRun(t *testing.T) {
	t.Parallel()

	t.Run("OKHelpListsEverySetting", func(t *testing.T) {
		t.Parallel()
		code, stdout, stderr := runShop(t, nil, "help")
		require.Equal(t, 0, code)
		require.Empty(t, stderr)
		for _, s := range settings() {
			require.Contains(t, stdout, s.Name, "shop help documents %s", s.Name)
		}
		for _, cmd := range []string{"serve", "worker", "dev", "migrate", "seed", "dev-db", "version"} {
			require.Contains(t, stdout, "  "+cmd, "shop help lists the %s command", cmd)
		}
	})

	t.Run("OKNoArgumentsPrintsHelp", func(t *testing.T) {
		t.Parallel()
		code, stdout, _ := runShop(t, nil)
		require.Equal(t, 0, code)
		require.Contains(t, stdout, "DATABASE_URL")
	})

	t.Run("OKVersion", func(t *testing.T) {
		t.Parallel()
		code, stdout, _ := runShop(t, nil, "version")
		require.Equal(t, 0, code)
		require.Equal(t, "shop "+version+"\n", stdout)
	})

	t.Run("ErrUnknownCommand", func(t *testing.T) {
		t.Parallel()
		code, stdout, stderr := runShop(t, nil, "srve")
		require.Equal(t, 2, code)
		requireOperatorLine(t, stderr, `"srve"`)
		require.Contains(t, stderr, "shop help")
		require.Empty(t, stdout)
	})

	t.Run("ErrUnexpectedArgument", func(t *testing.T) {
		t.Parallel()
		code, _, stderr := runShop(t, map[string]string{"DATABASE_URL": "postgres://localhost/shop"}, "serve", "now")
		require.Equal(t, 2, code)
		requireOperatorLine(t, stderr, `"now"`)
	})

	t.Run("ErrMigrateUnknownAction", func(t *testing.T) {
		t.Parallel()
		code, _, stderr := runShop(t, nil, "migrate", "down")
		require.Equal(t, 2, code)
		requireOperatorLine(t, stderr, "migrate")
	})

	t.Run("ErrServeWithoutDatabaseURL", func(t *testing.T) {
		t.Parallel()
		// A production replica must never fall back to a throwaway embedded database.
		code, stdout, stderr := runShop(t, map[string]string{
			"SHOP_ADDR": "127.0.0.1:0", "SHOP_INTERNAL_ADDR": "", "SHOP_DATA_DIR": t.TempDir(),
		}, "serve")
		require.Equal(t, 2, code)
		requireOperatorLine(t, stderr, "DATABASE_URL")
		require.Empty(t, stdout)
	})

	for _, tc := range []struct{ name, query string }{
		// The URL an operator would write: pgx tries TLS, then plain, and fails twice.
		{"ErrDatabaseUnreachable", ""},
		// One attempt only: pgx's error has a single cause.
		{"ErrDatabaseUnreachableWithoutTLS", "?sslmode=disable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Nothing listens on the port.
			url := "postgres://shop:s3cret@" + freeAddr(t) + "/shop" + tc.query
			code, stdout, stderr := runShop(t, map[string]string{
				"DATABASE_URL": url, "SHOP_ADDR": "127.0.0.1:0", "SHOP_INTERNAL_ADDR": "",
			}, "serve")
			require.Equal(t, 2, code)
			requireOperatorLine(t, stderr, "DATABASE_URL")
			require.NotContains(t, stderr, "s3cret", "the password is never printed")
			require.Empty(t, stdout)
		})
	}

	t.Run("ErrAddrInUse", func(t *testing.T) {
		t.Parallel()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		t.Cleanup(func() { _ = ln.Close() })
		code, _, stderr := runShop(t, map[string]string{
			"DATABASE_URL": dbtest.URL(t), "SHOP_ADDR": ln.Addr().String(), "SHOP_INTERNAL_ADDR": "",
			"SHOP_LOG_LEVEL": "error",
		}, "serve")
		require.Equal(t, 2, code)
		requireOperatorLine(t, lastLine(stderr), "SHOP_ADDR")
	})
}

// lastLine returns the last line of s (with its newline): commands that get as far as
// starting log before they fail, and the operator's one-line verdict comes last.
func lastLine(s string) string {
	lines := strings.SplitAfter(strings.TrimSuffix(s, "\n"), "\n")
	return strings.TrimSuffix(lines[len(lines)-1], "\n") + "\n"
}
