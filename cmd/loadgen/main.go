// Command loadgen measures a running shop binary: for each scenario it finds realistic
// URLs by reading the server's sitemap and pages (never its database), then drives a
// fixed number of keep-alive connections in a closed loop and reports throughput,
// latency percentiles, bytes per answer on the wire, errors and the server's memory,
// checked against the targets in targets.go. Measured requests ask for compression as
// Chrome does (-accept-encoding), since that is how shoppers load the pages. `make bench`
// runs it against a freshly seeded shop (bench/run).
//
//	loadgen -base http://127.0.0.1:18080 -pid 1234 -scenarios ceiling,product -d 10s
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type options struct {
	base      *url.URL
	conns     int
	duration  time.Duration
	warmup    time.Duration
	runs      int
	pid       int
	scenarios []string
	out       string
	seed      uint64
	strict    bool
	list      bool
	// acceptEncoding is the Accept-Encoding of every measured request; "" sends none.
	acceptEncoding string
	edit           editConfig
	// startup is how long the server took to start, as bench/run-inner measured it.
	startup startup
}

// staffPasswordEnv holds the password of the staff member the edit scenarios sign in as:
// an argument would show in the process list.
const staffPasswordEnv = "LOADGEN_STAFF_PASSWORD"

// run executes one invocation and returns the exit status: 0 done (targets may have
// failed unless -strict), 1 failure or failed targets with -strict, 2 bad usage.
// -list only prints the default scenarios, for bench/run-inner, which runs the checkout
// against a server of its own.
// getenv reads the environment (the staff password); tests give their own.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	o, err := parseOptions(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "loadgen: %v\n", err)
		return 2
	}
	if o.list {
		fmt.Fprintln(stdout, strings.Join(scenarioNames(), ","))
		return 0
	}
	ctx, stop := watchProcesses(ctx, o.pid)
	defer stop()
	rep, err := measure(ctx, o, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "loadgen: %v\n", err)
		return 1
	}
	if err := rep.writeText(stdout); err != nil {
		fmt.Fprintf(stderr, "loadgen: %v\n", err)
		return 1
	}
	if o.out != "" {
		txt, js, err := rep.save(o.out)
		if err != nil {
			fmt.Fprintf(stderr, "loadgen: save the report: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "\nsaved %s and %s\n", txt, js)
	}
	if o.strict && rep.failed() {
		fmt.Fprintln(stderr, "loadgen: some targets failed (-strict)")
		return 1
	}
	return 0
}

func parseOptions(args []string, getenv func(string) string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	base := fs.String("base", "http://127.0.0.1:18080", "URL of the running shop")
	fs.IntVar(&o.conns, "c", 64, "connections, each driven by its own client in a closed loop")
	fs.DurationVar(&o.duration, "d", 10*time.Second, "duration of each measured run")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured load before a scenario's runs")
	fs.IntVar(&o.runs, "runs", 3, "measured runs per scenario; the report gives the median")
	fs.IntVar(&o.pid, "pid", 0, "server process ID, to read its memory and CPU use from /proc (0: skip)")
	names := fs.String("scenarios", strings.Join(scenarioNames(), ","), "comma-separated scenarios to run, in order")
	fs.StringVar(&o.out, "out", "bench/results", "directory for the .txt and .json report (empty: do not save)")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed for URL discovery and request order")
	fs.BoolVar(&o.strict, "strict", false, "exit with status 1 when a target fails")
	fs.BoolVar(&o.list, "list", false, "print the scenarios run by default, comma-separated, and exit")
	fs.StringVar(&o.acceptEncoding, "accept-encoding", defaultAcceptEncoding,
		"Accept-Encoding of every measured request (the default is Chrome's); identity measures uncompressed answers, empty sends no header")
	fs.StringVar(&o.edit.staffEmail, "staff-email", "", "edit scenarios: the staff member (catalog_manager or above) who edits; password in $"+staffPasswordEnv)
	fs.Float64Var(&o.edit.rate, "edit-rate", 10, "edit scenarios: edits per second (title or a variant's price, alternately)")
	fs.IntVar(&o.edit.edits, "edits", 0, "edit scenarios: a soak, measured runs until this many edits were made (0: -runs runs)")
	fs.DurationVar(&o.edit.visibleTimeout, "visible-timeout", defaultVisibleTimeout, "edit scenarios: how long an edited title may take to show on its product page")
	fs.DurationVar(&o.startup.Ready, "ready-after", 0, "for the report: how long the server took from start to /readyz answering 200")
	fs.DurationVar(&o.startup.FirstProduct, "first-product-after", 0, "for the report: how long the server took from start to its first product page")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.edit.staffPassword = getenv(staffPasswordEnv)
	o.edit.pid = o.pid
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	u, err := url.Parse(*base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return o, fmt.Errorf("-base %q is not an http(s) URL like http://127.0.0.1:18080", *base)
	}
	if u.Path != "" && u.Path != "/" {
		return o, fmt.Errorf("-base %q has a path; the shop's URL map starts at the root, so give scheme and host only", *base)
	}
	o.base = &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/"}
	switch {
	case o.conns < 1:
		return o, errors.New("-c must be at least 1")
	case o.duration <= 0:
		return o, errors.New("-d must be positive")
	case o.warmup < 0:
		return o, errors.New("-warmup must not be negative")
	case o.runs < 1:
		return o, errors.New("-runs must be at least 1")
	case o.pid < 0:
		return o, errors.New("-pid must not be negative")
	case o.edit.rate <= 0:
		return o, errors.New("-edit-rate must be positive")
	case o.edit.visibleTimeout <= 0:
		return o, errors.New("-visible-timeout must be positive")
	case o.edit.edits < 0:
		return o, errors.New("-edits must not be negative")
	case o.startup.Ready < 0 || o.startup.FirstProduct < 0:
		return o, errors.New("-ready-after and -first-product-after must not be negative")
	}
	o.acceptEncoding = strings.TrimSpace(o.acceptEncoding)
	if strings.ContainsFunc(o.acceptEncoding, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		// The transport would refuse every request with it, as thousands of errors.
		return o, fmt.Errorf("-accept-encoding %q holds a control character; want a header value such as %q", o.acceptEncoding, defaultAcceptEncoding)
	}
	for n := range strings.SplitSeq(*names, ",") {
		n = strings.TrimSpace(n)
		switch {
		case n == "":
		case !knownScenario(n):
			return o, fmt.Errorf("-scenarios: unknown scenario %q; known: %s", n, strings.Join(append(scenarioNames(), optionalScenarios()...), ","))
		case slices.Contains(o.scenarios, n):
			return o, fmt.Errorf("-scenarios: %q is listed twice", n)
		default:
			o.scenarios = append(o.scenarios, n)
		}
	}
	if len(o.scenarios) == 0 {
		return o, errors.New("-scenarios lists no scenario")
	}
	return o, nil
}

// watchProcesses returns a context that ends when the server (pid > 0) exits, or when
// the process that started loadgen does: bench/run's database wrapper ends its script
// with SIGKILL, and a load generator left behind would go on measuring nothing.
func watchProcesses(ctx context.Context, pid int) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(ctx)
	parent := os.Getppid()
	go func() {
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if os.Getppid() != parent {
				cancel(errors.New("stopped: the process that started loadgen exited"))
				return
			}
			if pid > 0 && !processRunning(pid) {
				cancel(fmt.Errorf("stopped: the server (pid %d) exited", pid))
				return
			}
		}
	}()
	return ctx, func() { cancel(nil) }
}

