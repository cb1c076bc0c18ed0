package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"patchreview/review"
)

// lockedBuffer is a bytes.Buffer safe for the server goroutine to write
// while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeInProcess runs 'serve' through run() on a real listener: the
// --addr flag wins over PATCHREVIEW_ADDR, PATCHREVIEW_DB names the database
// it creates, an mbox posted over HTTP is ingested, and cancelling the
// context shuts the server down with exit code 0.
func TestServeInProcess(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "env.db")
	getenv := func(k string) string {
		return map[string]string{"PATCHREVIEW_DB": dbPath, "PATCHREVIEW_ADDR": "203.0.113.1:1"}[k]
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"user", "add", "--admin", "--password-stdin", "Admin", "admin@example.org"},
		strings.NewReader("a long enough password\n"), &out, &errb, getenv); code != 0 {
		t.Fatalf("user add: %d %s", code, errb.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"user", "token", "admin@example.org", "test"}, nil, &out, &errb, getenv); code != 0 {
		t.Fatalf("user token: %d %s", code, errb.String())
	}
	token := strings.TrimSpace(out.String())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr lockedBuffer
	exit := make(chan int, 1)
	go func() { exit <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, nil, &stderr, &stderr, getenv) }()

	urlRe := regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+/)`)
	var base string
	for deadline := time.Now().Add(20 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := urlRe.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
		}
		select {
		case code := <-exit:
			t.Fatalf("serve exited early with %d: %s", code, stderr.String())
		default:
		}
	}
	if base == "" {
		t.Fatalf("no URL on 127.0.0.1 printed: %s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "db="+dbPath) {
		t.Errorf("startup line does not name the database from PATCHREVIEW_DB: %s", stderr.String())
	}
	if _, err := os.Stat(dbPath); err != nil {
		t.Errorf("database not created at PATCHREVIEW_DB: %v", err)
	}

	mbox, err := os.ReadFile("../../storage/testdata/shadowfs-v1-v2.mbox")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", base+"api/v1/mbox", bytes.NewReader(mbox))
	req.Header.Set("Content-Type", "application/mbox")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /api/v1/mbox: %d", resp.StatusCode)
	}
	var list struct{ Series []struct{ Version int } }
	getJSON(t, base+"api/v1/series", &list)
	if len(list.Series) != 2 || list.Series[0].Version != 2 {
		t.Errorf("series after upload: %+v, want v2 first of two", list.Series)
	}

	cancel()
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("exit code after shutdown = %d, want 0: %s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not shut down after the context was cancelled")
	}
}

// TestServeFollowsAnArchive: 'serve --follow' imports a public-inbox epoch
// at start, then fetches it from its remote and imports what was added.
func TestServeFollowsAnArchive(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	upstream := t.TempDir()
	git := func(dir string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git(upstream, "init", "-q")
	data, _ := os.ReadFile("../../storage/testdata/shadowfs-v1-v2.mbox")
	var msgs [][]byte
	review.SplitMbox(bytes.NewReader(data), func(raw []byte) error { msgs = append(msgs, raw); return nil })
	add := func(raw []byte) {
		os.WriteFile(filepath.Join(upstream, "m"), raw, 0o644)
		git(upstream, "add", "m")
		git(upstream, "commit", "-q", "-m", "m")
	}
	for _, raw := range msgs[:2] { // v1: 1/2 and 2/2
		add(raw)
	}
	inbox := filepath.Join(t.TempDir(), "shadowfs")
	git(upstream, "clone", "-q", "--mirror", upstream, filepath.Join(inbox, "git", "0.git"))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr lockedBuffer
	exit := make(chan int, 1)
	db := filepath.Join(t.TempDir(), "follow.db")
	go func() {
		exit <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--follow", inbox, "--follow-every", "100ms"},
			nil, &stderr, &stderr, func(string) string { return "" })
	}()
	urlRe := regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+/)`)
	var base string
	for deadline := time.Now().Add(20 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := urlRe.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatalf("no URL printed: %s", stderr.String())
	}
	var list struct {
		Series []struct{ Version, Patches int }
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			getJSON(t, base+"api/v1/series?list=shadowfs", &list)
			if ok() {
				return
			}
		}
		t.Fatalf("%s: series %+v\n%s", what, list.Series, stderr.String())
	}
	waitFor("the first import", func() bool { return len(list.Series) == 1 && list.Series[0].Patches == 2 })
	for _, raw := range msgs[2:] { // v2 and a reply, added upstream later
		add(raw)
	}
	waitFor("after polling", func() bool {
		return len(list.Series) == 2 && list.Series[0].Version == 2 && list.Series[0].Patches == 2
	})
	cancel()
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("exit %d: %s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}
