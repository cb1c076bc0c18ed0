package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestBusyDatabaseIs503: a write while another process holds the database
// (BEGIN EXCLUSIVE) past the store's busy timeout answers 503 with a
// Retry-After and a reason, in the face's format, not a 500; once the
// lock is gone the same request succeeds. (The store waits its busy
// timeout, 5 s, once.)
func TestBusyDatabaseIs503(t *testing.T) {
	t.Parallel()
	s, st, path := facesServerAt(t, nil, Options{})
	upload := func() *http.Request {
		req := httptest.NewRequest("POST", "/api/v1/mbox", bytes.NewReader(readFixture(t, fixture)))
		req.Header.Set("Content-Type", "application/mbox")
		return authorize(t, st, req)
	}
	if w := do(t, s, upload()); w.Code != http.StatusOK {
		t.Fatalf("seeding: %d %s", w.Code, w.Body)
	}
	req := upload()

	release := holdWriteLock(t, path, "BEGIN EXCLUSIVE")
	w := do(t, s, req)
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" || w.Header().Get("Content-Type") != "application/json" || !strings.Contains(w.Body.String(), `"error": "the database is busy`) {
		t.Errorf("upload while the database is locked: %d Retry-After %q %q: %s", w.Code, w.Header().Get("Retry-After"), w.Header().Get("Content-Type"), w.Body)
	}
	release()
	if w := do(t, s, upload()); w.Code != http.StatusOK {
		t.Errorf("upload after the lock: %d %s", w.Code, w.Body)
	}
}
