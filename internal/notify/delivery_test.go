package notify_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/notify"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
)

func TestDelivery(t *testing.T) {
	t.Parallel()

	t.Run("OKDeliveredOnce", func(t *testing.T) {
		t.Parallel()
		sink := newSink(t, sinkOptions{})
		tb := setup(t, notify.Config{SMTPURL: smtpURL(sink), MessageIDDomain: "shop.example"})

		tx, err := tb.pool.Begin(tb.ctx)
		require.NoError(t, err)
		// A line of just "." would end DATA early unless the client dot-stuffs it.
		text := "Hello Jürgen,\n.\n..two dots\nYour order is on its way.\n"
		html := "<p>Hello Jürgen,</p>\n<p>Your order is <b>on its way</b>.</p>\n"
		id, err := tb.svc.QueueEmailTx(tb.ctx, tx, "order_confirmation", "Jürgen Groß <jurgen@example.com>",
			"Your order #1001 — confirmed ✓", html, text)
		require.NoError(t, err)
		require.NoError(t, tx.Commit(tb.ctx))

		m := tb.waitStatus(t, id, notify.StatusSent)
		require.Equal(t, []string{"completed"}, tb.waitJobsDone(t))
		require.Equal(t, 1, m.Attempts)
		require.Empty(t, m.LastError)
		require.NotNil(t, m.SentAt)
		require.Regexp(t, `^<[0-9a-f]{32}@shop\.example>$`, m.MessageID)

		got := sink.received()
		require.Len(t, got, 1, "delivered exactly once")
		require.Equal(t, "shop@monoshop.test", got[0].From)
		require.Equal(t, []string{"jurgen@example.com"}, got[0].To)

		e := parseEmail(t, got[0].Raw)
		require.Equal(t, m.MessageID, e.Header.Get("Message-ID"), "the stored Message-ID is the one sent")
		require.Equal(t, "Your order #1001 — confirmed ✓", e.Subject)
		require.Equal(t, "1.0", e.Header.Get("MIME-Version"))
		from, err := e.Header.AddressList("From")
		require.NoError(t, err)
		require.Equal(t, "Monoshop", from[0].Name)
		to, err := e.Header.AddressList("To")
		require.NoError(t, err)
		require.Equal(t, "Jürgen Groß", to[0].Name)
		require.Equal(t, "jurgen@example.com", to[0].Address)
		date, err := e.Header.Date()
		require.NoError(t, err)
		require.WithinDuration(t, m.CreatedAt, date, time.Second)
		require.Equal(t, []string{"text/plain", "text/html"}, e.PartTypes)
		require.Equal(t, text, e.Text)
		require.Equal(t, html, e.HTML)
		for _, line := range strings.Split(string(got[0].Raw), "\r\n") {
			require.LessOrEqual(t, len(line), 998, "SMTP line limit")
		}

		// Nothing else arrives later: the job is completed and no retry is pending.
		time.Sleep(300 * time.Millisecond)
		require.Len(t, sink.received(), 1)
	})

	t.Run("OKRetriesWhileServerDown", func(t *testing.T) {
		t.Parallel()
		sink := reservePort(t, sinkOptions{})
		tb := setup(t, notify.Config{SMTPURL: smtpURL(sink), RetryBase: 50 * time.Millisecond})

		id := tb.queue(t, "customer@example.com", "Order confirmed")
		var m notify.Message
		require.EventuallyWithT(t, func(c *assert.CollectT) {
			var err error
			m, err = tb.svc.FindMessage(tb.ctx, id)
			require.NoError(c, err)
			require.GreaterOrEqual(c, m.Attempts, 2)
		}, 10*time.Second, 10*time.Millisecond)
		require.Equal(t, notify.StatusQueued, m.Status, "a server that is down is not a reason to give up")
		require.Contains(t, m.LastError, "connect")
		require.Nil(t, m.SentAt)

		sink.start()
		m = tb.waitStatus(t, id, notify.StatusSent)
		require.Greater(t, m.Attempts, 2)
		require.Empty(t, m.LastError)
		require.Equal(t, []string{"completed"}, tb.waitJobsDone(t))
		got := sink.received()
		require.Len(t, got, 1)
		require.Equal(t, m.MessageID, parseEmail(t, got[0].Raw).Header.Get("Message-ID"))
	})

	t.Run("OKGivesUpAfterMaxAttempts", func(t *testing.T) {
		t.Parallel()
		sink := reservePort(t, sinkOptions{})
		tb := setup(t, notify.Config{SMTPURL: smtpURL(sink), RetryBase: time.Millisecond})

		id := tb.queue(t, "customer@example.com", "Order confirmed")
		m := tb.waitStatus(t, id, notify.StatusFailed)
		require.Equal(t, 10, m.Attempts)
		require.Contains(t, m.LastError, "connect")
		require.Equal(t, []string{"discarded"}, tb.waitJobsDone(t))
	})

	t.Run("OKRolledBackSendsNothing", func(t *testing.T) {
		t.Parallel()
		sink := newSink(t, sinkOptions{})
		tb := setup(t, notify.Config{SMTPURL: smtpURL(sink)})

		err := db.InTx(tb.ctx, tb.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(tb.ctx, `CREATE TEMP TABLE business_change (id int) ON COMMIT DROP`); err != nil {
				return err
			}
			if _, err := tb.svc.QueueEmailTx(tb.ctx, tx, "order_confirmation", "customer@example.com",
				"Order confirmed", "<p>Thanks</p>", "Thanks"); err != nil {
				return err
			}
			return fmt.Errorf("payment declined")
		})
		require.ErrorContains(t, err, "payment declined")

		var messages, jobs int
		require.NoError(t, tb.pool.QueryRow(tb.ctx, `
			SELECT (SELECT count(*) FROM notify.messages),
			       (SELECT count(*) FROM river.river_job)`).Scan(&messages, &jobs))
		require.Zero(t, messages)
		require.Zero(t, jobs)
		time.Sleep(300 * time.Millisecond)
		require.Empty(t, sink.received())
		list, total, err := tb.svc.ListMessages(tb.ctx, notify.MessageFilter{})
		require.NoError(t, err)
		require.Zero(t, total)
		require.Empty(t, list)
	})

	t.Run("OKHeldWithoutSMTP", func(t *testing.T) {
		t.Parallel()
		tb := setup(t, notify.Config{})

		id := tb.queue(t, "customer@example.com", "Reset your password")
		m := tb.waitStatus(t, id, notify.StatusHeld)
		require.Equal(t, []string{"completed"}, tb.waitJobsDone(t))
		require.Zero(t, m.Attempts)
		require.Nil(t, m.SentAt)
		require.Equal(t, "Reset your password", m.Subject)
		require.Equal(t, "Thank you for your order.", m.Text, "a held message keeps its content for staff")
		require.Regexp(t, `^<[0-9a-f]{32}@monoshop\.test>$`, m.MessageID, "the domain of From when none is set")
	})

	t.Run("OKDuplicateJobSendsNothing", func(t *testing.T) {
		t.Parallel()
		sink := newSink(t, sinkOptions{})
		tb := setup(t, notify.Config{SMTPURL: smtpURL(sink)})

		id := tb.queue(t, "customer@example.com", "Order confirmed")
		sent := tb.waitStatus(t, id, notify.StatusSent)
		require.Len(t, sink.received(), 1)

		_, err := tb.client.Insert(tb.ctx, notify.SendEmailJob(id), nil)
		require.NoError(t, err)
		require.Equal(t, []string{"completed", "completed"}, tb.waitJobsDone(t))
		require.Len(t, sink.received(), 1, "a second job for a sent message sends nothing")
		again, err := tb.svc.FindMessage(tb.ctx, id)
		require.NoError(t, err)
		require.Equal(t, sent, again, "nor does it touch the row")
	})

	t.Run("OKConcurrentDuplicateJobsSendOnce", func(t *testing.T) {
		t.Parallel()
		sink := newSink(t, sinkOptions{})
		tb := setup(t, notify.Config{SMTPURL: smtpURL(sink), RetryBase: 50 * time.Millisecond})

		tx, err := tb.pool.Begin(tb.ctx)
		require.NoError(t, err)
		id, err := tb.svc.QueueEmailTx(tb.ctx, tx, "order_confirmation", "customer@example.com", "Hi", "", "Hi")
		require.NoError(t, err)
		for range 3 {
			_, err = tb.client.InsertTx(tb.ctx, tx, notify.SendEmailJob(id), nil)
			require.NoError(t, err)
		}
		require.NoError(t, tx.Commit(tb.ctx))

		tb.waitStatus(t, id, notify.StatusSent)
		require.Equal(t, []string{"completed", "completed", "completed", "completed"}, tb.waitJobsDone(t))
		require.Len(t, sink.received(), 1, "four jobs racing for one message deliver it once")
	})

	t.Run("OKRecipientRefusedFailsAtOnce", func(t *testing.T) {
		t.Parallel()
		sink := newSink(t, sinkOptions{Reject: "nobody@example.com"})
		tb := setup(t, notify.Config{SMTPURL: smtpURL(sink)})

		id := tb.queue(t, "nobody@example.com", "Order confirmed")
		m := tb.waitStatus(t, id, notify.StatusFailed)
		require.Equal(t, 1, m.Attempts, "a 5xx for the recipient is not retried")
		require.Contains(t, m.LastError, "no such user")
		require.Equal(t, []string{"cancelled"}, tb.waitJobsDone(t))
		require.Empty(t, sink.received())
	})

	t.Run("OKSTARTTLSAndAuth", func(t *testing.T) {
		t.Parallel()
		serverTLS, roots := selfSignedTLS(t)
		sink := newSink(t, sinkOptions{TLS: serverTLS, User: "shop", Pass: "s3cret:/@"})
		url := "smtp://shop:" + "s3cret%3A%2F%40" + "@127.0.0.1:" + sink.port()
		tb := setupWith(t, notify.Config{SMTPURL: url}, func(s *notify.Service) { notify.TrustRoots(s, roots) })

		id := tb.queue(t, "customer@example.com", "Order confirmed")
		tb.waitStatus(t, id, notify.StatusSent)
		got := sink.received()
		require.Len(t, got, 1)
		require.True(t, got[0].TLS, "upgraded with STARTTLS before anything was sent")
		require.Equal(t, "shop", got[0].AuthUser)
	})

	t.Run("OKImplicitTLSAndAuth", func(t *testing.T) {
		t.Parallel()
		serverTLS, roots := selfSignedTLS(t)
		sink := newSink(t, sinkOptions{TLS: serverTLS, ImplicitTLS: true, User: "shop", Pass: "pw"})
		url := "smtps://shop:pw@127.0.0.1:" + sink.port()
		tb := setupWith(t, notify.Config{SMTPURL: url}, func(s *notify.Service) { notify.TrustRoots(s, roots) })

		id := tb.queue(t, "customer@example.com", "Order confirmed")
		tb.waitStatus(t, id, notify.StatusSent)
		got := sink.received()
		require.Len(t, got, 1)
		require.True(t, got[0].TLS)
		require.Equal(t, "shop", got[0].AuthUser)
	})

	t.Run("ErrUntrustedCertificateRetried", func(t *testing.T) {
		t.Parallel()
		serverTLS, _ := selfSignedTLS(t)
		sink := newSink(t, sinkOptions{TLS: serverTLS, User: "shop", Pass: "pw"})
		tb := setup(t, notify.Config{SMTPURL: "smtp://shop:pw@127.0.0.1:" + sink.port(), RetryBase: time.Hour})

		id := tb.queue(t, "customer@example.com", "Order confirmed")
		var m notify.Message
		require.EventuallyWithT(t, func(c *assert.CollectT) {
			var err error
			m, err = tb.svc.FindMessage(tb.ctx, id)
			require.NoError(c, err)
			require.Equal(c, 1, m.Attempts)
		}, 10*time.Second, 10*time.Millisecond)
		require.Equal(t, notify.StatusQueued, m.Status)
		require.Contains(t, m.LastError, "certificate")
		require.NotContains(t, m.LastError, "pw")
		require.Empty(t, sink.received(), "the password never crosses an unverified connection")
	})
}

