package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/migrations"
)

// shopProcess is `shop` running as a real process, as an orchestrator starts it.
type shopProcess struct {
	cmd            *exec.Cmd
	base           string // http://SHOP_ADDR
	stdout, stderr *syncBuffer
	exited         chan struct{}
	waitErr        error
}

// processEnv is the whole environment of a shop process: nothing leaks in from the
// test's own environment except what finding programs needs.
func processEnv(vars map[string]string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	return env
}

func startShop(t *testing.T, bin string, vars map[string]string, args ...string) *shopProcess {
	t.Helper()
	p := &shopProcess{
		cmd:    exec.Command(bin, args...),
		base:   "http://" + vars["SHOP_ADDR"],
		stdout: &syncBuffer{},
		stderr: &syncBuffer{},
		exited: make(chan struct{}),
	}
	p.cmd.Env = processEnv(vars)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	require.NoError(t, p.cmd.Start())
	go func() {
		p.waitErr = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
			return
		default:
		}
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
		if t.Failed() {
			t.Logf("shop %v stderr:\n%s", args, p.stderr.String())
		}
	})
	return p
}

// waitExit waits for the process to end and returns its exit status.
func (p *shopProcess) waitExit(t *testing.T, timeout time.Duration) int {
	t.Helper()
	select {
	case <-p.exited:
	case <-time.After(timeout):
		t.Fatalf("shop did not exit within %s; stderr:\n%s", timeout, p.stderr.String())
	}
	var exit *exec.ExitError
	if errors.As(p.waitErr, &exit) {
		return exit.ExitCode()
	}
	require.NoError(t, p.waitErr)
	return 0
}

var probeClient = &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}

// readyz returns the status of /readyz, or 0 when nothing answers.
func (p *shopProcess) readyz() int {
	res, err := probeClient.Get(p.base + "/readyz")
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()
	return res.StatusCode
}

