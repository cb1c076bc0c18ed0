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
// oldest first, and returns how many it processed.
func (s *Store) ProcessPending(ctx context.Context) (int, error) {
	n := 0
	for {
		var ids []int64
		rows, err := s.r.QueryContext(ctx, `SELECT id FROM messages WHERE state = 'pending' AND attempts < ? ORDER BY id LIMIT 100`, maxAttempts)
		if err != nil {
			return n, err
		}
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) == 0 {
			return n, nil
		}
		var firstErr error
		for _, id := range ids {
			if err := ctx.Err(); err != nil {
				return n, err
			}
			if err := s.Process(ctx, id); err != nil {
				firstErr = cmp.Or(firstErr, err) // retried next round, up to maxAttempts
				continue
			}
			n++
		}
		if firstErr != nil {
			return n, firstErr
		}
	}
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
