// Command shop is Monoshop: the storefront, the back office and the background jobs of an
// online shop in one binary. `shop help` lists its commands and settings.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	// The zone database built in (450 KB): SHOP_TIME_ZONE must work in a container image
	// that ships none.
	_ "time/tzdata"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/content"
	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/devdb"
	"github.com/monoshop/monoshop/internal/platform/jobs"
	"github.com/monoshop/monoshop/internal/platform/obs"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/migrations"
)

// version is set at build time (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	os.Exit(runWithInput(context.Background(), os.Args[1:], os.LookupEnv, os.Stdin, os.Stdout, os.Stderr))
}

// cli carries what every command needs; it exists so commands are testable without
// touching the process's real environment, input or output.
type cli struct {
	lookupEnv      func(string) (string, bool)
	stdin          io.Reader // nil: nothing to read
	stdout, stderr io.Writer
}

// run executes one command with nothing on standard input; see runWithInput.
func run(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) int {
	return runWithInput(ctx, args, lookupEnv, nil, stdout, stderr)
}

// runWithInput executes one command and returns the exit status: 0 success, 1 failure at
// run time, 2 bad usage or configuration. Only commands that take a secret read stdin.
func runWithInput(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{lookupEnv: lookupEnv, stdin: stdin, stdout: stdout, stderr: stderr}
	cmd, rest := "help", []string(nil)
	if len(args) > 0 {
		cmd, rest = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = c.serve(ctx, rest, ModeServe, false)
	case "worker":
		err = c.serve(ctx, rest, ModeWorker, false)
	case "dev":
		err = c.serve(ctx, rest, ModeServe, true)
	case "migrate":
		err = c.migrate(ctx, rest)
	case "seed":
		err = c.seed(ctx, rest)
	case "dev-db":
		err = c.devDB(ctx, rest)
	case "users":
		err = c.users(ctx, rest)
	case "version":
		fmt.Fprintln(stdout, "shop", version)
	case "help", "-h", "--help":
		printHelp(stdout)
	default:
		fmt.Fprintf(stderr, "shop: unknown command %q; run `shop help` for the list\n", cmd)
		return 2
	}
	return exitStatus(err, stderr)
}

// exitStatus prints err as one line and picks the status; configuration and usage
// mistakes are 2 so scripts can tell them from failures at run time.
func exitStatus(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var cerr *ConfigError
	switch {
	case errors.As(err, &cerr):
		fmt.Fprintf(stderr, "shop: %s\n", cerr.Error())
		return 2
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "shop: %v; run `shop help`\n", err)
		return 2
	case errors.Is(err, flag.ErrHelp):
		return 0
	default:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode()
		}
		fmt.Fprintf(stderr, "shop: %v\n", err)
		return 1
	}
}

func (c *cli) config() (Config, *slog.Logger, error) {
	cfg, err := LoadConfig(c.lookupEnv)
	if err != nil {
		return cfg, nil, err
	}
	level, _ := obs.ParseLevel(cfg.LogLevel)
	return cfg, obs.NewLogger(c.stderr, cfg.LogFormat, level), nil
}

// serve runs the shop until SIGINT or SIGTERM. With dev it may start the embedded
// database and fills an empty catalog with demo data.
func (c *cli) serve(ctx context.Context, args []string, mode Mode, dev bool) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, args[0])
	}
	cfg, log, err := c.config()
	if err != nil {
		return err
	}
	applyMemoryLimit(cfg, log)
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	m := &Main{Config: cfg, Log: log, Mode: mode, Embedded: dev, DevOwner: dev, Stdout: c.stdout}
	// Under a memory limit the collector already works harder where it must; without
	// one, the start's garbage is collected sooner (startGCPercent).
	if debug.SetMemoryLimit(-1) == math.MaxInt64 {
		m.StartGCPercent = startGCPercent
	}
	if err := m.Run(ctx); err != nil {
		_ = m.Close()
		return err
	}
	if dev {
		if err := loadDemoData(ctx, m, log); err != nil {
			_ = m.Close()
			if ctx.Err() != nil {
				// Ctrl-C while the demo data loads: the seed rolled back, and the next
				// `shop dev` loads it again. That is a normal stop, not a failure.
				return nil
			}
			return err
		}
		fmt.Fprintf(c.stdout, "\n  Monoshop is running: %s\n  Press Ctrl-C to stop.\n\n", devURL(m.Addr()))
	}

	var runErr error
	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case runErr = <-m.Errors():
	}
	// A second signal during shutdown gets the default behaviour: the process ends now.
	stop()
	if err := m.Close(); err != nil {
		return errors.Join(runErr, err)
	}
	return runErr
}

// devDemoProducts is the size of the catalog `shop dev` starts with: enough to browse.
const devDemoProducts = 200

