package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"modernc.org/sqlite"

	"patchreview/review"
)

// splitTestdata returns the messages of a testdata mbox.
func splitTestdata(t *testing.T, name string) [][]byte {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]byte
	if err := review.SplitMbox(f, func(raw []byte) error { out = append(out, raw); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// A checker that never finishes by itself: the budget must stop it, the
// message is stored with the note, and the messages after it are stored.
func TestCheckBudgetStopsAndMovesOn(t *testing.T) {
	s, _ := openTest(t, Options{CheckBudget: 50 * time.Millisecond, Workers: 1,
		Checker: func(ctx context.Context, m *review.Message) ([]review.Finding, error) {
			if strings.Contains(m.Subject.Raw, "PATCH 2/2") {
				<-ctx.Done()
				return nil, ctx.Err()
			}
			return []review.Finding{{Rule: "writepage-unlock-all-paths", Severity: "error", Path: "fs/shadowfs/aops.c", Line: 20}}, nil
		}})
	st := ingestFile(t, s, "shadowfs-v1-v2.mbox")
	if st.New != 6 || st.Stopped != 1 {
		t.Fatalf("stats %+v: want all 6 stored, one check stopped", st)
	}
	ctx := context.Background()
	var notes []string
	rows, err := s.r.Query(`SELECT p.check_note FROM patches p JOIN messages m ON m.id = p.message_id ORDER BY p.id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		notes = append(notes, n)
	}
	rows.Close()
	if len(notes) != 4 || notes[0] != "" || notes[1] != "check stopped after 0.05 s" || notes[2] != "" {
		t.Errorf("check notes %q: want the v1 2/2 patch alone marked", notes)
	}
	var stopped int64
	s.r.QueryRow(`SELECT p.id FROM patches p WHERE p.check_note != ''`).Scan(&stopped)
	p, err := s.PatchByID(ctx, stopped)
	if err != nil || p.CheckNote != "check stopped after 0.05 s" {
		t.Errorf("PatchByID: note %q, err %v", p.CheckNote, err)
	}
	if q, _ := s.QueueStatus(ctx); q.Pending != 0 || q.Done != 6 || len(q.RecentFailures) != 0 {
		t.Errorf("queue %+v: want nothing pending, and a stopped check is no failure", q)
	}
}

// Cancelling an ingest (SIGTERM) returns promptly even while a check runs,
// and what it did not report stored is not half-stored: a second run
// stores everything.
func TestIngestCancelIsPromptAndResumable(t *testing.T) {
	started := make(chan struct{}, 16)
	var block atomic.Bool // checks hang until the test ends them
	block.Store(true)
	s, _ := openTest(t, Options{CheckBudget: time.Hour,
		Checker: func(ctx context.Context, m *review.Message) ([]review.Finding, error) {
			if !block.Load() {
				return nil, nil
			}
			select {
			case started <- struct{}{}:
			default:
			}
			<-ctx.Done()
			return nil, ctx.Err()
		}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	f, err := os.Open(filepath.Join("testdata", "shadowfs-v1-v2.mbox"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	go func() {
		_, err := s.IngestMbox(ctx, f, "test", nil)
		done <- err
	}()
	<-started
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled ingest returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ingest did not stop after cancel")
	}
	var n int
	s.r.QueryRow(`SELECT count(*) FROM messages WHERE state = 'pending'`).Scan(&n)
	if n != 0 {
		t.Errorf("%d messages left pending by a cancelled mbox ingest", n)
	}
	block.Store(false)
	if st := ingestFile(t, s, "shadowfs-v1-v2.mbox"); st.New+st.Duplicates != 6 {
		t.Errorf("second run %+v", st)
	}
	if q, _ := s.QueueStatus(context.Background()); q.Done != 6 {
		t.Errorf("after the second run: %+v", q)
	}
}

// Accepted mail that was never processed (a crash, a killed server) is
// processed by ProcessPending through the pipeline, once.
func TestPendingProcessedInBatches(t *testing.T) {
	s, _ := openTest(t, Options{Workers: 3})
	ctx := context.Background()
	for _, raw := range splitTestdata(t, "shadowfs-v1-v2.mbox") {
		if _, _, err := s.Accept(ctx, raw, "webhook"); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.ProcessPending(ctx)
	if err != nil || n != 6 {
		t.Fatalf("ProcessPending: %d, %v; want 6", n, err)
	}
	if n, _ := s.ProcessPending(ctx); n != 0 {
		t.Errorf("second ProcessPending processed %d again", n)
	}
	list, _ := s.ListSeries(ctx, SeriesFilter{})
	if len(list) != 2 || list[0].Version != 2 || list[1].State != "superseded" {
		t.Errorf("series from the queue: %+v", list)
	}
}

// Every query the threading and the list pages run on each message or row
// uses an index: none reads a whole table (the cause of ingest slowing
// down as the database grows). The texts are those of thread.go,
// discussion.go, query.go and queue.go.
func TestThreadingQueriesUseIndexes(t *testing.T) {
	s, _ := openTest(t, Options{})
	queries := map[string]string{
		"anchorReply":     `DELETE FROM comments WHERE source = 'list' AND message_id = ?`,
		"PreviousVersion": previousVersionSQL,
		"resend":          resendOrigSQL,
		"repost":          repostOrigSQL,
		"SeriesByRef":     `SELECT s.id FROM series s JOIN series_refs r ON r.series_id = s.id WHERE r.ref = ? ORDER BY s.id`,
		"ListSeries":      mustListSQL(t, SeriesFilter{Limit: 50}),
		"ListSeries list": mustListSQL(t, SeriesFilter{Limit: 50, List: "l"}),
		"recent failures": `SELECT id, message_id, error FROM messages WHERE error != '' ORDER BY id DESC LIMIT 20`,
		"pending":         `SELECT id, raw, source, message_id FROM messages WHERE state = 'pending' AND attempts < ? AND id > ? ORDER BY id LIMIT 64`,
		"next version":    `SELECT cover_id, prev_id, (SELECT max(id) FROM series n WHERE n.prev_id = s.id) FROM series s WHERE id = ?`,
	}
	for name, q := range queries {
		n := strings.Count(q, "?")
		if ms := regexp.MustCompile(`\?(\d+)`).FindAllStringSubmatch(q, -1); ms != nil {
			n = 0 // numbered: as many as the highest number
			for _, m := range ms {
				k, _ := strconv.Atoi(m[1])
				n = max(n, k)
			}
		}
		rows, err := s.r.Query(`EXPLAIN QUERY PLAN `+q, make([]any, n)...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			rows.Scan(&id, &parent, &notused, &detail)
			plan = append(plan, detail)
		}
		rows.Close()
		// A subquery's rows are read once, by a "SCAN name" of its own:
		// one such step per subquery is no table scan (a second one is a
		// table of the same name).
		subqueries := map[string]int{}
		for _, step := range plan {
			for _, p := range []string{"CO-ROUTINE ", "MATERIALIZE "} {
				if name, ok := strings.CutPrefix(step, p); ok {
					subqueries[name]++
				}
			}
		}
		for _, step := range plan {
			// "SCAN s" over the series list ordered by an index is the
			// list itself (LIMIT), not a scan per row.
			if strings.HasPrefix(step, "SCAN ") && !strings.Contains(step, "USING INDEX") && !strings.Contains(step, "USING COVERING INDEX") &&
				!strings.HasPrefix(step, "SCAN CONSTANT") && !scanOfSubquery(subqueries, step) {
				t.Errorf("%s reads a whole table: %q\nplan: %s", name, step, strings.Join(plan, " | "))
			}
		}
	}
}

// scanOfSubquery reports whether step is the one scan of a subquery's rows
// that its plan allows, using it up.
func scanOfSubquery(subqueries map[string]int, step string) bool {
	name := strings.TrimPrefix(step, "SCAN ")
	if subqueries[name] == 0 {
		return false
	}
	subqueries[name]--
	return true
}

func mustListSQL(t *testing.T, f SeriesFilter) string {
	t.Helper()
	q, _, err := listSeriesSQL(f)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// Search takes lore's prefixes, and the series list and the API filter by
// it and by list.
func TestSearch(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	ingestFile(t, s, "shadowfs-v1-v2.mbox")
	extra := "From: Jan Kara <jack@example.com>\nTo: linux-fsdevel@vger.kernel.org\nList-Id: <linux-fsdevel.vger.kernel.org>\n" +
		"Subject: [PATCH] ext2: drop the bounce buffer\nMessage-ID: <ext2-bounce@example.com>\nDate: Mon, 2 Feb 2026 10:00:00 +0000\n\n" +
		"Nobody uses it.\n\nSigned-off-by: Jan Kara <jack@example.com>\n---\n" +
		"diff --git a/fs/ext2/inode.c b/fs/ext2/inode.c\n--- a/fs/ext2/inode.c\n+++ b/fs/ext2/inode.c\n" +
		"@@ -10,3 +10,3 @@ static int ext2_writepages(struct address_space *mapping)\n a\n-b\n+c\n d\n"
	if _, err := s.IngestMessage(ctx, []byte(extra), "test"); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{
		"writepage":                           2, // a word of titles
		"Ravi":                                2,
		"f:ravi@example.org":                  2,
		"a:linux-fsdevel":                     3, // To and Cc
		"a:jack@example.com":                  1,
		"s:bounce":                            1,
		"s:Ravi":                              0, // not in a subject
		"dfn:fs/ext2/inode.c":                 1,
		"dfn:fs/shadowfs/aops.c":              2,
		"dfhh:ext2_writepages":                1,
		"m:ext2-bounce@example.com":           1,
		"m:20260105090000.2-ravi@example.org": 1,
		"b:\"Nobody uses it\"":                1,
		"shadowfs OR ext2":                    3,
		"ext2 NOT bounce":                     0,
		"writep*":                             3,
		"nothing-like-this":                   0,
		"100%":                                0,
		`"unbalanced`:                         0,
		"s:":                                  0,
		"OR":                                  0,
	} {
		got, err := s.ListSeries(ctx, SeriesFilter{Query: q})
		if err != nil || len(got) != want {
			t.Errorf("query %q: %d series (err %v), want %d", q, len(got), err, want)
		}
	}
	got, err := s.ListSeries(ctx, SeriesFilter{List: "linux-fsdevel.vger.kernel.org"})
	if err != nil || len(got) != 1 || got[0].Title != "ext2: drop the bounce buffer" || len(got[0].Lists) != 1 {
		t.Errorf("list filter: %+v, %v", got, err)
	}
	if got, _ := s.ListSeries(ctx, SeriesFilter{Query: "writepage", List: "linux-fsdevel.vger.kernel.org"}); len(got) != 0 {
		t.Errorf("query and list: %d series, want 0", len(got))
	}
	hits, err := s.Search(ctx, "dfhh:ext2_writepages", "", 10)
	if err != nil || len(hits) != 1 || hits[0].Subject != "[PATCH] ext2: drop the bounce buffer" || hits[0].SeriesID == 0 {
		t.Errorf("Search: %+v, %v", hits, err)
	}
}

// Messages processed before the search index existed are indexed by the
// queue (the backlog migration 0007 fills).
func TestSearchBacklog(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	ingestFile(t, s, "shadowfs-v1-v2.mbox")
	if _, err := s.w.Exec(`DELETE FROM search; INSERT INTO search_backlog SELECT id FROM messages WHERE state = 'done'`); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ListSeries(ctx, SeriesFilter{Query: "writepage"}); len(got) != 0 {
		t.Fatalf("index not emptied")
	}
	if _, err := s.ProcessPending(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ListSeries(ctx, SeriesFilter{Query: "writepage"}); len(got) != 2 {
		t.Errorf("after the backlog: %d series, want 2", len(got))
	}
}

func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// A public-inbox epoch is imported, then only what was committed since;
// a rewritten epoch is read again without storing anything twice.
func TestPublicInboxIncremental(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	msgs := splitTestdata(t, "shadowfs-v1-v2.mbox")
	inbox := filepath.Join(t.TempDir(), "shadowfs-devel")
	epoch := filepath.Join(inbox, "git", "0.git")
	work := t.TempDir()
	gitIn(t, work, "init", "-q", "-b", "master")
	commit := func(raw []byte, i int) {
		if err := os.WriteFile(filepath.Join(work, "m"), raw, 0o644); err != nil {
			t.Fatal(err)
		}
		gitIn(t, work, "add", "m")
		gitIn(t, work, "commit", "-q", "-m", fmt.Sprint("message ", i))
	}
	for i, raw := range msgs[:3] {
		commit(raw, i)
	}
	// A deletion commit (public-inbox's "d" instead of "m").
	gitIn(t, work, "rm", "-q", "m")
	os.WriteFile(filepath.Join(work, "d"), []byte("x"), 0o644)
	gitIn(t, work, "add", "d")
	gitIn(t, work, "commit", "-q", "-m", "delete")
	gitIn(t, work, "rm", "-q", "d")
	gitIn(t, work, "commit", "-q", "-m", "tidy")
	if err := os.MkdirAll(filepath.Dir(epoch), 0o755); err != nil {
		t.Fatal(err)
	}
	gitIn(t, work, "clone", "-q", "--mirror", work, epoch)

	s, _ := openTest(t, Options{})
	ctx := context.Background()
	st, err := s.IngestPublicInbox(ctx, inbox, "", nil)
	if err != nil || st.New != 3 || st.Messages != 3 {
		t.Fatalf("first import: %+v, %v", st, err)
	}
	eps, _ := s.InboxEpochs(ctx)
	if len(eps) != 1 || eps[0].List != "shadowfs-devel" || eps[0].LastCommit != gitIn(t, epoch, "rev-parse", "HEAD") || eps[0].Messages != 3 {
		t.Errorf("epochs after import: %+v", eps)
	}
	for i, raw := range msgs[3:] {
		commit(raw, 3+i)
	}
	gitIn(t, epoch, "fetch", "-q")
	st, err = s.IngestPublicInbox(ctx, inbox, "", nil)
	if err != nil || st.Messages != 3 || st.New != 3 {
		t.Fatalf("incremental import read %+v, %v; want the 3 new commits only", st, err)
	}
	// Mail without List-Id belongs to the archive.
	got, _ := s.ListSeries(ctx, SeriesFilter{List: "shadowfs-devel"})
	if len(got) != 2 {
		t.Errorf("series of list shadowfs-devel: %d, want 2", len(got))
	}
	// Nothing new: nothing read.
	if st, err := s.IngestPublicInbox(ctx, inbox, "", nil); err != nil || st.Messages != 0 {
		t.Errorf("import without news: %+v, %v", st, err)
	}
	// A rewritten epoch: read again, all duplicates.
	gitIn(t, work, "commit", "-q", "--amend", "-m", "rewritten")
	gitIn(t, epoch, "fetch", "-q", "--force", work, "+master:master")
	st, err = s.IngestPublicInbox(ctx, inbox, "", nil)
	if err != nil || st.New != 0 || st.Duplicates != 6 {
		t.Errorf("rewritten epoch: %+v, %v", st, err)
	}
}

// The real nilfs archive as a public-inbox epoch: every commit read, each
// message stored once under the list's List-Id, and the import resumable.
func TestRealPublicInboxEpoch(t *testing.T) {
	bundle := "../../shared/corpora/lists/linux-nilfs.bundle"
	if _, err := os.Stat(bundle); err != nil {
		t.Skip("the nilfs archive is not there (../../shared/corpora/lists/linux-nilfs.bundle)")
	}
	if testing.Short() {
		t.Skip("-short: the real archive takes seconds")
	}
	repo := filepath.Join(t.TempDir(), "linux-nilfs.git")
	gitIn(t, t.TempDir(), "clone", "-q", "--mirror", mustAbs(t, bundle), repo)
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	st, err := s.IngestPublicInbox(ctx, repo, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	commits := gitIn(t, repo, "rev-list", "--count", "HEAD")
	if fmt.Sprint(st.Messages) != commits || st.New+st.Duplicates != st.Messages || st.Patches < 1500 {
		t.Errorf("import %+v, %s commits", st, commits)
	}
	var lists int
	s.r.QueryRow(`SELECT count(*) FROM message_lists WHERE list = 'linux-nilfs.vger.kernel.org'`).Scan(&lists)
	if lists != st.New {
		t.Errorf("%d messages under linux-nilfs.vger.kernel.org, want all %d", lists, st.New)
	}
	if got, _ := s.ListSeries(ctx, SeriesFilter{Query: "dfn:fs/nilfs2/segment.c", Limit: 500}); len(got) < 10 {
		t.Errorf("dfn:fs/nilfs2/segment.c finds %d series", len(got))
	}
	if st, err := s.IngestPublicInbox(ctx, repo, "", nil); err != nil || st.Messages != 0 {
		t.Errorf("second import read %+v, %v", st, err)
	}
}

func mustAbs(t *testing.T, p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// headerInfo reads the Message-ID exactly as review.ReadMessageID does
// (the key of idempotence must not change), and the List-Ids.
func TestHeaderInfo(t *testing.T) {
	for _, raw := range append(splitTestdata(t, "shadowfs-v1-v2.mbox"), splitTestdata(t, "malformed.mbox")...) {
		for _, r := range [][]byte{raw, append([]byte("From mboxrd@z Thu Jan  1 00:00:00 1970\n"), raw...), []byte("garbage")} {
			if id, _ := headerInfo(r); id != review.ReadMessageID(r) {
				t.Errorf("headerInfo %q, ReadMessageID %q", id, review.ReadMessageID(r))
			}
		}
	}
	_, lists := headerInfo([]byte("List-Id: Linux NILFS <Linux-Nilfs.vger.kernel.org>\nList-Id: <linux-fsdevel.vger.kernel.org>\nList-Id: <linux-nilfs.vger.kernel.org>\nSubject: x\n\nbody\n"))
	if strings.Join(lists, " ") != "linux-nilfs.vger.kernel.org linux-fsdevel.vger.kernel.org" {
		t.Errorf("lists %q", lists)
	}
}

// The raw message is the last column of messages, so that reading the
// parsed columns never walks a blob's overflow pages; a database created
// before migration 0006 keeps its mail.
func TestRawIsLastColumn(t *testing.T) {
	s, _ := openTest(t, Options{})
	ingestFile(t, s, "shadowfs-v1-v2.mbox")
	rows, err := s.r.Query(`SELECT name FROM pragma_table_info('messages') ORDER BY cid`)
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for rows.Next() {
		var c string
		rows.Scan(&c)
		cols = append(cols, c)
	}
	rows.Close()
	if len(cols) < 10 || cols[len(cols)-1] != "raw" {
		t.Errorf("messages columns %v: want raw last", cols)
	}
	raw, err := s.MessageRaw(context.Background(), 1)
	if err != nil || !strings.Contains(string(raw), "Message-ID:") {
		t.Errorf("raw of message 1: %q, %v", raw, err)
	}
}

// A database made before 0006, 0007, 0014 and 0015 (with mail in it) migrates: its
// raw mail is kept, and its messages become searchable through the
// backlog.
func TestMigrateOldDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ingestFile(t, old, "shadowfs-v1-v2.mbox")
	old.Close()
	// Undo 0006, 0007, 0014 and 0015 as far as an old database goes: the new tables,
	// indexes and column gone, the migrations unrecorded.
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP TABLE search`, `DROP TABLE search_backlog`, `DROP TABLE message_lists`, `DROP TABLE series_lists`, `DROP TABLE inbox_epochs`,
		`DROP INDEX messages_in_reply_to`, `DROP INDEX messages_series`, `DROP INDEX messages_errors`,
		`DROP INDEX series_author_title`, `DROP TABLE patch_titles`, // 0014's and 0015's, which also dropped 0006's series_author_version and messages_mid_kind
		`ALTER TABLE patches DROP COLUMN check_note`,
		`DELETE FROM migrations WHERE name LIKE '%0006%' OR name LIKE '%0007%' OR name LIKE '%0014%' OR name LIKE '%0015%'`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("migrating: %v", err)
	}
	defer s.Close()
	var n, empty int
	s.r.QueryRow(`SELECT count(*), sum(length(raw) = 0) FROM messages`).Scan(&n, &empty)
	if n != 6 || empty != 0 {
		t.Errorf("after migrating: %d messages, %d without raw", n, empty)
	}
	// 0015 filled patch_titles from the stored patches: the same rows as
	// the patches give, both ways
	samePatchTitles(t, s)
	if _, err := s.ProcessPending(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ListSeries(context.Background(), SeriesFilter{Query: "s:writepage"}); len(got) != 2 {
		t.Errorf("old mail not searchable: %d series", len(got))
	}
}

// The queue stops promptly when its context ends (SIGTERM) while checks
// run, and leaves the messages it did not finish pending for next time.
func TestQueueStopsPromptly(t *testing.T) {
	started := make(chan struct{}, 16)
	var block atomic.Bool // checks hang until the test ends them
	block.Store(true)
	s, _ := openTest(t, Options{CheckBudget: time.Hour,
		Checker: func(ctx context.Context, m *review.Message) ([]review.Finding, error) {
			if !block.Load() {
				return nil, nil
			}
			select {
			case started <- struct{}{}:
			default:
			}
			<-ctx.Done()
			return nil, ctx.Err()
		}})
	for _, raw := range splitTestdata(t, "shadowfs-v1-v2.mbox") {
		if _, _, err := s.Accept(context.Background(), raw, "webhook"); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := s.ProcessPending(ctx); done <- err }()
	<-started
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("ProcessPending after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the queue did not stop after cancel")
	}
	if q, _ := s.QueueStatus(context.Background()); q.Pending+q.Done != 6 || q.Pending == 0 {
		t.Errorf("after the stop: %+v; want the unfinished ones pending", q)
	}
	block.Store(false)
	if n, err := s.ProcessPending(context.Background()); err != nil || n == 0 {
		t.Errorf("next run: %d, %v", n, err)
	}
	if q, _ := s.QueueStatus(context.Background()); q.Pending != 0 || q.Done != 6 {
		t.Errorf("after the next run: %+v", q)
	}
}

// A list is several epochs (git/0.git, git/1.git, …): a new epoch is read
// after the old ones. A message that reaches two lists (a cross-post, read
// from two archives) belongs to both, and so does its series.
func TestPublicInboxEpochsAndCrossPosts(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	msgs := splitTestdata(t, "shadowfs-v1-v2.mbox")
	epoch := func(inbox string, n int, raws [][]byte) {
		work := t.TempDir()
		gitIn(t, work, "init", "-q")
		for i, raw := range raws {
			os.WriteFile(filepath.Join(work, "m"), raw, 0o644)
			gitIn(t, work, "add", "m")
			gitIn(t, work, "commit", "-q", "-m", fmt.Sprint(i))
		}
		gitIn(t, work, "clone", "-q", "--mirror", work, filepath.Join(inbox, "git", fmt.Sprintf("%d.git", n)))
	}
	root := t.TempDir()
	fsdevel, mm := filepath.Join(root, "fsdevel"), filepath.Join(root, "mm")
	epoch(fsdevel, 0, msgs[:3])
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	if st, err := s.IngestPublicInbox(ctx, fsdevel, "", nil); err != nil || st.New != 3 {
		t.Fatalf("epoch 0: %+v, %v", st, err)
	}
	epoch(fsdevel, 1, msgs[3:])
	if st, err := s.IngestPublicInbox(ctx, fsdevel, "", nil); err != nil || st.Messages != 3 || st.New != 3 {
		t.Fatalf("epoch 1 added: %+v, %v; want its 3 messages only", st, err)
	}
	// The v2 series cross-posted to mm.
	epoch(mm, 0, msgs[2:5])
	if st, err := s.IngestPublicInbox(ctx, mm, "", nil); err != nil || st.Duplicates != 3 || st.New != 0 {
		t.Fatalf("cross-posts: %+v, %v", st, err)
	}
	fs, _ := s.ListSeries(ctx, SeriesFilter{List: "fsdevel"})
	mmList, _ := s.ListSeries(ctx, SeriesFilter{List: "mm"})
	if len(fs) != 2 || len(mmList) != 1 || mmList[0].Version != 2 || strings.Join(mmList[0].Lists, " ") != "fsdevel mm" {
		t.Errorf("fsdevel %+v\nmm %+v", fs, mmList)
	}
	if hits, _ := s.Search(ctx, "writepage", "mm", 10); len(hits) != 2 {
		t.Errorf("search in mm: %+v, want the two v2 messages with writepage", hits)
	}
	eps, _ := s.InboxEpochs(ctx)
	if len(eps) != 3 {
		t.Errorf("epochs: %+v", eps)
	}
}

// A search's pages, read one series at a time, are the whole result in
// order, each series with the same summary as in the whole list: the page
// is chosen before its counts are computed.
func TestListSeriesPagesOfASearch(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	ingestFile(t, s, "shadowfs-v1-v2.mbox")
	for i := range 3 {
		raw := fmt.Sprintf("From: Jan Kara <jack@example.com>\nTo: linux-fsdevel@vger.kernel.org\n"+
			"Subject: [PATCH] ext2: writepage fix %d\nMessage-ID: <ext2-%d@example.com>\nDate: Mon, %d Feb 2026 10:00:00 +0000\n\n"+
			"Fix.\n---\ndiff --git a/fs/ext2/inode.c b/fs/ext2/inode.c\n--- a/fs/ext2/inode.c\n+++ b/fs/ext2/inode.c\n"+
			"@@ -10,3 +10,3 @@ static int ext2_writepage(struct page *page)\n a\n-b\n+c%d\n d\n", i, i, i+2, i)
		if _, err := s.IngestMessage(ctx, []byte(raw), "test"); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.ListSeries(ctx, SeriesFilter{Query: "writepage"})
	if err != nil || len(all) != 5 {
		t.Fatalf("whole search: %d series, %v; want 5", len(all), err)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Received.After(all[i-1].Received) {
			t.Errorf("not newest first: %v after %v", all[i].Received, all[i-1].Received)
		}
	}
	var paged []SeriesSummary
	for off := 0; ; off++ {
		page, err := s.ListSeries(ctx, SeriesFilter{Query: "writepage", Limit: 1, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		paged = append(paged, page...)
	}
	if !reflect.DeepEqual(paged, all) {
		t.Errorf("pages of one:\n%+v\nwhole:\n%+v", paged, all)
	}
}

// A new series' lookups of its author's earlier versions, resends and
// reposts read the author's series and patches of its title, not the
// author's whole history, nor the patches of that title by others: the
// pages SQLite fetches for them are the same with 1,000 series by the
// author and 1,000 others' patches of the same title as with 3,000 of each
// (the indexes are as deep). They grew with each one, by the author index:
// a busy sender's every new series cost more than the last.
func TestTitleLookupsDoNotReadTheAuthorsHistory(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	n := 0
	// one series of one patch, stored as insertPatch stores a patch
	series := func(tx *sql.Tx, author, title, patchTitle string, version int) error {
		n++
		var sid, mid int64
		if err := tx.QueryRow(`INSERT INTO series (title, author_name, author_email, version, total, created_at, updated_at)
			VALUES (?, 'Someone', ?, ?, 1, ?, ?) RETURNING id`, title, author, version, n, n).Scan(&sid); err != nil {
			return err
		}
		if err := tx.QueryRow(`INSERT INTO messages (message_id, raw, received_at, series_id) VALUES (?, x'', 0, ?) RETURNING id`,
			fmt.Sprintf("m%d@x", n), sid).Scan(&mid); err != nil {
			return err
		}
		return insertPatch(ctx, tx, sid, mid, &review.Message{Subject: review.Subject{Title: patchTitle, Number: 1, Total: 1}}, nil)
	}
	// Ann's series, each with its own titles, and as many by others
	// whose patch has the title of Ann's first patch.
	addSeries := func(count int) {
		err := s.withTx(ctx, func(tx *sql.Tx) error {
			for range count {
				if err := series(tx, "ann@example.org", fmt.Sprintf("fix thing %d", n+1), fmt.Sprintf("part of thing %d", n+1), 1+(n+1)%3); err != nil {
					return err
				}
				if err := series(tx, fmt.Sprintf("other%d@example.org", n), "other", "part of thing 1", 1); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// pages is how many pages the three lookups fetch, for a title of the
	// first series and one of a patch of it.
	pages := func() (total int, found []int64) {
		total = fetchedPages(t, s, func(tx *sql.Tx) {
			for _, title := range []string{"Fix thing 1", "part of THING 1"} {
				for _, q := range []struct {
					sql  string
					args []any
				}{
					{previousVersionSQL, []any{9}},
					{resendOrigSQL, []any{2, 0}},
					{repostOrigSQL, []any{2, 0, 1, 1 << 40}},
				} {
					id, err := titledSeries(ctx, tx, q.sql, "ann@example.org", title, q.args...)
					if err != nil {
						t.Fatal(err)
					}
					found = append(found, id)
				}
			}
		})
		return total, found
	}
	addSeries(1000)
	few, found := pages()
	// series 1 is version 2: found as the previous version and the
	// resend's original by both titles, as a repost's by its own only
	if want := []int64{1, 1, 1, 1, 1, 0}; fmt.Sprint(found) != fmt.Sprint(want) {
		t.Fatalf("found %v, want %v", found, want)
	}
	addSeries(2000)
	many, found := pages()
	if fmt.Sprint(found) != "[1 1 1 1 1 0]" {
		t.Fatalf("with 3,000 series found %v", found)
	}
	if many > few+2 {
		t.Errorf("the lookups fetched %d pages with 1,000 series by the author (and by others), %d with 3,000: they read the author's history or others' patches", few, many)
	}
}

// fetchedPages is how many pages SQLite fetches (from its cache or the
// file) while fn reads in a transaction of the writer: a count of the work
// a query does that, unlike its time, does not depend on the machine.
func fetchedPages(t *testing.T, s *Store, fn func(tx *sql.Tx)) int {
	t.Helper()
	ctx := context.Background()
	conn, err := s.w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	status := func(reset bool) int {
		sum := 0
		err := conn.Raw(func(dc any) error {
			for _, op := range []sqlite.DBStatusOp{sqlite.DBStatusCacheHit, sqlite.DBStatusCacheMiss} {
				v, _, err := dc.(sqlite.DBStatus).Status(op, reset)
				if err != nil {
					return err
				}
				sum += v
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	status(true)
	fn(tx)
	return status(false)
}

// An unthreaded patch looks for its author's series of the day around its
// date only: the pages fetched are the same with 1,000 of the author's
// series in later years as with 3,000. (With no upper bound on the date it
// read all of them: an old archive imported into a database that holds
// the years after it.)
func TestRecentSeriesReadsItsDaysOnly(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	day := time.Date(2019, 5, 20, 12, 0, 0, 0, time.UTC)
	n := 0
	addSeries := func(count int) {
		err := s.withTx(ctx, func(tx *sql.Tx) error {
			for range count {
				n++
				at := day.AddDate(1, 0, n) // later years, a series a day
				if n == 1 {
					at = day.Add(-time.Hour)
				}
				if _, err := tx.Exec(`INSERT INTO series (title, author_name, author_email, version, total, created_at, updated_at)
					VALUES (?, 'Ann', 'ann@example.org', 1, 2, ?, ?)`, fmt.Sprintf("thing %d", n), at.UnixNano(), at.UnixNano()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	recent := func() (int, int) {
		var got []review.SeriesInfo
		pages := fetchedPages(t, s, func(tx *sql.Tx) {
			var err error
			got, err = txIndex{ctx, tx}.RecentSeries("ann@example.org", day.Add(-24*time.Hour), day.Add(24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
		})
		return pages, len(got)
	}
	addSeries(1000)
	few, found := recent()
	if found != 1 {
		t.Fatalf("RecentSeries found %d series, want the one of that day", found)
	}
	addSeries(2000)
	many, found := recent()
	if found != 1 {
		t.Fatalf("with 3,000 series RecentSeries found %d, want 1", found)
	}
	if many > few+2 {
		t.Errorf("RecentSeries fetched %d pages with 1,000 later series by the author, %d with 3,000: it reads them", few, many)
	}
}

// samePatchTitles checks that patch_titles holds what the stored patches
// give, no more and no less.
func samePatchTitles(t *testing.T, s *Store) {
	t.Helper()
	const fromPatches = `SELECT s.author_email, lower(p.title), p.series_id FROM patches p JOIN series s ON s.id = p.series_id`
	var titles, missing, extra int
	s.r.QueryRow(`SELECT count(*) FROM patch_titles`).Scan(&titles)
	s.r.QueryRow(`SELECT count(*) FROM (` + fromPatches + ` EXCEPT SELECT author_email, title, series_id FROM patch_titles)`).Scan(&missing)
	s.r.QueryRow(`SELECT count(*) FROM (SELECT author_email, title, series_id FROM patch_titles EXCEPT ` + fromPatches + `)`).Scan(&extra)
	if titles == 0 || missing != 0 || extra != 0 {
		t.Errorf("patch_titles: %d rows, %d of the patches' missing, %d not the patches'", titles, missing, extra)
	}
}

// A sender's people id is found by reading to their first submission, not
// all their mail: the pages fetched are the same with 1,000 and 3,000 mails
// from a sender whose first was a patch (the git-pw face looks up every
// address of every list it serves).
func TestPersonIDDoesNotReadAllTheSendersMail(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	n := 0
	add := func(count int) {
		err := s.withTx(ctx, func(tx *sql.Tx) error {
			for range count {
				n++
				kind := "reply"
				if n == 1 {
					kind = "patch"
				}
				if _, err := tx.Exec(`INSERT INTO messages (message_id, raw, received_at, kind, from_email) VALUES (?, x'', 0, ?, 'Ann@Example.org')`,
					fmt.Sprintf("m%d@x", n), kind); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	lookup := func() (pages int, id int64) {
		pages = fetchedPages(t, s, func(tx *sql.Tx) {
			if err := tx.QueryRow(`SELECT `+personIDOf("lower(?1)"), "ann@example.org").Scan(&id); err != nil {
				t.Fatal(err)
			}
		})
		return pages, id
	}
	add(1000)
	few, id := lookup()
	if id != 1 {
		t.Fatalf("people id %d, want the first mail's row, 1", id)
	}
	add(2000)
	many, id := lookup()
	if id != 1 || many > few+2 {
		t.Errorf("people id %d; pages fetched %d with 1,000 mails from the sender, %d with 3,000", id, few, many)
	}
}
