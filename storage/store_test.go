package storage

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"patchreview/review"
)

// openTest opens a store on a real SQLite file in a temp dir.
func openTest(t *testing.T, opts Options) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	s, err := Open(context.Background(), path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func ingestFile(t *testing.T, s *Store, name string) IngestStats {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := s.IngestMbox(context.Background(), f, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestMigrateTwice(t *testing.T) {
	s, path := openTest(t, Options{})
	s.Close()
	s2, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s2.Close()
	var n int
	s2.r.QueryRow(`SELECT count(*) FROM migrations`).Scan(&n)
	files, _ := migrations.ReadDir("migrations")
	if n != len(files) || n < 2 {
		t.Errorf("%d migrations recorded, want each of the %d files once", n, len(files))
	}
}

// Databases made while 0014 was written three ways (it never shipped, but
// commits had each) and one missing an index a migration drops all open,
// converge on the same schema, and store patches.
func TestMigrateFromEveryFormOf0014(t *testing.T) {
	for name, undo := range map[string][]string{
		// 0014 as first committed: an index on all patches' titles
		"patches_title": {`DROP TABLE patch_titles`, `CREATE INDEX messages_mid_kind ON messages(message_id, kind, series_id)`,
			`CREATE INDEX patches_title ON patches(lower(title))`, `DELETE FROM migrations WHERE name LIKE '%0015%'`},
		// 0014 with patch_titles already, and no 0015
		"patch_titles": {`DELETE FROM migrations WHERE name LIKE '%0015%'`},
		// neither, and the indexes they drop gone already
		"none": {`DROP TABLE patch_titles`, `DROP INDEX series_author_title`,
			`DELETE FROM migrations WHERE name LIKE '%0014%' OR name LIKE '%0015%'`},
	} {
		t.Run(name, func(t *testing.T) {
			s, path := openTest(t, Options{})
			ingestFile(t, s, "shadowfs-v1-v2.mbox")
			s.Close()
			db, err := sql.Open("sqlite", "file:"+path)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range undo {
				if _, err := db.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			db.Close()
			s, err = Open(context.Background(), path, Options{})
			if err != nil {
				t.Fatalf("reopen: %v", err)
			}
			defer s.Close()
			var indexes int
			s.r.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name IN ('patches_title', 'messages_mid_kind', 'series_author_version')`).Scan(&indexes)
			if indexes != 0 {
				t.Errorf("%d of the dropped indexes are still there", indexes)
			}
			samePatchTitles(t, s)
			// a patch stored after the migration has its title too
			raw := threadMail("later@x", "Ann <ann@example.org>", "[PATCH] a later fix", "Mon, 20 May 2019 14:55:11 +0200", "", nil, patchBody)
			if st, err := s.IngestMessage(context.Background(), raw, "test"); err != nil || st.Patches != 1 {
				t.Fatalf("a later patch: %+v, %v", st, err)
			}
			samePatchTitles(t, s)
		})
	}
}

// TestV2SeriesWithCoverAndReply is the walking skeleton's acceptance case.
func TestV2SeriesWithCoverAndReply(t *testing.T) {
	var checked atomic.Int32
	s, _ := openTest(t, Options{Checker: func(_ context.Context, m *review.Message) ([]review.Finding, error) {
		checked.Add(1)
		if m.Patch == nil || !strings.Contains(m.Patch.Diff, "unlock_page(lower_page)") {
			return nil, nil
		}
		return []review.Finding{{Rule: "lower-writepage-double-unlock", Severity: "error", Path: "fs/shadowfs/aops.c", Line: 32}}, nil
	}})
	ctx := context.Background()
	st := ingestFile(t, s, "shadowfs-v1-v2.mbox")
	want := IngestStats{Messages: 6, New: 6, Patches: 4, Series: 2}
	if st != want {
		t.Errorf("stats %+v, want %+v", st, want)
	}
	if checked.Load() != 4 {
		t.Errorf("checker ran on %d messages, want the 4 patches", checked.Load())
	}
	list, err := s.ListSeries(ctx, SeriesFilter{})
	if err != nil || len(list) != 2 {
		t.Fatalf("ListSeries: %v, %d series", err, len(list))
	}
	v2 := list[0]
	if v2.Version != 2 || v2.Patches != 2 || v2.Title != "shadowfs: writepage support" || v2.Errors != 1 || v2.State != "complete" {
		t.Errorf("newest series %+v", v2)
	}
	if list[1].State != "superseded" {
		t.Errorf("v1 state %q, want superseded", list[1].State)
	}
	se, err := s.SeriesByID(ctx, v2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if se.Cover == nil || se.Cover.Message.Subject.Number != 0 || se.PrevVersion != list[1].ID || len(se.PatchList) != 2 {
		t.Fatalf("series: cover %v prev %d patches %d", se.Cover, se.PrevVersion, len(se.PatchList))
	}
	p2, err := s.PatchByID(ctx, se.PatchList[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if p2.Message.Message.Subject.Number != 2 || len(p2.Findings) != 1 {
		t.Errorf("patch 2/2: %+v", p2.Message.Message.Subject)
	}
	if len(p2.Replies) != 1 || p2.Replies[0].Message.From.Name != "Hugh Dickins" {
		t.Errorf("patch 2/2 replies: %d", len(p2.Replies))
	}
	p1, _ := s.PatchByID(ctx, se.PatchList[0].ID)
	if len(p1.Replies) != 0 {
		t.Errorf("the reply was attached to patch 1/2 too")
	}
	if files := p2.Message.Message.Patch.Files; len(files) != 1 || files[0].NewName != "fs/shadowfs/aops.c" {
		t.Errorf("patch 2/2 diff not parsed: %+v", files)
	}
}

func TestIngestTwiceStoresOnce(t *testing.T) {
	s, _ := openTest(t, Options{})
	ingestFile(t, s, "shadowfs-v1-v2.mbox")
	st := ingestFile(t, s, "shadowfs-v1-v2.mbox")
	if st.New != 0 || st.Duplicates != 6 {
		t.Errorf("second ingest %+v, want 6 duplicates and nothing new", st)
	}
	var msgs, patches, series int
	s.r.QueryRow(`SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM patches), (SELECT count(*) FROM series)`).Scan(&msgs, &patches, &series)
	if msgs != 6 || patches != 4 || series != 2 {
		t.Errorf("after two ingests: %d messages, %d patches, %d series", msgs, patches, series)
	}
}

func TestMalformedStoredAndMarked(t *testing.T) {
	s, _ := openTest(t, Options{})
	st := ingestFile(t, s, "malformed.mbox")
	if st.New != 1 || st.Failed != 1 {
		t.Errorf("stats %+v, want one new, failed message", st)
	}
	var state, reason string
	var raw []byte
	s.r.QueryRow(`SELECT state, error, raw FROM messages`).Scan(&state, &reason, &raw)
	if state != "failed" || !strings.Contains(reason, "header") || !strings.Contains(string(raw), "not a mail header") {
		t.Errorf("state %q reason %q raw %q", state, reason, raw)
	}
	if got, err := s.MessageRaw(context.Background(), 1); err != nil || string(got) != string(raw) {
		t.Errorf("MessageRaw: %v", err)
	}
}

func TestReplyBeforePatch(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	data, _ := os.ReadFile(filepath.Join("testdata", "shadowfs-v1-v2.mbox"))
	var raws [][]byte
	review.SplitMbox(strings.NewReader(string(data)), func(raw []byte) error { raws = append(raws, raw); return nil })
	// The reply (last) arrives first.
	for _, i := range []int{5, 2, 3, 4} {
		if _, err := s.IngestMessage(ctx, raws[i], "test"); err != nil {
			t.Fatal(err)
		}
	}
	list, _ := s.ListSeries(ctx, SeriesFilter{})
	se, _ := s.SeriesByID(ctx, list[0].ID)
	p2, _ := s.PatchByID(ctx, se.PatchList[1].ID)
	if len(p2.Replies) != 1 {
		t.Errorf("an early reply was not attached once its patch arrived")
	}
}

func TestNotFound(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	if _, err := s.SeriesByID(ctx, 42); !errors.Is(err, ErrNotFound) {
		t.Errorf("SeriesByID: %v", err)
	}
	if _, err := s.PatchByID(ctx, 42); !errors.Is(err, ErrNotFound) {
		t.Errorf("PatchByID: %v", err)
	}
	if _, err := s.MessageRaw(ctx, 42); !errors.Is(err, ErrNotFound) {
		t.Errorf("MessageRaw: %v", err)
	}
}

func TestListSeriesQuery(t *testing.T) {
	s, _ := openTest(t, Options{})
	ingestFile(t, s, "shadowfs-v1-v2.mbox")
	for q, want := range map[string]int{"writepage": 2, "Ravi": 2, "nothing-like-this": 0, "100%": 0} {
		got, err := s.ListSeries(context.Background(), SeriesFilter{Query: q})
		if err != nil || len(got) != want {
			t.Errorf("query %q: %d series (err %v), want %d", q, len(got), err, want)
		}
	}
}

func TestPullRequestListed(t *testing.T) {
	s, _ := openTest(t, Options{})
	raw, err := os.ReadFile("../review/testdata/patchwork/mail/0001-git-pull-request.mbox")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.IngestBytes(context.Background(), raw, "test", nil); err != nil {
		t.Fatal(err)
	}
	list, _ := s.ListSeries(context.Background(), SeriesFilter{})
	if len(list) != 1 || list[0].State != "pull request" || list[0].Patches != 0 {
		t.Fatalf("pull request not listed as such: %+v", list)
	}
	se, _ := s.SeriesByID(context.Background(), list[0].ID)
	if se.Cover == nil || se.Cover.Message.PullURL == "" {
		t.Errorf("the pull request mail is not shown on its series page")
	}
}

// An in-memory database is refused with a reason: the migrations, the
// writer and the readers would each have their own, empty one.
func TestOpenRefusesAnInMemoryDatabase(t *testing.T) {
	for _, path := range []string{":memory:", ""} {
		if s, err := Open(context.Background(), path, Options{}); err == nil || !strings.Contains(err.Error(), "must be a file") {
			if s != nil {
				s.Close()
			}
			t.Errorf("Open(%q): %v, want refused: the database must be a file", path, err)
		}
	}
}
