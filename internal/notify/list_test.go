package notify_test

import (
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/notify"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/db"
)

func TestListMessages(t *testing.T) {
	t.Parallel()

	tb := setup(t, notify.Config{}) // held: nothing leaves, every row stays
	var ids []int64
	require.NoError(t, db.InTx(tb.ctx, tb.pool, func(tx pgx.Tx) error {
		for i, m := range []struct{ kind, to string }{
			{"order_confirmation", "Alice <alice@example.com>"},
			{"password_reset", "bob@example.com"},
			{"order_confirmation", "ALICE.SMITH@example.org"},
			{"order_confirmation", "carol@example.com"},
			{"password_reset", "alice@example.com"},
		} {
			id, err := tb.svc.QueueEmailTx(tb.ctx, tx, m.kind, m.to, "Subject", "", "Body")
			require.NoError(t, err, "message %d", i)
			ids = append(ids, id)
		}
		return nil
	}))
	for _, id := range ids {
		tb.waitStatus(t, id, notify.StatusHeld)
	}
	// One sent message to filter by status.
	_, err := tb.pool.Exec(tb.ctx, `UPDATE notify.messages SET status = 'sent', sent_at = now() WHERE id = $1`, ids[3])
	require.NoError(t, err)

	list := func(t *testing.T, f notify.MessageFilter) ([]int64, int) {
		t.Helper()
		ms, total, err := tb.svc.ListMessages(tb.ctx, f)
		require.NoError(t, err)
		out := []int64{}
		for _, m := range ms {
			out = append(out, m.ID)
		}
		return out, total
	}

	t.Run("OKNewestFirst", func(t *testing.T) {
		got, total := list(t, notify.MessageFilter{})
		require.Equal(t, []int64{ids[4], ids[3], ids[2], ids[1], ids[0]}, got)
		require.Equal(t, 5, total)
	})

	t.Run("OKToSubstringIgnoresCase", func(t *testing.T) {
		got, total := list(t, notify.MessageFilter{To: "Alice"})
		require.Equal(t, []int64{ids[4], ids[2], ids[0]}, got)
		require.Equal(t, 3, total)
		got, _ = list(t, notify.MessageFilter{To: "%"})
		require.Empty(t, got, "LIKE wildcards are plain characters here")
	})

	t.Run("OKStatusAndKind", func(t *testing.T) {
		got, total := list(t, notify.MessageFilter{Status: notify.StatusSent})
		require.Equal(t, []int64{ids[3]}, got)
		require.Equal(t, 1, total)
		got, total = list(t, notify.MessageFilter{Kind: "password_reset"})
		require.Equal(t, []int64{ids[4], ids[1]}, got)
		require.Equal(t, 2, total)
		got, total = list(t, notify.MessageFilter{Kind: "order_confirmation", Status: notify.StatusHeld, To: "alice"})
		require.Equal(t, []int64{ids[2], ids[0]}, got)
		require.Equal(t, 2, total)
	})

	t.Run("OKPages", func(t *testing.T) {
		got, total := list(t, notify.MessageFilter{PerPage: 2, Page: 1})
		require.Equal(t, []int64{ids[4], ids[3]}, got)
		require.Equal(t, 5, total)
		got, _ = list(t, notify.MessageFilter{PerPage: 2, Page: 3})
		require.Equal(t, []int64{ids[0]}, got)
		got, total = list(t, notify.MessageFilter{PerPage: 2, Page: 4})
		require.Empty(t, got)
		require.Equal(t, 5, total, "the total is known past the last page")
		got, _ = list(t, notify.MessageFilter{PerPage: 2, Page: -1})
		require.Equal(t, []int64{ids[4], ids[3]}, got, "pages start at 1")
	})

	t.Run("OKFindMessage", func(t *testing.T) {
		m, err := tb.svc.FindMessage(tb.ctx, ids[0])
		require.NoError(t, err)
		require.Equal(t, "Alice <alice@example.com>", m.To)
		require.Equal(t, "order_confirmation", m.Kind)
		require.Equal(t, "Body", m.Text)
	})

	t.Run("ErrFindMessageNotFound", func(t *testing.T) {
		_, err := tb.svc.FindMessage(tb.ctx, ids[4]+1000)
		require.True(t, apperr.Is(err, apperr.NotFound), "got %v", err)
	})

	t.Run("ErrUnknownStatus", func(t *testing.T) {
		_, _, err := tb.svc.ListMessages(tb.ctx, notify.MessageFilter{Status: "lost"})
		require.True(t, apperr.Is(err, apperr.Invalid), "got %v", err)
	})
}
