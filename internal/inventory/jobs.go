package inventory

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/jobs"
)

// LowStockEmailKind labels the daily low-stock email in the outbox.
const LowStockEmailKind = "low_stock"

// lowStockEmailLines bounds the list in the email; the back-office page has the rest.
const lowStockEmailLines = 50

// Outbox queues an email inside the caller's transaction (the notify module satisfies
// it; inventory imports no other module, DESIGN.md §2): a rolled-back job sends nothing.
type Outbox interface {
	QueueEmailTx(ctx context.Context, tx pgx.Tx, kind, to, subject, html, text string) (int64, error)
}

// StaffDirectory names who receives stock alerts; the users module knows the staff and
// cmd/shop adapts it.
type StaffDirectory interface {
	// StockAlertRecipients returns the email addresses of the staff to alert.
	StockAlertRecipients(ctx context.Context) ([]string, error)
}

// VariantDescriber labels variants for people; cmd/shop adapts the catalog.
type VariantDescriber interface {
	DescribeVariants(ctx context.Context, ids []int64) (map[int64]VariantLabel, error)
}

// LowStockAlerts is what the daily low-stock email needs from outside the module.
type LowStockAlerts struct {
	Outbox Outbox
	Staff  StaffDirectory
	// Variants names the variants; without it the email lists variant ids.
	Variants VariantDescriber
	// StoreName heads the email (default "Monoshop"), as the back office has it when the
	// email is written; BaseURL makes the link to the back office absolute.
	StoreName func(context.Context) string
	BaseURL   string
}

// RegisterJobs adds the daily low-stock email to the registry. Without an outbox or a
// staff directory there is nobody to tell, and nothing is registered.
func (s *Service) RegisterJobs(reg *jobs.Registry, alerts LowStockAlerts) {
	if alerts.Outbox == nil || alerts.Staff == nil {
		return
	}
	river.AddWorker(reg.Workers, &lowStockAlertWorker{svc: s, alerts: alerts})
	reg.AddPeriodic(24*time.Hour, func() river.JobArgs { return LowStockAlertArgs{} })
}

// LowStockAlertArgs asks for the low-stock email to be sent if anything is low.
type LowStockAlertArgs struct{}

func (LowStockAlertArgs) Kind() string { return "inventory.low_stock_alert" }

// InsertOpts makes the alert unique per day: the periodic job also runs when a process
// starts (so a shop that restarts daily still gets it), and a deploy, a restart or a
// second replica taking the lead must not send the day's email again.
func (LowStockAlertArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 24 * time.Hour}}
}

type lowStockAlertWorker struct {
	river.WorkerDefaults[LowStockAlertArgs]
	svc    *Service
	alerts LowStockAlerts
}

func (w *lowStockAlertWorker) Work(ctx context.Context, _ *river.Job[LowStockAlertArgs]) error {
	_, err := w.svc.SendLowStockAlert(ctx, w.alerts)
	return err
}

// SendLowStockAlert queues one email to each alert recipient listing the variants at or
// under their low-stock threshold, and nothing when no variant is. It returns how many
// emails it queued. All of them are queued in one transaction: a failure queues none, and
// the job's retry sends them all once.
func (s *Service) SendLowStockAlert(ctx context.Context, a LowStockAlerts) (int, error) {
	low, err := s.LowStock(ctx, MaxLowStock)
	if err != nil || len(low) == 0 {
		return 0, err
	}
	to, err := a.Staff.StockAlertRecipients(ctx)
	if err != nil {
		return 0, fmt.Errorf("inventory: low-stock email recipients: %w", err)
	}
	if len(to) == 0 {
		s.log.WarnContext(ctx, "stock is low but no staff member receives stock alerts", "variants", len(low))
		return 0, nil
	}
	shown := low[:min(len(low), lowStockEmailLines)]
	labels := map[int64]VariantLabel{}
	if a.Variants != nil {
		ids := make([]int64, len(shown))
		for i, l := range shown {
			ids[i] = l.VariantID
		}
		if labels, err = a.Variants.DescribeVariants(ctx, ids); err != nil {
			return 0, fmt.Errorf("inventory: label low-stock variants: %w", err)
		}
	}
	store := "Monoshop"
	if a.StoreName != nil {
		store = a.StoreName(ctx)
	}
	mail := lowStockEmail(store, a.BaseURL, low, shown, labels)
	var html bytes.Buffer
	if err := mail.html.Render(ctx, &html); err != nil {
		return 0, fmt.Errorf("inventory: render low-stock email: %w", err)
	}
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		for _, addr := range to {
			if _, err := a.Outbox.QueueEmailTx(ctx, tx, LowStockEmailKind, addr, mail.subject, html.String(), mail.text); err != nil {
				return fmt.Errorf("inventory: queue low-stock email: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(to), nil
}

// lowStockEmailData is the email's view model.
type lowStockEmailData struct {
	Store string
	URL   string
	Lines []lowStockEmailLine
	// More counts the low variants the email leaves out.
	More int
}

type lowStockEmailLine struct {
	SKU, Name            string
	Available, Threshold int
}

type builtEmail struct {
	subject, text string
	html          templ.Component
}

func lowStockEmail(store, baseURL string, low, shown []LowStockItem, labels map[int64]VariantLabel) builtEmail {
	d := lowStockEmailData{Store: store, URL: strings.TrimRight(baseURL, "/") + "/admin/inventory/low-stock", More: len(low) - len(shown)}
	var text strings.Builder
	fmt.Fprintf(&text, "%s: stock is low for %s.\n\n", store, variantCount(len(low)))
	for _, l := range shown {
		line := lowStockEmailLine{Available: l.Available, Threshold: l.Threshold, SKU: "#" + strconv.FormatInt(l.VariantID, 10), Name: "Variant " + strconv.FormatInt(l.VariantID, 10)}
		if lb, ok := labels[l.VariantID]; ok {
			line.SKU, line.Name = lb.SKU, lb.Name()
		}
		d.Lines = append(d.Lines, line)
		fmt.Fprintf(&text, "- %s  %s: %d available (reorder at %d)\n", line.SKU, line.Name, line.Available, line.Threshold)
	}
	if d.More > 0 {
		fmt.Fprintf(&text, "- and %s more\n", variantCount(d.More))
	}
	fmt.Fprintf(&text, "\nThe full list, kept up to date: %s\n", d.URL)
	return builtEmail{
		subject: fmt.Sprintf("Low stock: %s at %s", variantCount(len(low)), store),
		text:    text.String(),
		html:    lowStockEmailHTML(d),
	}
}

func variantCount(n int) string {
	if n == 1 {
		return "1 variant"
	}
	return strconv.Itoa(n) + " variants"
}
