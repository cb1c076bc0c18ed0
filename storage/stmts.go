package storage

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// The writer's statements are compiled once, not once per use: the
// threading code runs a dozen per message, and compiling them per use
// cost 11-15% of the ingest's CPU; the hot statements below run for every
// message and cost 13% more. One mechanism does it: every write
// transaction (withTx) carries a cache of statements by query text. The
// first use of a query in a transaction takes the store's own prepared
// statement when the query is a hot one (prepared once when the store
// opens) and binds it to the transaction, else prepares the query on the
// transaction; later uses in that transaction run the cached statement.
// qExec, qRow and qQuery are the ways in; a transaction that did not come
// from withTx runs its statements as database/sql does.
//
// A cached statement must not run again while rows of its previous run are
// open: the callers read and close their rows before the next query.

// hotStatements are prepared when the store opens.
// They are written in SQL that PostgreSQL also takes (ON CONFLICT, not
// INSERT OR IGNORE); the search table (FTS5) is SQLite's own.
var hotStatements = []string{
	sqlInsertMessage, sqlInsertRef, sqlInsertMessageList, sqlInsertSeriesList, sqlInsertSeriesListOf,
	sqlInsertSearch, sqlClaim,
}

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

// prepareStatements prepares the hot statements on the writer's one
// connection.
func (s *Store) prepareStatements(ctx context.Context) error {
	s.stmts = map[string]*sql.Stmt{}
	for _, q := range hotStatements {
		st, err := s.w.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("storage: prepare: %w", err)
		}
		s.stmts[q] = st
	}
	return nil
}

func (s *Store) closeStatements() {
	for _, st := range s.stmts {
		st.Close()
	}
}

// txStmts is the statement cache of one transaction.
type txStmts struct {
	mu  sync.Mutex
	hot map[string]*sql.Stmt // the store's prepared statements
	m   map[string]*sql.Stmt // prepared on, or bound to, the transaction
}

// txCaches maps each open transaction of withTx to its cache.
var txCaches sync.Map // *sql.Tx → *txStmts

// cacheStatements gives tx a statement cache until the returned func runs
// (after the transaction ends: its statements are closed with it).
func (s *Store) cacheStatements(tx *sql.Tx) (end func()) {
	txCaches.Store(tx, &txStmts{hot: s.stmts, m: map[string]*sql.Stmt{}})
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
	var st *sql.Stmt
	if hot := c.hot[q]; hot != nil {
		st = tx.StmtContext(ctx, hot)
	} else {
		var err error
		if st, err = tx.PrepareContext(ctx, q); err != nil {
			return nil
		}
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