func loadDemoData(ctx context.Context, m *Main, log *slog.Logger) error {
	n, err := m.catalog.CountProducts(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		log.Info("empty catalog: loading demo data", "products", devDemoProducts)
		if err := m.catalog.SeedDemo(ctx, catalog.SeedOptions{Products: devDemoProducts, Seed: 1, Currency: catalog.DemoCurrency}); err != nil {
			return err
		}
		if err := stockDemoCatalog(ctx, m.catalog, m.inventory); err != nil {
			return err
		}
	}
	// After the catalog: the demo settings price shipping in the catalog's currency, which
	// an empty catalog does not have yet. Like them, the pages are added to a shop that
	// has none, whatever its catalog.
	if err := m.orders.SeedDemoSettings(ctx, m.catalog); err != nil {
		return err
	}
	return m.content.SeedDemo(ctx, m.Config.StoreName)
}

// stockDemoCatalog gives every demo variant stock, so the demo shop has things to sell,
// a few nearly sold out and a few sold out.
func stockDemoCatalog(ctx context.Context, cat *catalog.Service, inv *inventory.Service) error {
	ids, err := cat.ListVariantIDs(ctx)
	if err != nil {
		return err
	}
	raw := make([]int64, len(ids))
	for i, id := range ids {
		raw[i] = int64(id)
	}
	return inv.SeedDemo(ctx, raw)
}

func devURL(addr string) string {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	return "http://localhost:" + port
}

// migrate applies pending migrations ("up", the default) or reports where the database
// stands ("status"). Safe to run from many replicas at once.
func (c *cli) migrate(ctx context.Context, args []string) error {
	action := "up"
	if len(args) > 0 {
		action = args[0]
	}
	if len(args) > 1 || (action != "up" && action != "status") {
		return fmt.Errorf("%w: migrate takes up or status", errUsage)
	}
	cfg, log, err := c.config()
	if err != nil {
		return err
	}
	pool, cluster, err := openDatabase(ctx, cfg, log, true, nil)
	defer stopCluster(cluster, log)
	if err != nil {
		return err
	}
	defer pool.Close()
	if action == "status" {
		st, err := db.Status(ctx, pool, migrations.FS)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "schema version %d of %d, job queue version %d of %d: ",
			st.Current, st.Target, st.RiverCurrent, st.RiverTarget)
		if st.Pending() {
			fmt.Fprintln(c.stdout, "migrations pending (run `shop migrate`)")
		} else {
			fmt.Fprintln(c.stdout, "up to date")
		}
		return nil
	}
	n, err := db.Migrate(ctx, pool, migrations.FS, log)
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintln(c.stdout, "database already up to date")
	} else {
		fmt.Fprintf(c.stdout, "applied %d migrations\n", n)
	}
	return nil
}

// seed loads the deterministic demo catalog into an empty database.
func (c *cli) seed(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	products := fs.Int("products", devDemoProducts, "number of demo products")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same catalog")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *products < 1 || *products > 1_000_000 {
		return fmt.Errorf("%w: --products must be between 1 and 1000000", errUsage)
	}
	cfg, log, err := c.config()
	if err != nil {
		return err
	}
	pool, cluster, err := openDatabase(ctx, cfg, log, true, nil)
	defer stopCluster(cluster, log)
	if err != nil {
		return err
	}
	defer pool.Close()
	if _, err := db.Migrate(ctx, pool, migrations.FS, log); err != nil {
		return err
	}
	svc := catalog.NewService(pool, log)
	// Seeding queues image rendering; an insert-only client does that without working jobs.
	reg := jobs.NewRegistry()
	svc.RegisterJobs(reg)
	queue, err := jobs.NewClient(pool, reg, log, jobs.Options{})
	if err != nil {
		return err
	}
	svc.UseJobs(queue)
	n, err := svc.CountProducts(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("the catalog already has %d products; seed only fills an empty shop", n)
	}
	if err := svc.SeedDemo(ctx, catalog.SeedOptions{Products: *products, Seed: *seed, Currency: catalog.DemoCurrency, RenderImages: true}); err != nil {
		return err
	}
	if err := stockDemoCatalog(ctx, svc, inventory.NewService(pool, log)); err != nil {
		return err
	}
	if err := orders.NewService(pool, log, nil, nil, orders.Config{}).SeedDemoSettings(ctx, svc); err != nil {
		return err
	}
	if err := content.NewService(pool, log).SeedDemo(ctx, cfg.StoreName); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "seeded %d demo products\n", *products)
	return nil
}

