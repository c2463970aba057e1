// Package devdb runs the "embedded default database" (DESIGN.md §5): a private PostgreSQL
// cluster built from the machine's own server binaries, for `shop dev` and the test harness
// when no DATABASE_URL is given. The server listens on a Unix socket only, so any number of
// clusters coexist without fighting over TCP ports, and it is a child of our process, so it
// lives and dies with it.
//
// The code relies on Linux process facilities (Pdeathsig, /proc).
package devdb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ErrNoPostgres is returned (wrapped) when no PostgreSQL server binaries can be found. Its
// text is the whole fix, because it is what a developer sees on the first `shop dev`.
var ErrNoPostgres = errors.New("PostgreSQL server binaries (initdb, postgres) not found: " +
	"install PostgreSQL (Debian/Ubuntu: apt-get install postgresql) or set DATABASE_URL to an existing server")

// Superuser is the role initdb creates; every connection uses it (trust authentication over
// a socket only its owner can reach).
const Superuser = "shop"

const (
	port           = "5432" // only names the socket file; nothing listens on TCP
	socketFile     = ".s.PGSQL." + port
	maxSocketPath  = 107 // sizeof(sun_path) on Linux is 108, including the terminating NUL
	startupTimeout = 30 * time.Second
	stopTimeout    = 10 * time.Second
	logTailBytes   = 4 << 10
)

// Options configures Start.
type Options struct {
	// DataDir holds the cluster (DataDir/postgres), its log (DataDir/postgres.log), a lock
	// file and, when the path is short enough for a Unix socket, the socket directory.
	// Created if missing.
	DataDir string
	// Database is created if missing once the server runs. Default "shop".
	Database string
	// Logger receives progress messages; nil discards them.
	Logger *slog.Logger
	// Fast trades crash safety for speed (no fsync, no full-page writes) and allows many
	// connections: right for throwaway test clusters, wrong for a dev database someone
	// cares about.
	Fast bool
}

// Cluster is a running private PostgreSQL server. Stop it when done.
type Cluster struct {
	log         *slog.Logger
	pgData      string
	sockDir     string
	tempSockDir bool     // sockDir was made under os.TempDir and is removed by Stop
	lock        *os.File // flock on DataDir/postgres.lock: the data dir is ours while held
	logFile     *os.File
	proc        *os.Process
	exited      chan struct{} // closed once the postmaster has been reaped
	exitErr     error         // how it ended; read only after exited is closed
	stopping    chan struct{} // closed when Stop begins, so an exit is not reported as a crash
	stopOnce    sync.Once
	stopErr     error
}

// FindBinaries returns the directory holding both initdb and postgres, searching PATH,
// then `pg_config --bindir`, then /usr/lib/postgresql/*/bin (highest version first).
func FindBinaries() (string, error) {
	var candidates []string
	if p, err := exec.LookPath("initdb"); err == nil {
		// Debian links only some tools into PATH; the real directory also has postgres.
		if real, err := filepath.EvalSymlinks(p); err == nil {
			candidates = append(candidates, filepath.Dir(real))
		}
		candidates = append(candidates, filepath.Dir(p))
		if dir, err := findBinaries(candidates); err == nil {
			return dir, nil
		}
	}
	if p, err := exec.LookPath("pg_config"); err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		out, err := exec.CommandContext(ctx, p, "--bindir").Output()
		cancel()
		// On Debian pg_config may come from the client package and name a directory
		// without a server; findBinaries checks.
		if err == nil {
			candidates = append(candidates, strings.TrimSpace(string(out)))
		}
	}
	candidates = append(candidates, debianBinDirs("/usr/lib/postgresql")...)
	return findBinaries(candidates)
}