// streamOf gives each scenario its own random streams under one seed, so adding a
// scenario to a run changes neither the URLs nor the request order of the others.
func streamOf(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()
}

// measure discovers every scenario's URLs first (so discovery traffic never overlaps a
// measurement), then measures the scenarios one after the other.
func measure(ctx context.Context, o options, progress io.Writer) (*report, error) {
	rep := &report{
		Date:     time.Now().UTC().Truncate(time.Second),
		Revision: gitRevision(ctx),
		Machine:  readMachine(),
		Params: params{
			Base: strings.TrimSuffix(o.base.String(), "/"), Conns: o.conns,
			Duration: o.duration.String(), Warmup: o.warmup.String(),
			Runs: o.runs, Seed: o.seed, Scenarios: o.scenarios,
			AcceptEncoding: o.acceptEncoding,
		},
	}
	if o.startup != (startup{}) {
		st := o.startup
		rep.Startup = &st
	}
	if o.pid > 0 {
		if _, err := readMemory(o.pid); err != nil {
			return nil, fmt.Errorf("-pid %d: %w", o.pid, err)
		}
	}

	discovery := newTransport(discoveryParallel)
	defer discovery.CloseIdleConnections()
	client := &http.Client{Transport: discovery, CheckRedirect: noRedirects, Timeout: 30 * time.Second}
	s := &site{}
	var scenarios []Scenario
	for _, name := range o.scenarios {
		sc, err := newScenario(name, o.seed, streamOf(name), s, o.edit)
		if err != nil {
			return nil, err
		}
		start := time.Now()
		if err := sc.Prepare(ctx, client, o.base); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		fmt.Fprintf(progress, "discovered %-8s %s (%.1fs)\n", name, sc.Describe(), time.Since(start).Seconds())
		scenarios = append(scenarios, sc)
	}
	discovery.CloseIdleConnections()

	for _, sc := range scenarios {
		res, err := measureScenario(ctx, sc, o, progress)
		if err != nil {
			return nil, err
		}
		rep.Scenarios = append(rep.Scenarios, res)
	}
	setCeilingShares(rep.Scenarios)
	setBaseShares(rep.Scenarios)
	rep.Targets = evaluate(targets(), rep.Scenarios, rep.Startup)
	if o.pid > 0 {
		if mem, err := readMemory(o.pid); err == nil {
			rep.Server = &serverMemory{PID: o.pid, PeakRSS: mem.PeakRSS, RSS: mem.RSS}
		} else {
			fmt.Fprintf(progress, "loadgen: warning: %v\n", err)
		}
	}
	return rep, nil
}

