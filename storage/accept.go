package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Accept stores one raw message durably, before anything is parsed. It is
// idempotent by Message-ID: a message already stored returns its id and
// isNew false, and stores nothing. When it returns without error, the
// message is committed and synced (see the README on durability).
//
// Concurrent calls are committed together (group commit): one transaction
// and one sync for all the messages waiting while the previous commit ran,
// so that a sync per message does not bound the webhook's rate.
func (s *Store) Accept(ctx context.Context, raw []byte, source string) (id int64, isNew bool, err error) {
	req := &acceptReq{raw: raw, source: source, done: make(chan struct{})}
	req.msgID, req.lists = headerInfo(raw)
	s.acceptOnce.Do(func() { go s.acceptLoop() })
	select {
	case s.accepts <- req:
	case <-ctx.Done():
		return 0, false, fmt.Errorf("storage: accept %s: %w", req.msgID, ctx.Err())
	case <-s.closing:
		return 0, false, fmt.Errorf("storage: accept %s: store closed", req.msgID)
	}
	<-req.done // the loop answers every request it took
	if req.err != nil {
		return 0, false, fmt.Errorf("storage: accept %s: %w", req.msgID, req.err)
	}
	return req.id, req.isNew, nil
}

type acceptReq struct {
	raw           []byte
	source, msgID string
	lists         []string
	done          chan struct{}
	id            int64
	isNew         bool
	err           error
}

// maxGroup bounds the messages committed together.
const maxGroup = 256

// acceptLoop commits accepted messages, grouping those that wait.
func (s *Store) acceptLoop() {
	defer close(s.acceptDone)
	for {
		var group []*acceptReq
		select {
		case r := <-s.accepts:
			group = append(group, r)
		case <-s.closing:
			return
		}
	more:
		for len(group) < maxGroup {
			select {
			case r := <-s.accepts:
				group = append(group, r)
			default:
				break more
			}
		}
		if s.acceptGroupHook != nil {
			ids := make([]string, len(group))
			for i, r := range group {
				ids[i] = r.msgID
			}
			s.acceptGroupHook(ids)
		}
		// A message that cannot be stored fails alone: the others of its
		// group are committed and acknowledged (the sender of a message
		// that was fine gets no error, which it might retry or give up
		// on). Through writeOrIsolate, as the ingest's batches: the
		// group is written at once, and only when one message fails
		// written again with a savepoint per message.
		err := writeOrIsolate(context.Background(), func(isolate bool) error { return s.commitGroup(group, isolate) })
		for _, r := range group {
			if err != nil {
				r.id, r.isNew, r.err = 0, false, err // nothing of the group is committed
			}
			close(r.done)
		}
	}
}

// commitGroup writes a group in one transaction. Without isolate, a
// message that fails fails the group with errJob; with it, each message
// has its own savepoint, and one that fails is rolled back alone and gets
// its error.
func (s *Store) commitGroup(group []*acceptReq, isolate bool) error {
	ctx := context.Background()
	return s.withTx(ctx, func(tx *sql.Tx) error {
		for _, r := range group {
			r.id, r.isNew, r.err = 0, false, nil
			failed, err := writeOne(ctx, tx, isolate, func() error { return s.acceptOne(tx, r) })
			if err != nil {
				return err
			}
			if failed != nil {
				r.id, r.isNew, r.err = 0, false, failed
			}
		}
		return nil
	})
}

func (s *Store) acceptOne(tx *sql.Tx, r *acceptReq) error {
	ctx := context.Background()
	err := tx.QueryRowContext(ctx, `INSERT INTO messages (message_id, raw, source, received_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING RETURNING id`,
		r.msgID, r.raw, r.source, s.now().UnixNano()).Scan(&r.id)
	if errors.Is(err, sql.ErrNoRows) {
		first, same, derived, err := sameOrDerived(ctx, tx, r.msgID, r.raw)
		if err != nil {
			return err
		}
		if same != 0 {
			r.id = same
			return s.addLists(ctx, tx, r.id, 0, r.lists)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO messages (message_id, raw, source, received_at, dup_of)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, derived, r.raw, r.source, s.now().UnixNano(), first).Scan(&r.id); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	r.isNew = true
	for _, l := range r.lists {
		if _, err := qExec(ctx, tx, sqlInsertMessageList, l, r.id); err != nil {
			return err
		}
	}
	return nil
}
