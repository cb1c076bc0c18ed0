package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"patchreview/review"
)

// The processing pipeline: a producer (an mbox, a public-inbox epoch, the
// queue of accepted mail) emits raw messages; Workers goroutines parse and
// check them in parallel, each check within the time budget; one writer
// stores them in the order produced, in batches, one transaction per
// batch. Memory is bounded whatever the input's size: in messages by the
// look-ahead and the batch, in bytes by the mail in flight (flightBytes).
// This is the one place that writes processed mail: the
// single-writer assumption (SQLite's, and the one to lift for PostgreSQL
// with several queue nodes) lives in writeOrdered.

const (
	batchMessages = 256      // messages per writer transaction at most
	batchBytes    = 16 << 20 // raw bytes per writer transaction at most (but for the mail that passes it)
	// The look-ahead: how many messages the workers may prepare ahead of
	// the writer. A whole batch, so that the workers prepare the next batch
	// while the writer stores one: with a look-ahead of a few messages they
	// waited for the writer's transaction and the writer for them in turn,
	// and the ingest used 1.4 of 2 cores (look-ahead 4 per worker and 8, 16
	// on 2 cores: 1,144 msgs/s; 256: 1,661).
	lookAheadMessages = batchMessages
	// flightBytes bounds the raw mail from the producer to the commit: the
	// look-ahead and the batch being written together. A mail larger than
	// that goes through alone, once everything before it is committed, so
	// that two huge mails are never prepared and written at once. (An mbox
	// of three 34-63 MB mails peaked at 638 MB when the batch and the
	// look-ahead were bounded apart, 606 MB now, and twelve such mails at
	// 649 MB; the largest alone at 455 MB.)
	// What a prepared message holds besides its mail (its parse, findings,
	// search text) is a few times that.
	flightBytes   = 32 << 20
	defaultBudget = 10 * time.Second
	idleFlush     = 20 * time.Millisecond // how long the writer waits for more before committing
)

// job is one message through the pipeline.
type job struct {
	// Set by the producer.
	id int64 // a row already accepted (the queue); 0 for new mail
	// storedMID is the accepted row's Message-ID: a derived one
	// (review.DerivedMessageID) for a second mail that reused an id.
	storedMID string
	raw       []byte // the message as received
	source    string // where it came from (file:…, stdin, publicinbox:…)
	list      string // the archive's name, for mail without List-Id
	mark      *inboxMark

	// Set by a worker.
	ready     chan struct{}
	cancelled bool // ctx ended while the job was prepared
	msgID     string
	parsedMID string // the Message-ID parsing raw gives (m's may become the row's)
	lists     []string
	m         *review.Message
	perr      error // parse error: stored raw, marked failed
	findings  []review.Finding
	note      string // check stopped or failed
	doc       searchDoc

	// Set by the writer.
	res jobResult
}

// jobResult is what the writer did with a job.
type jobResult struct {
	duplicate bool // the Message-ID was stored already
	skipped   bool // a queued row another caller processed first
	failed    bool // stored raw, could not be parsed
	kind      review.Kind
	seriesID  int64
	id        int64 // the row processed, to index for search
	err       error // processing failed (retried by the queue)
}

func (s *Store) workers() int {
	if s.opts.Workers > 0 {
		return s.opts.Workers
	}
	return runtime.GOMAXPROCS(0)
}

func (s *Store) budget() time.Duration {
	if s.opts.CheckBudget > 0 {
		return s.opts.CheckBudget
	}
	return defaultBudget
}

// runPipeline runs produce, which calls emit for each job in order, and
// stores every emitted job; done, if not nil, is called for each job once
// its batch is committed. It returns the first error of produce or of the
// writer, or ctx's error when ctx ends (the batch in progress is then rolled
// back: nothing of it is reported stored).
func (s *Store) runPipeline(ctx context.Context, produce func(emit func(*job) error) error, done func(*job)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	n := s.workers()
	work := make(chan *job, n*2)
	order := make(chan *job, lookAheadMessages)
	flight := &byteBudget{limit: flightBytes, freed: make(chan struct{}, 1)}
	var prodErr error
	go func() {
		defer close(order)
		defer close(work)
		prodErr = produce(func(j *job) error {
			j.ready = make(chan struct{})
			if err := flight.acquire(ctx, len(j.raw)); err != nil {
				return err
			}
			select {
			case order <- j:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case work <- j:
				return nil
			case <-ctx.Done():
				j.cancelled = true
				close(j.ready)
				return ctx.Err()
			}
		})
	}()
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				s.prepare(ctx, j)
				close(j.ready)
			}
		}()
	}
	if err := s.writeOrdered(ctx, order, flight, done); err != nil {
		// ctx is cancelled below: the workers and the producer end by
		// themselves, except a producer blocked reading its input (a
		// pipe that stays open), which is left behind rather than
		// waited for, so that stopping is prompt.
		return err
	}
	wg.Wait()
	return prodErr // the writer saw order closed: the producer has returned
}