func TestQueueEmailTx(t *testing.T) {
	t.Parallel()

	t.Run("ErrInvalid", func(t *testing.T) {
		t.Parallel()
		tb := setup(t, notify.Config{})
		for _, tc := range []struct{ name, kind, to, subject, html, text, want string }{
			{"HeaderInjectionInRecipient", "k", "a@b.c\r\nBcc: x@y.z", "Hi", "", "Hi", "one line"},
			{"LFInRecipient", "k", "a@b.c\nBcc: x@y.z", "Hi", "", "Hi", "one line"},
			{"HeaderInjectionInSubject", "k", "a@b.c", "Hi\r\nBcc: x@y.z", "", "Hi", "one line"},
			{"CRInSubject", "k", "a@b.c", "Hi\rBcc: x@y.z", "", "Hi", "one line"},
			{"TwoRecipients", "k", "a@b.c, x@y.z", "Hi", "", "Hi", "valid email"},
			{"NotAnAddress", "k", "not an address", "Hi", "", "Hi", "valid email"},
			{"NoRecipient", "k", " ", "Hi", "", "Hi", "required"},
			{"NoSubject", "k", "a@b.c", "", "", "Hi", "subject"},
			{"NoContent", "k", "a@b.c", "Hi", " ", "", "no content"},
			{"BadKind", "Order Confirmation", "a@b.c", "Hi", "", "Hi", "kind"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				tx, err := tb.pool.Begin(tb.ctx)
				require.NoError(t, err)
				defer func() { _ = tx.Rollback(tb.ctx) }()
				_, err = tb.svc.QueueEmailTx(tb.ctx, tx, tc.kind, tc.to, tc.subject, tc.html, tc.text)
				require.True(t, apperr.Is(err, apperr.Invalid), "want Invalid, got %v", err)
				require.Contains(t, apperr.MessageOf(err), tc.want)
			})
		}
		var n int
		require.NoError(t, tb.pool.QueryRow(tb.ctx, `SELECT count(*) FROM notify.messages`).Scan(&n))
		require.Zero(t, n)
	})

	t.Run("ErrNoJobQueue", func(t *testing.T) {
		t.Parallel()
		pool := dbtest.DB(t)
		svc, err := notify.NewService(pool, nil, notify.Config{})
		require.NoError(t, err)
		tx, err := pool.Begin(t.Context())
		require.NoError(t, err)
		defer func() { _ = tx.Rollback(t.Context()) }()
		_, err = svc.QueueEmailTx(t.Context(), tx, "k", "a@b.c", "Hi", "", "Hi")
		require.ErrorContains(t, err, "UseJobs")
	})
}

