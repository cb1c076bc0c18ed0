package storage

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"time"
)

// QueueStatus counts messages by processing state.
type QueueStatus struct {
	Pending        int           `json:"pending"`
	Done           int           `json:"done"`
	Failed         int           `json:"failed"`
	RecentFailures []FailedEntry `json:"recent_failures"`
}

// FailedEntry is a message that could not be processed, with the reason.
type FailedEntry struct {
	ID        int64  `json:"id"`
	MessageID string `json:"message_id"`
	Error     string `json:"error"`
}

// QueueStatus reports the processing queue.
func (s *Store) QueueStatus(ctx context.Context) (QueueStatus, error) {
	q := QueueStatus{RecentFailures: []FailedEntry{}}
	err := s.r.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM messages WHERE state = 'pending'),
		(SELECT count(*) FROM messages WHERE state = 'done'),
		(SELECT count(*) FROM messages WHERE state = 'failed')`).Scan(&q.Pending, &q.Done, &q.Failed)
	if err != nil {
		return q, fmt.Errorf("storage: queue status: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, message_id, error FROM messages WHERE error != '' ORDER BY id DESC LIMIT 20`)
	if err != nil {
		return q, err
	}
	defer rows.Close()
	for rows.Next() {
		var f FailedEntry
		if err := rows.Scan(&f.ID, &f.MessageID, &f.Error); err != nil {
			return q, err
		}
		q.RecentFailures = append(q.RecentFailures, f)
	}
	return q, rows.Err()
}

// maxAttempts bounds retries of a message whose processing keeps failing
// for reasons other than parsing (a parse failure is final at once).
const maxAttempts = 5

// ProcessPending processes accepted messages that are not processed yet,
// oldest first, through the pipeline (parsed and checked by several workers,
// stored by one writer in batches), and returns how many it processed. It
// makes one pass: a message whose processing fails is counted an attempt
// and retried by the next call, up to maxAttempts. It also indexes for
// search the messages processed before search existed.
func (s *Store) ProcessPending(ctx context.Context) (int, error) {
	if err := s.indexBacklog(ctx); err != nil {
		return 0, err
	}
	n := 0
	var firstErr error
	err := s.runPipeline(ctx, func(emit func(*job) error) error {
		last := int64(0)
		for {
			var batch []*job
			rows, err := s.r.QueryContext(ctx, `SELECT id, raw, source, message_id FROM messages WHERE state = 'pending' AND attempts < ? AND id > ?
				ORDER BY id LIMIT 64`, maxAttempts, last)
			if err != nil {
				return err
			}
			for rows.Next() {
				j := &job{}
				if err := rows.Scan(&j.id, &j.raw, &j.source, &j.storedMID); err != nil {
					rows.Close()
					return err
				}
				batch = append(batch, j)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if len(batch) == 0 {
				return nil
			}
			for _, j := range batch {
				if err := emit(j); err != nil {
					return err
				}
				last = j.id
			}
		}
	}, func(j *job) {
		if j.res.err != nil {
			firstErr = cmp.Or(firstErr, fmt.Errorf("storage: process %d: %w", j.id, j.res.err))
		} else if !j.res.skipped {
			n++
		}
	})
	return n, cmp.Or(err, firstErr)
}

// RunQueue processes pending messages until ctx ends: at once (so work
// accepted before a crash or restart resumes by itself), whenever kick
// receives, and every interval as a safety net.
func (s *Store) RunQueue(ctx context.Context, kick <-chan struct{}, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := s.ProcessPending(ctx); err != nil && ctx.Err() == nil {
			log.Error("queue: processing failed", "error", err)
		} else if n > 0 {
			log.Info("queue: processed", "messages", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-kick:
		case <-t.C:
		}
	}
}
