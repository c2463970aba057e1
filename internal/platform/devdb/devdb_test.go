package devdb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// requirePostgres skips where no server binaries are installed, except in CI, where a
// missing PostgreSQL is a broken environment rather than a reason to skip.
func requirePostgres(t *testing.T) {
	t.Helper()
	if _, err := FindBinaries(); err != nil {
		if os.Getenv("SHOP_E2E") != "" || os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
}

// newDataDir returns an empty directory the server account can reach. t.TempDir is 0700,
// which under root would lock out the unprivileged server user.
func newDataDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "devdb-test-")
	require.NoError(t, err)
	require.NoError(t, os.Chmod(dir, 0o755))
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

func start(t *testing.T, dataDir string) *Cluster {
	t.Helper()
	c, err := Start(t.Context(), Options{DataDir: dataDir, Fast: true})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Stop() })
	return c
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// requireGone asserts that a stopped server left no process behind: neither the
// postmaster nor any of its children.
func requireGone(t *testing.T, pid int, dataDir string) {
	t.Helper()
	require.False(t, alive(pid), "postmaster %d still running", pid)
	require.Empty(t, postgresIn(filepath.Join(dataDir, "postgres")), "server processes still running")
}

func TestStart(t *testing.T) {
	t.Parallel()
	requirePostgres(t)

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		dataDir := newDataDir(t)
		c := start(t, dataDir)

		conn := connect(t, c.URL("shop"))
		var who, db, listen string
		require.NoError(t, conn.QueryRow(t.Context(),
			"SELECT current_user, current_database(), current_setting('listen_addresses')").Scan(&who, &db, &listen))
		require.Equal(t, Superuser, who)
		require.Equal(t, "shop", db)
		require.Empty(t, listen, "the server must not listen on TCP")
		require.True(t, strings.HasPrefix(c.sockDir, dataDir), "socket dir %s should be under the data dir", c.sockDir)
		procs := postgresIn(c.pgData)
		require.Contains(t, procs, c.proc.Pid)
		require.Greater(t, len(procs), 2, "the postmaster's children are found too")

		admin := connect(t, c.AdminURL())
		require.NoError(t, admin.QueryRow(t.Context(), "SELECT current_database()").Scan(&db))
		require.Equal(t, "postgres", db)
	})

	t.Run("RestartKeepsData", func(t *testing.T) {
		t.Parallel()
		dataDir := newDataDir(t)
		c := start(t, dataDir)
		conn := connect(t, c.URL("shop"))
		_, err := conn.Exec(t.Context(), "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')")
		require.NoError(t, err)
		require.NoError(t, conn.Close(t.Context()))

		pid := c.proc.Pid
		require.NoError(t, c.Stop())
		requireGone(t, pid, dataDir)
		require.NoError(t, c.Stop(), "Stop is idempotent")
		require.NoFileExists(t, filepath.Join(dataDir, "postgres", "postmaster.pid"))

		began := time.Now()
		c = start(t, dataDir)
		t.Logf("restart took %s", time.Since(began))
		var v string
		require.NoError(t, connect(t, c.URL("shop")).QueryRow(t.Context(), "SELECT v FROM kept").Scan(&v))
		require.Equal(t, "still here", v)
	})

	t.Run("ErrInUse", func(t *testing.T) {
		t.Parallel()
		dataDir := newDataDir(t)
		c := start(t, dataDir)

		_, err := Start(t.Context(), Options{DataDir: dataDir, Fast: true})
		require.ErrorContains(t, err, "in use by another process (pid "+strconv.Itoa(os.Getpid()))
		require.True(t, alive(c.proc.Pid), "a refused Start must leave the running server alone")
	})

	t.Run("ErrServerExitsShowsLog", func(t *testing.T) {
		t.Parallel()
		dataDir := newDataDir(t)
		require.NoError(t, start(t, dataDir).Stop())
		conf := filepath.Join(dataDir, "postgres", "postgresql.auto.conf")
		require.NoError(t, os.WriteFile(conf, []byte("shared_buffers = 'lots'\n"), 0o600))

		_, err := Start(t.Context(), Options{DataDir: dataDir, Fast: true})
		require.ErrorContains(t, err, "exited during startup")
		require.ErrorContains(t, err, "shared_buffers", "the reason from postgres.log is in the error")
	})

	t.Run("LongDataDir", func(t *testing.T) {
		t.Parallel()
		dataDir := filepath.Join(newDataDir(t), strings.Repeat("d", 100))
		c := start(t, dataDir)
		require.True(t, strings.HasPrefix(c.sockDir, os.TempDir()), "socket dir %s should fall back to the temp dir", c.sockDir)

		var one int
		require.NoError(t, connect(t, c.URL("postgres")).QueryRow(t.Context(), "SELECT 1").Scan(&one))
		sockDir := c.sockDir
		require.NoError(t, c.Stop())
		require.NoDirExists(t, sockDir, "Stop removes the temp socket dir")
	})
}