// writeOrdered stores jobs in the order they were emitted, a batch per
// transaction. A batch is committed when full, and when no further job
// came for idleFlush, so that a trickle of mail is not held back.
func (s *Store) writeOrdered(ctx context.Context, order <-chan *job, flight *byteBudget, done func(*job)) error {
	var batch []*job
	size := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := s.writeBatch(ctx, batch); err != nil {
			return err
		}
		for _, j := range batch {
			if done != nil {
				done(j)
			}
			flight.release(len(j.raw))
		}
		clear(batch) // the jobs (mail, parse, findings) are not kept until overwritten
		batch, size = batch[:0], 0
		return nil
	}
	for {
		var j *job
		var ok bool
		select {
		case j, ok = <-order:
		default:
			// Nothing waiting: give the producer a moment (a queue
			// reads its rows in chunks), then commit what we have,
			// so that a trickle of mail is not held back. Committing
			// at every pause made many small transactions: a sync and
			// an FTS5 segment each.
			t := time.NewTimer(idleFlush)
			select {
			case j, ok = <-order:
				t.Stop()
			case <-t.C:
				if err := flush(); err != nil {
					return err
				}
				select {
				case j, ok = <-order:
				case <-ctx.Done():
					return ctx.Err()
				}
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			}
		}
		if !ok {
			if err := ctx.Err(); err != nil {
				return err
			}
			return flush()
		}
		select {
		case <-j.ready:
		case <-ctx.Done():
			return ctx.Err()
		}
		if j.cancelled || ctx.Err() != nil {
			return ctx.Err()
		}
		batch = append(batch, j)
		size += len(j.raw)
		if len(batch) >= batchMessages || size >= batchBytes {
			if err := flush(); err != nil {
				return err
			}
		}
	}
}

// byteBudget bounds the raw bytes in flight (one producer waits on it). A
// message larger than the whole budget goes through alone.
type byteBudget struct {
	mu    sync.Mutex
	used  int
	limit int
	freed chan struct{} // a release since the producer last looked
}

