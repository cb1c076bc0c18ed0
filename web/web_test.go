package web

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"patchreview/review"
	"patchreview/storage"
	"patchreview/web/inbound"
)

const fixture = "../storage/testdata/shadowfs-v1-v2.mbox"

// newTestServer serves a fresh store on a temp SQLite file.
func newTestServer(t *testing.T, opts Options) (*Server, *storage.Store) {
	t.Helper()
	st, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "web.db"), storage.Options{
		Checker: func(_ context.Context, m *review.Message) ([]review.Finding, error) {
			if m.Patch != nil && strings.Contains(m.Patch.Diff, "unlock_page(lower_page)") {
				return []review.Finding{{Rule: "lower-writepage-double-unlock", Severity: "error", Path: "fs/shadowfs/aops.c",
					Line: 32, Function: "shadowfs_writepage", Code: "\t\tunlock_page(lower_page);", Message: "already unlocked"}}, nil
			}
			return nil, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s, err := NewServer(st, slog.New(slog.DiscardHandler), opts)
	if err != nil {
		t.Fatal(err)
	}
	return s, st
}

// authorize makes the request as a signed-in uploader: a session cookie for
// pages, a personal API token for the API.
func authorize(t *testing.T, st *storage.Store, req *http.Request) *http.Request {
	t.Helper()
	ctx := context.Background()
	u, err := st.UserByEmail(ctx, "uploader@example.org")
	if err != nil {
		if u, err = st.AddUser(ctx, "Uploader", "uploader@example.org", false); err != nil {
			t.Fatal(err)
		}
	}
	if strings.HasPrefix(req.URL.Path, "/api/") {
		tok, err := st.CreateAPIToken(ctx, u.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		return req
	}
	sess, err := st.CreateSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: sess})
	return req
}

func do(t *testing.T, s *Server, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	return w
}

func get(t *testing.T, s *Server, url string) *httptest.ResponseRecorder {
	return do(t, s, httptest.NewRequest("GET", url, nil))
}

