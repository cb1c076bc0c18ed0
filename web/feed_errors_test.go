package web

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// logRecords is what a JSON slog handler wrote, one map per record.
func logRecords(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, rec)
	}
	buf.Reset()
	return out
}

// errorRecord returns the one record an error answer logged (not the
// request logger's "request" line) with its keys.
func errorRecord(t *testing.T, what string, recs []map[string]any) (map[string]any, []string) {
	t.Helper()
	var found []map[string]any
	for _, r := range recs {
		if r["msg"] != "request" {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s: %d error records, want 1: %v", what, len(found), recs)
	}
	var keys []string
	for k := range found[0] {
		if k != "time" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return found[0], keys
}

// TestFeedErrorsLikeOtherHandlers: the Atom feeds answer errors through
// the server's handler wrapper: the documented status, their plain-text
// body, and a log record like any page's (a 4xx at debug level, a 5xx at
// error level with the request's method, URI and id; its text not shown).
func TestFeedErrorsLikeOtherHandlers(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, st, _ := facesServerAt(t, log, Options{})
	logRecords(t, &buf)

	w := get(t, s, "/series/999")
	if w.Code != http.StatusNotFound {
		t.Fatalf("page of a missing series: %d", w.Code)
	}
	page, pageKeys := errorRecord(t, "page 404", logRecords(t, &buf))
	for _, c := range []struct {
		url  string
		code int
	}{
		{"/series/999/feed.atom", 404},
		{"/no-such-list/series.atom", 404},
		{"/series/x/feed.atom", 400},
		{"/shadow/series.atom?limit=0", 400},
	} {
		w := get(t, s, c.url)
		if w.Code != c.code || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") || strings.TrimSpace(w.Body.String()) == "" {
			t.Errorf("%s: %d %q %q, want %d with a plain-text reason", c.url, w.Code, w.Header().Get("Content-Type"), w.Body, c.code)
		}
		rec, keys := errorRecord(t, c.url, logRecords(t, &buf))
		if !slices.Equal(keys, pageKeys) || rec["msg"] != page["msg"] || rec["level"] != page["level"] || rec["uri"] != c.url || rec["status"] != float64(c.code) {
			t.Errorf("%s logged %v, want a record like the page's %v", c.url, rec, page)
		}
	}

	// A failing store: a 500 for both, logged as an error, not shown.
	st.Close()
	get(t, s, "/series/1")
	page, pageKeys = errorRecord(t, "page 500", logRecords(t, &buf))
	if page["level"] != "ERROR" {
		t.Fatalf("a page's 500 logged %v", page)
	}
	w = get(t, s, "/series/1/feed.atom")
	rec, keys := errorRecord(t, "feed 500", logRecords(t, &buf))
	if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), "closed") ||
		!slices.Equal(keys, pageKeys) || rec["msg"] != page["msg"] || rec["level"] != "ERROR" || rec["id"] == "" {
		t.Errorf("feed on a failing store: %d %q, logged %v, want 500 logged like the page's %v", w.Code, w.Body, rec, page)
	}
}