// measureScenario warms sc up, then measures it o.runs times on the same connections.
func measureScenario(ctx context.Context, sc Scenario, o options, progress io.Writer) (scenarioResult, error) {
	conns, fixed := o.conns, 0
	if f, ok := sc.(FixedConns); ok {
		conns, fixed = f.Conns(), f.Conns()
	}
	l := newLoad(sc, conns, o.seed, streamOf(sc.Name()), o.acceptEncoding)
	defer l.close()
	bg, _ := sc.(Background)
	var warm *editRun
	if bg != nil {
		bg.StartBackground(ctx)
		defer bg.Lap(true) // stops it when a run fails
	}
	if o.warmup > 0 {
		fmt.Fprintf(progress, "%-8s warm-up %s\n", sc.Name(), o.warmup)
		if _, err := l.run(ctx, o.warmup); err != nil {
			return scenarioResult{}, err
		}
	}
	if bg != nil {
		warm = bg.Lap(false)
	}
	var runs []runResult
	kinds := map[string]int{}
	soak := bg != nil && o.edit.edits > 0
	edits := 0
	for i := 0; i < o.runs || soak && edits < o.edit.edits; i++ {
		srv0, self0 := serverCPU(o.pid), selfCPU()
		s, err := l.run(ctx, o.duration)
		if err != nil {
			return scenarioResult{}, err
		}
		srv1, self1 := serverCPU(o.pid), selfCPU()
		r := newRunResult(s)
		r.LoadgenCPU = (self1 - self0).Seconds() / s.elapsed.Seconds()
		if o.pid > 0 {
			r.ServerCPU = (srv1 - srv0).Seconds() / s.elapsed.Seconds()
		}
		for k, v := range s.kinds {
			addKind(kinds, k, v)
		}
		total := strconv.Itoa(o.runs)
		if bg != nil {
			r.Edits = bg.Lap(false)
			edits += r.Edits.Started
			if soak {
				total = fmt.Sprintf("? (%d of %d edits)", edits, o.edit.edits)
				if r.Edits.Started == 0 {
					return scenarioResult{}, fmt.Errorf("%s: the soak made no edit in a run of %s", sc.Name(), o.duration)
				}
			}
		}
		runs = append(runs, r)
		fmt.Fprintf(progress, "%-8s run %d/%s: %.0f req/s, p50 %s, p99 %s, %s KB/answer, %d errors%s%s\n",
			sc.Name(), i+1, total, r.ReqPerSec, ms(r.P50Ms), ms(r.P99Ms), kb(r.WireBytesPerAnswer), r.Errors, outcomeProgress(r), editProgress(r.Edits))
	}
	if bg != nil {
		// The edits in flight when the last run ended, and the checks of their titles,
		// belong to it.
		runs[len(runs)-1].Edits.merge(bg.Lap(true))
	}
	res := summarize(sc.Name(), sc.Describe(), runs, kinds)
	if bg != nil {
		res.Edits = summarizeEdits(bg.Base(), warm, runs, soak)
		res.Edits.VisibleTimeout = o.edit.visibleTimeout.String()
	}
	res.Conns = fixed
	if o.pid > 0 {
		if mem, err := readMemory(o.pid); err == nil {
			res.ServerPeakRSS = mem.PeakRSS
		}
	}
	return res, nil
}

// outcomeProgress adds what a flow's run achieved to its progress line.
func outcomeProgress(r runResult) string {
	var b strings.Builder
	for _, o := range slices.Sorted(maps.Keys(r.Outcomes)) {
		fmt.Fprintf(&b, ", %d %s (%.1f/s)", r.Outcomes[o], outcomeLabel(o), r.perSec(o))
	}
	return b.String()
}

// serverCPU is the server's CPU time so far, 0 when it is not known; a run's share is the
// difference of two readings.
func serverCPU(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	d, err := processCPU(pid)
	if err != nil {
		return 0
	}
	return d
}