func findBinaries(candidates []string) (string, error) {
	for _, dir := range candidates {
		if dir != "" && isExecutable(filepath.Join(dir, "initdb")) && isExecutable(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	return "", fmt.Errorf("devdb: searched PATH, pg_config and /usr/lib/postgresql: %w", ErrNoPostgres)
}

// debianBinDirs lists root/<version>/bin, newest version first, so a machine with several
// major versions installed gets the newest server.
func debianBinDirs(root string) []string {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil
	}
	type versioned struct {
		dir string
		v   []int
	}
	var found []versioned
	for _, e := range entries {
		var v []int
		for part := range strings.SplitSeq(e.Name(), ".") {
			n, err := strconv.Atoi(part)
			if err != nil {
				v = nil
				break
			}
			v = append(v, n)
		}
		if v != nil {
			found = append(found, versioned{filepath.Join(root, e.Name(), "bin"), v})
		}
	}
	slices.SortFunc(found, func(a, b versioned) int { return slices.Compare(b.v, a.v) })
	dirs := make([]string, len(found))
	for i, f := range found {
		dirs[i] = f.dir
	}
	return dirs
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// runAs is the account the server runs under; nil credential means our own.
type runAs struct {
	name string
	cred *syscall.Credential
}

// Start brings the cluster in opts.DataDir up, creating it on first use, and returns once
// it accepts connections and opts.Database exists.
func Start(ctx context.Context, opts Options) (c *Cluster, err error) {
	if opts.DataDir == "" {
		return nil, errors.New("devdb: Options.DataDir is required")
	}
	if opts.Database == "" {
		opts.Database = "shop"
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dataDir, err := filepath.Abs(opts.DataDir)
	if err != nil {
		return nil, fmt.Errorf("devdb: data dir: %w", err)
	}
	bin, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("devdb: create data dir: %w", err)
	}

	c = &Cluster{
		log:      log,
		pgData:   filepath.Join(dataDir, "postgres"),
		exited:   make(chan struct{}),
		stopping: make(chan struct{}),
	}
	// Until the server is up, every failure must undo what was set up so far.
	defer func() {
		if err != nil {
			_ = c.Stop()
			c = nil
		}
	}()
	if c.lock, err = lockDataDir(dataDir); err != nil {
		return c, err
	}

	as, err := serverAccount(c.pgData)
	if err != nil {
		return c, err
	}
	if err := c.prepareSocketDir(dataDir, as); err != nil {
		return c, err
	}
	if as.cred != nil {
		for _, dir := range []string{dataDir, c.sockDir} {
			if err := checkTraversable(dir, as); err != nil {
				return c, err
			}
		}
	}

	if _, err := os.Stat(filepath.Join(c.pgData, "PG_VERSION")); errors.Is(err, fs.ErrNotExist) {
		if err := initCluster(ctx, bin, dataDir, c.pgData, as, opts.Fast, log); err != nil {
			return c, err
		}
	} else if err != nil {
		return c, fmt.Errorf("devdb: inspect cluster: %w", err)
	}
	if err := c.recoverStale(); err != nil {
		return c, err
	}

	if c.logFile, err = os.OpenFile(filepath.Join(dataDir, "postgres.log"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600); err != nil {
		return c, fmt.Errorf("devdb: open server log: %w", err)
	}
	logStart, err := c.logFile.Seek(0, io.SeekEnd)
	if err != nil {
		return c, fmt.Errorf("devdb: open server log: %w", err)
	}

	args := []string{"-D", c.pgData, "-k", c.sockDir, "-c", "listen_addresses=", "-p", port}
	if opts.Fast {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
			// The whole test suite shares one server, and concurrency tests open real pools.
			"-c", "max_connections=400")
	}
	cmd := exec.Command(filepath.Join(bin, "postgres"), args...)
	cmd.Dir = dataDir
	cmd.Env = serverEnv()
	cmd.Stdout, cmd.Stderr = c.logFile, c.logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{
		// A Ctrl-C in the terminal goes to the foreground process group; keeping postgres
		// out of it lets our app stop it in order instead of both dying at once.
		Setpgid: true,
		// If we are SIGKILLed nobody calls Stop; the kernel then asks for a fast shutdown.
		Pdeathsig:  syscall.SIGINT,
		Credential: as.cred,
	}
	began := time.Now()
	log.Info("starting embedded PostgreSQL", "data_dir", c.pgData, "bin", bin, "user", as.name)
	if err := c.spawn(cmd); err != nil {
		return c, fmt.Errorf("devdb: start postgres: %w", err)
	}

	conn, err := c.waitReady(ctx)
	if err != nil {
		return c, fmt.Errorf("%w%s", err, tail(filepath.Join(dataDir, "postgres.log"), logStart))
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	if err := createDatabase(ctx, conn, opts.Database); err != nil {
		return c, err
	}
	log.Info("embedded PostgreSQL ready", "socket_dir", c.sockDir, "database", opts.Database,
		"took", time.Since(began).Round(time.Millisecond))
	return c, nil
}

// URL returns a pgx (and psql) connection string for database on this cluster.
func (c *Cluster) URL(database string) string {
	// Slashes are legal in a query value; leaving them readable makes the URL pasteable.
	host := strings.ReplaceAll(url.QueryEscape(c.sockDir), "%2F", "/")
	return "postgres:///" + url.PathEscape(database) + "?host=" + host + "&user=" + Superuser + "&sslmode=disable"
}

// AdminURL returns the URL of the "postgres" maintenance database, for creating and
// dropping other databases.
func (c *Cluster) AdminURL() string { return c.URL("postgres") }

// Stop shuts the server down (fast shutdown: open sessions are cancelled) and waits for it
// to exit. Later calls return the first call's result.
func (c *Cluster) Stop() error {
	c.stopOnce.Do(func() { c.stopErr = c.stop() })
	return c.stopErr
}

func (c *Cluster) stop() error {
	close(c.stopping)
	var errs []error
	if c.proc != nil {
		if err := c.halt(); err != nil {
			errs = append(errs, err)
		}
	}
	if c.logFile != nil {
		_ = c.logFile.Close()
	}
	if c.tempSockDir {
		_ = os.RemoveAll(c.sockDir)
	}
	// Released last: while postgres may still run, nobody else may claim the data dir.
	if c.lock != nil {
		_ = c.lock.Close()
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if c.proc != nil {
		c.log.Info("embedded PostgreSQL stopped")
	}
	return nil
}

// halt escalates from fast shutdown to immediate shutdown to SIGKILL, waiting in between.
func (c *Cluster) halt() error {
	steps := []struct {
		sig  syscall.Signal
		wait time.Duration
	}{
		{syscall.SIGINT, stopTimeout},
		{syscall.SIGQUIT, 5 * time.Second},
		{syscall.SIGKILL, 5 * time.Second},
	}
	for _, s := range steps {
		if err := c.proc.Signal(s.sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
			return fmt.Errorf("devdb: signal postgres (pid %d): %w", c.proc.Pid, err)
		}
		select {
		case <-c.exited:
			return nil
		case <-time.After(s.wait):
			c.log.Warn("embedded PostgreSQL did not stop in time", "pid", c.proc.Pid, "signal", s.sig)
		}
	}
	return fmt.Errorf("devdb: postgres (pid %d) did not exit", c.proc.Pid)
}

// spawn starts cmd from a goroutine pinned to its OS thread for the child's whole life:
// Linux delivers Pdeathsig when the forking *thread* exits, not the process, and the Go
// runtime ends a thread whenever a goroutine that locked it exits, which could be the very
// thread that forked postgres, shutting the server down under us.
func (c *Cluster) spawn(cmd *exec.Cmd) error {
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		// No UnlockOSThread: once the child is reaped the thread may as well die.
		if err := cmd.Start(); err != nil {
			started <- err
			close(c.exited)
			return
		}
		c.proc = cmd.Process
		started <- nil
		c.exitErr = cmd.Wait()
		close(c.exited)
		select {
		case <-c.stopping:
		default:
			c.log.Error("embedded PostgreSQL exited unexpectedly", "err", c.exitErr)
		}
	}()
	return <-started
}

// waitReady polls until the server accepts a connection, and returns that connection.
func (c *Cluster) waitReady(ctx context.Context) (*pgx.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, startupTimeout)
	defer cancel()
	cfg, err := pgx.ParseConfig(c.AdminURL())
	if err != nil {
		return nil, fmt.Errorf("devdb: parse admin URL: %w", err)
	}
	cfg.ConnectTimeout = 2 * time.Second
	delay := 10 * time.Millisecond
	for {
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err == nil {
			return conn, nil
		}
		select {
		case <-c.exited:
			return nil, fmt.Errorf("devdb: postgres exited during startup (%v)", c.exitErr)
		case <-ctx.Done():
			return nil, fmt.Errorf("devdb: postgres not ready: %w (last error: %v)", ctx.Err(), err)
		case <-time.After(delay):
		}
		delay = min(delay*2, 200*time.Millisecond)
	}
}

func createDatabase(ctx context.Context, conn *pgx.Conn, name string) error {
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("devdb: look up database %q: %w", name, err)
	}
	if exists {
		return nil
	}
	_, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database: someone was quicker
		return nil
	}
	if err != nil {
		return fmt.Errorf("devdb: create database %q: %w", name, err)
	}
	return nil
}

