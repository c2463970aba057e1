package notify_test

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/notify"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// TestRedactRecipients: when a customer deletes their account, the messages sent to them
// keep their kind, status and dates but lose recipient, subject and body; one still
// waiting for a mail server is never sent; others' messages, and theirs from before the
// account existed, stay.
func TestRedactRecipients(t *testing.T) {
	t.Parallel()
	sink := reservePort(t, sinkOptions{})
	tb := setup(t, notify.Config{SMTPURL: smtpURL(sink), RetryBase: 50 * time.Millisecond})

	waiting := tb.queue(t, "Ada Lovelace <ada@example.com>", "Your order, Ada")
	shouting := tb.queue(t, "ADA@Example.com", "Password reset")
	before := tb.queue(t, "ada@example.com", "Your guest order")
	other := tb.queue(t, "bob@example.com", "Your order, Bob")
	_, err := tb.pool.Exec(tb.ctx, `UPDATE notify.messages SET created_at = now() - interval '1 day' WHERE id = $1`, before)
	require.NoError(t, err)
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		m, err := tb.svc.FindMessage(tb.ctx, waiting)
		require.NoError(c, err)
		require.GreaterOrEqual(c, m.Attempts, 1)
	}, 10*time.Second, 10*time.Millisecond, "the mail server is down: the message waits")

	var n int
	require.NoError(t, db.InTx(tb.ctx, tb.pool, func(tx pgx.Tx) error {
		n, err = tb.svc.RedactRecipientsTx(tb.ctx, tx, []string{" Ada@example.com "}, time.Now().Add(-time.Hour))
		return err
	}))
	require.Equal(t, 2, n)

	for _, id := range []int64{waiting, shouting} {
		m, err := tb.svc.FindMessage(tb.ctx, id)
		require.NoError(t, err)
		require.Equal(t, notify.RedactedRecipient, m.To)
		require.Equal(t, notify.RedactedRecipient, m.Subject)
		require.Empty(t, m.Text)
		require.Empty(t, m.HTML)
		require.NotNil(t, m.Redacted)
		require.Equal(t, "order_confirmation", m.Kind, "what kind of message it was stays")
		require.Equal(t, notify.StatusFailed, m.Status, "a message still waiting is given up")
		require.Equal(t, "Not sent: the recipient deleted their account.", m.LastError, "the error quoted the server, not any more")
	}
	m, err := tb.svc.FindMessage(tb.ctx, before)
	require.NoError(t, err)
	require.Equal(t, "ada@example.com", m.To, "sent before the account existed")
	require.Nil(t, m.Redacted)

	sink.start()
	m = tb.waitStatus(t, other, notify.StatusSent)
	require.Equal(t, "Your order, Bob", m.Subject)
	tb.waitStatus(t, before, notify.StatusSent)
	time.Sleep(200 * time.Millisecond) // the withdrawn messages' retries come due meanwhile
	var to []string
	for _, r := range sink.received() {
		to = append(to, r.To...)
	}
	require.ElementsMatch(t, []string{"bob@example.com", "ada@example.com"}, to, "only the others' and the older message went out")
	for _, id := range []int64{waiting, shouting} {
		m, err := tb.svc.FindMessage(tb.ctx, id)
		require.NoError(t, err)
		require.Equal(t, notify.StatusFailed, m.Status)
	}
}
