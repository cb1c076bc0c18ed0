package storage

import (
	"context"
	"database/sql"
)

// The threading code (thread.go, discussion.go) runs a dozen statements per
// message; the writer's batch transaction carries, in its context, a cache
// of them prepared on the transaction, so that each is compiled once per
// batch instead of once per use (15% of the ingest's CPU on the nilfs
// archive). Outside a batch (no cache in ctx) they run as before.
//
// A cached statement must not run again while rows of its previous run are
// open: the callers read and close their rows before the next query.

type txStmtsKey struct{}

// txStmts is the statement cache of one transaction.
type txStmts struct {
	tx *sql.Tx
	m  map[string]*sql.Stmt
}

// stmtFor returns q prepared on tx, from the cache in ctx, or nil when ctx
// carries no cache for tx.
func stmtFor(ctx context.Context, tx *sql.Tx, q string) *sql.Stmt {
	c, _ := ctx.Value(txStmtsKey{}).(*txStmts)
	if c == nil || c.tx != tx {
		return nil
	}
	st := c.m[q]
	if st == nil {
		var err error
		if st, err = tx.PrepareContext(ctx, q); err != nil {
			return nil
		}
		c.m[q] = st
	}
	return st
}

// qExec is tx.ExecContext through the cache.
func qExec(ctx context.Context, tx *sql.Tx, q string, args ...any) (sql.Result, error) {
	if st := stmtFor(ctx, tx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, q, args...)
}

// qRow is tx.QueryRowContext through the cache.
func qRow(ctx context.Context, tx *sql.Tx, q string, args ...any) *sql.Row {
	if st := stmtFor(ctx, tx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, q, args...)
}

// qQuery is tx.QueryContext through the cache.
func qQuery(ctx context.Context, tx *sql.Tx, q string, args ...any) (*sql.Rows, error) {
	if st := stmtFor(ctx, tx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.QueryContext(ctx, q, args...)
}