func readFixture(t *testing.T, name string) []byte {
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func multipartBody(t *testing.T, field string, data []byte) (*bytes.Buffer, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile(field, "series.mbox")
	fw.Write(data)
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func decode(t *testing.T, w *httptest.ResponseRecorder, v any) {
	t.Helper()
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		t.Fatalf("bad JSON (%v): %s", err, w.Body)
	}
}

// TestAcceptanceAPI: upload the v1+v2 fixture through the API and find one
// v2 series with its cover, two patches with diffs, and the reply on 2/2.
func TestAcceptanceAPI(t *testing.T) {
	s, st := newTestServer(t, Options{})
	req := httptest.NewRequest("POST", "/api/v1/mbox", bytes.NewReader(readFixture(t, fixture)))
	req.Header.Set("Content-Type", "application/mbox")
	authorize(t, st, req)
	w := do(t, s, req)
	var counts map[string]int
	decode(t, w, &counts)
	if w.Code != 200 || counts["messages"] != 6 || counts["patches"] != 4 || counts["series"] != 2 {
		t.Fatalf("POST /api/v1/mbox: %d %v", w.Code, counts)
	}
	var list struct{ Series []map[string]any }
	decode(t, get(t, s, "/api/v1/series"), &list)
	if len(list.Series) != 2 || list.Series[0]["version"] != 2.0 || list.Series[0]["patches"] != 2.0 {
		t.Fatalf("series list %v", list.Series)
	}
	if a := list.Series[0]["author"]; a != "Ravi Iyer <ravi@example.org>" {
		t.Errorf("series list author = %#v, want \"Name <email>\" as in every other author field", a)
	}
	id := int(list.Series[0]["id"].(float64))
	var se struct {
		Version     int
		Cover       *struct{ Subject, Body string }
		Patches     []struct{ ID, Number int }
		PrevVersion int `json:"prev_version"`
	}
	decode(t, get(t, s, "/api/v1/series/"+itoa(id)), &se)
	if se.Version != 2 || se.Cover == nil || !strings.Contains(se.Cover.Subject, "0/2") || len(se.Patches) != 2 || se.PrevVersion == 0 {
		t.Fatalf("series %+v", se)
	}
	var p struct {
		Subject  string
		Diff     string
		Findings []map[string]any
		Comments []map[string]any
		Replies  []struct{ Author, Body string }
	}
	decode(t, get(t, s, "/api/v1/patches/"+itoa(se.Patches[1].ID)), &p)
	if !strings.Contains(p.Diff, "+static int shadowfs_writepage") || len(p.Findings) != 1 || p.Comments == nil {
		t.Errorf("patch 2/2: diff %q findings %v", p.Diff[:min(60, len(p.Diff))], p.Findings)
	}
	if len(p.Replies) != 1 || !strings.Contains(p.Replies[0].Author, "Hugh Dickins") {
		t.Errorf("patch 2/2 replies %+v", p.Replies)
	}
	for _, k := range []string{"rule", "severity", "path", "line", "function", "code", "message"} {
		if _, ok := p.Findings[0][k]; !ok {
			t.Errorf("finding lacks %q", k)
		}
	}
}

// TestAcceptanceBrowserForm: the same through the upload form and pages.
func TestAcceptanceBrowserForm(t *testing.T) {
	s, st := newTestServer(t, Options{})
	body, ct := multipartBody(t, "mbox", readFixture(t, fixture))
	req := httptest.NewRequest("POST", "/upload", body)
	req.Header.Set("Content-Type", ct)
	authorize(t, st, req)
	w := do(t, s, req)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/" || len(w.Result().Cookies()) != 1 {
		t.Fatalf("POST /upload: %d %v %s", w.Code, w.Header(), w.Body)
	}
	req = httptest.NewRequest("GET", "/", nil)
	req.AddCookie(w.Result().Cookies()[0])
	authorize(t, st, req)
	list := do(t, s, req).Body.String()
	if !strings.Contains(list, "Read 6 messages: 6 new") || !strings.Contains(list, "4 patches in 2 series") {
		t.Errorf("list page after upload shows no flash of counts:\n%s", list)
	}
	if spoof := get(t, s, "/?flash=Your+session+expired").Body.String(); strings.Contains(spoof, "session expired") {
		t.Error("a flash message can be put on the page through the URL")
	}
	if strings.Count(list, `href="/series/`) != 2 || !strings.Contains(list, "shadowfs: writepage support") || !strings.Contains(list, "v2") {
		t.Fatalf("list page:\n%s", list)
	}
	page := get(t, s, "/series/2").Body.String()
	for _, want := range []string{"Cover letter", "Changes since v1", "/patches/3", "/patches/4", "previous version", `Versions: <a href="/series/1" title="shadowfs: add lower page lookup helper">v1</a> → <b>v2</b>`} {
		if !strings.Contains(page, want) {
			t.Errorf("series page lacks %q", want)
		}
	}
	patch := get(t, s, "/patches/4").Body.String()
	for _, want := range []string{"fs/shadowfs/aops.c", "shadowfs_writepage", "lower-writepage-double-unlock", "Hugh Dickins", "You need to unlock_page"} {
		if !strings.Contains(patch, want) {
			t.Errorf("patch page lacks %q", want)
		}
	}
}

func TestStatusCodes(t *testing.T) {
	s, st := newTestServer(t, Options{MaxUpload: 1024})
	tests := []struct {
		method, url string
		body        string
		want        int
	}{
		{"GET", "/", "", 200},
		{"GET", "/upload", "", 200},
		{"GET", "/rules", "", 200},
		{"GET", "/rules/writepage-unlock-all-paths", "", 200},
		{"GET", "/rules/no-such-rule", "", 404},
		{"GET", "/status", "", 200},
		{"GET", "/static/style.css", "", 200},
		{"GET", "/series/1", "", 404},
		{"GET", "/series/abc", "", 400},
		{"GET", "/patches/0", "", 400},
		{"GET", "/patches/7", "", 404},
		{"GET", "/messages/7/raw", "", 404},
		{"GET", "/nowhere", "", 404},
		{"GET", "/api/v1/series?limit=x", "", 400},
		{"GET", "/api/v1/series/9", "", 404},
		{"GET", "/api/v1/patches/x", "", 400},
		{"GET", "/api/v1/status", "", 200},
		{"POST", "/api/v1/mbox", "", 400},
		{"POST", "/api/v1/mbox", strings.Repeat("x", 2048), 413},
		{"POST", "/comments/1/delete", "", 404},
		{"POST", "/verdicts/1/delete", "", 404},
		{"GET", "/invite/nope", "", 404},
		{"GET", "/signin", "", 200},
		{"DELETE", "/api/v1/series", "", 405},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(tt.method, tt.url, strings.NewReader(tt.body))
		if tt.method == "POST" {
			authorize(t, st, req)
		}
		w := do(t, s, req)
		if w.Code != tt.want {
			t.Errorf("%s %s: %d, want %d: %s", tt.method, tt.url, w.Code, tt.want, w.Body)
		}
		if strings.HasPrefix(tt.url, "/api/") && w.Code >= 400 {
			var e map[string]string
			if json.Unmarshal(w.Body.Bytes(), &e) != nil || e["error"] == "" {
				t.Errorf("%s %s: API error without a JSON reason: %s", tt.method, tt.url, w.Body)
			}
		}
	}
}

