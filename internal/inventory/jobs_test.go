package inventory_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/platform/jobs"
)

// fakeOutbox records the emails it is asked to queue instead of sending them.
type fakeOutbox struct {
	mu   sync.Mutex
	sent []queuedEmail
	fail error
}

type queuedEmail struct{ kind, to, subject, html, text string }

func (o *fakeOutbox) QueueEmailTx(_ context.Context, _ pgx.Tx, kind, to, subject, html, text string) (int64, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.fail != nil {
		return 0, o.fail
	}
	o.sent = append(o.sent, queuedEmail{kind, to, subject, html, text})
	return int64(len(o.sent)), nil
}

func (o *fakeOutbox) emails() []queuedEmail {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]queuedEmail(nil), o.sent...)
}

// owners stands in for the users module's staff list.
type owners []string

func (o owners) StockAlertRecipients(context.Context) ([]string, error) { return o, nil }

// labelBook stands in for the catalog's variant names.
type labelBook map[int64]inventory.VariantLabel

func (b labelBook) DescribeVariants(_ context.Context, ids []int64) (map[int64]inventory.VariantLabel, error) {
	out := map[int64]inventory.VariantLabel{}
	for _, id := range ids {
		if l, ok := b[id]; ok {
			out[id] = l
		}
	}
	return out, nil
}

var alertLabels = labelBook{
	71: {SKU: "MUG-RED", Title: "Red", ProductTitle: "Enamel mug"},
	72: {SKU: "MUG-BLUE", Title: "Blue", ProductTitle: "Enamel mug"},
}

func TestLowStockAlert(t *testing.T) {
	t.Parallel()

	t.Run("OKPeriodicJobQueuesTheEmail", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.stock(t, 71, 2)  // low
		b.stock(t, 72, 40) // fine
		outbox := &fakeOutbox{}
		alerts := inventory.LowStockAlerts{Outbox: outbox, Staff: owners{"owner@shop.test"}, Variants: alertLabels,
			StoreName: func(context.Context) string { return "Test Shop" }, BaseURL: "https://shop.test/"}
		reg := jobs.NewRegistry()
		b.svcs[0].RegisterJobs(reg, alerts)
		require.Len(t, reg.Periodic, 1, "one periodic job: the daily email")

		// The real queue: the periodic job runs once when the process starts, then daily.
		client, err := jobs.NewClient(b.pools[0], reg, slog.New(slog.DiscardHandler), jobs.Options{Work: true, PollInterval: 100 * time.Millisecond})
		require.NoError(t, err)
		require.NoError(t, client.Start(t.Context()))
		t.Cleanup(func() { _ = client.Stop(context.Background()) })
		require.Eventually(t, func() bool { return len(outbox.emails()) > 0 }, 20*time.Second, 50*time.Millisecond)

		sent := outbox.emails()
		require.Len(t, sent, 1, "one email to the one owner")
		e := sent[0]
		require.Equal(t, inventory.LowStockEmailKind, e.kind)
		require.Equal(t, "low_stock", e.kind)
		require.Equal(t, "owner@shop.test", e.to)
		require.Equal(t, "Low stock: 1 variant at Test Shop", e.subject)
		require.Contains(t, e.text, "MUG-RED  Enamel mug — Red: 2 available (reorder at 5)")
		require.Contains(t, e.text, "https://shop.test/admin/inventory/low-stock")
		require.NotContains(t, e.text, "MUG-BLUE", "only what is low")
		require.Contains(t, e.html, "MUG-RED")
		require.Contains(t, e.html, `href="https://shop.test/admin/inventory/low-stock"`)

		// A restart (or another replica taking the lead) the same day queues nothing more.
		res, err := client.Insert(t.Context(), inventory.LowStockAlertArgs{}, nil)
		require.NoError(t, err)
		require.True(t, res.UniqueSkippedAsDuplicate, "one low-stock email per day")
	})

	t.Run("OKEveryOwnerInOneTransaction", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.stock(t, 71, 0)
		outbox := &fakeOutbox{}
		n, err := b.svcs[0].SendLowStockAlert(b.ctx, inventory.LowStockAlerts{Outbox: outbox, Staff: owners{"a@shop.test", "b@shop.test"}})
		require.NoError(t, err)
		require.Equal(t, 2, n)
		sent := outbox.emails()
		require.Len(t, sent, 2)
		require.Contains(t, sent[0].text, "#71  Variant 71: 0 available", "without a catalog the email still names the variant")
	})

	t.Run("OKNothingLowNothingSent", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.stock(t, 72, 40)
		outbox := &fakeOutbox{}
		n, err := b.svcs[0].SendLowStockAlert(b.ctx, inventory.LowStockAlerts{Outbox: outbox, Staff: owners{"owner@shop.test"}})
		require.NoError(t, err)
		require.Zero(t, n)
		require.Empty(t, outbox.emails())
	})

	t.Run("ErrOutboxFailsForRetry", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.stock(t, 71, 1)
		outbox := &fakeOutbox{fail: errors.New("outbox down")}
		_, err := b.svcs[0].SendLowStockAlert(b.ctx, inventory.LowStockAlerts{Outbox: outbox, Staff: owners{"owner@shop.test"}})
		require.ErrorContains(t, err, "outbox down", "the job fails, so River retries it")
	})

	t.Run("OKNotRegisteredWithoutRecipients", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		reg := jobs.NewRegistry()
		b.svcs[0].RegisterJobs(reg, inventory.LowStockAlerts{})
		require.Empty(t, reg.Periodic)
	})
}