// lockDataDir takes an exclusive flock that lives as long as our process or until Stop. It
// tells "another live process is using this data dir" (refuse) apart from "a postgres is
// running here but whoever started it is gone" (an orphan we may stop).
func lockDataDir(dataDir string) (*os.File, error) {
	path := filepath.Join(dataDir, "postgres.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("devdb: open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := io.ReadAll(f)
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("devdb: %s is in use by another process (pid %s): stop it or choose another data directory",
				dataDir, strings.TrimSpace(string(holder)))
		}
		return nil, fmt.Errorf("devdb: lock %s: %w", path, err)
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}

// serverAccount picks who runs initdb and postgres. Both refuse to run as root, so root
// hands them to the owner of an existing cluster, else "postgres", else "nobody".
func serverAccount(pgData string) (runAs, error) {
	if os.Geteuid() != 0 {
		name := strconv.Itoa(os.Geteuid())
		if u, err := user.Current(); err == nil {
			name = u.Username
		}
		return runAs{name: name}, nil
	}
	var u *user.User
	if fi, err := os.Stat(pgData); err == nil {
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid != 0 {
			u, _ = user.LookupId(strconv.FormatUint(uint64(st.Uid), 10))
		}
	}
	for _, name := range []string{"postgres", "nobody"} {
		if u != nil {
			break
		}
		u, _ = user.Lookup(name)
	}
	if u == nil {
		return runAs{}, errors.New("devdb: running as root, but neither a \"postgres\" nor a \"nobody\" user exists to run the server (PostgreSQL refuses root)")
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return runAs{}, fmt.Errorf("devdb: user %q: %w", u.Username, err)
	}
	cred := &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	if ids, err := u.GroupIds(); err == nil {
		for _, id := range ids {
			if g, err := strconv.ParseUint(id, 10, 32); err == nil && uint32(g) != cred.Gid {
				cred.Groups = append(cred.Groups, uint32(g))
			}
		}
	}
	return runAs{name: u.Username, cred: cred}, nil
}

