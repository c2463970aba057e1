package payments_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/payments/paymentstest"
)

// queuedWebhooks returns the events of the test gateway's delivery jobs, in order.
func queuedWebhooks(t *testing.T, e *paymentstest.Env) []payments.TestWebhook {
	t.Helper()
	rows, err := e.Pool.Query(e.Ctx, `SELECT args FROM river.river_job WHERE kind = 'payments.test_webhook' ORDER BY id`)
	require.NoError(t, err)
	var out []payments.TestWebhook
	for rows.Next() {
		var raw []byte
		require.NoError(t, rows.Scan(&raw))
		var args struct {
			Event payments.TestWebhook `json:"event"`
		}
		require.NoError(t, json.Unmarshal(raw, &args))
		out = append(out, args.Event)
	}
	require.NoError(t, rows.Err())
	return out
}

func TestReconcile(t *testing.T) {
	t.Parallel()

	t.Run("OKWebhookLost", func(t *testing.T) {
		t.Parallel()
		// No workers: the gateway takes the money, but its webhooks never leave.
		e := setup(t, paymentstest.Options{NoWorkers: true})
		p := e.Create(t, payments.ProviderTest, eur(4200))
		e.PayWithCard(t, p.ID, paymentstest.CardSucceeds, false)
		p, err := e.Service.FindPayment(e.Ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, payments.StatePending, p.State)

		for range 2 {
			p, err = e.Service.Reconcile(e.Ctx, p.ID)
			require.NoError(t, err)
			require.Equal(t, payments.StatePaid, p.State)
		}
		require.Equal(t, map[string]int{paymentstest.HookPaid: 1}, e.AllHookCalls(t, p.ID))

		// The webhooks arrive after all, twice: nothing changes.
		hooks := queuedWebhooks(t, e)
		require.Len(t, hooks, 2)
		for _, ev := range hooks {
			require.Equal(t, http.StatusOK, e.SendWebhook(t, ev).Status)
		}
		require.Equal(t, map[string]int{paymentstest.HookPaid: 1}, e.AllHookCalls(t, p.ID))
		events, err := e.Service.Events(e.Ctx, p.ID)
		require.NoError(t, err)
		require.Len(t, events, 2, "the status answer and the webhook, each once")
		require.Equal(t, "status", events[0].Type)
		require.True(t, events[0].Applied)
		require.False(t, events[1].Applied)
	})

	t.Run("OKCrashBeforeCommit", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{})
		// The paid hook fails: the webhook's transaction rolls back, as if the process had
		// died between the provider's success and our commit.
		e.FailHooks(paymentstest.HookPaid, true)
		p := e.Create(t, payments.ProviderTest, eur(4200))
		e.PayWithCard(t, p.ID, paymentstest.CardSucceeds, false)
		require.EventuallyWithT(t, func(c *assert.CollectT) {
			var failed int
			require.NoError(c, e.Pool.QueryRow(e.Ctx, `SELECT count(*) FROM river.river_job
				WHERE kind = 'payments.test_webhook' AND cardinality(errors) >= 1`).Scan(&failed))
			require.Equal(c, 2, failed)
		}, 10*time.Second, 10*time.Millisecond)
		p, err := e.Service.FindPayment(e.Ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, payments.StatePending, p.State, "nothing of the failed attempts was committed")
		events, err := e.Service.Events(e.Ctx, p.ID)
		require.NoError(t, err)
		require.Empty(t, events, "the event is not recorded either, so a redelivery is processed")

		// The process is back: the recovery job asks the provider, and the webhook's
		// retries arrive too. The order is paid once.
		e.FailHooks(paymentstest.HookPaid, false)
		p, err = e.Service.Reconcile(e.Ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, payments.StatePaid, p.State)
		require.Equal(t, []string{"completed", "completed"}, e.WaitWebhooks(t))
		require.Equal(t, map[string]int{paymentstest.HookPaid: 1}, e.AllHookCalls(t, p.ID))
	})

	t.Run("OKRaceWithWebhooks", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{NoWorkers: true})
		p := e.Create(t, payments.ProviderTest, eur(4200))
		e.PayWithCard(t, p.ID, paymentstest.CardSucceeds, false)
		ev := queuedWebhooks(t, e)[0]
		// send delivers without require: it runs on goroutines other than the test's.
		send := func(ev payments.TestWebhook) error {
			req, err := e.Gateway.WebhookRequest(e.Ctx, e.URL+"/webhooks/payments/test", ev)
			if err != nil {
				return err
			}
			res, err := e.HTTP.Do(req)
			if err != nil {
				return err
			}
			defer res.Body.Close()
			if res.StatusCode != http.StatusOK {
				return fmt.Errorf("webhook %s: status %d", ev.ID, res.StatusCode)
			}
			return nil
		}
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for i := range 16 {
			wg.Go(func() {
				switch i % 3 {
				case 0:
					_, err := e.Service.Reconcile(e.Ctx, p.ID)
					errs <- err
				case 1:
					// The gateway's event, delivered again and again.
					errs <- send(ev)
				default:
					// Distinct events saying the same thing.
					other := ev
					other.ID = fmt.Sprintf("evt_race_%d", i)
					errs <- send(other)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		p = e.WaitState(t, p.ID, payments.StatePaid)
		require.Equal(t, map[string]int{paymentstest.HookPaid: 1}, e.AllHookCalls(t, p.ID))
		events, err := e.Service.Events(e.Ctx, p.ID)
		require.NoError(t, err)
		applied := 0
		for _, ev := range events {
			if ev.Applied {
				applied++
			}
		}
		require.Equal(t, 1, applied, "one event moved the payment; the others were recorded as changing nothing")
	})

	t.Run("OKRecoveryJob", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{NoWorkers: true, ReconcileAfter: time.Millisecond})
		paid := e.Create(t, payments.ProviderTest, eur(1000))
		e.PayWithCard(t, paid.ID, paymentstest.CardSucceeds, false)
		declined := e.Create(t, payments.ProviderTest, eur(1000))
		e.PayWithCard(t, declined.ID, paymentstest.CardDeclined, false)
		abandoned := e.Create(t, payments.ProviderTest, eur(1000))
		e.Begin(t, abandoned.ID)
		manual := e.Create(t, payments.ProviderManual, eur(1000))
		e.Begin(t, manual.ID)
		time.Sleep(5 * time.Millisecond)

		require.NoError(t, e.Service.ReconcilePending(e.Ctx))
		e.WaitState(t, paid.ID, payments.StatePaid)
		e.WaitState(t, declined.ID, payments.StateFailed)
		e.WaitState(t, abandoned.ID, payments.StatePending)
		e.WaitState(t, manual.ID, payments.StatePending)
		require.Equal(t, map[string]int{paymentstest.HookPaid: 1}, e.AllHookCalls(t, paid.ID))
		require.Equal(t, map[string]int{paymentstest.HookFailed: 1}, e.AllHookCalls(t, declined.ID))

		var checked []bool
		require.NoError(t, e.Pool.QueryRow(e.Ctx, `SELECT array_agg(checked_at IS NOT NULL ORDER BY id) FROM payments.payments
			WHERE id = ANY($1)`, []int64{int64(abandoned.ID), int64(manual.ID)}).Scan(&checked))
		require.Equal(t, []bool{true, false}, checked, "the abandoned checkout was asked about; the manual payment has nobody to ask")

		// A second run right away leaves the abandoned checkout alone for a while.
		require.NoError(t, e.Service.ReconcilePending(e.Ctx))
		events, err := e.Service.Events(e.Ctx, paid.ID)
		require.NoError(t, err)
		require.Len(t, events, 1)
	})

	t.Run("OKNothingToAsk", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{})
		notBegun := e.Create(t, payments.ProviderTest, eur(1000))
		manual := e.Create(t, payments.ProviderManual, eur(1000))
		e.Begin(t, manual.ID)
		for _, id := range []payments.PaymentID{notBegun.ID, manual.ID} {
			p, err := e.Service.Reconcile(e.Ctx, id)
			require.NoError(t, err)
			require.Equal(t, payments.StatePending, p.State)
		}
	})
}
