package notify_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/notify"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/internal/platform/jobs"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// testBundle is a notify service on a fresh database with a River client working its
// jobs, as in the running shop.
type testBundle struct {
	ctx    context.Context
	pool   *pgxpool.Pool
	svc    *notify.Service
	client *jobs.Client
}

func setup(t *testing.T, cfg notify.Config) *testBundle {
	t.Helper()
	return setupWith(t, cfg, nil)
}

// setupWith lets a test adjust the service (trust a test certificate) before jobs run.
func setupWith(t *testing.T, cfg notify.Config, prepare func(*notify.Service)) *testBundle {
	t.Helper()
	pool := dbtest.DB(t)
	if cfg.From == "" {
		cfg.From = "Monoshop <shop@monoshop.test>"
	}
	log := slog.New(slog.DiscardHandler)
	svc, err := notify.NewService(pool, log, cfg)
	require.NoError(t, err)
	if prepare != nil {
		prepare(svc)
	}
	reg := jobs.NewRegistry()
	svc.RegisterJobs(reg)
	client, err := jobs.NewClient(pool, reg, log, jobs.Options{Work: true, PollInterval: 100 * time.Millisecond})
	require.NoError(t, err)
	svc.UseJobs(client)
	require.NoError(t, client.Start(t.Context()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, client.Stop(ctx))
	})
	return &testBundle{ctx: t.Context(), pool: pool, svc: svc, client: client}
}

func smtpURL(s *smtpSink) string { return "smtp://" + s.addr }

// queue stores an email in a committed transaction, as a business change would.
func (tb *testBundle) queue(t *testing.T, to, subject string) int64 {
	t.Helper()
	tx, err := tb.pool.Begin(tb.ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(context.WithoutCancel(tb.ctx)) }()
	id, err := tb.svc.QueueEmailTx(tb.ctx, tx, "order_confirmation", to, subject,
		"<p>Thank you for <b>your order</b>.</p>", "Thank you for your order.")
	require.NoError(t, err)
	require.NoError(t, tx.Commit(tb.ctx))
	return id
}

// waitStatus waits until the message reaches status and returns it.
func (tb *testBundle) waitStatus(t *testing.T, id int64, status string) notify.Message {
	t.Helper()
	var m notify.Message
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		var err error
		m, err = tb.svc.FindMessage(tb.ctx, id)
		require.NoError(c, err)
		require.Equal(c, status, m.Status, "last error: %s", m.LastError)
	}, 10*time.Second, 20*time.Millisecond)
	return m
}

// waitJobsDone waits until no notify job is left to run and returns the final states of
// all of them.
func (tb *testBundle) waitJobsDone(t *testing.T) []string {
	t.Helper()
	var states []string
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		rows, err := tb.pool.Query(tb.ctx, `SELECT state::text FROM river.river_job WHERE kind = 'notify.send_email' ORDER BY id`)
		require.NoError(c, err)
		states = states[:0]
		for rows.Next() {
			var s string
			require.NoError(c, rows.Scan(&s))
			states = append(states, s)
		}
		require.NoError(c, rows.Err())
		for _, s := range states {
			require.Contains(c, []string{"completed", "cancelled", "discarded"}, s)
		}
	}, 10*time.Second, 20*time.Millisecond)
	return states
}

// parsedEmail is a received message taken apart the way a mail client would.
type parsedEmail struct {
	Header    mail.Header
	Subject   string
	Text      string
	HTML      string
	PartTypes []string
}

func parseEmail(t *testing.T, raw []byte) parsedEmail {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	require.NoError(t, err, "the message must parse as RFC 5322")
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	require.NoError(t, err)
	out := parsedEmail{Header: msg.Header, Subject: subject}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(t, err)
	require.Equal(t, "multipart/alternative", mediaType)
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		ct, ctParams, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		require.NoError(t, err)
		require.Equal(t, "utf-8", ctParams["charset"])
		body, err := io.ReadAll(p) // multipart decodes quoted-printable for us
		require.NoError(t, err)
		out.PartTypes = append(out.PartTypes, ct)
		switch ct {
		case "text/plain":
			out.Text = strings.ReplaceAll(string(body), "\r\n", "\n")
		case "text/html":
			out.HTML = strings.ReplaceAll(string(body), "\r\n", "\n")
		}
	}
	return out
}
