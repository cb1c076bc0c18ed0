package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // database/sql driver "sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the one handle on the SQLite database: a single-connection
// writer pool (SQLite has one writer) and a small reader pool.
type Store struct {
	w, r   *sql.DB
	opts   Options
	parsed *parseCache // recent parses: series members the writer stored, messages pages read (parsecache.go)
	// patchIDs memoizes review.PatchID of a patch row: a stored patch's
	// diff never changes, and the series page pairs versions on every view.
	patchIDs sync.Map // int64 → string

	// Group commit of Accept (accept.go).
	accepts    chan *acceptReq
	acceptOnce sync.Once
	closing    chan struct{}
	acceptDone chan struct{}
	closeOnce  sync.Once
	// acceptGroupHook, when set (by tests), is told the Message-IDs of
	// each group before it is written.
	acceptGroupHook func(msgIDs []string)
	now             func() time.Time
}

// dsn builds a DSN whose pragmas every pooled connection gets. The WAL is
// checkpointed every 10,000 pages (40 MB) rather than SQLite's 1,000: the
// index pages the threading touches are written back once per checkpoint,
// so fewer checkpoints write fewer pages as the database grows (over a
// 40,000-message ingest the last tenth fell from 21% to about 10% slower
// than the first). What a commit promises does not change. The
// writer's commits are synchronous(FULL): in WAL mode that syncs the WAL at
// every commit, so a committed message survives a power cut, which is what
// a 202 and "stored" promise (README, "Durability"). Batching makes that
// one sync per batch of messages, or per group of concurrent accepts.
func dsn(path, txlock, sync string, pragmas ...string) string {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous("+sync+")")
	q.Add("_pragma", "wal_autocheckpoint(10000)")
	q.Set("_txlock", txlock)
	return "file:" + path + "?" + q.Encode()
}

// readers is how many connections read at once (the writer is one more).
const readers = 4

// Open opens (creating and migrating) the database file at path.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if path == "" || strings.Contains(path, ":memory:") {
		// the migrations, the writer and each reader open the file: an
		// in-memory database would be a different, empty one for each
		return nil, fmt.Errorf("storage: open %q: the database must be a file", path)
	}
	if err := migrate(ctx, path); err != nil {
		return nil, err
	}
	// The writer keeps its statement journals in memory: SQLite journals
	// the pages a statement changes inside a transaction (to undo that
	// statement alone), and in a file that was 90 of the 124 KB an
	// ingest wrote per message, through a system call per page (flat
	// ingest of 40,000 messages: 1,610 → 1,664 msgs/s). A journal holds
	// what one statement changed of what was there before: a message's
	// rows and index entries. (A migration's statement may change a whole
	// table: migrations run on a connection of their own, which journals
	// in a file.)
	// Its page cache is 8 MB (SQLite's default is 2 MB): the index pages
	// that each new message's row lands in at random are read again less
	// often (flat 40k: read per message 45–87 → 27–49 KB, 1,726 → 1,922
	// msgs/s). Larger costs more than it gains: the cache fills with a
	// huge mail's pages, and the 62.9 MB pathological mail peaked at 443
	// MB with 2 MB, 453 MB with 8 MB, 484 MB with 16 MB.
	w, err := sql.Open("sqlite", dsn(path, "immediate", "FULL", "temp_store(MEMORY)", "cache_size(-8192)"))
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	// Readers keep a 16 MB page cache each (SQLite's default is 2 MB) and
	// stay open: database/sql closes all but two idle connections, and a
	// reopened one starts with a cold cache and parses the schema again (a
	// search read its matches from disk: 2 ms against 1 ms warm).
	r, err := sql.Open("sqlite", dsn(path, "deferred", "NORMAL", "cache_size(-16384)"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	s := &Store{w: w, r: r, opts: opts, now: time.Now, parsed: newParseCache(16 << 20),
		accepts: make(chan *acceptReq), closing: make(chan struct{}), acceptDone: make(chan struct{})}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		close(s.closing)
		s.acceptOnce.Do(func() { close(s.acceptDone) }) // no loop was started
		<-s.acceptDone
	})
	err := s.r.Close()
	if werr := s.w.Close(); err == nil {
		err = werr
	}
	return err
}

