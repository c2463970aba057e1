// Package dbtest gives tests a real, migrated PostgreSQL database (DESIGN.md §7).
//
// Every package that uses it needs
//
//	func TestMain(m *testing.M) { dbtest.Main(m) }
//
// so that the private server started for the test binary is stopped and its files removed.
// Then Tx(t) is the fast default (a transaction rolled back after the test), DB(t) a fresh
// database for tests that must commit, and URL(t) a fresh database for tests that open
// their own pools (for example the whole app).
//
// The server is TEST_DATABASE_URL when set (any database on it; dbtest creates and drops
// its own, which needs PostgreSQL 13 or later and the right to create databases), else a
// private devdb cluster per test binary. Migrations are applied once per server into a
// template database named after their hash; every fresh database is a cheap clone of it.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/devdb"
	"github.com/monoshop/monoshop/migrations"
)

const (
	// templateSalt is hashed into the template name with the migrations: change it when the
	// way templates are built changes, so servers holding old templates rebuild them.
	templateSalt = "dbtest-template-v1"
	// templateLockKey serializes template builds across test binaries sharing one server
	// (`go test ./...` runs packages in parallel). Arbitrary, fixed ("monodbt1" in ASCII),
	// and distinct from the key db.Migrate takes.
	templateLockKey int64 = 0x6d6f6e6f64627431
	// sharedMaxConns bounds the pool behind Tx; each open Tx holds one connection for the
	// whole test.
	sharedMaxConns = 20
	setupTimeout   = 2 * time.Minute
	opTimeout      = 30 * time.Second
)

// harness is the state of this test binary: one server, one template, one shared
// database for Tx. It is package-level because it must outlive single tests and be
// reachable from Main, which tears it down after the last test; nothing else in the
// process shares it, and it is set once under mu and never reset.
var harness struct {
	mu      sync.Mutex
	mainRan bool
	started bool
	srv     *server
	err     error
}

type server struct {
	adminURL string
	cluster  *devdb.Cluster // nil when TEST_DATABASE_URL names the server
	dataDir  string         // the private cluster's files, removed at shutdown
	admin    *pgxpool.Pool  // on the admin database: CREATE and DROP DATABASE
	template string

	sharedOnce sync.Once
	shared     *pgxpool.Pool
	sharedName string
	sharedErr  error
}

// Main runs the tests, then stops the private server if this binary started one (or drops
// the shared database on TEST_DATABASE_URL), and exits with the tests' status.
func Main(m *testing.M) {
	harness.mu.Lock()
	harness.mainRan = true
	harness.mu.Unlock()

	code := m.Run()

	harness.mu.Lock()
	srv := harness.srv
	harness.mu.Unlock()
	if srv != nil {
		if err := srv.close(); err != nil {
			fmt.Fprintf(os.Stderr, "dbtest: shutdown: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
	}
	os.Exit(code)
}

// Tx returns a transaction on a database shared by this test binary, rolled back when the
// test ends. Tests using Tx at the same time see each other's locks but never each other's
// rows: use values unique to the test for unique columns, or a parallel test waits for the
// other's rollback. Commit fails, because a committed row would leak into other tests;
// nested transactions (Begin on the Tx, as db.InTx does) work as savepoints.
func Tx(t testing.TB) pgx.Tx {
	t.Helper()
	pool, err := get(t).sharedPool()
	if err != nil {
		t.Fatal(err)
	}
	tx, err := pool.Begin(t.Context())
	if err != nil {
		t.Fatalf("dbtest: begin: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		if err := tx.Rollback(ctx); err != nil && !errors.Is(err, pgx.ErrTxClosed) {
			t.Errorf("dbtest: roll back test transaction (rows left open?): %v", err)
		}
	})
	return noCommitTx{tx}
}

// noCommitTx keeps Tx's promise that nothing a test does reaches the shared database.
type noCommitTx struct{ pgx.Tx }

func (noCommitTx) Commit(context.Context) error {
	return errors.New("dbtest: a dbtest.Tx cannot commit (it is rolled back after the test); use dbtest.DB for tests that commit")
}

// DB returns a pool on a fresh migrated database of its own, closed and dropped when the
// test ends.
func DB(t testing.TB) *pgxpool.Pool {
	t.Helper()
	url := URL(t)
	pool, err := db.Open(t.Context(), url, db.PoolOptions{AppName: "dbtest"})
	if err != nil {
		t.Fatalf("dbtest: open test database: %v", err)
	}
	// Registered after URL's cleanup, so it runs before the database is dropped.
	t.Cleanup(func() {
		closed := make(chan struct{})
		go func() { pool.Close(); close(closed) }()
		select {
		case <-closed:
		case <-time.After(10 * time.Second):
			t.Errorf("dbtest: pool still busy 10s after the test: a connection or rows was never released")
		}
	})
	return pool
}

// URL creates a fresh migrated database and returns its connection string, for tests that
// open their own pools or start the whole app. The database is dropped when the test ends,
// even if connections to it are still open.
func URL(t testing.TB) string {
	t.Helper()
	s := get(t)
	name, err := s.createDatabase(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.dropDatabase(name); err != nil {
			t.Errorf("dbtest: %v", err)
		}
	})
	return s.url(name)
}

