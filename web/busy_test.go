package web

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"patchreview/storage"
)

// TestBusyDatabaseIs503: a write while another process holds the database
// (BEGIN EXCLUSIVE) past the store's busy timeout answers 503 with a
// Retry-After and a reason, in the face's format, not a 500; once the
// lock is gone the same request succeeds. (The store waits its busy
// timeout, 5 s, once.)
func TestBusyDatabaseIs503(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "web.db")
	st, err := storage.Open(ctx, path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s, err := NewServer(st, slog.New(slog.DiscardHandler), Options{})
	if err != nil {
		t.Fatal(err)
	}
	upload := func() *http.Request {
		req := httptest.NewRequest("POST", "/api/v1/mbox", bytes.NewReader(readFixture(t, fixture)))
		req.Header.Set("Content-Type", "application/mbox")
		return authorize(t, st, req)
	}
	if w := do(t, s, upload()); w.Code != http.StatusOK {
		t.Fatalf("seeding: %d %s", w.Code, w.Body)
	}
	req := upload()

	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	w := do(t, s, req)
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" || w.Header().Get("Content-Type") != "application/json" || !strings.Contains(w.Body.String(), `"error": "the database is busy`) {
		t.Errorf("upload while the database is locked: %d Retry-After %q %q: %s", w.Code, w.Header().Get("Retry-After"), w.Header().Get("Content-Type"), w.Body)
	}
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if w := do(t, s, upload()); w.Code != http.StatusOK {
		t.Errorf("upload after the lock: %d %s", w.Code, w.Body)
	}
}
