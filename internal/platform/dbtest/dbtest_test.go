package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/platform/db"
)

func TestMain(m *testing.M) { Main(m) }

// querier is what pools, connections and transactions have in common here.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func newSlug() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "p-" + hex.EncodeToString(b[:])
}

func insertProduct(t *testing.T, q querier, slug string) {
	t.Helper()
	var id int64
	require.NoError(t, q.QueryRow(t.Context(),
		"INSERT INTO catalog.products (slug, title) VALUES ($1, 'Test product') RETURNING id", slug).Scan(&id))
}

// countProducts counts the products with slug, or all of them when slug is empty.
func countProducts(t *testing.T, q querier, slug string) int {
	t.Helper()
	var n int
	require.NoError(t, q.QueryRow(t.Context(),
		"SELECT count(*) FROM catalog.products WHERE $1 = '' OR slug = $1", slug).Scan(&n))
	return n
}

func databaseExists(t *testing.T, name string) bool {
	t.Helper()
	ok, err := get(t).databaseExists(t.Context(), name)
	require.NoError(t, err)
	return ok
}

func currentDatabase(t *testing.T, q querier) string {
	t.Helper()
	var name string
	require.NoError(t, q.QueryRow(t.Context(), "SELECT current_database()").Scan(&name))
	return name
}

func TestTx(t *testing.T) {
	t.Parallel()

	t.Run("RolledBack", func(t *testing.T) {
		t.Parallel()
		slug := newSlug()
		t.Run("Insert", func(t *testing.T) {
			tx := Tx(t)
			insertProduct(t, tx, slug)
			require.Equal(t, 1, countProducts(t, tx, slug))
		})
		require.Equal(t, 0, countProducts(t, Tx(t), slug), "the row must be gone once its test ended")
	})

	t.Run("Isolated", func(t *testing.T) {
		t.Parallel()
		slug := newSlug()
		tx1, tx2 := Tx(t), Tx(t)
		require.Equal(t, currentDatabase(t, tx1), currentDatabase(t, tx2), "Tx shares one database")
		insertProduct(t, tx1, slug)
		require.Equal(t, 0, countProducts(t, tx2, slug))
	})

	t.Run("NestedCommitIsSavepoint", func(t *testing.T) {
		t.Parallel()
		tx := Tx(t)
		slug := newSlug()
		require.NoError(t, db.InTx(t.Context(), tx, func(inner pgx.Tx) error {
			insertProduct(t, inner, slug)
			return nil
		}))
		require.Equal(t, 1, countProducts(t, tx, slug))
	})

	t.Run("ErrCommit", func(t *testing.T) {
		t.Parallel()
		tx := Tx(t)
		require.ErrorContains(t, tx.Commit(t.Context()), "use dbtest.DB")
	})
}

func TestDB(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		pool := DB(t)
		require.True(t, strings.HasPrefix(currentDatabase(t, pool), "t_"))
		require.Equal(t, 0, countProducts(t, pool, ""), "a fresh database is migrated and empty")
		var riverTable bool
		require.NoError(t, pool.QueryRow(t.Context(), "SELECT to_regclass('river.river_job') IS NOT NULL").Scan(&riverTable))
		require.True(t, riverTable, "River's migrations are applied too")
	})

	t.Run("Isolated", func(t *testing.T) {
		t.Parallel()
		a, b := DB(t), DB(t)
		slug := newSlug()
		insertProduct(t, a, slug)
		require.Equal(t, 1, countProducts(t, a, ""))
		require.Equal(t, 0, countProducts(t, b, ""))
	})

	t.Run("DroppedAtCleanup", func(t *testing.T) {
		t.Parallel()
		var name string
		t.Run("Use", func(t *testing.T) {
			name = currentDatabase(t, DB(t))
			require.True(t, databaseExists(t, name))
		})
		require.False(t, databaseExists(t, name))
	})

	t.Run("ManyInParallel", func(t *testing.T) {
		t.Parallel()
		for i := range 6 {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				pool := DB(t)
				insertProduct(t, pool, newSlug())
				require.Equal(t, 1, countProducts(t, pool, ""))
			})
		}
	})
}

func TestURL(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		url := URL(t)
		pool, err := db.Open(t.Context(), url, db.PoolOptions{})
		require.NoError(t, err)
		defer pool.Close()
		require.Equal(t, 0, countProducts(t, pool, ""))
	})

	t.Run("DroppedWithOpenConnections", func(t *testing.T) {
		t.Parallel()
		var name string
		var conn *pgx.Conn
		t.Run("Use", func(t *testing.T) {
			var err error
			conn, err = pgx.Connect(t.Context(), URL(t))
			require.NoError(t, err)
			t.Cleanup(func() { _ = conn.Close(context.Background()) })
			name = currentDatabase(t, conn)
		})
		require.False(t, databaseExists(t, name))
		require.Error(t, conn.Ping(t.Context()), "the leftover connection was terminated")
	})
}

func TestTemplate(t *testing.T) {
	t.Parallel()

	name, err := templateName()
	require.NoError(t, err)
	again, err := templateName()
	require.NoError(t, err)
	require.Equal(t, name, again, "the name depends only on the migrations")

	s := get(t)
	require.Equal(t, name, s.template)
	var isTemplate bool
	var conns int
	require.NoError(t, s.admin.QueryRow(t.Context(),
		`SELECT d.datistemplate, (SELECT count(*) FROM pg_stat_activity a WHERE a.datname = d.datname)
		 FROM pg_database d WHERE d.datname = $1`, name).Scan(&isTemplate, &conns))
	require.True(t, isTemplate)
	require.Zero(t, conns, "nothing may stay connected to the template, or cloning fails")
	require.False(t, databaseExists(t, name+"_build"))
}

func TestWithDatabase(t *testing.T) {
	t.Parallel()

	for _, tc := range []struct{ name, in string }{
		{"URL", "postgres://u:p%40ss@db.example:5433/orig?sslmode=disable"},
		{"URLDbnameParam", "postgresql://u@db.example/orig?dbname=other&sslmode=disable"},
		{"SocketURL", "postgres:///orig?host=/tmp/x/run&user=shop&sslmode=disable"},
		{"KeywordValue", "host=db.example port=5433 user=u dbname=orig sslmode=disable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := withDatabase(tc.in, "t_abc")
			require.NoError(t, err)
			want, err := pgx.ParseConfig(tc.in)
			require.NoError(t, err)
			got, err := pgx.ParseConfig(out)
			require.NoError(t, err)
			require.Equal(t, "t_abc", got.Database)
			require.Equal(t, want.Host, got.Host)
			require.Equal(t, want.Port, got.Port)
			require.Equal(t, want.User, got.User)
			require.Equal(t, want.Password, got.Password)
		})
	}

	t.Run("ErrInvalidURL", func(t *testing.T) {
		t.Parallel()
		_, err := withDatabase("postgres://u:secret@db:bad port/x", "t_abc")
		require.Error(t, err)
		require.NotContains(t, err.Error(), "secret", "the error must not echo the password")
	})
}
