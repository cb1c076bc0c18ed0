package storage

import (
	"context"
	"database/sql"
	"sync"
)

// The writer's statements are compiled once per transaction, not once per
// use: the threading code runs a dozen per message, and compiling them per
// use cost 11-15% of the ingest's CPU. Every write transaction (withTx)
// carries a cache of statements by query text: the first use of a query
// prepares it on the transaction, later uses run the cached statement.
// qExec, qRow and qQuery are the ways in; a transaction that did not come
// from withTx runs its statements as database/sql does. (A second layer,
// the statements run for every message prepared once when the store opened
// and bound to each transaction, made no measurable difference: 1,317 and
// 1,318 against 1,318 and 1,313 msgs/s for the nilfs mbox, and was removed.)
//
// A cached statement must not run again while rows of its previous run are
// open: the callers read and close their rows before the next query.
//
// The statements run for every message are written in SQL that PostgreSQL
// also takes (ON CONFLICT, not INSERT OR IGNORE); the search table (FTS5)
// is SQLite's own.
const (
	sqlInsertMessage = `INSERT INTO messages (message_id, raw, source, received_at, state, attempts, error,
			kind, subject, from_name, from_email, sent_at, in_reply_to, dup_of)
			VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING RETURNING id`
	sqlInsertRef          = `INSERT INTO message_refs (message, ref) VALUES (?, ?) ON CONFLICT DO NOTHING`
	sqlInsertMessageList  = `INSERT INTO message_lists (list, message) VALUES (?, ?) ON CONFLICT DO NOTHING`
	sqlInsertSeriesList   = `INSERT INTO series_lists (list, series_id) VALUES (?, ?) ON CONFLICT DO NOTHING`
	sqlInsertSeriesListOf = `INSERT INTO series_lists (list, series_id)
				SELECT ?, series_id FROM messages WHERE id = ? AND series_id IS NOT NULL AND kind IN ('patch', 'cover', 'code', 'pull')
				ON CONFLICT DO NOTHING`
	sqlInsertSearch = `INSERT INTO search (rowid, subject, author, addrs, body, dfn, dfhh, mid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	sqlClaim        = `UPDATE messages SET state = 'done', attempts = attempts + 1, error = '', kind = ?,
		subject = ?, from_name = ?, from_email = ?, sent_at = ?, in_reply_to = ? WHERE id = ? AND state = 'pending'`
)

// txStmts is the statement cache of one transaction.
type txStmts struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt // prepared on the transaction
}

// txCaches maps each open transaction of withTx to its cache.
var txCaches sync.Map // *sql.Tx → *txStmts

// cacheStatements gives tx a statement cache until the returned func runs
// (after the transaction ends: its statements are closed with it).
func (s *Store) cacheStatements(tx *sql.Tx) (end func()) {
	txCaches.Store(tx, &txStmts{m: map[string]*sql.Stmt{}})
	return func() { txCaches.Delete(tx) }
}

// stmtFor returns q compiled for tx, from tx's cache, or nil when tx has
// no cache (or q does not compile: running it reports the error).
func stmtFor(ctx context.Context, tx *sql.Tx, q string) *sql.Stmt {
	v, ok := txCaches.Load(tx)
	if !ok {
		return nil
	}
	c := v.(*txStmts)
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.m[q]; st != nil {
		return st
	}
	st, err := tx.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	c.m[q] = st
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
