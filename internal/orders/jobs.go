package orders

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/jobs"
)

// DefaultExpireInterval is how often the expiry job looks for abandoned unpaid orders.
const DefaultExpireInterval = time.Minute

// JobInserter is what orders needs of the job queue: inserting in the caller's
// transaction, so a rolled-back expiry queues nothing.
type JobInserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// UseJobs attaches the job queue. The queue is built after the workers are registered,
// so this is a second step of construction.
func (s *Service) UseJobs(j JobInserter) { s.jobs = j }

// clearInvoiceBuyersInterval is how often retained invoice buyers past their period are
// cleared: the period ends on a first of January, so a day late at most.
const clearInvoiceBuyersInterval = 24 * time.Hour

// RegisterJobs adds the periodic expiry of unpaid orders to the registry (every interval;
// 0 means every minute), the worker that voids expired orders' payments, the invoicing
// of paid orders (every InvoiceInterval) and the daily end of the invoice retention
// period (privacy.go).
func (s *Service) RegisterJobs(reg *jobs.Registry, interval time.Duration) {
	if interval <= 0 {
		interval = DefaultExpireInterval
	}
	river.AddWorker(reg.Workers, &expireWorker{svc: s})
	river.AddWorker(reg.Workers, &voidPaymentWorker{svc: s})
	river.AddWorker(reg.Workers, &issueInvoicesWorker{svc: s})
	river.AddWorker(reg.Workers, &clearInvoiceBuyersWorker{svc: s})
	reg.AddPeriodic(interval, func() river.JobArgs { return ExpireUnpaidArgs{} })
	reg.AddPeriodic(InvoiceInterval, func() river.JobArgs { return IssueInvoicesArgs{} })
	reg.AddPeriodic(clearInvoiceBuyersInterval, func() river.JobArgs { return ClearInvoiceBuyersArgs{} })
}

// ClearInvoiceBuyersArgs asks for the invoice buyers kept past their retention period to
// be cleared (Service.ClearExpiredInvoiceBuyers).
type ClearInvoiceBuyersArgs struct{}

// Kind implements river.JobArgs. A run done twice clears nothing the second time.
func (ClearInvoiceBuyersArgs) Kind() string { return "orders.clear_invoice_buyers" }

type clearInvoiceBuyersWorker struct {
	river.WorkerDefaults[ClearInvoiceBuyersArgs]
	svc *Service
}

func (w *clearInvoiceBuyersWorker) Work(ctx context.Context, _ *river.Job[ClearInvoiceBuyersArgs]) error {
	n, err := w.svc.ClearExpiredInvoiceBuyers(ctx)
	if n > 0 {
		w.svc.log.InfoContext(ctx, "orders: cleared invoice buyers past their retention period", "count", n)
	}
	return err
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

// VoidPaymentArgs asks for the payment of an expired order to be voided at its provider.
// The expiry queues it in its transaction; the provider is called here, outside any.
type VoidPaymentArgs struct {
	PaymentID   int64 `json:"payment_id"`
	OrderNumber int64 `json:"order_number"`
}

// Kind implements river.JobArgs.
func (VoidPaymentArgs) Kind() string { return "orders.void_payment" }

type voidPaymentWorker struct {
	river.WorkerDefaults[VoidPaymentArgs]
	svc *Service
}

// Work voids the payment; River retries a provider that fails. Voiding twice is harmless
// (payments answers a voided payment unchanged).
func (w *voidPaymentWorker) Work(ctx context.Context, job *river.Job[VoidPaymentArgs]) error {
	_, err := w.svc.pay.Void(ctx, payments.PaymentID(job.Args.PaymentID))
	if apperr.Is(err, apperr.Conflict) {
		// Paid (or refused) meanwhile: the payment's hooks flagged the cancelled order for
		// staff, who refund it; retrying would change nothing.
		w.svc.log.WarnContext(ctx, "orders: the payment of an expired order could not be voided",
			"order", job.Args.OrderNumber, "payment_id", job.Args.PaymentID, "err", err)
		return nil
	}
	return err
}
