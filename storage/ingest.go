package storage

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"

	"patchreview/review"
)

// Accept stores one raw message durably, before anything is parsed. It is
// idempotent by Message-ID: a message already stored returns its id and
// isNew false, and stores nothing. A different mail with a stored
// Message-ID is kept under a derived id (acceptDuplicate).
func (s *Store) Accept(ctx context.Context, raw []byte, source string) (id int64, isNew bool, err error) {
	msgID := review.ReadMessageID(raw)
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO messages (message_id, raw, source, received_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING RETURNING id`,
			msgID, raw, source, s.now().UnixNano()).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			id, isNew, err = s.acceptDuplicate(ctx, tx, msgID, raw, source)
			return err
		}
		isNew = err == nil
		return err
	})
	if err != nil {
		return 0, false, fmt.Errorf("storage: accept %s: %w", msgID, err)
	}
	return id, isNew, nil
}

// errProcessed says another caller processed the message first.
var errProcessed = errors.New("already processed")

// processed is what Process did with one message.
type processed struct {
	kind     review.Kind
	seriesID int64
	failed   bool
}

// Process parses, threads and checks one accepted message, and marks it
// done, or failed with the reason when it cannot be parsed. A message that
// is not pending is left alone.
func (s *Store) Process(ctx context.Context, id int64) error {
	_, err := s.process(ctx, id)
	return err
}

func (s *Store) process(ctx context.Context, id int64) (processed, error) {
	var raw []byte
	var state, storedID string
	if err := s.w.QueryRowContext(ctx, `SELECT raw, state, message_id FROM messages WHERE id = ?`, id).Scan(&raw, &state, &storedID); err != nil {
		return processed{}, fmt.Errorf("storage: process %d: %w", id, err)
	}
	if state != "pending" {
		return processed{}, nil
	}
	m, perr := review.ParseMessage(raw)
	if perr == nil {
		m.MessageID = storedID // a duplicate's derived id
	}
	if perr != nil {
		_, err := s.w.ExecContext(ctx, `UPDATE messages SET state = 'failed', attempts = attempts + 1, error = ? WHERE id = ? AND state = 'pending'`, perr.Error(), id)
		return processed{failed: true}, err
	}
	var findings []review.Finding
	if s.opts.Checker != nil && (m.Kind == review.KindPatch || m.Kind == review.KindCode || m.Patch != nil) {
		findings = s.opts.Checker(m)
	}
	p := processed{kind: m.Kind}
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		p.seriesID, err = s.store(ctx, tx, id, m, findings)
		return err
	})
	if errors.Is(err, errProcessed) {
		return processed{}, nil // another caller stored it first
	}
	if err != nil {
		_, _ = s.w.ExecContext(ctx, `UPDATE messages SET attempts = attempts + 1, error = ?,
			state = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE state END WHERE id = ?`, err.Error(), maxAttempts, id)
		return p, fmt.Errorf("storage: process %d: %w", id, err)
	}
	return p, nil
}

// store writes a parsed message: its fields, its series and patch, its
// findings, and the links between replies and what they answer.
func (s *Store) store(ctx context.Context, tx *sql.Tx, id int64, m *review.Message, findings []review.Finding) (int64, error) {
	// Claim the message: an upload and the queue worker may process the
	// same one at once, and only the first may store it.
	res, err := tx.ExecContext(ctx, `UPDATE messages SET state = 'done', attempts = attempts + 1, error = '', kind = ?,
		subject = ?, from_name = ?, from_email = ?, sent_at = ?, in_reply_to = ? WHERE id = ? AND state = 'pending'`,
		m.Kind, m.Subject.Raw, m.From.Name, m.From.Email, m.Date.UnixNano(), m.InReplyTo, id)
	if err != nil {
		return 0, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return 0, err
	} else if n == 0 {
		return 0, errProcessed
	}
	for _, ref := range append([]string{m.InReplyTo}, m.References...) {
		if ref != "" {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO message_refs (message, ref) VALUES (?, ?)`, id, ref); err != nil {
				return 0, err
			}
		}
	}
	switch {
	case m.Kind == review.KindPatch || m.Kind == review.KindCover || m.Kind == review.KindCode:
		return s.storeSeriesMember(ctx, tx, id, m, findings)
	case m.Kind == review.KindPull:
		return s.storeSeriesMember(ctx, tx, id, m, findings) // its own series, listed as a pull request
	default:
		return 0, attachReply(ctx, tx, id, m)
	}
}

// IngestMessage stores one raw RFC 822 message, then parses, threads and
// checks it.
func (s *Store) IngestMessage(ctx context.Context, raw []byte, source string) (IngestStats, error) {
	var st IngestStats
	err := s.ingestOne(ctx, raw, source, &st, map[int64]bool{})
	return st, err
}

func (s *Store) ingestOne(ctx context.Context, raw []byte, source string, st *IngestStats, seen map[int64]bool) error {
	st.Messages++
	id, isNew, err := s.Accept(ctx, raw, source)
	if err != nil {
		return err
	}
	if !isNew {
		st.Duplicates++
		return nil
	}
	st.New++
	p, err := s.process(ctx, id)
	if err != nil {
		return err
	}
	if p.failed {
		st.Failed++
	}
	if p.kind == review.KindPatch {
		st.Patches++
	}
	if p.seriesID != 0 && !seen[p.seriesID] {
		seen[p.seriesID] = true
		st.Series++
	}
	return nil
}

// IngestMbox splits an mbox and ingests each message; progress, if not nil,
// is called after each message. A single message without an mbox separator
// is ingested as one message.
func (s *Store) IngestMbox(ctx context.Context, r io.Reader, source string, progress func(IngestStats)) (IngestStats, error) {
	var st IngestStats
	seen := map[int64]bool{}
	err := review.SplitMbox(r, func(raw []byte) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.ingestOne(ctx, raw, source, &st, seen); err != nil {
			return err
		}
		if progress != nil {
			progress(st)
		}
		return nil
	})
	return st, err
}

// IngestBytes ingests data that is either an mbox or one message.
func (s *Store) IngestBytes(ctx context.Context, data []byte, source string, progress func(IngestStats)) (IngestStats, error) {
	return s.IngestMbox(ctx, bytes.NewReader(data), source, progress)
}
