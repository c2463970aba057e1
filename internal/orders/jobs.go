package orders

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/monoshop/monoshop/internal/platform/jobs"
)

// DefaultExpireInterval is how often the expiry job looks for abandoned unpaid orders.
const DefaultExpireInterval = time.Minute

// RegisterJobs adds the periodic expiry of unpaid orders to the registry (every interval;
// 0 means every minute).
func (s *Service) RegisterJobs(reg *jobs.Registry, interval time.Duration) {
	if interval <= 0 {
		interval = DefaultExpireInterval
	}
	river.AddWorker(reg.Workers, &expireWorker{svc: s})
	reg.AddPeriodic(interval, func() river.JobArgs { return ExpireUnpaidArgs{} })
}

// ExpireUnpaidArgs asks for unpaid orders past their expiry to be cancelled.
type ExpireUnpaidArgs struct{}

// Kind implements river.JobArgs.
func (ExpireUnpaidArgs) Kind() string { return "orders.expire_unpaid" }

// InsertOpts keeps at most one run waiting at a time.
func (ExpireUnpaidArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 30 * time.Second}}
}

type expireWorker struct {
	river.WorkerDefaults[ExpireUnpaidArgs]
	svc *Service
}

func (w *expireWorker) Work(ctx context.Context, _ *river.Job[ExpireUnpaidArgs]) error {
	n, err := w.svc.ExpireUnpaid(ctx)
	if n > 0 {
		w.svc.log.InfoContext(ctx, "orders: expired unpaid orders", "count", n)
	}
	return err
}
