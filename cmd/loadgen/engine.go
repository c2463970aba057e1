package main

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"
)

// requestTimeout fails a request that takes this long: far beyond any target, it only
// keeps a stuck server from hanging the benchmark.
const requestTimeout = 10 * time.Second

// maxErrorKinds bounds the distinct error messages kept per run; a failing server can
// produce a different message per request (addresses, ports) and the report needs only
// the main causes.
const maxErrorKinds = 20

// newTransport returns a transport for conns connections to one server, each kept alive.
// No proxy from the environment (that would measure the proxy), and no transparent
// compression: Go's would hide the bytes on the wire, knows gzip only, and would unzip
// pages nobody reads. The engine asks for compression itself (-accept-encoding) and
// decodes only the answers a worker reads.
func newTransport(conns int) *http.Transport {
	return &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
}

// noRedirects makes a client return a redirect as the answer, so one timed request is
// one exchange and a scenario can check where it was sent.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// load drives one scenario with a fixed set of closed-loop clients. The clients and their
// connections live from the warm-up to the last run, so runs measure warm keep-alive
// connections, as a steady stream of shoppers would see.
type load struct {
	transport *http.Transport
	clients   []*client
	// steps are the flow's steps in the order the report lists them (flows only).
	steps []string
}

// client is one simulated user: a goroutine with its own connection, worker state and
// random stream, sending its next request as soon as the previous answer has been read.
type client struct {
	http   *http.Client
	worker Worker
	// stepper is the worker when its requests are steps of a flow, else nil.
	stepper Stepper
	// headersOnly is set when the worker judges answers without their body, which is then
	// never decoded.
	headersOnly    bool
	acceptEncoding string
	rng            *rand.Rand
	body           bytes.Buffer
	decoder        decoder
	// Filled by one run; samples are the latencies of the answers that passed Check,
	// wire the bytes of their bodies as they crossed the network, steps the same samples
	// by step (flows only), outcomes what the flow achieved.
	samples  []time.Duration
	wire     int64
	steps    map[string][]time.Duration
	outcomes map[string]int
	errors   int
	kinds    map[string]int
}

// newLoad prepares conns clients for s, client i drawing from the random stream
// (seed^stream, i): one stream per client, distinct from the scenario's discovery stream.
// Every request they send asks for acceptEncoding ("" for no Accept-Encoding).
func newLoad(s Scenario, conns int, seed, stream uint64, acceptEncoding string) *load {
	l := &load{transport: newTransport(conns)}
	if f, ok := s.(FlowScenario); ok {
		l.steps = f.Steps()
	}
	for i := range conns {
		w := s.NewWorker()
		stepper, _ := w.(Stepper)
		h, ok := w.(HeadersOnly)
		l.clients = append(l.clients, &client{
			http: &http.Client{
				Transport:     l.transport,
				Jar:           w.Jar(),
				CheckRedirect: noRedirects,
				Timeout:       requestTimeout,
			},
			worker:         w,
			stepper:        stepper,
			headersOnly:    ok && h.ChecksHeadersOnly(),
			acceptEncoding: acceptEncoding,
			rng:            rand.New(rand.NewPCG(seed^stream, uint64(i))),
		})
	}
	return l
}

// close drops the connections so the next scenario starts from its own, and the
// clients' decoders.
func (l *load) close() {
	l.transport.CloseIdleConnections()
	for _, c := range l.clients {
		c.decoder.close()
	}
}

// runSample is what one run of a scenario measured.
type runSample struct {
	elapsed time.Duration
	latency []time.Duration // sorted; one per answer that passed Check
	// wire is the bytes of those answers' bodies as read from the network: compressed
	// when the server compressed them.
	wire   int64
	errors int
	kinds  map[string]int // error message -> count
	// Flows only: the same latencies by step, in the flow's order, and what the flow
	// achieved (outcome -> count).
	steps    []stepSample
	outcomes map[string]int
}

// stepSample is the latencies of one step of a flow in one run, sorted.
type stepSample struct {
	name    string
	latency []time.Duration
}