func TestStartRecoversFromKilledRun(t *testing.T) {
	t.Parallel()
	requirePostgres(t)

	// writeStaleLock leaves what a SIGKILLed run leaves: postmaster.pid and the socket lock
	// file, both naming pid.
	writeStaleLock := func(t *testing.T, dataDir string, pid int) {
		t.Helper()
		c := start(t, dataDir)
		pidFile, err := os.ReadFile(filepath.Join(dataDir, "postgres", "postmaster.pid"))
		require.NoError(t, err)
		sockDir := c.sockDir
		require.NoError(t, c.Stop())

		lines := strings.Split(string(pidFile), "\n")
		lines[0] = strconv.Itoa(pid)
		require.NoError(t, os.WriteFile(filepath.Join(dataDir, "postgres", "postmaster.pid"), []byte(strings.Join(lines, "\n")), 0o600))
		require.NoError(t, os.WriteFile(filepath.Join(sockDir, socketFile+".lock"), []byte(strconv.Itoa(pid)+"\n"), 0o600))
	}

	t.Run("DeadPID", func(t *testing.T) {
		t.Parallel()
		dataDir := newDataDir(t)
		dead := exec.Command("true")
		require.NoError(t, dead.Run())
		writeStaleLock(t, dataDir, dead.Process.Pid)

		c := start(t, dataDir)
		var one int
		require.NoError(t, connect(t, c.URL("shop")).QueryRow(t.Context(), "SELECT 1").Scan(&one))
	})

	t.Run("PIDReusedByOtherProcess", func(t *testing.T) {
		t.Parallel()
		dataDir := newDataDir(t)
		other := exec.Command("sleep", "60")
		require.NoError(t, other.Start())
		t.Cleanup(func() { _ = other.Process.Kill(); _ = other.Wait() })
		writeStaleLock(t, dataDir, other.Process.Pid)

		c := start(t, dataDir)
		var one int
		require.NoError(t, connect(t, c.URL("shop")).QueryRow(t.Context(), "SELECT 1").Scan(&one))
		require.True(t, alive(other.Process.Pid), "an unrelated process must not be signalled")
	})

	t.Run("OrphanedServer", func(t *testing.T) {
		t.Parallel()
		dataDir := newDataDir(t)
		orphan := start(t, dataDir)
		// What a dead owner leaves: its lock released, its server still running.
		require.NoError(t, orphan.lock.Close())
		orphanProcs := postgresIn(orphan.pgData)
		require.Contains(t, orphanProcs, orphan.proc.Pid)

		c := start(t, dataDir)
		for _, pid := range orphanProcs {
			require.False(t, alive(pid), "process %d of the orphaned server still running", pid)
		}
		var one int
		require.NoError(t, connect(t, c.URL("shop")).QueryRow(t.Context(), "SELECT 1").Scan(&one))
	})
}

