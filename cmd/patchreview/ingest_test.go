package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"patchreview/review"
	"patchreview/storage"
)

// TestIngestCommand runs 'patchreview ingest' as an MTA or a user would:
// a file with the database from PATCHREVIEW_DB, the same file again, and
// a message piped on stdin that is not a mail (stored raw, marked, exit 0).
func TestIngestCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "in.db")
	getenv := func(k string) string {
		if k == "PATCHREVIEW_DB" {
			return db
		}
		return ""
	}
	ingest := func(stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"ingest"}, args...), strings.NewReader(stdin), &out, &errb, getenv)
		return code, out.String(), errb.String()
	}
	const mbox = "../../storage/testdata/shadowfs-v1-v2.mbox"
	if code, out, errs := ingest("", mbox); code != 0 || !strings.Contains(out, "6 messages: 6 new, 0 duplicates, 0 failed to parse (stored raw); 4 patches in 2 series") {
		t.Fatalf("first ingest: exit %d\n%s%s", code, out, errs)
	}
	if code, out, _ := ingest("", mbox); code != 0 || !strings.Contains(out, "6 messages: 0 new, 6 duplicates") {
		t.Errorf("second ingest stored again: exit %d\n%s", code, out)
	}
	if code, out, _ := ingest("garbage\n", "-"); code != 0 || !strings.Contains(out, "1 failed to parse (stored raw)") {
		t.Errorf("piped non-mail: exit %d\n%s", code, out)
	}
	if code, _, errs := ingest("", "/nonexistent.mbox"); code != 1 || !strings.Contains(errs, "nonexistent.mbox") {
		t.Errorf("missing file: exit %d, stderr %q", code, errs)
	}
	if code, _, _ := ingest("", "--frobnicate"); code != 2 {
		t.Errorf("bad flag: exit %d, want 2", code)
	}
	// --db wins over PATCHREVIEW_DB.
	other := filepath.Join(t.TempDir(), "other.db")
	one, _ := os.ReadFile("../../review/testdata/own/attached-patch.eml")
	if code, _, errs := ingest(string(one), "--db", other, "-"); code != 0 {
		t.Fatalf("--db: exit %d %s", code, errs)
	}
	st, err := storage.Open(context.Background(), other, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if list, _ := st.ListSeries(context.Background(), storage.SeriesFilter{}); len(list) != 1 {
		t.Errorf("--db database holds %d series, want the piped patch's 1", len(list))
	}
}

// Mail accepted but never processed (the webhook of a killed server) is
// processed by the next 'ingest', not counted as a duplicate and left.
func TestIngestFinishesPending(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	ctx := context.Background()
	st, err := storage.Open(ctx, db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile("../../storage/testdata/shadowfs-v1-v2.mbox")
	review.SplitMbox(bytes.NewReader(data), func(raw []byte) error {
		_, _, err := st.Accept(ctx, raw, "webhook")
		return err
	})
	st.Close()
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"ingest", "--db", db, "../../storage/testdata/shadowfs-v1-v2.mbox"}, nil, &out, &errb, func(string) string { return "" }); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "6 pending messages processed") || !strings.Contains(out.String(), "6 duplicates") {
		t.Errorf("output: %s", out.String())
	}
	st, _ = storage.Open(ctx, db, storage.Options{})
	defer st.Close()
	if q, _ := st.QueueStatus(ctx); q.Pending != 0 || q.Done != 6 {
		t.Errorf("after ingest: %+v", q)
	}
}

