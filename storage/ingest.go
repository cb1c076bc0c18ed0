package storage

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"patchreview/review"
)

// errProcessed says another caller processed the message first.
var errProcessed = errors.New("already processed")

// Process parses, threads and checks one accepted message, and marks it
// done, or failed with the reason when it cannot be parsed. A message that
// is not pending is left alone.
func (s *Store) Process(ctx context.Context, id int64) error {
	var raw []byte
	var state, storedID string
	if err := s.r.QueryRowContext(ctx, `SELECT raw, state, message_id FROM messages WHERE id = ?`, id).Scan(&raw, &state, &storedID); err != nil {
		return fmt.Errorf("storage: process %d: %w", id, err)
	}
	if state != "pending" {
		return nil
	}
	j := &job{id: id, raw: raw, storedMID: storedID}
	s.prepare(ctx, j)
	if j.cancelled {
		return ctx.Err()
	}
	if err := s.writeBatch(ctx, []*job{j}); err != nil {
		return fmt.Errorf("storage: process %d: %w", id, err)
	}
	if j.res.err != nil {
		return fmt.Errorf("storage: process %d: %w", id, j.res.err)
	}
	return nil
}

// claim marks a pending message done with its parsed fields; an upload and
// the queue worker may process the same one at once, and only the first
// may store it (errProcessed for the other).
func (s *Store) claim(ctx context.Context, tx *sql.Tx, id int64, m *review.Message) error {
	res, err := qExec(ctx, tx, sqlClaim, m.Kind, m.Subject.Raw, m.From.Name, m.From.Email, m.Date.UnixNano(), m.InReplyTo, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return errProcessed
	}
	return nil
}

// storeParsed writes what a parsed message adds to a claimed row: its
// references, its series and patch, its findings, and the links between
// replies and what they answer.
func (s *Store) storeParsed(ctx context.Context, tx *sql.Tx, id int64, m *review.Message, findings []review.Finding, note string) (int64, error) {
	for _, ref := range append([]string{m.InReplyTo}, m.References...) {
		if ref != "" {
			if _, err := qExec(ctx, tx, sqlInsertRef, id, ref); err != nil {
				return 0, err
			}
		}
	}
	switch m.Kind {
	case review.KindPatch, review.KindCover, review.KindCode, review.KindPull:
		// A pull request is its own series, listed as a pull request.
		seriesID, err := s.storeSeriesMember(ctx, tx, id, m, findings)
		if err == nil && note != "" {
			_, err = tx.ExecContext(ctx, `UPDATE patches SET check_note = ? WHERE message_id = ?`, note, id)
		}
		return seriesID, err
	default:
		return 0, attachReply(ctx, tx, id, m)
	}
}

// IngestMessage stores one raw RFC 822 message, then parses, threads and
// checks it.
func (s *Store) IngestMessage(ctx context.Context, raw []byte, source string) (IngestStats, error) {
	return s.ingest(ctx, source, func(emit func(*job) error) error {
		return emit(&job{raw: raw, source: source})
	}, nil)
}

// IngestMbox splits an mbox and ingests its messages: parsed and checked in
// parallel, stored in order in batches. progress, if not nil, is called
// after each message is committed. A single message without an mbox
// separator is ingested as one message. It streams: memory does not grow
// with the mbox. When ctx ends it stops promptly; what it reported is
// stored, the batch in progress is not (a second run stores it).
func (s *Store) IngestMbox(ctx context.Context, r io.Reader, source string, progress func(IngestStats)) (IngestStats, error) {
	return s.ingest(ctx, source, func(emit func(*job) error) error {
		return review.SplitMbox(r, func(raw []byte) error {
			return emit(&job{raw: raw, source: source})
		})
	}, progress)
}

// ingest runs the pipeline over produced mail and counts what it did.
func (s *Store) ingest(ctx context.Context, source string, produce func(emit func(*job) error) error, progress func(IngestStats)) (IngestStats, error) {
	var st IngestStats
	seen := map[int64]bool{}
	var firstErr error
	err := s.runPipeline(ctx, produce, func(j *job) {
		st.count(j, seen)
		if j.raw == nil {
			return
		}
		if j.res.err != nil && firstErr == nil {
			firstErr = fmt.Errorf("storage: %s: message %s: %w", source, j.msgID, j.res.err)
		}
		if progress != nil {
			progress(st)
		}
	})
	if err == nil {
		err = firstErr
	}
	return st, err
}

// count adds one written job to the stats.
func (st *IngestStats) count(j *job, seen map[int64]bool) {
	if j.raw == nil {
		return // a mark, not a message
	}
	st.Messages++
	switch {
	case j.res.duplicate || j.res.skipped:
		st.Duplicates++
		return
	case j.res.err != nil:
		return
	}
	st.New++
	if j.res.failed {
		st.Failed++
	}
	if j.note != "" {
		st.Stopped++
	}
	if j.res.kind == review.KindPatch {
		st.Patches++
	}
	if j.res.seriesID != 0 && !seen[j.res.seriesID] {
		seen[j.res.seriesID] = true
		st.Series++
	}
}

// Rejected is a message of an upload that is not mail at all
// (review.CheckMail): it was not stored.
type Rejected struct {
	Index  int    `json:"index"` // 1-based position in the upload
	Reason string `json:"reason"`
}

// IngestUpload ingests an uploaded mbox (or one message) as IngestMbox
// does, except that a message that is not mail at all (review.CheckMail:
// "hello", a PNG) is not stored but returned among the rejected. A mail
// that is merely malformed is stored raw and marked, as everywhere.
func (s *Store) IngestUpload(ctx context.Context, r io.Reader, source string, progress func(IngestStats)) (IngestStats, []Rejected, error) {
	// The producer may still run when ingest returns on a writer error
	// (it is not waited for): rejected is shared under a lock.
	var mu sync.Mutex
	rejected := []Rejected{}
	n := 0
	st, err := s.ingest(ctx, source, func(emit func(*job) error) error {
		return review.SplitMbox(r, func(raw []byte) error {
			n++
			if err := review.CheckMail(raw); err != nil {
				mu.Lock()
				rejected = append(rejected, Rejected{Index: n, Reason: err.Error()})
				mu.Unlock()
				return nil
			}
			return emit(&job{raw: raw, source: source})
		})
	}, progress)
	mu.Lock()
	defer mu.Unlock()
	return st, slices.Clone(rejected), err
}

// IngestBytes ingests data that is either an mbox or one message.
func (s *Store) IngestBytes(ctx context.Context, data []byte, source string, progress func(IngestStats)) (IngestStats, error) {
	return s.IngestMbox(ctx, bytes.NewReader(data), source, progress)
}
