package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
)

// SessionCleanupArgs asks for expired shopper sessions to be deleted. It runs as a
// periodic job rather than scs's per-process ticker so ten replicas do not run the same
// DELETE ten times.
type SessionCleanupArgs struct{}

func (SessionCleanupArgs) Kind() string { return "platform.session_cleanup" }

// SessionCleanupWorker deletes sessions past their expiry in batches, so one run never
// holds a long lock on a large table.
type SessionCleanupWorker struct {
	river.WorkerDefaults[SessionCleanupArgs]
	Pool *pgxpool.Pool
}

func (w *SessionCleanupWorker) Work(ctx context.Context, _ *river.Job[SessionCleanupArgs]) error {
	for {
		tag, err := w.Pool.Exec(ctx, `
			DELETE FROM public.sessions
			WHERE token IN (SELECT token FROM public.sessions WHERE expiry < now() LIMIT 5000)`)
		if err != nil {
			return fmt.Errorf("delete expired sessions: %w", err)
		}
		if tag.RowsAffected() < 5000 {
			return nil
		}
	}
}

// RegisterSessionCleanup schedules the cleanup hourly.
func RegisterSessionCleanup(reg *Registry, pool *pgxpool.Pool) {
	river.AddWorker(reg.Workers, &SessionCleanupWorker{Pool: pool})
	reg.AddPeriodic(time.Hour, func() river.JobArgs { return SessionCleanupArgs{} })
}
