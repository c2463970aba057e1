// Package jobs configures River, the Postgres-backed job queue. Modules own their job
// args and workers (their jobs.go) and register them on a Registry; cmd/shop builds one
// client per process from it.
package jobs

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/monoshop/monoshop/internal/platform/db"
)

// fetchCooldown is the least time between two fetches of one queue (see NewClient).
const fetchCooldown = 25 * time.Millisecond

// Client is the River client type every module inserts jobs through.
type Client = river.Client[pgx.Tx]

// Registry collects workers and periodic jobs before the client is built.
type Registry struct {
	Workers  *river.Workers
	Periodic []*river.PeriodicJob
	// Queues beyond the default one, with how many of their jobs a process runs at once.
	Queues map[string]int
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{Workers: river.NewWorkers(), Queues: map[string]int{}}
}

// AddQueue declares a queue whose jobs are heavy enough to need their own limit (image
// rendering takes a CPU core and tens of megabytes per job).
func (r *Registry) AddQueue(name string, maxWorkers int) { r.Queues[name] = maxWorkers }

// AddPeriodic schedules a job every interval, once per cluster: River's leader election
// makes only one replica enqueue it.
func (r *Registry) AddPeriodic(interval time.Duration, args func() river.JobArgs) {
	r.Periodic = append(r.Periodic, river.NewPeriodicJob(
		river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return args(), nil },
		&river.PeriodicJobOpts{RunOnStart: true},
	))
}

// Options says how this process takes part in the queue.
type Options struct {
	// Work makes the client fetch and run jobs; without it the client only inserts
	// (useful for one-off commands such as seed).
	Work bool
	// MaxWorkers bounds concurrent jobs in this process.
	MaxWorkers int
	// StopTimeout is how long running jobs get to finish at shutdown before their
	// contexts are cancelled.
	StopTimeout time.Duration
	// PollInterval is how often a worker looks for jobs when LISTEN/NOTIFY says nothing;
	// tests shorten it.
	PollInterval time.Duration
}

// NewClient builds a River client on pool using the river schema.
func NewClient(pool *pgxpool.Pool, reg *Registry, log *slog.Logger, opts Options) (*Client, error) {
	cfg := &river.Config{
		Schema:          db.RiverSchema,
		Logger:          log.With("component", "river"),
		Workers:         reg.Workers,
		SoftStopTimeout: opts.StopTimeout,
	}
	if opts.PollInterval > 0 {
		cfg.FetchPollInterval = opts.PollInterval
	}
	// A queue fetches at most once per cooldown, as many jobs as it has idle workers, so
	// cooldown and workers cap throughput: River's 100 ms with 10 workers is 100 jobs a
	// second, whatever the jobs cost. After a checkout burst, 10,871 waiting jobs (emails,
	// payment webhooks) took 116 s to drain at that cap. 25 ms allows four times that; a
	// fetch is one indexed statement, and an idle queue still waits for LISTEN/NOTIFY or
	// the poll interval.
	cfg.FetchCooldown = fetchCooldown
	if opts.Work {
		n := opts.MaxWorkers
		if n <= 0 {
			n = 10
		}
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: n}}
		for name, max := range reg.Queues {
			cfg.Queues[name] = river.QueueConfig{MaxWorkers: max}
		}
		cfg.PeriodicJobs = reg.Periodic
	}
	client, err := river.NewClient(riverpgxv5.New(pool), cfg)
	if err != nil {
		return nil, fmt.Errorf("jobs: new river client: %w", err)
	}
	return client, nil
}