// get returns the harness, setting it up on first use. A failed setup is remembered, so
// the remaining tests fail at once instead of each retrying a slow start.
func get(t testing.TB) *server {
	t.Helper()
	harness.mu.Lock()
	defer harness.mu.Unlock()
	if !harness.mainRan {
		t.Fatal("dbtest: this package needs `func TestMain(m *testing.M) { dbtest.Main(m) }`, " +
			"which stops the test database server and removes its files after the tests")
	}
	if !harness.started {
		harness.started = true
		harness.srv, harness.err = setup()
	}
	if harness.err != nil {
		// Same rule as browser tests (DESIGN.md §7): skip on a bare laptop, fail in CI.
		if errors.Is(harness.err, devdb.ErrNoPostgres) && os.Getenv("SHOP_E2E") == "" && os.Getenv("CI") == "" {
			t.Skip(harness.err)
		}
		t.Fatal(harness.err)
	}
	return harness.srv
}

func setup() (_ *server, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	s := &server{adminURL: os.Getenv("TEST_DATABASE_URL")}
	defer func() {
		if err != nil {
			_ = s.close()
		}
	}()
	if s.adminURL == "" {
		if s.dataDir, err = os.MkdirTemp("", "dbtest-"); err != nil {
			return nil, fmt.Errorf("dbtest: create data dir: %w", err)
		}
		// MkdirTemp makes it 0700; under root the server runs as another user who must
		// reach it.
		if err := os.Chmod(s.dataDir, 0o755); err != nil {
			return nil, fmt.Errorf("dbtest: data dir: %w", err)
		}
		s.cluster, err = devdb.Start(ctx, devdb.Options{DataDir: s.dataDir, Database: "postgres", Fast: true})
		if err != nil {
			return nil, fmt.Errorf("dbtest: start a private PostgreSQL (or set TEST_DATABASE_URL): %w", err)
		}
		s.adminURL = s.cluster.AdminURL()
	} else if _, err := withDatabase(s.adminURL, "x"); err != nil {
		return nil, err
	}
	if s.admin, err = db.Open(ctx, s.adminURL, db.PoolOptions{AppName: "dbtest"}); err != nil {
		return nil, fmt.Errorf("dbtest: connect to %s: %w", s.describe(), err)
	}
	if s.template, err = templateName(); err != nil {
		return nil, err
	}
	if err := s.ensureTemplate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// close releases everything setup and the tests acquired; safe on a half-built server.
func (s *server) close() error {
	var errs []error
	if s.shared != nil {
		s.shared.Close()
		// A private cluster disappears whole; an external server keeps what we leave.
		if s.cluster == nil {
			if err := s.dropDatabase(s.sharedName); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if s.admin != nil {
		s.admin.Close()
	}
	if s.cluster != nil {
		if err := s.cluster.Stop(); err != nil {
			errs = append(errs, err)
		}
	}
	if s.dataDir != "" {
		if err := os.RemoveAll(s.dataDir); err != nil {
			errs = append(errs, fmt.Errorf("dbtest: remove %s: %w", s.dataDir, err))
		}
	}
	return errors.Join(errs...)
}

func (s *server) describe() string {
	if s.cluster != nil {
		return "the private test PostgreSQL"
	}
	return "the server in TEST_DATABASE_URL"
}

func (s *server) url(database string) string {
	u, _ := withDatabase(s.adminURL, database) // validated in setup
	return u
}

// ensureTemplate builds the template database unless an earlier run or a parallel test
// binary already did.
func (s *server) ensureTemplate(ctx context.Context) error {
	if ok, err := s.databaseExists(ctx, s.template); err != nil || ok {
		return err
	}
	conn, err := s.admin.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("dbtest: template: acquire connection: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", templateLockKey); err != nil {
		return fmt.Errorf("dbtest: template: take lock: %w", err)
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", templateLockKey)
	}()
	if ok, err := s.databaseExists(ctx, s.template); err != nil || ok {
		return err
	}

	// Built under another name and renamed when complete, so no binary ever clones a
	// half-migrated template. A leftover build is from a run that died; we hold the lock.
	build := s.template + "_build"
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(build)+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("dbtest: template: drop leftover build: %w", err)
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident(build)); err != nil {
		return fmt.Errorf("dbtest: template: create: %w", err)
	}
	pool, err := db.Open(ctx, s.url(build), db.PoolOptions{MaxConns: 2, AppName: "dbtest"})
	if err != nil {
		return fmt.Errorf("dbtest: template: connect: %w", err)
	}
	_, err = db.Migrate(ctx, pool, migrations.FS, slog.New(slog.DiscardHandler))
	// A template must have no connections left, or renaming and cloning it fail.
	pool.Close()
	if err != nil {
		return fmt.Errorf("dbtest: template: %w", err)
	}
	if err := retryInUse(ctx, func() error {
		_, err := conn.Exec(ctx, "ALTER DATABASE "+ident(build)+" RENAME TO "+ident(s.template))
		return err
	}); err != nil {
		return fmt.Errorf("dbtest: template: rename: %w", err)
	}
	// Marked as a template it can be cloned by any role with CREATEDB and cannot be dropped
	// by mistake.
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+ident(s.template)+" IS_TEMPLATE true"); err != nil {
		return fmt.Errorf("dbtest: template: mark: %w", err)
	}
	return nil
}

func (s *server) databaseExists(ctx context.Context, name string) (bool, error) {
	var ok bool
	err := s.admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("dbtest: look up database %s: %w", name, err)
	}
	return ok, nil
}