// 'ingest --public-inbox' imports an epoch, then only what is new.
func TestIngestPublicInboxCommand(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	work := t.TempDir()
	git := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	data, _ := os.ReadFile("../../storage/testdata/shadowfs-v1-v2.mbox")
	review.SplitMbox(bytes.NewReader(data), func(raw []byte) error {
		os.WriteFile(filepath.Join(work, "m"), raw, 0o644)
		git("add", "m")
		git("commit", "-q", "-m", "m")
		return nil
	})
	db := filepath.Join(t.TempDir(), "pi.db")
	ingest := func() string {
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{"ingest", "--db", db, "--public-inbox", "--list", "shadowfs", work}, nil, &out, &errb,
			func(string) string { return "" }); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		return out.String()
	}
	if out := ingest(); !strings.Contains(out, "6 messages: 6 new") {
		t.Errorf("first import: %s", out)
	}
	if out := ingest(); !strings.Contains(out, "0 messages: 0 new") {
		t.Errorf("second import: %s", out)
	}
	st, _ := storage.Open(context.Background(), db, storage.Options{})
	defer st.Close()
	if list, _ := st.ListSeries(context.Background(), storage.SeriesFilter{List: "shadowfs"}); len(list) != 2 {
		t.Errorf("series of list shadowfs: %d, want 2", len(list))
	}
	var errb bytes.Buffer
	if code := run(context.Background(), []string{"ingest", "--db", db, "--public-inbox"}, nil, io.Discard, &errb, func(string) string { return "" }); code != 2 {
		t.Errorf("--public-inbox without a directory: exit %d", code)
	}
	// A list named like one of the service's pages could not be served.
	errb.Reset()
	if code := run(context.Background(), []string{"ingest", "--db", db, "--public-inbox", "--list", "series", work}, nil, io.Discard, &errb, func(string) string { return "" }); code != 2 ||
		!strings.Contains(errb.String(), `list name "series"`) {
		t.Errorf("--list series: exit %d, %s", code, errb.String())
	}
}

// SIGTERM stops 'ingest' promptly even while it waits on a pipe that stays
// open (an MTA that hangs).
func TestIngestStopsOnSIGTERM(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "patchreview")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "ingest", "--db", filepath.Join(dir, "t.db"), "-")
	stdin, _ := cmd.StdinPipe()
	defer stdin.Close()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile("../../storage/testdata/shadowfs-v1-v2.mbox")
	stdin.Write(data)
	time.Sleep(500 * time.Millisecond) // started, reading the pipe
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("ingest did not stop on SIGTERM")
	}
}

// A mail whose checks once took minutes (100,000 nested parentheses in an
// added line) is checked in full within the default budget; and with a
// budget already spent, the real checker stops, the message is stored with
// the note and the messages after it are stored too.
func TestIngestPathologicalWithinBudget(t *testing.T) {
	const depth = 100000
	var b strings.Builder
	b.WriteString("From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: Fuzz <fuzz@example.org>\nSubject: [PATCH] fs: nest\n" +
		"Message-ID: <nest@example.org>\nDate: Mon, 2 Feb 2026 10:00:00 +0000\n\nDeep.\n\nSigned-off-by: Fuzz <fuzz@example.org>\n---\n" +
		"diff --git a/fs/x.c b/fs/x.c\n--- a/fs/x.c\n+++ b/fs/x.c\n@@ -1,3 +1,4 @@\n static int x_writepage(struct page *page)\n {\n+\tint a = ")
	b.WriteString(strings.Repeat("(", depth) + "1" + strings.Repeat(")", depth) + ";\n }\n")
	data, _ := os.ReadFile("../../storage/testdata/shadowfs-v1-v2.mbox")
	b.Write(data)
	for _, c := range []struct {
		budget, note string
		stopped      bool
	}{
		{"10s", "", false},
		{"1ns", "check stopped after 1e-09 s", true},
	} {
		db := filepath.Join(t.TempDir(), "nest.db")
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{"ingest", "--db", db, "--check-budget", c.budget, "-"}, strings.NewReader(b.String()),
			&out, &errb, func(string) string { return "" })
		if code != 0 || !strings.Contains(out.String(), "7 messages: 7 new") || strings.Contains(out.String(), "checks stopped by the time budget") != c.stopped {
			t.Fatalf("budget %s: exit %d\n%s%s", c.budget, code, out.String(), errb.String())
		}
		st, _ := storage.Open(context.Background(), db, storage.Options{})
		list, _ := st.ListSeries(context.Background(), storage.SeriesFilter{Query: "s:nest"})
		if len(list) != 1 {
			t.Fatalf("budget %s: the pathological patch's series: %+v", c.budget, list)
		}
		se, _ := st.SeriesByID(context.Background(), list[0].ID)
		p, err := st.PatchByID(context.Background(), se.PatchList[0].ID)
		if err != nil || p.CheckNote != c.note {
			t.Errorf("budget %s: check note %q, %v", c.budget, p.CheckNote, err)
		}
		st.Close()
	}
}

// A --tree that is not a directory is a usage error, before anything is
// stored.
func TestIngestTreeMustBeADirectory(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"ingest", "--db", db, "--tree", filepath.Join(t.TempDir(), "missing"), "-"}, strings.NewReader(""),
		&out, &errb, func(string) string { return "" })
	if code != 2 || !strings.Contains(errb.String(), "is not a directory") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("the database was created for a usage error")
	}
}
