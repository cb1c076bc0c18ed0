package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
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