func (b *byteBudget) acquire(ctx context.Context, n int) error {
	for {
		b.mu.Lock()
		if b.used == 0 || b.used+n <= b.limit {
			b.used += n
			b.mu.Unlock()
			return nil
		}
		b.mu.Unlock()
		select {
		case <-b.freed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (b *byteBudget) release(n int) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
	select {
	case b.freed <- struct{}{}:
	default:
	}
}

// prepare parses and checks a job: everything that needs no database.
func (s *Store) prepare(ctx context.Context, j *job) {
	if ctx.Err() != nil {
		j.cancelled = true
		return
	}
	if j.raw == nil {
		return // a mark only (a public-inbox commit without a message)
	}
	j.msgID, j.lists = headerInfo(j.raw)
	if len(j.lists) == 0 && j.list != "" {
		j.lists = []string{j.list}
	}
	m, err := parseSafely(j.raw)
	if err != nil {
		j.perr = err
		return
	}
	j.parsedMID = m.MessageID
	if j.storedMID != "" {
		j.msgID, m.MessageID = j.storedMID, j.storedMID
	}
	j.m = m
	if s.opts.Checker != nil && (m.Kind == review.KindPatch || m.Kind == review.KindCode || m.Patch != nil) {
		budget := s.budget()
		cctx, cancel := context.WithTimeout(ctx, budget)
		j.findings, err = s.opts.Checker(cctx, m)
		cancel()
		switch {
		case err == nil:
		case ctx.Err() != nil:
			j.cancelled = true
			return
		case errors.Is(err, context.DeadlineExceeded):
			j.note = fmt.Sprintf("check stopped after %g s", budget.Seconds())
		default:
			j.note = "check failed: " + err.Error()
		}
	}
	j.doc = newSearchDoc(m)
}

// parseSafely parses a message; a parser panic on some input is a parse
// error of that message (stored raw and marked), not the end of the
// process and of every message after it.
func parseSafely(raw []byte) (m *review.Message, err error) {
	defer func() {
		if p := recover(); p != nil {
			m, err = nil, fmt.Errorf("the parser failed on this message: %v", p)
		}
	}()
	return review.ParseMessage(raw)
}

// writeBatch stores a batch in one transaction. When a message cannot be
// written the transaction is rolled back and the batch written again with
// a savepoint per message: the one that fails is rolled back alone and
// recorded as failed (with its raw bytes kept), and the others are stored.
func (s *Store) writeBatch(ctx context.Context, batch []*job) error {
	return writeOrIsolate(ctx, func(isolate bool) error { return s.writeBatchTx(ctx, batch, isolate) })
}

func (s *Store) writeBatchTx(ctx context.Context, batch []*job, isolate bool) error {
	ctx = context.WithValue(ctx, parseCacheKey{}, s.parsed)
	return s.withTx(ctx, func(tx *sql.Tx) error {
		marks := map[string]*inboxMark{}
		for _, j := range batch {
			j.res = jobResult{}
			write := func() error {
				if j.raw == nil {
					return nil
				}
				return s.writeJob(ctx, tx, j)
			}
			failed, err := writeOne(ctx, tx, isolate, write)
			if err != nil {
				return err
			}
			if failed != nil {
				j.res = jobResult{err: failed}
				if err := s.recordFailure(ctx, tx, j, failed); err != nil {
					return err
				}
			}
			if j.mark != nil {
				marks[j.mark.repo] = j.mark
			}
		}
		// The search index last, all in a row: FTS5 flushes its pending
		// terms to disk at every other statement, which made it 14% of
		// the ingest when interleaved.
		for _, j := range batch {
			if j.res.id != 0 && j.res.err == nil {
				if err := s.insertDoc(ctx, tx, j.res.id, j.doc); err != nil {
					return err
				}
			}
		}
		for _, mk := range marks {
			if err := mk.save(ctx, tx, s.now()); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeJob stores one prepared job.
func (s *Store) writeJob(ctx context.Context, tx *sql.Tx, j *job) error {
	id := j.id
	m := j.m
	if id == 0 {
		// New mail: one INSERT with the parsed fields, so that the row
		// (and its raw blob) is written once.
		// A check note lives on the patch (patches.check_note), not in
		// the message's error, which lists failures on /status.
		state, kind, errText := "done", review.Kind(""), ""
		var subject, fromName, fromEmail, inReplyTo string
		var sent int64
		if j.perr != nil {
			state, errText = "failed", j.perr.Error()
		} else {
			kind, subject, fromName, fromEmail, inReplyTo = m.Kind, m.Subject.Raw, m.From.Name, m.From.Email, m.InReplyTo
			sent = m.Date.UnixNano()
		}
		// j.msgID stays the header's id: a batch written again after a
		// rollback must find the first mail again and link to it.
		insert := func(msgID string, dupOf any) error {
			return qRow(ctx, tx, sqlInsertMessage, msgID, j.raw, j.source, s.now().UnixNano(), state, errText,
				kind, subject, fromName, fromEmail, sent, inReplyTo, dupOf).Scan(&id)
		}
		if m != nil {
			m.MessageID = j.msgID
		}
		err := insert(j.msgID, nil)
		if errors.Is(err, sql.ErrNoRows) {
			first, same, derived, err := sameOrDerived(ctx, tx, j.msgID, j.raw)
			if err != nil {
				return err
			}
			if same != 0 {
				// Stored before: a cross-post read through another
				// list belongs to that list too.
				j.res.duplicate = true
				return s.addLists(ctx, tx, same, 0, j.lists)
			}
			// A different mail reusing the Message-ID: kept too, under
			// a derived id linked to the first.
			if m != nil {
				m.MessageID = derived
			}
			if err := insert(derived, first); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		if j.perr != nil {
			j.res.failed = true
			return s.addLists(ctx, tx, id, 0, j.lists)
		}
	} else {
		if j.perr != nil {
			res, err := tx.ExecContext(ctx, `UPDATE messages SET state = 'failed', attempts = attempts + 1, error = ? WHERE id = ? AND state = 'pending'`, j.perr.Error(), id)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				j.res.skipped = true
				return nil
			}
			j.res.failed = true
			return s.addLists(ctx, tx, id, 0, j.lists)
		}
		if err := s.claim(ctx, tx, id, m); err != nil {
			if errors.Is(err, errProcessed) {
				j.res.skipped = true
				return nil
			}
			return err
		}
	}
	seriesID, err := s.storeParsed(ctx, tx, id, m, j.findings, j.note)
	if err != nil {
		return err
	}
	j.res.kind, j.res.seriesID = m.Kind, seriesID
	j.res.id = id
	if seriesID != 0 {
		// Replies to it parse it from the cache, and so do pages: the
		// cache holds what parsing raw gives, not the id this row was
		// stored under (a derived one for a reused Message-ID).
		c := *m
		c.MessageID = j.parsedMID
		s.parsed.put(j.raw, &c)
	}
	return s.addLists(ctx, tx, id, seriesID, j.lists)
}

// recordFailure keeps a message whose storing failed: a new one is stored
// raw and pending with the reason (the queue retries it up to maxAttempts);
// a queued one counts an attempt.
func (s *Store) recordFailure(ctx context.Context, tx *sql.Tx, j *job, cause error) error {
	if j.id == 0 {
		insert := func(msgID string, dupOf any) (int64, error) {
			res, err := tx.ExecContext(ctx, `INSERT INTO messages (message_id, raw, source, received_at, attempts, error, dup_of)
				VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (message_id) DO NOTHING`, msgID, j.raw, j.source, s.now().UnixNano(), cause.Error(), dupOf)
			if err != nil {
				return 0, err
			}
			return res.RowsAffected()
		}
		n, err := insert(j.msgID, nil)
		if err != nil || n > 0 {
			return err
		}
		// The Message-ID is taken: by this very mail (kept already), or
		// by another, and then this one is kept under a derived id, as
		// writeJob would have stored it.
		first, same, derived, err := sameOrDerived(ctx, tx, j.msgID, j.raw)
		if err != nil || same != 0 {
			return err
		}
		_, err = insert(derived, first)
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE messages SET attempts = attempts + 1, error = ?,
		state = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE state END WHERE id = ?`, cause.Error(), maxAttempts, j.id)
	return err
}

// addLists records the lists a message came through, and for a series
// member its series' lists.
func (s *Store) addLists(ctx context.Context, tx *sql.Tx, id, seriesID int64, lists []string) error {
	for _, l := range lists {
		if _, err := qExec(ctx, tx, sqlInsertMessageList, l, id); err != nil {
			return err
		}
		if seriesID == 0 {
			// A known series member read again through another list.
			if _, err := qExec(ctx, tx, sqlInsertSeriesListOf, l, id); err != nil {
				return err
			}
			continue
		}
		if _, err := qExec(ctx, tx, sqlInsertSeriesList, l, seriesID); err != nil {
			return err
		}
	}
	return nil
}

// headerInfo reads only the header block of raw, once, for what is needed
// before parsing: the Message-ID (as review.ReadMessageID gives it: a
// synthetic one when there is none) and the List-Id(s), e.g.
// "linux-nilfs.vger.kernel.org" for "List-Id: <linux-nilfs.vger.kernel.org>".
func headerInfo(raw []byte) (msgID string, lists []string) {
	h, err := review.ReadHeader(raw)
	if err == nil {
		msgID = review.HeaderMessageID(h)
	}
	if msgID == "" {
		msgID = review.SyntheticMessageID(raw)
	}
	seen := map[string]bool{}
	for _, v := range h.Values("List-Id") {
		id := v
		if i, k := strings.LastIndexByte(v, '<'), strings.LastIndexByte(v, '>'); i >= 0 && k > i {
			id = v[i+1 : k]
		}
		id = strings.ToLower(strings.TrimSpace(id))
		if id != "" && !seen[id] {
			seen[id] = true
			lists = append(lists, id)
		}
	}
	return msgID, lists
}