// run sends load for d and returns what it measured. Clients stop sending at the deadline
// and finish the request in flight, which is counted; elapsed runs until the last one is
// done, so throughput is not flattered by unfinished requests.
func (l *load) run(ctx context.Context, d time.Duration) (runSample, error) {
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for _, c := range l.clients {
		wg.Go(func() { c.loop(ctx, deadline) })
	}
	wg.Wait()
	if ctx.Err() != nil {
		return runSample{}, context.Cause(ctx)
	}
	s := runSample{elapsed: time.Since(start), kinds: map[string]int{}}
	n := 0
	for _, c := range l.clients {
		n += len(c.samples)
	}
	s.latency = make([]time.Duration, 0, n)
	for _, c := range l.clients {
		s.latency = append(s.latency, c.samples...)
		s.wire += c.wire
		s.errors += c.errors
		for k, v := range c.kinds {
			addKind(s.kinds, k, v)
		}
	}
	slices.Sort(s.latency)
	if l.clients[0].stepper != nil {
		s.steps, s.outcomes = l.collectSteps()
	}
	return s, nil
}

// collectSteps gathers the clients' latencies by step, in the flow's declared order (a
// step no answer passed is listed all the same, so a target on it cannot pass by
// absence), followed by any step the flow did not declare.
func (l *load) collectSteps() ([]stepSample, map[string]int) {
	byStep := map[string][]time.Duration{}
	outcomes := map[string]int{}
	for _, c := range l.clients {
		for name, lat := range c.steps {
			byStep[name] = append(byStep[name], lat...)
		}
		for k, v := range c.outcomes {
			outcomes[k] += v
		}
	}
	names := slices.Clone(l.steps)
	for _, name := range slices.Sorted(maps.Keys(byStep)) {
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	steps := make([]stepSample, len(names))
	for i, name := range names {
		lat := byStep[name]
		slices.Sort(lat)
		steps[i] = stepSample{name: name, latency: lat}
	}
	return steps, outcomes
}

func (c *client) loop(ctx context.Context, deadline time.Time) {
	c.samples, c.wire, c.errors, c.kinds = c.samples[:0], 0, 0, map[string]int{}
	if c.stepper != nil {
		c.steps, c.outcomes = map[string][]time.Duration{}, map[string]int{}
	}
	for ctx.Err() == nil && time.Now().Before(deadline) {
		lat, wire, step, err := c.once(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return // interrupted, not the server's fault
			}
			c.errors++
			kind := errorKind(err)
			if step != "" {
				// A flow's failures are told apart by the step that failed.
				kind = step + ": " + kind
			}
			addKind(c.kinds, kind, 1)
			continue
		}
		c.samples = append(c.samples, lat)
		c.wire += wire
		if c.stepper != nil {
			c.steps[step] = append(c.steps[step], lat)
			if o := c.stepper.Outcome(); o != "" {
				c.outcomes[o]++
			}
		}
	}
}

// once sends one request and reads the whole answer; the latency is to the last byte,
// wire the body's bytes as they came (before decoding). step names the request when the
// worker is a flow's.
func (c *client) once(ctx context.Context) (lat time.Duration, wire int64, step string, err error) {
	req, err := c.worker.Next(ctx, c.rng)
	if c.stepper != nil {
		step = c.stepper.Step()
	}
	if err != nil {
		return 0, 0, step, err
	}
	if c.acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", c.acceptEncoding)
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, 0, step, err
	}
	c.body.Reset()
	wire, err = c.body.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, 0, step, err
	}
	// Decoding is the load generator's work, not the server's: it stays out of the
	// latency.
	lat = time.Since(start)
	var body []byte
	if !c.headersOnly {
		if body, err = c.decoder.decode(resp.Header.Get("Content-Encoding"), c.body.Bytes()); err != nil {
			return 0, 0, step, err
		}
	}
	if err := c.worker.Check(resp, body); err != nil {
		return 0, 0, step, err
	}
	return lat, wire, step, nil
}

// errorKind groups errors by cause: the URL that *url.Error adds would make every failed
// request a kind of its own.
func errorKind(err error) string {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Op + ": " + ue.Err.Error()
	}
	return err.Error()
}

func addKind(kinds map[string]int, kind string, n int) {
	if _, ok := kinds[kind]; !ok && len(kinds) >= maxErrorKinds {
		kind = "(other errors)"
	}
	kinds[kind] += n
}