// checkTraversable makes sure the server account can reach dir. Without it postgres fails
// with a bare "Permission denied" on some path; here we can say which directory to fix.
func checkTraversable(dir string, as runAs) error {
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return fmt.Errorf("devdb: %w", err)
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if ok && !canSearch(fi.Mode().Perm(), st, as.cred) {
			return fmt.Errorf("devdb: the server runs as user %q (PostgreSQL refuses root), which cannot enter %s (mode %v): "+
				"make it traversable (chmod o+x %s) or choose a data directory outside it", as.name, d, fi.Mode().Perm(), d)
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

func canSearch(perm fs.FileMode, st *syscall.Stat_t, cred *syscall.Credential) bool {
	switch {
	case st.Uid == cred.Uid:
		return perm&0o100 != 0
	case st.Gid == cred.Gid || slices.Contains(cred.Groups, st.Gid):
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}

// prepareSocketDir picks the socket directory: inside the data dir when the socket path
// fits in sun_path, else a fresh short directory under os.TempDir.
func (c *Cluster) prepareSocketDir(dataDir string, as runAs) error {
	c.sockDir = filepath.Join(dataDir, "postgres-run")
	if len(c.sockDir)+len("/"+socketFile) > maxSocketPath {
		dir, err := os.MkdirTemp("", "shopdb-")
		if err != nil {
			return fmt.Errorf("devdb: create socket dir: %w", err)
		}
		c.sockDir, c.tempSockDir = dir, true
		if len(c.sockDir)+len("/"+socketFile) > maxSocketPath {
			return fmt.Errorf("devdb: socket path %s/%s is too long for a Unix socket even under the temp dir; set TMPDIR to a shorter path", dir, socketFile)
		}
	} else if err := os.MkdirAll(c.sockDir, 0o700); err != nil {
		return fmt.Errorf("devdb: create socket dir: %w", err)
	}
	// 0700: authentication is "trust", so whoever reaches the socket is superuser.
	if err := os.Chmod(c.sockDir, 0o700); err != nil {
		return fmt.Errorf("devdb: socket dir: %w", err)
	}
	return chownTo(c.sockDir, as)
}

func chownTo(path string, as runAs) error {
	if as.cred == nil {
		return nil
	}
	if err := os.Chown(path, int(as.cred.Uid), int(as.cred.Gid)); err != nil {
		return fmt.Errorf("devdb: hand %s to user %q: %w", path, as.name, err)
	}
	return nil
}

// initCluster runs initdb into a scratch directory and renames it into place, so a run
// interrupted half-way leaves nothing that looks like a cluster.
func initCluster(ctx context.Context, bin, dataDir, pgData string, as runAs, fast bool, log *slog.Logger) error {
	// Remove only succeeds on an empty directory: anything else there is not ours to delete.
	if err := os.Remove(pgData); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("devdb: %s exists but holds no cluster (no PG_VERSION); move it away", pgData)
	}
	scratch := pgData + ".init"
	if err := os.RemoveAll(scratch); err != nil {
		return fmt.Errorf("devdb: remove leftover %s: %w", scratch, err)
	}
	if err := os.Mkdir(scratch, 0o700); err != nil {
		return fmt.Errorf("devdb: create cluster dir: %w", err)
	}
	if err := chownTo(scratch, as); err != nil {
		return err
	}
	args := []string{"-D", scratch, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--locale=C"}
	if fast {
		args = append(args, "--no-sync")
	}
	began := time.Now()
	log.Info("creating embedded PostgreSQL cluster", "data_dir", pgData)
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), args...)
	cmd.Dir = dataDir
	cmd.Env = serverEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: as.cred}
	if out, err := cmd.CombinedOutput(); err != nil {
		_ = os.RemoveAll(scratch)
		return fmt.Errorf("devdb: initdb: %w\n%s", err, strings.TrimSpace(string(out)))
	}
	if err := os.Rename(scratch, pgData); err != nil {
		return fmt.Errorf("devdb: move new cluster into place: %w", err)
	}
	log.Info("embedded PostgreSQL cluster created", "took", time.Since(began).Round(time.Millisecond))
	return nil
}

