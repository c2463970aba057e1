package orders

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/monoshop/monoshop/internal/orders/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// Invoices are numbered in their own unbroken series (EU rules), not by order number:
// order numbers have gaps, since a refused checkout takes one. A payment does not take
// the number itself: that would make every payment in the shop wait, until its commit,
// for the one counter row. Paid orders are numbered shortly after instead, oldest payment
// first, by IssueInvoices: a periodic job every InvoiceInterval, and whoever opens an
// invoice that is due. Each run numbers a batch in one transaction holding the counter,
// so runs never overlap and a failed run gives its numbers back.

// InvoiceInterval is how often the invoicing job numbers newly paid orders.
const InvoiceInterval = 10 * time.Second

// invoiceBatch bounds one transaction's work; the job runs again until none are due.
const invoiceBatch = 1000

// IssueInvoices gives every paid order without an invoice number the next numbers of the
// series and returns how many it numbered.
func (s *Service) IssueInvoices(ctx context.Context) (int, error) {
	total := 0
	for {
		var issued int64
		err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			last, err := s.q.InvoiceCounterLock(ctx, tx)
			if err != nil {
				return fmt.Errorf("orders: lock the invoice series: %w", err)
			}
			row, err := s.q.InvoicesIssue(ctx, tx, dbsqlc.InvoicesIssueParams{Last: last, MaxOrders: invoiceBatch})
			if err != nil {
				return fmt.Errorf("orders: number invoices after %d: %w", last, err)
			}
			issued = row.Issued
			return nil
		})
		if err != nil {
			return total, err
		}
		total += int(issued)
		if issued < invoiceBatch {
			return total, nil
		}
	}
}

// Invoice returns the order with its invoice number, numbering it (and any paid before
// it) first if it is due: an invoice opened right after payment has its number.
func (s *Service) Invoice(ctx context.Context, o Order) (Order, error) {
	if o.InvoiceNumber != 0 || o.PaidAt == nil {
		return o, nil
	}
	if _, err := s.IssueInvoices(ctx); err != nil {
		return Order{}, err
	}
	return s.Order(ctx, o.Number)
}

// IssueInvoicesArgs asks for paid orders to be given invoice numbers.
type IssueInvoicesArgs struct{}

// Kind implements river.JobArgs.
func (IssueInvoicesArgs) Kind() string { return "orders.issue_invoices" }

// InsertOpts keeps at most one run waiting at a time.
func (IssueInvoicesArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: InvoiceInterval}}
}

type issueInvoicesWorker struct {
	river.WorkerDefaults[IssueInvoicesArgs]
	svc *Service
}

func (w *issueInvoicesWorker) Work(ctx context.Context, _ *river.Job[IssueInvoicesArgs]) error {
	n, err := w.svc.IssueInvoices(ctx)
	if n > 0 {
		w.svc.log.InfoContext(ctx, "orders: issued invoices", "count", n)
	}
	return err
}