func TestUploadTooLargeForm(t *testing.T) {
	s, st := newTestServer(t, Options{MaxUpload: 1024})
	body, ct := multipartBody(t, "mbox", bytes.Repeat([]byte("x"), 4096))
	req := httptest.NewRequest("POST", "/upload", body)
	req.Header.Set("Content-Type", ct)
	authorize(t, st, req)
	if w := do(t, s, req); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversize form upload: %d", w.Code)
	}
}

func TestCrossOriginFormRejected(t *testing.T) {
	s, st := newTestServer(t, Options{})
	body, ct := multipartBody(t, "mbox", readFixture(t, fixture))
	req := httptest.NewRequest("POST", "/upload", body)
	req.Header.Set("Content-Type", ct)
	authorize(t, st, req)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	if w := do(t, s, req); w.Code != http.StatusForbidden {
		t.Errorf("cross-origin upload: %d, want 403", w.Code)
	}
	req = httptest.NewRequest("POST", "/api/v1/mbox", bytes.NewReader(readFixture(t, fixture)))
	req.Header.Set("Content-Type", "application/mbox")
	authorize(t, st, req)
	req.Header.Set("Origin", "https://evil.example")
	w := do(t, s, req)
	var e struct{ Error string }
	decode(t, w, &e)
	if w.Code != http.StatusForbidden || !strings.Contains(e.Error, "cross-origin") {
		t.Errorf("cross-origin API POST: %d %q, want 403 with a JSON reason", w.Code, e.Error)
	}
	req = httptest.NewRequest("POST", "/api/v1/mbox", bytes.NewReader(readFixture(t, fixture)))
	req.Header.Set("Content-Type", "application/mbox")
	authorize(t, st, req)
	if w := do(t, s, req); w.Code != http.StatusOK {
		t.Errorf("API POST without Origin (curl): %d, want 200", w.Code)
	}
}

func TestHostileTextIsEscaped(t *testing.T) {
	s, st := newTestServer(t, Options{})
	if _, err := st.IngestBytes(context.Background(), readFixture(t, "testdata/xss.mbox"), "test", nil); err != nil {
		t.Fatal(err)
	}
	for _, url := range []string{"/", "/series/1", "/patches/1", "/?q=%3Cscript%3E"} {
		body := get(t, s, url).Body.String()
		for _, bad := range []string{"<script>alert", "<img src=x", `"><img`} {
			if strings.Contains(body, bad) {
				t.Errorf("%s renders %q unescaped", url, bad)
			}
		}
		if url == "/patches/1" && !strings.Contains(body, "&lt;script&gt;alert(6)") {
			t.Errorf("%s: the reply's text is missing, not just escaped", url)
		}
	}
}