// devDB runs a command with a private PostgreSQL started for it, its URL in
// TEST_DATABASE_URL; `make test` uses it so the whole suite shares one server.
func (c *cli) devDB(ctx context.Context, args []string) error {
	if len(args) < 2 || args[0] != "run" {
		return fmt.Errorf("%w: dev-db run [--] COMMAND [ARGS...]", errUsage)
	}
	args = args[1:]
	if args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		return fmt.Errorf("%w: dev-db run needs a command", errUsage)
	}
	dir, err := os.MkdirTemp("", "monoshop-testdb-")
	if err != nil {
		return fmt.Errorf("create temporary database directory: %w", err)
	}
	defer os.RemoveAll(dir)
	// The server may run as another user (PostgreSQL refuses root); it must reach the dir.
	if err := os.Chmod(dir, 0o755); err != nil {
		return fmt.Errorf("open up temporary database directory: %w", err)
	}
	log := obs.NewLogger(c.stderr, "text", slog.LevelWarn)
	cluster, err := devdb.Start(ctx, devdb.Options{DataDir: dir, Logger: log, Fast: true})
	if err != nil {
		if errors.Is(err, devdb.ErrNoPostgres) {
			return &ConfigError{"TEST_DATABASE_URL", devdb.ErrNoPostgres.Error()}
		}
		return err
	}
	defer stopCluster(cluster, log)

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Env = append(os.Environ(), "TEST_DATABASE_URL="+cluster.URL("shop"))
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, c.stdout, c.stderr
	return cmd.Run()
}

func stopCluster(cluster *devdb.Cluster, log *slog.Logger) {
	if cluster == nil {
		return
	}
	if err := cluster.Stop(); err != nil {
		log.Error("stop embedded database", "err", err)
	}
}

// users runs the account commands; today only create-staff.
func (c *cli) users(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "create-staff" {
		return fmt.Errorf("%w: users takes create-staff --email E --role ROLE [--name N]", errUsage)
	}
	return c.createStaff(ctx, args[1:])
}

// staffFlag names where on the command line a field the users service refused came from.
func staffFlag(field string) string {
	switch field {
	case "email", "name", "role":
		return "--" + field
	case "password":
		return "password (standard input)"
	}
	return field
}

// createStaff makes a back-office account, typically the shop's first owner. The password
// is the first line of standard input, never a flag: flags end up in shell history and
// in every user's view of the process list.
func (c *cli) createStaff(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("users create-staff", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	email := fs.String("email", "", "email address to sign in with (required)")
	name := fs.String("name", "", "the person's name")
	role := fs.String("role", "", "one of "+roleNames()+" (required)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("%w: unexpected argument %q (the password is read from standard input)", errUsage, fs.Arg(0))
	case strings.TrimSpace(*email) == "":
		return fmt.Errorf("%w: --email is required", errUsage)
	case *role == "":
		return fmt.Errorf("%w: --role is required: one of %s", errUsage, roleNames())
	case !users.Role(*role).Valid():
		return fmt.Errorf("%w: --role %q is not a role; use one of %s", errUsage, *role, roleNames())
	}
	password, err := c.readPassword()
	if err != nil {
		return err
	}
	cfg, log, err := c.config()
	if err != nil {
		return err
	}
	pool, cluster, err := openDatabase(ctx, cfg, log, true, nil)
	defer stopCluster(cluster, log)
	if err != nil {
		return err
	}
	defer pool.Close()
	if _, err := db.Migrate(ctx, pool, migrations.FS, log); err != nil {
		return err
	}
	svc := users.NewService(pool, log, users.Options{BaseURL: cfg.BaseURL, StoreName: func(context.Context) string { return cfg.StoreName }})
	// Whoever can run the binary against the database already holds the keys to the shop,
	// so the command acts as an owner; the audit log records it without a staff actor.
	acc, err := svc.CreateStaff(ctx, users.Actor{}, users.RoleOwner,
		users.RegisterInput{Email: *email, Name: *name, Password: password}, users.Role(*role))
	if err != nil {
		fields := apperr.FieldsOf(err)
		if len(fields) == 0 {
			return err
		}
		for _, k := range slices.Sorted(maps.Keys(fields)) {
			fmt.Fprintf(c.stderr, "shop: %s: %s\n", staffFlag(k), fields[k])
		}
		return fmt.Errorf("%w: no staff account was created", errUsage)
	}
	fmt.Fprintf(c.stdout, "created %s account for %s\n", acc.Role.Label(), acc.Email)
	return nil
}

// readPassword reads the password from the first line of standard input. A terminal
// cannot hide what is typed without a dependency this binary does not take, so at a
// terminal it says so and suggests piping instead.
func (c *cli) readPassword() (string, error) {
	const hint = `pipe the password in: printf '%s\n' "$PASSWORD" | shop users create-staff ...`
	if c.stdin == nil {
		return "", fmt.Errorf("%w: no password on standard input; %s", errUsage, hint)
	}
	if f, ok := c.stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			_, _ = io.WriteString(c.stderr, "Password (shown as you type; to avoid that, "+hint+"):\n")
		}
	}
	// Bounded: a password longer than the service accepts is refused anyway, and a
	// mistakenly piped file must not be read whole.
	line, err := bufio.NewReader(io.LimitReader(c.stdin, users.MaxPasswordLength+3)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", fmt.Errorf("%w: no password on standard input; %s", errUsage, hint)
	}
	return line, nil
}

// roleNames lists the staff roles as the command line spells them.
func roleNames() string {
	names := make([]string, len(users.Roles))
	for i, r := range users.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}
