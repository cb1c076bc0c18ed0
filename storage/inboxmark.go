package storage

import (
	"context"
	"database/sql"
	"time"
)

// inboxMark records, in the transaction that stores a public-inbox
// message, that its commit is ingested: the last commit per epoch moves
// exactly with what is committed.
type inboxMark struct {
	repo, list, commit string
	count              int64 // messages read from the epoch so far
}

func (mk *inboxMark) save(ctx context.Context, tx *sql.Tx, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO inbox_epochs (repo, list, last_commit, messages, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (repo) DO UPDATE SET list = excluded.list, last_commit = excluded.last_commit,
		messages = excluded.messages, updated_at = excluded.updated_at`, mk.repo, mk.list, mk.commit, mk.count, now.UnixNano())
	return err
}