func TestNewService(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		for _, cfg := range []notify.Config{
			{},
			{SMTPURL: "smtp://mail.example.com", From: "shop@example.com"},
			{SMTPURL: "smtp://user:pass@mail.example.com:2525", From: "Shop <shop@example.com>"},
			{SMTPURL: "smtps://user:pass@mail.example.com", From: "shop@example.com", MessageIDDomain: "shop.example.com"},
		} {
			_, err := notify.NewService(nil, nil, cfg)
			require.NoError(t, err, "%+v", cfg)
		}
	})

	t.Run("Err", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			name string
			cfg  notify.Config
			want string
		}{
			{"Scheme", notify.Config{SMTPURL: "http://mail.example.com", From: "a@b.c"}, "scheme"},
			{"NoHost", notify.Config{SMTPURL: "smtp://", From: "a@b.c"}, "host"},
			{"Port", notify.Config{SMTPURL: "smtp://mail.example.com:99999", From: "a@b.c"}, "port"},
			{"Options", notify.Config{SMTPURL: "smtp://mail.example.com/x?y=1", From: "a@b.c"}, "no path"},
			{"NoFrom", notify.Config{SMTPURL: "smtp://mail.example.com"}, "From"},
			{"BadFrom", notify.Config{From: "not an address"}, "From"},
			{"FromInjection", notify.Config{From: "a@b.c\r\nBcc: x@y.z"}, "one line"},
			{"Domain", notify.Config{From: "a@b.c", MessageIDDomain: "shop>.example"}, "MessageIDDomain"},
			{"Unparsable", notify.Config{SMTPURL: "smtp://user:topsecret@host:port:x", From: "a@b.c"}, "not a valid URL"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := notify.NewService(nil, nil, tc.cfg)
				require.ErrorContains(t, err, tc.want)
				require.NotContains(t, err.Error(), "topsecret", "errors never show the password")
			})
		}
	})
}
