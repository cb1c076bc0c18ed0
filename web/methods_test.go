package web

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// seededServer is a test server holding the v1+v2 fixture, served over a
// real connection (net/http's server drops a HEAD answer's body).
func seededServer(t *testing.T) *httptest.Server {
	t.Helper()
	s, st := newTestServer(t, Options{})
	req := httptest.NewRequest("POST", "/api/v1/mbox", bytes.NewReader(readFixture(t, fixture)))
	req.Header.Set("Content-Type", "application/mbox")
	authorize(t, st, req)
	if w := do(t, s, req); w.Code != http.StatusOK {
		t.Fatalf("seeding: %d %s", w.Code, w.Body)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}

func send(t *testing.T, ts *httptest.Server, method, path string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// TestHeadAnswersAsGet: HEAD on a URL of every face and route group
// answers what GET answers (status, type, length), with no body.
func TestHeadAnswersAsGet(t *testing.T) {
	ts := seededServer(t)
	for _, path := range []string{
		"/", "/series/1", "/patches/1", "/rules", "/rules/writepage-unlock-all-paths", "/status", "/signin", "/upload", "/contracts",
		"/series/1/mbox", "/patches/1/mbox", "/series/1/feed.atom", "/all/series.atom", "/all/new.atom",
		"/all/20260105090000.1-ravi@example.org/raw", "/all/20260105090000.1-ravi@example.org/", "/all/20260105090000.1-ravi@example.org",
		"/api/1.2/", "/api/1.2/patches/", "/api/1.2/patches/1/", "/api/1.2/series/1/mbox/",
		"/api/v1/series", "/api/v1/status", "/static/style.css",
		"/series/99", "/nowhere", "/api/1.2/patches/99/",
	} {
		get, getBody := send(t, ts, "GET", path)
		head, headBody := send(t, ts, "HEAD", path)
		if head.StatusCode != get.StatusCode || head.Header.Get("Content-Type") != get.Header.Get("Content-Type") ||
			head.Header.Get("Location") != get.Header.Get("Location") || headBody != "" {
			t.Errorf("HEAD %s: %d %q %q body %q; GET: %d %q %q", path, head.StatusCode, head.Header.Get("Content-Type"), head.Header.Get("Location"), headBody,
				get.StatusCode, get.Header.Get("Content-Type"), get.Header.Get("Location"))
		}
		if get.StatusCode == http.StatusMethodNotAllowed || get.StatusCode == http.StatusNotFound && !strings.Contains(path, "99") && path != "/nowhere" {
			t.Errorf("GET %s: %d %s", path, get.StatusCode, getBody)
		}
	}
}

// TestWrongMethodIs405: a method a page does not take answers 405 with an
// Allow header naming the ones it takes, not a 404.
func TestWrongMethodIs405(t *testing.T) {
	ts := seededServer(t)
	for _, tt := range []struct{ method, path, allow string }{
		{"POST", "/series/1", "GET, HEAD"},
		{"POST", "/patches/1", "GET, HEAD"},
		{"POST", "/rules", "GET, HEAD"},
		{"POST", "/patches/1/reply", "GET, HEAD"},
		{"POST", "/series/1/feed.atom", "GET, HEAD"},
		{"DELETE", "/status", "GET, HEAD"},
		{"PUT", "/upload", "GET, HEAD, POST"},
		{"POST", "/", "GET, HEAD"},
		{"GET", "/patches/1/reply/send", "POST"},
		{"HEAD", "/signout", "POST"},
		{"POST", "/api/v1/series", "GET, HEAD"},
		{"GET", "/api/v1/mbox", "POST"},
	} {
		resp, body := send(t, ts, tt.method, tt.path)
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != tt.allow {
			t.Errorf("%s %s: %d Allow %q, want 405 Allow %q: %s", tt.method, tt.path, resp.StatusCode, resp.Header.Get("Allow"), tt.allow, body)
		}
		if tt.method != "HEAD" && !strings.Contains(body, tt.method) {
			t.Errorf("%s %s: the reason does not name the method: %s", tt.method, tt.path, body)
		}
	}
	// A list's own page takes POST (the search), so an unknown list still
	// answers 404.
	if resp, _ := send(t, ts, "POST", "/nolist/x"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("POST /nolist/x: %d, want 404", resp.StatusCode)
	}
}

// TestFeedErrorsArePlainText: every feed answers its errors in plain text,
// the public-inbox face's new.atom of an unknown list too.
func TestFeedErrorsArePlainText(t *testing.T) {
	ts := seededServer(t)
	for _, path := range []string{"/nolist/new.atom", "/nolist/series.atom", "/series/99/feed.atom", "/series/x/feed.atom"} {
		resp, body := send(t, ts, "GET", path)
		if resp.StatusCode < 400 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") || strings.Contains(body, "<") {
			t.Errorf("GET %s: %d %q %q, want a plain-text error", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
}

// TestAPIErrorsNameThePath: an unknown API path answers the API's JSON
// error naming the path asked for; /api/v1's 401 carries a Bearer
// challenge; a plain-text error escapes bytes that are not UTF-8.
func TestAPIErrorsNameThePath(t *testing.T) {
	ts := seededServer(t)
	for _, tt := range []struct{ path, key string }{
		{"/api/1.3/", "detail"},
		{"/api/9.9/", "error"},
		{"/api/v2/", "error"},
		{"/api", "error"},
	} {
		resp, body := send(t, ts, "GET", tt.path)
		if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Content-Type") != "application/json" ||
			!strings.Contains(body, `"`+tt.key+`"`) || !strings.Contains(body, "at "+tt.path+`"`) {
			t.Errorf("GET %s: %d %q %s, want a 404 {%q} naming %s", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), body, tt.key, tt.path)
		}
	}
	resp, body := send(t, ts, "POST", "/api/v1/mbox")
	if resp.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("POST /api/v1/mbox without a token: %d WWW-Authenticate %q: %s", resp.StatusCode, resp.Header.Get("WWW-Authenticate"), body)
	}
	resp, body = send(t, ts, "GET", "/all/%ff/raw")
	if resp.StatusCode != http.StatusNotFound || strings.ContainsRune(body, 0xfffd) || !strings.Contains(body, `\xff`) || !utf8Valid(body) {
		t.Errorf("GET /all/%%ff/raw: %d %q, want a 404 naming the byte as \\xff", resp.StatusCode, body)
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "?") == s }

// TestPublicInboxRedirectsAsDocumented: README "Absolute links": the
// midmask redirect is absolute (b4 reads its Location), a message's and
// the search's redirects are relative.
func TestPublicInboxRedirectsAsDocumented(t *testing.T) {
	ts := seededServer(t)
	for _, tt := range []struct {
		path     string
		absolute bool
	}{
		{"/all/20260105090000.1-ravi@example.org", true},
		{"/all/20260105090000.1-ravi@example.org/", false},
		{"/all/?q=shadowfs", false},
	} {
		resp, body := send(t, ts, "GET", tt.path)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusFound || strings.HasPrefix(loc, ts.URL+"/") != tt.absolute || !tt.absolute && !strings.HasPrefix(loc, "/") {
			t.Errorf("GET %s: %d Location %q (absolute: %v, want %v): %s", tt.path, resp.StatusCode, loc, strings.HasPrefix(loc, "http"), tt.absolute, body)
		}
	}
}

// TestHeadOnPrivateServer: on a private server an anonymous HEAD of a
// page is redirected to the sign-in page as a GET is, not refused.
func TestHeadOnPrivateServer(t *testing.T) {
	s, _ := newTestServer(t, Options{Private: true})
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	for _, path := range []string{"/", "/series/1", "/api/v1/series"} {
		get, _ := send(t, ts, "GET", path)
		head, _ := send(t, ts, "HEAD", path)
		if head.StatusCode != get.StatusCode || head.Header.Get("Location") != get.Header.Get("Location") {
			t.Errorf("HEAD %s: %d %q; GET: %d %q", path, head.StatusCode, head.Header.Get("Location"), get.StatusCode, get.Header.Get("Location"))
		}
	}
}

// TestListFaceWrongMethod: the public-inbox face's own 405s name what
// the path takes in Allow.
func TestListFaceWrongMethod(t *testing.T) {
	ts := seededServer(t)
	for _, tt := range []struct{ method, path, allow string }{
		{"POST", "/all/20260105090000.1-ravi@example.org/raw", "GET, HEAD"},
		{"POST", "/all/?q=shadowfs", "GET, HEAD"},
		{"PUT", "/all/?q=shadowfs&x=m", "GET, HEAD, POST"},
	} {
		resp, body := send(t, ts, tt.method, tt.path)
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != tt.allow {
			t.Errorf("%s %s: %d Allow %q, want 405 Allow %q: %s", tt.method, tt.path, resp.StatusCode, resp.Header.Get("Allow"), tt.allow, body)
		}
	}
}
