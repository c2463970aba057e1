package payments

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/monoshop/monoshop/internal/payments/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/jobs"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// JobInserter is what payments needs of the job queue: inserting in the caller's
// transaction, so a rolled-back change queues nothing.
type JobInserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// UseJobs attaches the job queue. The queue is built after the workers are registered,
// so this is a second step of construction.
func (s *Service) UseJobs(j JobInserter) {
	s.jobs = j
	if s.test != nil {
		s.test.jobs = j
	}
}

// RegisterJobs adds the recovery job (every ReconcileInterval, once per cluster) and, with
// the test gateway, its webhook delivery worker.
func (s *Service) RegisterJobs(reg *jobs.Registry) {
	river.AddWorker(reg.Workers, &reconcileWorker{svc: s})
	reg.AddPeriodic(s.cfg.ReconcileInterval, func() river.JobArgs { return ReconcileArgs{} })
	if s.test != nil {
		river.AddWorker(reg.Workers, &testWebhookWorker{svc: s})
	}
}

const (
	// reconcileBatch bounds one run; what is left waits for the next, oldest first.
	reconcileBatch = 100
	// reconcileCallTimeout bounds one question to a provider, so one that hangs cannot
	// hold up the rest of the batch.
	reconcileCallTimeout = 20 * time.Second
	// refundRetryAfter: a refund pending this long lost its provider answer (a crash or
	// a timeout); asking again with the same key finishes it.
	refundRetryAfter = 5 * time.Minute
	// testWebhookAttempts with River's backoff (attempt⁴ seconds) retries for about four
	// hours, as a real provider keeps redelivering to a shop that is down.
	testWebhookAttempts = 10
)

// ReconcileArgs asks for payments left pending to be checked with their providers, and
// refunds left without an answer to be completed.
type ReconcileArgs struct{}

// Kind names the job in River.
func (ReconcileArgs) Kind() string { return "payments.reconcile" }

// InsertOpts: the job is periodic, so a failed run is not retried; the next one comes
// soon and finds the same work.
func (ReconcileArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 1} }

type reconcileWorker struct {
	river.WorkerDefaults[ReconcileArgs]
	svc *Service
}

func (w *reconcileWorker) Work(ctx context.Context, _ *river.Job[ReconcileArgs]) error {
	return w.svc.ReconcilePending(ctx)
}

// ReconcilePending is one run of the recovery job: it asks the providers about payments
// pending for longer than ReconcileAfter (a webhook should have come by then) and repeats
// refund calls that never got an answer recorded. One failure does not stop the others.
func (s *Service) ReconcilePending(ctx context.Context) error {
	var remote []string
	for name := range s.providers {
		if name != ProviderManual {
			remote = append(remote, name)
		}
	}
	ids, err := s.q.PaymentListToReconcile(ctx, s.pool, dbsqlc.PaymentListToReconcileParams{
		Providers:     remote,
		MinAgeSeconds: s.cfg.ReconcileAfter.Seconds(),
		MaxAgeSeconds: reconcileMaxAge.Seconds(),
		Lim:           reconcileBatch,
	})
	if err != nil {
		return fmt.Errorf("payments: list payments to reconcile: %w", err)
	}
	var errs []error
	for _, id := range ids {
		callCtx, cancel := context.WithTimeout(ctx, reconcileCallTimeout)
		p, err := s.Reconcile(callCtx, PaymentID(id))
		cancel()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if p.State != StatePending {
			s.log.InfoContext(ctx, "pending payment settled by asking the provider", "payment", id, "state", p.State)
		}
	}
	refunds, err := s.q.RefundListStalePending(ctx, s.pool, dbsqlc.RefundListStalePendingParams{
		MinAgeSeconds: refundRetryAfter.Seconds(), Lim: reconcileBatch,
	})
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("payments: list pending refunds: %w", err))...)
	}
	for _, r := range refunds {
		callCtx, cancel := context.WithTimeout(ctx, reconcileCallTimeout)
		_, err := s.Refund(callCtx, PaymentID(r.PaymentID), money.Amount{Minor: r.AmountMinor, Currency: r.Currency}, r.IdempotencyKey)
		cancel()
		if err != nil && !apperr.Is(err, apperr.Conflict) {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		s.log.WarnContext(ctx, "payment reconciliation incomplete", "failures", len(errs), "first", errs[0])
		return errors.Join(errs...)
	}
	return nil
}

// testWebhookArgs is one delivery of a test gateway event. The event travels in the job
// (it is what the gateway sent, fixed when it happened); the signature is made at
// delivery time, as a real provider signs each attempt.
type testWebhookArgs struct {
	Event    TestWebhook `json:"event"`
	Delivery int         `json:"delivery"`
	// NotBefore delays the delivery. It is enforced by snoozing rather than by River's
	// ScheduledAt, whose scheduler promotes jobs only every few seconds: the duplicate
	// must arrive about DuplicateDelay after the first, not whenever the scheduler runs.
	NotBefore time.Time `json:"not_before"`
}

func (testWebhookArgs) Kind() string { return "payments.test_webhook" }

func (testWebhookArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: testWebhookAttempts}
}

type testWebhookWorker struct {
	river.WorkerDefaults[testWebhookArgs]
	svc *Service
}

func (w *testWebhookWorker) Work(ctx context.Context, job *river.Job[testWebhookArgs]) error {
	if wait := time.Until(job.Args.NotBefore); wait > 0 {
		return river.JobSnooze(wait)
	}
	if w.svc.test == nil {
		return river.JobCancel(errors.New("payments: the test gateway is not enabled in this process"))
	}
	err := w.svc.test.deliver(ctx, w.svc, job.Args.Event)
	if err != nil && (apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.NotFound)) {
		// The shop answered 400: resending the same bytes cannot help.
		return river.JobCancel(fmt.Errorf("payments: test webhook %s refused: %w", job.Args.Event.ID, err))
	}
	return err
}