func TestWebhook(t *testing.T) {
	const secret = "hook-secret"
	kick := make(chan struct{}, 1)
	s, st := newTestServer(t, Options{WebhookSecret: secret, Kick: kick, MaxUpload: 64 << 10})
	raws := splitFixture(t)
	post := func(body []byte, sig string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/api/v1/inbound", bytes.NewReader(body))
		req.Header.Set("Content-Type", "message/rfc822")
		if sig != "" {
			req.Header.Set(inbound.SignatureHeader, sig)
		}
		return do(t, s, req)
	}
	if w := post(raws[4], inbound.Sign(secret, raws[4])); w.Code != http.StatusAccepted {
		t.Fatalf("first delivery: %d %s", w.Code, w.Body)
	}
	select {
	case <-kick:
	default:
		t.Error("the queue was not kicked")
	}
	q, _ := st.QueueStatus(context.Background())
	if q.Pending != 1 {
		t.Errorf("accepted message not pending: %+v", q)
	}
	if w := post(raws[4], inbound.Sign(secret, raws[4])); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "duplicate") {
		t.Errorf("repeat delivery: %d %s", w.Code, w.Body)
	}
	if w := post(raws[3], inbound.Sign("wrong", raws[3])); w.Code != http.StatusUnauthorized {
		t.Errorf("bad signature: %d", w.Code)
	}
	if w := post(raws[3], ""); w.Code != http.StatusUnauthorized {
		t.Errorf("no signature: %d", w.Code)
	}
	big := bytes.Repeat([]byte("x"), 128<<10)
	if w := post(big, inbound.Sign(secret, big)); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversize: %d", w.Code)
	}
	junk := []byte("not a mail at all")
	if w := post(junk, inbound.Sign(secret, junk)); w.Code != http.StatusBadRequest {
		t.Errorf("non-mail: %d", w.Code)
	}
	if n, err := st.ProcessPending(context.Background()); n != 1 || err != nil {
		t.Errorf("ProcessPending: %d %v", n, err)
	}
	if q, _ := st.QueueStatus(context.Background()); q.Pending != 0 || q.Done != 1 {
		t.Errorf("after processing: %+v", q)
	}
}

func TestWebhookDisabledWithoutSecret(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	raw := splitFixture(t)[0]
	if w := do(t, s, httptest.NewRequest("POST", "/api/v1/inbound", bytes.NewReader(raw))); w.Code != http.StatusForbidden {
		t.Errorf("no secret configured: %d, want 403", w.Code)
	}
}

func splitFixture(t *testing.T) [][]byte {
	var raws [][]byte
	review.SplitMbox(bytes.NewReader(readFixture(t, fixture)), func(raw []byte) error { raws = append(raws, raw); return nil })
	return raws
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestPatchSentOnBehalf(t *testing.T) {
	s, st := newTestServer(t, Options{})
	raw := "From: Andrew Morton <akpm@example.org>\nSubject: [PATCH] mm: fix writeback\nMessage-ID: <akpm.1@example.org>\nDate: Thu, 1 Jan 2026 10:00:00 +0000\n\n" +
		"From: Hugh Dickins <hughd@example.org>\n\nFix it.\n\nSigned-off-by: Hugh Dickins <hughd@example.org>\n---\n" +
		"diff --git a/mm/x.c b/mm/x.c\n--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1,2 +1,3 @@\n int a;\n+int b;\n int c;\n"
	if _, err := st.IngestMessage(context.Background(), []byte(raw), "test"); err != nil {
		t.Fatal(err)
	}
	page := get(t, s, "/patches/1").Body.String()
	if !strings.Contains(page, "Hugh Dickins &lt;hughd@example.org&gt; (sent by Andrew Morton &lt;akpm@example.org&gt;)") {
		t.Errorf("the patch page does not show the in-body author and the sender")
	}
	if strings.Contains(page, "From: Hugh Dickins") {
		t.Errorf("the in-body From: line is left in the commit message")
	}
}

// TestUploadFormBadRequest posts a form without the "mbox" field and gets
// the upload page back with a 400, the reason, and an HTML content type.
func TestUploadFormBadRequest(t *testing.T) {
	s, st := newTestServer(t, Options{})
	body, ct := multipartBody(t, "file", readFixture(t, fixture))
	req := httptest.NewRequest("POST", "/upload", body)
	req.Header.Set("Content-Type", ct)
	authorize(t, st, req)
	w := do(t, s, req)
	if w.Code != http.StatusBadRequest || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("POST /upload without mbox field: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	if b := w.Body.String(); !strings.Contains(b, `no &#34;mbox&#34; file field`) || !strings.Contains(b, `name="mbox"`) {
		t.Errorf("upload page lacks the reason or the form:\n%s", b)
	}
}