// helperDirEnv makes the test binary, re-run by TestStartAfterOwnerKilled, act as an app
// that starts a cluster and is then SIGKILLed.
const helperDirEnv = "DEVDB_TEST_HELPER_DIR"

func TestHelperOwner(t *testing.T) {
	dir := os.Getenv(helperDirEnv)
	if dir == "" {
		t.Skip("helper process for TestStartAfterOwnerKilled")
	}
	c, err := Start(context.Background(), Options{DataDir: dir, Fast: true})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Printf("pid=%d\n", c.proc.Pid)
	select {}
}

func TestStartAfterOwnerKilled(t *testing.T) {
	t.Parallel()
	requirePostgres(t)
	dataDir := newDataDir(t)

	owner := exec.Command(os.Args[0], "-test.run=^TestHelperOwner$")
	owner.Env = append(os.Environ(), helperDirEnv+"="+dataDir)
	out, err := owner.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, owner.Start())
	t.Cleanup(func() { _ = owner.Process.Kill(); _ = owner.Wait() })
	var pid int
	_, err = fmt.Fscanf(out, "pid=%d\n", &pid)
	require.NoError(t, err, "helper did not start its cluster")
	require.True(t, alive(pid))

	require.NoError(t, owner.Process.Kill())
	_ = owner.Wait()
	require.Eventually(t, func() bool { return !alive(pid) && len(postgresIn(filepath.Join(dataDir, "postgres"))) == 0 },
		10*time.Second, 20*time.Millisecond, "postgres must shut down when its owner is killed")

	c := start(t, dataDir)
	var one int
	require.NoError(t, connect(t, c.URL("shop")).QueryRow(t.Context(), "SELECT 1").Scan(&one))
}

func TestFindBinaries(t *testing.T) {
	t.Parallel()

	t.Run("ErrNoPostgres", func(t *testing.T) {
		t.Parallel()
		_, err := findBinaries([]string{t.TempDir(), ""})
		require.ErrorIs(t, err, ErrNoPostgres)
		require.Contains(t, err.Error(), "apt-get install postgresql")
		require.Contains(t, err.Error(), "DATABASE_URL")
	})

	t.Run("NewestVersionFirst", func(t *testing.T) {
		t.Parallel()
		root := t.TempDir()
		for _, v := range []string{"9.6", "15", "10", "notaversion"} {
			require.NoError(t, os.MkdirAll(filepath.Join(root, v, "bin"), 0o755))
		}
		require.Equal(t, []string{
			filepath.Join(root, "15", "bin"), filepath.Join(root, "10", "bin"), filepath.Join(root, "9.6", "bin"),
		}, debianBinDirs(root))
	})

	t.Run("NeedsBothBinaries", func(t *testing.T) {
		t.Parallel()
		half, full := t.TempDir(), t.TempDir()
		for _, f := range []string{filepath.Join(half, "initdb"), filepath.Join(full, "initdb"), filepath.Join(full, "postgres")} {
			require.NoError(t, os.WriteFile(f, []byte("#!/bin/sh\n"), 0o755))
		}
		dir, err := findBinaries([]string{half, full})
		require.NoError(t, err)
		require.Equal(t, full, dir)
	})
}

func TestCheckTraversable(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("only root hands the server to another user")
	}
	requirePostgres(t)
	as, err := serverAccount(filepath.Join(t.TempDir(), "postgres"))
	require.NoError(t, err)

	closed := newDataDir(t)
	require.NoError(t, os.Chmod(closed, 0o700))
	err = checkTraversable(closed, as)
	require.ErrorContains(t, err, fmt.Sprintf("cannot enter %s", closed))

	_, err = Start(t.Context(), Options{DataDir: filepath.Join(closed, "data")})
	require.ErrorContains(t, err, "chmod o+x "+closed)
	require.False(t, errors.Is(err, ErrNoPostgres))
}