// serverEnv drops PG* variables: a developer's shell often points PGHOST, PGPORT or PGDATA
// at another server, and postgres and initdb read some of them.
func serverEnv() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "PG") })
}

// recoverStale clears what a previous run left when it was killed: a postmaster.pid naming
// a dead process (or one whose PID now belongs to something else), socket lock files, or
// an orphaned server still running on our data dir. We hold the data dir lock, so no live
// devdb user owns that server.
func (c *Cluster) recoverStale() error {
	pidFile := filepath.Join(c.pgData, "postmaster.pid")
	data, err := os.ReadFile(pidFile)
	if errors.Is(err, fs.ErrNotExist) {
		c.removeSocketLocks()
		return nil
	}
	if err != nil {
		return fmt.Errorf("devdb: read %s: %w", pidFile, err)
	}
	lines := strings.Split(string(data), "\n")
	pid, _ := strconv.Atoi(strings.TrimSpace(lines[0]))
	pid = max(pid, -pid) // a single-user backend writes its PID negated
	if pid > 0 && isOurPostmaster(pid, c.pgData) {
		c.log.Warn("stopping orphaned embedded PostgreSQL left by an earlier run", "pid", pid)
		if err := stopOrphan(pid); err != nil {
			return err
		}
	}
	// A killed postmaster's backends live on until they notice, still sharing the data
	// directory; starting a second server beside them would corrupt it. Removing the pid
	// file ourselves skips the check postgres would have made, so we make it here.
	if err := waitDataDirFree(c.pgData, 5*time.Second); err != nil {
		return err
	}
	if err := os.Remove(pidFile); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("devdb: remove stale %s: %w", pidFile, err)
	}
	if len(lines) > 4 {
		// A temp socket dir of the dead run is ours to clean; nothing else is.
		old := strings.TrimSpace(lines[4])
		if filepath.Dir(old) == filepath.Clean(os.TempDir()) && strings.HasPrefix(filepath.Base(old), "shopdb-") && old != c.sockDir {
			_ = os.RemoveAll(old)
		}
	}
	c.removeSocketLocks()
	return nil
}

