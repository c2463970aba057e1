package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/monoshop/monoshop/internal/notify/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/jobs"
)

// JobInserter is what notify needs of the job queue: inserting in the caller's
// transaction, so a rolled-back change queues nothing.
type JobInserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// UseJobs attaches the job queue. The queue is built after the workers are registered,
// so this is a second step of construction.
func (s *Service) UseJobs(j JobInserter) { s.jobs = j }

// RegisterJobs adds the delivery worker to the registry.
func (s *Service) RegisterJobs(reg *jobs.Registry) {
	river.AddWorker(reg.Workers, &sendEmailWorker{svc: s})
}

const (
	// sendMaxAttempts with River's backoff (attempt⁴ seconds) keeps trying for about four
	// hours: long enough to ride out a mail server's restart or a DNS hiccup, short enough
	// that a password-reset link is not delivered the next day.
	sendMaxAttempts = 10
	// sendTimeout bounds one attempt: connecting, TLS, and the whole SMTP dialogue.
	sendTimeout = time.Minute
	// leaseTime outlives any attempt, so a lease still held belongs to a job that is really
	// sending; one left by a crashed process expires on its own.
	leaseTime = sendTimeout + 30*time.Second
	// recordTimeout bounds writing the outcome, which must happen even when the job's
	// context ended just after the server accepted the message.
	recordTimeout = 10 * time.Second
)

// sendEmailArgs asks for one stored message to be delivered. It carries only the id: the
// row is the source of truth, so a job never sends stale content or a cancelled message.
type sendEmailArgs struct {
	MessageID int64 `json:"message_id"`
}

func (sendEmailArgs) Kind() string { return "notify.send_email" }

func (sendEmailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: sendMaxAttempts}
}

type sendEmailWorker struct {
	river.WorkerDefaults[sendEmailArgs]
	svc *Service
}

func (w *sendEmailWorker) Timeout(*river.Job[sendEmailArgs]) time.Duration { return sendTimeout }

// NextRetry doubles Config.RetryBase at each attempt when it is set; the zero time keeps
// River's default backoff.
func (w *sendEmailWorker) NextRetry(job *river.Job[sendEmailArgs]) time.Time {
	base := w.svc.cfg.RetryBase
	if base <= 0 {
		return time.Time{}
	}
	return time.Now().Add(base << min(max(job.Attempt-1, 0), 20))
}

func (w *sendEmailWorker) Work(ctx context.Context, job *river.Job[sendEmailArgs]) error {
	return w.svc.deliver(ctx, job.Args.MessageID, job.Attempt >= job.MaxAttempts)
}

// deliver makes one delivery attempt. The server is contacted outside any transaction;
// the outcome is then recorded in one short statement.
func (s *Service) deliver(ctx context.Context, id int64, lastAttempt bool) error {
	if s.transport == nil {
		if err := s.q.MessageMarkHeld(ctx, s.pool, id); err != nil {
			return fmt.Errorf("notify: hold message %d: %w", id, err)
		}
		return nil
	}
	row, err := s.q.MessageClaim(ctx, s.pool, dbsqlc.MessageClaimParams{
		ID: id, LeaseSeconds: int32(leaseTime / time.Second),
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return s.unclaimable(ctx, id)
	}
	if err != nil {
		return fmt.Errorf("notify: claim message %d: %w", id, err)
	}

	sendErr := s.transport.Send(ctx, envelope{
		MessageID: row.MessageID,
		To:        row.Recipient,
		Subject:   row.Subject,
		Text:      row.Text,
		HTML:      row.Html,
		Date:      row.CreatedAt,
	})

	// From here on the outcome must be written even if the job's context has just ended:
	// a sent message not recorded as sent is sent again.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if sendErr == nil {
		if err := s.q.MessageMarkSent(rctx, s.pool, id); err != nil {
			return fmt.Errorf("notify: message %d was accepted by the server but not recorded as sent (a retry sends it again): %w", id, err)
		}
		s.log.InfoContext(ctx, "email sent", "message", id, "kind", row.Kind, "message_id", row.MessageID)
		return nil
	}

	var perm *permanentError
	permanent := errors.As(sendErr, &perm)
	giveUp := permanent || lastAttempt
	if err := s.q.MessageRecordFailure(rctx, s.pool, dbsqlc.MessageRecordFailureParams{
		ID: id, LastError: truncate(sendErr.Error(), maxStoredError), GiveUp: giveUp,
	}); err != nil {
		return errors.Join(
			fmt.Errorf("notify: send message %d: %w", id, sendErr),
			fmt.Errorf("notify: record failure of message %d: %w", id, err))
	}
	s.log.WarnContext(ctx, "email not sent", "message", id, "kind", row.Kind, "attempt", row.Attempts+1,
		"gave_up", giveUp, "error", sendErr)
	if permanent {
		return river.JobCancel(fmt.Errorf("notify: send message %d: refused for good: %w", id, sendErr))
	}
	return fmt.Errorf("notify: send message %d: %w", id, sendErr)
}

// unclaimable decides what a job does when it cannot take the lease: the message is done
// (sent, held or failed: nothing to do, which makes duplicate jobs harmless), or another
// job is talking to the server right now and this one waits to see how that ends.
func (s *Service) unclaimable(ctx context.Context, id int64) error {
	row, err := s.q.MessageGet(ctx, s.pool, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return river.JobCancel(fmt.Errorf("notify: message %d does not exist", id))
	}
	if err != nil {
		return fmt.Errorf("notify: load message %d: %w", id, err)
	}
	if row.Status != StatusQueued {
		return nil
	}
	wait := leaseTime
	if row.LockedUntil != nil {
		wait = max(time.Until(*row.LockedUntil), 0) + time.Second
	}
	if s.cfg.RetryBase > 0 {
		wait = min(wait, s.cfg.RetryBase)
	}
	return river.JobSnooze(wait)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	// Back up to a rune boundary so the stored text stays valid UTF-8.
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
