package storage

import (
	"context"
	"database/sql"
	"fmt"
)

// Statements the writer runs for every message, prepared once when the
// store opens: preparing them per message cost 13% of the ingest's CPU.
// The threading code's statements are prepared once per batch instead
// (txstmt.go); any other statement is prepared per use, as database/sql
// does.
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

// prepare prepares the hot statements on the writer's one connection.
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

// txExec runs a statement in tx, prepared once when it is a hot one.
func (s *Store) txExec(ctx context.Context, tx *sql.Tx, q string, args ...any) (sql.Result, error) {
	if st, ok := s.stmts[q]; ok {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, q, args...)
}

// txQueryRow is txExec for a query of one row.
func (s *Store) txQueryRow(ctx context.Context, tx *sql.Tx, q string, args ...any) *sql.Row {
	if st, ok := s.stmts[q]; ok {
		return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, q, args...)
}
