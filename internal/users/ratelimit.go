package users

import (
	"context"
	"time"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/users/internal/dbsqlc"
)

// Limit is a number of attempts allowed per window.
type Limit struct {
	Max    int
	Window time.Duration
}

// Limits used by the account pages, per client IP.
var (
	LimitLogin    = Limit{Max: 20, Window: time.Minute}
	LimitRegister = Limit{Max: 10, Window: time.Hour}
	LimitReset    = Limit{Max: 5, Window: 15 * time.Minute}
)

// Allow counts one attempt in bucket (for example "login:203.0.113.7") and refuses it
// with TooMany once the window's limit is reached. Counters live in Postgres, so the limit
// holds across every replica.
func (s *Service) Allow(ctx context.Context, bucket string, l Limit) error {
	start := s.now().Truncate(l.Window)
	hits, err := s.q.RateLimitHit(ctx, s.pool, dbsqlc.RateLimitHitParams{Bucket: bucket, WindowStart: start})
	if err != nil {
		return interpretError(err, "rate limit")
	}
	if int(hits) > l.Max {
		return apperr.New(apperr.TooMany, "Too many attempts. Please wait a few minutes and try again.")
	}
	return nil
}

// PruneRateLimits deletes counters of windows that ended long ago.
func (s *Service) PruneRateLimits(ctx context.Context) error {
	return interpretError(s.q.RateLimitPrune(ctx, s.pool, s.now().Add(-24*time.Hour)), "rate limit")
}
