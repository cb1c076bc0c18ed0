package httpx

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"patchreview/review"
	"patchreview/storage"
)

type stopped struct{}

func (stopped) Error() string          { return "stopped after 3 messages" }
func (stopped) HTTPStatus() int        { return http.StatusServiceUnavailable }
func (stopped) Fields() map[string]any { return map[string]any{"stored": 3} }

func TestStatusOf(t *testing.T) {
	for _, c := range []struct {
		err    error
		status int
		msg    string
	}{
		{Errorf(http.StatusConflict, "taken: %d", 7), 409, "taken: 7"},
		{fmt.Errorf("wrapped: %w", Errorf(http.StatusForbidden, "no")), 403, "no"},
		{fmt.Errorf("patch 9: %w", storage.ErrNotFound), 404, "patch 9: " + storage.ErrNotFound.Error()},
		{fmt.Errorf("bad: %w", review.ErrInvalid), 400, "bad: " + review.ErrInvalid.Error()},
		{&http.MaxBytesError{Limit: 10}, 413, "body larger than the 10-byte limit"},
		// The matched error's text only: what wraps it is internal context.
		{fmt.Errorf("upload by jane from /var/tmp/x: %w", stopped{}), 503, "stopped after 3 messages"},
		{errors.New("disk on fire"), 500, internalMsg},
	} {
		if status, msg := StatusOf(c.err); status != c.status || msg != c.msg {
			t.Errorf("StatusOf(%v) = %d %q, want %d %q", c.err, status, msg, c.status, c.msg)
		}
	}
}

func TestFieldsOf(t *testing.T) {
	if f := FieldsOf(fmt.Errorf("upload: %w", stopped{})); len(f) != 1 || f["stored"] != 3 {
		t.Errorf("fields of a wrapped StatusError: %v", f)
	}
	for _, err := range []error{Errorf(409, "taken"), errors.New("disk on fire"), nil} {
		if f := FieldsOf(err); f != nil {
			t.Errorf("fields of %v: %v, want none", err, f)
		}
	}
}

func TestFailLogsAndFormats(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	for _, c := range []struct {
		err   error
		level string
	}{
		{errors.New("disk on fire"), "level=ERROR msg=\"request failed\""},
		{stopped{}, "level=WARN msg=\"request failed\""},
		{Errorf(404, "nothing here"), "level=DEBUG msg=\"request refused\""},
	} {
		buf.Reset()
		w := httptest.NewRecorder()
		Handler(log, Text, func(http.ResponseWriter, *http.Request) error { return c.err })(w, httptest.NewRequest("GET", "/x?y=1", nil))
		status, msg := StatusOf(c.err)
		if w.Code != status || strings.TrimSpace(w.Body.String()) != msg {
			t.Errorf("%v: answered %d %q, want %d %q", c.err, w.Code, w.Body, status, msg)
		}
		if got := buf.String(); !strings.Contains(got, c.level) || !strings.Contains(got, "uri=\"/x?y=1\"") || !strings.Contains(got, "method=GET") {
			t.Errorf("%v: logged %q, want %s with the request", c.err, got, c.level)
		}
	}
}

func TestBaseURL(t *testing.T) {
	req := func(tlsOn bool, h ...string) *http.Request {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = "review.example.org"
		if tlsOn {
			r.TLS = &tls.ConnectionState{}
		}
		for i := 0; i+1 < len(h); i += 2 {
			r.Header.Add(h[i], h[i+1])
		}
		return r
	}
	for _, c := range []struct {
		r     *http.Request
		proxy bool
		want  string
	}{
		{req(false), false, "http://review.example.org"},
		{req(true), false, "https://review.example.org"},
		{req(false, "X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil.example"), false, "http://review.example.org"},
		{req(false), true, "https://review.example.org"},
		{req(false, "X-Forwarded-Proto", "http"), true, "http://review.example.org"},
		{req(false, "X-Forwarded-Host", "evil.example", "X-Forwarded-Host", "[::1]:8080"), true, "https://[::1]:8080"},
		{req(false, "X-Forwarded-Host", "a.example, b.example"), true, "https://b.example"},
		{req(false, "X-Forwarded-Host", "user@evil.example"), true, "https://review.example.org"},
		{req(false, "X-Forwarded-Host", "evil.example/x"), true, "https://review.example.org"},
	} {
		var got string
		Forwarded(c.proxy)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = BaseURL(r) })).ServeHTTP(httptest.NewRecorder(), c.r)
		if got != c.want {
			t.Errorf("proxy %v, TLS %v, %v: %q, want %q", c.proxy, c.r.TLS != nil, c.r.Header, got, c.want)
		}
	}
	// Without the middleware nothing forwarded is believed.
	if got := BaseURL(req(false, "X-Forwarded-Host", "evil.example")); got != "http://review.example.org" {
		t.Errorf("without Forwarded: %q", got)
	}
}

// TestForwardedClientAndScheme: the client address and the scheme come
// from the same decision as the base URL; behind a proxy the client is the
// last X-Forwarded-For value over all its lines (a proxy that appends its
// own line leaves the client's forged one first).
func TestForwardedClientAndScheme(t *testing.T) {
	for _, c := range []struct {
		proxy  bool
		xff    []string
		proto  string
		client string
		https  bool
	}{
		{false, []string{"198.51.100.1"}, "https", "192.0.2.1", false},
		{true, nil, "", "192.0.2.1", true},
		{true, []string{"198.51.100.1", "203.0.113.7"}, "http", "203.0.113.7", false},
		{true, []string{"198.51.100.1, 203.0.113.8"}, "https", "203.0.113.8", true},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if c.proto != "" {
			r.Header.Set("X-Forwarded-Proto", c.proto)
		}
		var client, base string
		var https bool
		Forwarded(c.proxy)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			client, https, base = ClientAddr(r), HTTPS(r), BaseURL(r)
		})).ServeHTTP(httptest.NewRecorder(), r)
		if client != c.client || https != c.https || https != strings.HasPrefix(base, "https://") {
			t.Errorf("proxy %v, %v: client %q https %v base %q; want %q, %v", c.proxy, r.Header, client, https, base, c.client, c.https)
		}
	}
}