// migrate applies the embedded migrations not yet recorded, in name order,
// each in its own transaction, on a connection of its own.
func migrate(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", dsn(path, "immediate", "FULL"))
	if err != nil {
		return fmt.Errorf("storage: open %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY)`); err != nil {
		return fmt.Errorf("storage: migrate: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := migrateOne(ctx, db, name); err != nil {
			return fmt.Errorf("storage: migrate %s: %w", name, err)
		}
	}
	return nil
}

// migrateOne applies the migration in the file name unless it is recorded,
// and records it, in one transaction: on an error nothing of it is applied.
func migrateOne(ctx context.Context, db *sql.DB, name string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil || n > 0 {
		return err
	}
	body, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err = tx.ExecContext(ctx, `INSERT INTO migrations (name) VALUES (?)`, name); err != nil {
		return err
	}
	return tx.Commit()
}

// withTx runs fn in a write transaction, committing when fn returns nil.
// Write transactions are serialised here: the writer pool has one
// connection and begins IMMEDIATE, so write transactions run one at a
// time (across processes too) and what fn reads is what it writes over.
// A read-modify-write must therefore read inside fn, not before it: read
// before, a concurrent change committed in between would be written back
// over (UpdatePatchState did that).
func (s *Store) withTx(ctx context.Context, fn func(*sql.Tx) error) (err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	// Its statements are compiled once per transaction (stmts.go).
	defer s.cacheStatements(tx)()
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// errJob marks a transaction that failed on one of its messages.
var errJob = errors.New("a message could not be stored")

// writeOrIsolate writes many messages in one transaction (write(false)),
// and when that failed on one of them (errJob) writes them again with a
// savepoint per message (write(true), with inSavepoint): the one that
// fails is rolled back alone, the others are stored. Savepoints cost
// nothing then in the usual case. The ingest's batches and the webhook's
// accept groups both write through it.
func writeOrIsolate(ctx context.Context, write func(isolate bool) error) error {
	err := write(false)
	if err == nil || ctx.Err() != nil || !errors.Is(err, errJob) {
		return err
	}
	return write(true)
}

// writeOne runs fn, one message's write, in the pass writeOrIsolate asks
// for: at once, where a failure fails the whole transaction with errJob
// (to be written again isolated), or isolated in its own savepoint, where
// a failure is rolled back alone and returned as failed. err ends the
// transaction: ctx's end, errJob, or the savepoint's own failure.
func writeOne(ctx context.Context, tx *sql.Tx, isolate bool, fn func() error) (failed, err error) {
	if isolate {
		failed, err = inSavepoint(ctx, tx, fn)
	} else if failed = fn(); failed != nil {
		failed, err = nil, fmt.Errorf("%w: %w", errJob, failed)
	}
	if ctx.Err() != nil && (failed != nil || err != nil) {
		return nil, ctx.Err()
	}
	return failed, err
}

// inSavepoint runs fn inside a savepoint of tx: when fn fails, what it
// wrote is rolled back and the transaction goes on without it. failed is
// fn's error; err is an error of the savepoint itself, after which tx
// cannot go on (SQLite may have rolled it back whole, e.g. when the disk
// is full). One transaction so stores many messages and loses only the
// one that fails: the ingest's batches and the webhook's accept groups.
func inSavepoint(ctx context.Context, tx *sql.Tx, fn func() error) (failed, err error) {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT one`); err != nil {
		return nil, err
	}
	if failed = fn(); failed != nil {
		if _, err := tx.ExecContext(ctx, `ROLLBACK TO one`); err != nil {
			return failed, fmt.Errorf("%w (after: %w)", err, failed)
		}
	}
	if _, err := tx.ExecContext(ctx, `RELEASE one`); err != nil {
		return failed, err
	}
	return failed, nil
}