// removeSocketLocks deletes socket files in our private socket dir; called only when no
// server of ours is running, so any there are stale and would make postgres refuse to start
// if their recorded PID has been reused.
func (c *Cluster) removeSocketLocks() {
	_ = os.Remove(filepath.Join(c.sockDir, socketFile+".lock"))
	_ = os.Remove(filepath.Join(c.sockDir, socketFile))
}

// isOurPostmaster reports whether pid is a live postgres serving pgData. PIDs are reused
// (in containers, small ones almost always), so being alive proves nothing by itself.
func isOurPostmaster(pid int, pgData string) bool {
	if !alive(pid) {
		return false
	}
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return false
	}
	args := strings.Split(strings.TrimRight(string(raw), "\x00"), "\x00")
	if base := filepath.Base(args[0]); base != "postgres" && base != "postmaster" {
		return false
	}
	i := slices.Index(args, "-D")
	if i < 0 || i+1 >= len(args) {
		return false
	}
	a, err1 := os.Stat(args[i+1])
	b, err2 := os.Stat(pgData)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}

// alive reports whether pid runs; a zombie has exited and only waits to be reaped.
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	state, ok := procState(pid)
	return ok && state != 'Z' && state != 'X'
}

// procState reads the state letter of pid from /proc/PID/stat.
func procState(pid int) (byte, bool) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// "pid (comm) state ...": comm may hold spaces and parentheses.
	i := strings.LastIndexByte(string(raw), ')')
	if i < 0 || i+2 >= len(raw) {
		return 0, false
	}
	return raw[i+2], true
}

// stopOrphan shuts down a postmaster that is not our child (so it cannot be waited for).
func stopOrphan(pid int) error {
	for _, s := range []struct {
		sig  syscall.Signal
		wait time.Duration
	}{{syscall.SIGINT, stopTimeout}, {syscall.SIGQUIT, 5 * time.Second}, {syscall.SIGKILL, 5 * time.Second}} {
		if err := syscall.Kill(pid, s.sig); err != nil && !errors.Is(err, syscall.ESRCH) {
			return fmt.Errorf("devdb: stop orphaned postgres (pid %d): %w", pid, err)
		}
		if waitFor(s.wait, func() bool { return !alive(pid) }) {
			return nil
		}
	}
	return fmt.Errorf("devdb: orphaned postgres (pid %d) on this data dir does not exit", pid)
}

// waitDataDirFree waits until no postgres process works in pgData.
func waitDataDirFree(pgData string, timeout time.Duration) error {
	if waitFor(timeout, func() bool { return len(postgresIn(pgData)) == 0 }) {
		return nil
	}
	return fmt.Errorf("devdb: postgres processes %v of an earlier server still run in %s; stop them first", postgresIn(pgData), pgData)
}

// postgresIn lists live postgres processes whose working directory is pgData. Every
// server process has it (the postmaster changes into its data directory and the children
// inherit it), while their process groups and parents tell nothing: each child calls
// setsid, and orphans are adopted by init.
func postgresIn(pgData string) []int {
	want, err := os.Stat(pgData)
	if err != nil {
		return nil
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || !alive(pid) {
			continue
		}
		cwd, err := os.Stat(fmt.Sprintf("/proc/%d/cwd", pid))
		if err != nil || !os.SameFile(cwd, want) {
			continue
		}
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		// Children retitle themselves "postgres: ...", the postmaster keeps its path.
		if err == nil && (strings.HasPrefix(string(raw), "postgres") || strings.HasSuffix(strings.SplitN(string(raw), "\x00", 2)[0], "/postgres")) {
			pids = append(pids, pid)
		}
	}
	return pids
}

func waitFor(timeout time.Duration, done func() bool) bool {
	deadline := time.Now().Add(timeout)
	for !done() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// tail returns the end of the server log written since offset, for error messages: the
// reason postgres refused to start is there and nowhere else.
func tail(path string, offset int64) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer func() { _ = f.Close() }()
	fi, err := f.Stat()
	if err != nil {
		return ""
	}
	offset = max(offset, fi.Size()-logTailBytes)
	buf := make([]byte, fi.Size()-offset)
	n, _ := f.ReadAt(buf, offset)
	text := strings.TrimSpace(string(buf[:n]))
	if text == "" {
		return ""
	}
	return "\n--- " + path + " ---\n" + text
}
