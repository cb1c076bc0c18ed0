package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"patchreview/storage"
)

// TestPublicInboxBadSearchIs400: a query the search cannot express
// (review.ErrInvalid) is a 400 with its reason on the public-inbox face,
// by the one mapping every face shares (httpx.StatusOf), not a 500.
func TestPublicInboxBadSearchIs400(t *testing.T) {
	s, _, _ := facesServerAt(t, nil, Options{})
	for _, target := range []string{"/all/?x=m&q=d:notadate", "/shadow/?x=m&q=d:notadate"} {
		w := get(t, s, target)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "a date is YYYYMMDD") || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
			t.Errorf("%s: %d %q %q, want 400 in plain text with the reason", target, w.Code, w.Header().Get("Content-Type"), w.Body.String())
		}
	}
}

// TestDrainErrorAnswer: an upload stopped by a shutdown is a 503 whose
// JSON carries the stopped upload's own text and what it stored, by the
// one StatusError mechanism; what wraps the error stays out of the body.
func TestDrainErrorAnswer(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	drained := &drainError{storage.IngestStats{Messages: 3, New: 2, Duplicates: 1}}
	w := httptest.NewRecorder()
	s.renderError(w, httptest.NewRequest("POST", "/api/v1/mbox", nil), fmt.Errorf("ingest of /tmp/upload-4711 for jane: %w", drained))
	var body struct {
		Error  string
		Stored storage.IngestStats
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil || json.Unmarshal(w.Body.Bytes(), &body) != nil {
		t.Fatalf("not JSON: %v %s", err, w.Body)
	}
	if w.Code != http.StatusServiceUnavailable || body.Error != drained.Error() || body.Stored != drained.stats || len(raw) != 2 {
		t.Errorf("drained upload: %d %s, want 503 with only its own text and the stored counts", w.Code, w.Body)
	}
}

// TestErrorPageRenderedLikeEveryPage: the error page goes through
// renderStatus as every page does (HTML, the error's status); when it
// cannot render, the answer is the message in plain text, still with the
// error's status.
func TestErrorPageRenderedLikeEveryPage(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	w := get(t, s, "/no/such/page")
	if w.Code != http.StatusNotFound || w.Header().Get("Content-Type") != "text/html; charset=utf-8" || !strings.Contains(w.Body.String(), "no page or list at /no") {
		t.Errorf("error page: %d %q %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	s.pages["error"] = template.Must(template.New("error").Parse(`{{define "base"}}{{.Page.NoSuchField}}{{end}}`))
	w = get(t, s, "/no/such/page")
	if w.Code != http.StatusNotFound || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") || strings.TrimSpace(w.Body.String()) != "no page or list at /no" {
		t.Errorf("error page that does not render: %d %q %q, want the message in plain text", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
}