// waitReady polls /readyz like a load balancer until it says 200.
func (p *shopProcess) waitReady(t *testing.T, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for p.readyz() != http.StatusOK {
		select {
		case <-p.exited:
			t.Fatalf("shop exited before it was ready (%v); stderr:\n%s", p.waitErr, p.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("shop not ready within %s; stderr:\n%s", timeout, p.stderr.String())
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// runShopBinary runs one command of the binary to completion.
func runShopBinary(t *testing.T, bin string, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	p := startShop(t, bin, vars, args...)
	code = p.waitExit(t, 30*time.Second)
	return code, p.stdout.String(), p.stderr.String()
}

// buildShop compiles this package into dir, as `make` would ship it.
func buildShop(t *testing.T, dir string) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	bin := filepath.Join(dir, "shop")
	cmd := exec.Command(goBin, "build", "-o", bin, ".")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// emptyDatabase creates a database with nothing in it (no migrations), dropped at cleanup,
// and returns its URL.
func emptyDatabase(t *testing.T) string {
	t.Helper()
	admin := dbtest.DB(t)
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "empty_" + hex.EncodeToString(b[:])
	ident := pgx.Identifier{name}.Sanitize()
	_, err := admin.Exec(t.Context(), "CREATE DATABASE "+ident)
	require.NoError(t, err)
	// Registered after dbtest's cleanups, so it runs before the admin pool closes; and
	// before it the processes are stopped.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})

	conn := admin.Config().ConnString()
	if !strings.HasPrefix(conn, "postgres://") && !strings.HasPrefix(conn, "postgresql://") {
		return conn + " dbname=" + name // keyword/value form: the last setting wins
	}
	u, err := url.Parse(conn)
	require.NoError(t, err)
	q := u.Query()
	q.Del("dbname")
	q.Del("database")
	u.RawQuery = q.Encode()
	u.Path, u.RawPath = "/"+name, ""
	return u.String()
}

// migrationVersions lists the goose versions embedded in the binary.
func migrationVersions(t *testing.T) []int64 {
	t.Helper()
	re := regexp.MustCompile(`^(\d+)_.*\.sql$`)
	var out []int64
	require.NoError(t, fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if m := re.FindStringSubmatch(filepath.Base(path)); m != nil {
			v, err := strconv.ParseInt(m[1], 10, 64)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	}))
	require.NotEmpty(t, out)
	slices.Sort(out)
	return out
}

func TestProcess(t *testing.T) {
	t.Parallel()
	bin := buildShop(t, t.TempDir())

	t.Run("OKGracefulShutdownOnSIGTERM", func(t *testing.T) {
		t.Parallel()
		const drain = time.Second
		p := startShop(t, bin, map[string]string{
			"DATABASE_URL":       dbtest.URL(t),
			"SHOP_ADDR":          freeAddr(t),
			"SHOP_INTERNAL_ADDR": "",
			"SHOP_DRAIN_DELAY":   drain.String(),
			"SHOP_LOG_FORMAT":    "json",
			"SHOP_DATA_DIR":      t.TempDir(),
		}, "serve")
		p.waitReady(t, 30*time.Second)

		require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
		sent := time.Now()
		status := 0
		for time.Since(sent) < drain*3/4 {
			if status = p.readyz(); status == http.StatusServiceUnavailable {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		require.Equal(t, http.StatusServiceUnavailable, status,
			"/readyz turns 503 as soon as SIGTERM arrives, while the listener is still open")

		require.Equal(t, 0, p.waitExit(t, 10*time.Second), "stderr:\n%s", p.stderr.String())
		require.GreaterOrEqual(t, time.Since(sent), drain-50*time.Millisecond, "the drain delay is honoured")

		logs := jsonLogRecords(t, p.stderr.String())
		require.NotEmpty(t, recordsWith(logs, "shutting down"))
		require.Len(t, recordsWith(logs, "River client stopped"), 1, "the job workers stop gracefully")
		for _, r := range logs {
			if r.str("msg") == "request" && r.str("path") == "/readyz" {
				// The access log rates every 5xx as an error, the draining probe included.
				continue
			}
			require.NotEqual(t, "ERROR", r.str("level"), "no error during a clean shutdown: %v", r)
		}
	})

	t.Run("OKTwoReplicasMigrateOnce", func(t *testing.T) {
		t.Parallel()
		dbURL := emptyDatabase(t)
		vars := func(addr string) map[string]string {
			return map[string]string{
				"DATABASE_URL":       dbURL,
				"SHOP_ADDR":          addr,
				"SHOP_INTERNAL_ADDR": "",
				"SHOP_DRAIN_DELAY":   "0s",
				"SHOP_LOG_FORMAT":    "json",
				"SHOP_DATA_DIR":      t.TempDir(),
			}
		}

		// The control: a fresh database has everything pending.
		code, stdout, stderr := runShopBinary(t, bin, vars("127.0.0.1:0"), "migrate", "status")
		require.Equal(t, 0, code, "stderr: %s", stderr)
		require.Contains(t, stdout, "migrations pending")

		// Two replicas of a new deployment start at the same moment on it.
		replicas := []*shopProcess{
			startShop(t, bin, vars(freeAddr(t)), "serve"),
			startShop(t, bin, vars(freeAddr(t)), "serve"),
		}
		for _, p := range replicas {
			p.waitReady(t, 30*time.Second)
		}

		// Each migration ran exactly once...
		admin, err := pgx.Connect(t.Context(), dbURL)
		require.NoError(t, err)
		t.Cleanup(func() { _ = admin.Close(context.Background()) })
		countApplied := func() map[int64]int {
			rows, err := admin.Query(t.Context(),
				"SELECT version_id, count(*) FROM goose_db_version WHERE version_id > 0 AND is_applied GROUP BY version_id")
			require.NoError(t, err)
			got := map[int64]int{}
			for rows.Next() {
				var v int64
				var n int
				require.NoError(t, rows.Scan(&v, &n))
				got[v] = n
			}
			require.NoError(t, rows.Err())
			return got
		}
		want := map[int64]int{}
		for _, v := range migrationVersions(t) {
			want[v] = 1
		}
		require.Equal(t, want, countApplied())

		// ...by one replica, while the other waited for the lock and found nothing to do.
		var migrated, riverMigrated []int
		for _, p := range replicas {
			logs := jsonLogRecords(t, p.stderr.String())
			migrated = append(migrated, len(recordsWith(logs, "migration applied")))
			riverMigrated = append(riverMigrated, len(recordsWith(logs, "river migration applied")))
		}
		require.ElementsMatch(t, []int{0, len(want)}, migrated, "migrations applied per replica")
		require.Zero(t, riverMigrated[slices.Index(migrated, 0)],
			"the replica that waited applied none of the job queue's migrations either")
		require.Positive(t, riverMigrated[slices.Index(migrated, len(want))])

		// An operator running migrate afterwards finds nothing to do.
		code, stdout, stderr = runShopBinary(t, bin, vars("127.0.0.1:0"), "migrate")
		require.Equal(t, 0, code, "stderr: %s", stderr)
		require.Equal(t, "database already up to date\n", stdout)
		code, stdout, stderr = runShopBinary(t, bin, vars("127.0.0.1:0"), "migrate", "status")
		require.Equal(t, 0, code, "stderr: %s", stderr)
		require.Contains(t, stdout, "up to date")
		require.NotContains(t, stdout, "pending")
		require.Equal(t, want, countApplied())

		// Both replicas still serve and stop cleanly.
		for _, p := range replicas {
			require.Equal(t, http.StatusOK, p.readyz())
			require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
		}
		for _, p := range replicas {
			require.Equal(t, 0, p.waitExit(t, 10*time.Second), "stderr:\n%s", p.stderr.String())
		}
	})
}