func (s *server) sharedPool() (*pgxpool.Pool, error) {
	s.sharedOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		if s.sharedName, s.sharedErr = s.createDatabase(ctx); s.sharedErr != nil {
			return
		}
		s.shared, s.sharedErr = db.Open(ctx, s.url(s.sharedName), db.PoolOptions{MaxConns: sharedMaxConns, AppName: "dbtest"})
		if s.sharedErr != nil {
			s.sharedErr = fmt.Errorf("dbtest: open shared database: %w", s.sharedErr)
		}
	})
	return s.shared, s.sharedErr
}

// createDatabase clones the template under a new random name.
func (s *server) createDatabase(ctx context.Context) (string, error) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	name := "t_" + hex.EncodeToString(b[:])
	err := retryInUse(ctx, func() error {
		_, err := s.admin.Exec(ctx, "CREATE DATABASE "+ident(name)+" TEMPLATE "+ident(s.template))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("dbtest: create database from template %s: %w", s.template, err)
	}
	return name, nil
}

func (s *server) dropDatabase(name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	// FORCE: a test that started the app may leave connections behind.
	if _, err := s.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(name)+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

// retryInUse retries fn while Postgres says a database is still being accessed: a backend
// whose client just disconnected lingers for a moment, and cloning or renaming a database
// fails while any session is connected to it.
func retryInUse(ctx context.Context, fn func() error) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := fn()
		var pgErr *pgconn.PgError
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code != "55006" || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// templateName names the template after everything that shapes its schema: our migration
// files and River's migrations (a River upgrade brings new ones).
func templateName() (string, error) {
	h := sha256.New()
	_, _ = io.WriteString(h, templateSalt)
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}
		_, _ = fmt.Fprintf(h, "\x00%s\x00%d\x00", path, len(b))
		_, _ = h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("dbtest: hash migrations: %w", err)
	}
	m, err := rivermigrate.New(riverpgxv5.New(nil), &rivermigrate.Config{
		Schema: db.RiverSchema, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		return "", fmt.Errorf("dbtest: hash river migrations: %w", err)
	}
	for _, v := range m.AllVersions() {
		_, _ = fmt.Fprintf(h, "\x00river\x00%d\x00%s", v.Version, v.SQLUp)
	}
	return "tmpl_" + hex.EncodeToString(h.Sum(nil))[:20], nil
}

// withDatabase points a connection string (URL or keyword/value form) at another database
// on the same server.
func withDatabase(connString, database string) (string, error) {
	if !strings.HasPrefix(connString, "postgres://") && !strings.HasPrefix(connString, "postgresql://") {
		// In keyword/value form the last setting wins.
		return connString + " dbname=" + database, nil
	}
	u, err := url.Parse(connString)
	if err != nil {
		// url's error repeats the string, password included.
		return "", errors.New("dbtest: TEST_DATABASE_URL is not a valid postgres:// URL")
	}
	if q := u.Query(); q.Has("dbname") || q.Has("database") {
		q.Del("dbname")
		q.Del("database")
		u.RawQuery = q.Encode()
	}
	u.Path, u.RawPath = "/"+database, ""
	return u.String(), nil
}

func ident(name string) string { return pgx.Identifier{name}.Sanitize() }
