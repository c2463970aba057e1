package cart

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/monoshop/monoshop/internal/cart/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/jobs"
)

const (
	// GuestCartMaxAge is how long a guest cart nobody changes is kept. Sessions last at
	// most 30 days, so by then no browser can reach it any more.
	GuestCartMaxAge = 30 * 24 * time.Hour
	// cleanupInterval: abandoned carts cost a few rows each, so once every few hours is
	// plenty; River's leader election makes one replica run it.
	cleanupInterval = 6 * time.Hour
	// cleanupBatch bounds one DELETE, so a first run on a large table never holds many
	// row locks at once.
	cleanupBatch = 1000
)

// CleanupGuestCartsArgs asks for abandoned guest carts to be deleted.
type CleanupGuestCartsArgs struct{}

// Kind names the job in River.
func (CleanupGuestCartsArgs) Kind() string { return "cart.cleanup_guest_carts" }

type cleanupGuestCartsWorker struct {
	river.WorkerDefaults[CleanupGuestCartsArgs]
	svc *Service
}

func (w *cleanupGuestCartsWorker) Work(ctx context.Context, _ *river.Job[CleanupGuestCartsArgs]) error {
	n, err := w.svc.DeleteStaleGuestCarts(ctx, time.Now().Add(-GuestCartMaxAge))
	if err != nil {
		return err
	}
	if n > 0 {
		w.svc.log.InfoContext(ctx, "abandoned guest carts deleted", "carts", n)
	}
	return nil
}

// RegisterJobs adds the periodic cleanup of abandoned guest carts to the registry.
func (s *Service) RegisterJobs(reg *jobs.Registry) {
	river.AddWorker(reg.Workers, &cleanupGuestCartsWorker{svc: s})
	reg.AddPeriodic(cleanupInterval, func() river.JobArgs { return CleanupGuestCartsArgs{} })
}

// DeleteStaleGuestCarts deletes guest carts not changed since before (their lines go
// with them) and returns how many. Customers' carts are kept: they belong to an account.
func (s *Service) DeleteStaleGuestCarts(ctx context.Context, before time.Time) (int, error) {
	total := 0
	for {
		n, err := s.q.GuestCartsDeleteStale(ctx, s.pool, dbsqlc.GuestCartsDeleteStaleParams{Before: before, Batch: cleanupBatch})
		if err != nil {
			return total, fmt.Errorf("cart: delete abandoned guest carts: %w", err)
		}
		total += int(n)
		if n < cleanupBatch {
			return total, nil
		}
	}
}
