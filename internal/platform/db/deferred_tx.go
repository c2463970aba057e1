package db

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// deferredTx is a transaction on a pooled connection whose BEGIN travels with its first
// statement, in one batch (pgx's Batch.BeginTx): a round trip fewer for every
// transaction. Under load a round trip is what a request waits for (its turn on a busy
// CPU), and placing an order or recording a payment is one transaction each.
//
// Exec, Query and QueryRow (all that sqlc's code and ours use) take the short way; the
// rest (savepoints, COPY, batches, prepared statements, large objects) begins the usual
// way when it comes first. From then on pgx's own transaction does the work.
type deferredTx struct {
	conn *pgxpool.Conn
	// tx is pgx's transaction once BEGIN has been sent; nil before.
	tx pgx.Tx
	// ended: committed or rolled back before anything was sent.
	ended bool
}

var _ pgx.Tx = (*deferredTx)(nil)

// begun returns the transaction, beginning it on its own if no statement has yet.
func (t *deferredTx) begun(ctx context.Context) (pgx.Tx, error) {
	switch {
	case t.tx != nil:
		return t.tx, nil
	case t.ended:
		return nil, pgx.ErrTxClosed
	}
	tx, err := t.conn.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	t.tx = tx
	return tx, nil
}

// beginWith sends BEGIN and a first statement together, reads BEGIN's answer and returns
// the batch positioned at the statement's. ok is false when the transaction had begun
// already: the caller then uses t.tx.
func (t *deferredTx) beginWith(ctx context.Context, sql string, args []any) (br pgx.BatchResults, ok bool, err error) {
	switch {
	case t.tx != nil:
		return nil, false, nil
	case t.ended:
		return nil, false, pgx.ErrTxClosed
	}
	b := &pgx.Batch{}
	b.BeginTx(pgx.TxOptions{})
	b.Queue(sql, args...)
	br = t.conn.SendBatch(ctx, b)
	t.tx = br.Tx()
	if _, err := br.Exec(); err != nil {
		_ = br.Close()
		return nil, false, fmt.Errorf("begin: %w", err)
	}
	return br, true, nil
}

func (t *deferredTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	br, first, err := t.beginWith(ctx, sql, args)
	switch {
	case err != nil:
		return pgconn.CommandTag{}, err
	case !first:
		return t.tx.Exec(ctx, sql, args...)
	}
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return tag, err
}

func (t *deferredTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	br, first, err := t.beginWith(ctx, sql, args)
	switch {
	case err != nil:
		return nil, err
	case !first:
		return t.tx.Query(ctx, sql, args...)
	}
	rows, err := br.Query()
	if err != nil {
		_ = br.Close()
		return nil, err
	}
	return &batchRows{Rows: rows, batch: br}, nil
}

func (t *deferredTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	br, first, err := t.beginWith(ctx, sql, args)
	switch {
	case err != nil:
		return errRow{err}
	case !first:
		return t.tx.QueryRow(ctx, sql, args...)
	}
	return batchRow{row: br.QueryRow(), batch: br}
}

// Commit commits; a transaction that never sent a statement has nothing to commit.
func (t *deferredTx) Commit(ctx context.Context) error {
	if t.tx != nil {
		return t.tx.Commit(ctx)
	}
	if t.ended {
		return pgx.ErrTxClosed
	}
	t.ended = true
	return nil
}

// Rollback rolls back; after Commit it does nothing (and says ErrTxClosed), like pgx's.
func (t *deferredTx) Rollback(ctx context.Context) error {
	if t.tx != nil {
		return t.tx.Rollback(ctx)
	}
	if t.ended {
		return pgx.ErrTxClosed
	}
	t.ended = true
	return nil
}

func (t *deferredTx) Begin(ctx context.Context) (pgx.Tx, error) {
	tx, err := t.begun(ctx)
	if err != nil {
		return nil, err
	}
	return tx.Begin(ctx)
}

func (t *deferredTx) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	tx, err := t.begun(ctx)
	if err != nil {
		return 0, err
	}
	return tx.CopyFrom(ctx, table, columns, src)
}

func (t *deferredTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	tx, err := t.begun(ctx)
	if err != nil {
		return pgx.FailedBatchResults(b, err)
	}
	return tx.SendBatch(ctx, b)
}

// LargeObjects needs the transaction begun, which takes a context: it uses the
// background one (nothing to cancel yet).
func (t *deferredTx) LargeObjects() pgx.LargeObjects {
	tx, err := t.begun(context.Background())
	if err != nil {
		// No transaction to work in and no way to return the error: a bug in the
		// caller, said loudly.
		panic(fmt.Sprintf("db: large objects outside a transaction: %v", err))
	}
	return tx.LargeObjects()
}

func (t *deferredTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	tx, err := t.begun(ctx)
	if err != nil {
		return nil, err
	}
	return tx.Prepare(ctx, name, sql)
}

func (t *deferredTx) Conn() *pgx.Conn { return t.conn.Conn() }

// batchRows are a first statement's rows; closing them finishes the batch, so the
// connection can take the next statement.
type batchRows struct {
	pgx.Rows
	batch pgx.BatchResults
}

func (r *batchRows) Close() {
	r.Rows.Close()
	_ = r.batch.Close()
}

// batchRow is a first statement's row; Scan finishes the batch.
type batchRow struct {
	row   pgx.Row
	batch pgx.BatchResults
}

func (r batchRow) Scan(dest ...any) error {
	err := r.row.Scan(dest...)
	// The statement's own error (pgx.ErrNoRows above all) is what callers test for.
	if cerr := r.batch.Close(); err == nil {
		err = cerr
	}
	return err
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
