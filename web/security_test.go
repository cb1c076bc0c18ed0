package web

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"patchreview/web/inbound"
)

// The tests here back the README's security table, one attack each.

func TestSecurityHeadersEverywhere(t *testing.T) {
	s, st := newTestServer(t, Options{})
	st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil)
	for _, path := range []string{"/", "/patches/4", "/series/2", "/messages/1/raw", "/patches/4/mbox", "/static/style.css",
		"/static/diffview/review.js", "/api/v1/status", "/nowhere", "/signin"} {
		h := get(t, s, path).Header()
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "default-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline or eval: %q", path, csp)
		}
		if h.Get("X-Frame-Options") != "DENY" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" {
			t.Errorf("%s: headers %v", path, h)
		}
	}
	// No inline script anywhere the CSP would have to allow.
	for _, path := range []string{"/", "/patches/4", "/series/2", "/signin", "/rules"} {
		body := get(t, s, path).Body.String()
		if strings.Contains(body, "<script>") || strings.Contains(body, " onclick=") || strings.Contains(body, " style=") {
			t.Errorf("%s has inline script or style", path)
		}
	}
}

func TestNoDirectoryListing(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	for _, path := range []string{"/static/", "/static/diffview/", "/static/diffview/../", "/static/diffview/%2e%2e/"} {
		if w := get(t, s, path); w.Code != http.StatusNotFound || strings.Contains(w.Body.String(), "review.js") {
			t.Errorf("%s: %d, lists files", path, w.Code)
		}
	}
	if w := get(t, s, "/static/diffview/review.js"); w.Code != 200 {
		t.Errorf("a static file: %d", w.Code)
	}
}

func TestCommentMarkdownImageIsALink(t *testing.T) {
	s, st := newTestServer(t, Options{})
	st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil)
	_, c := signIn(t, st, "Jan Kara", "jack@example.org", false)
	postForm(t, s, "/patches/4/comments", url.Values{"body": {"see ![t](http://evil.example/pixel.png) and <b>this</b> too"}}, c)
	page := get(t, s, "/patches/4").Body.String()
	if strings.Contains(page, `<img src="http://evil.example`) || !strings.Contains(page, `href="http://evil.example/pixel.png">image: t</a>`) {
		t.Errorf("a Markdown image in a comment loads from another host")
	}
	if !strings.Contains(page, "and &lt;b&gt;this&lt;/b&gt; too") {
		t.Errorf("raw HTML in a comment is not shown escaped with the text after it")
	}
}

// TestVerdictCannotImpersonate: a verdict posted with another name lands
// with the account's name, in the page and in mbox?trailers=1.
func TestVerdictCannotImpersonate(t *testing.T) {
	s, st := newTestServer(t, Options{})
	st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil)
	if w := postForm(t, s, "/patches/4/verdict", url.Values{"kind": {"Reviewed-by"}, "name": {"Linus Torvalds"}, "email": {"torvalds@example.org"}}, nil); w.Code != http.StatusUnauthorized {
		t.Errorf("verdict without an account: %d", w.Code)
	}
	_, c := signIn(t, st, "Mallory", "mallory@example.org", false)
	postForm(t, s, "/patches/4/verdict", url.Values{"kind": {"Reviewed-by"}, "name": {"Linus Torvalds"}, "email": {"torvalds@example.org"}}, c)
	am := get(t, s, "/patches/4/mbox?trailers=1").Body.String()
	if strings.Contains(am, "Torvalds") || !strings.Contains(am, "Reviewed-by: Mallory <mallory@example.org>") {
		t.Errorf("trailer not signed by the account")
	}
}

func TestMailgunReplayRefusedAfterRestart(t *testing.T) {
	const secret = "hook-secret"
	s, st := newTestServer(t, Options{WebhookSecret: secret})
	raws := splitFixture(t)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts + "tok-1"))
	sig := hex.EncodeToString(m.Sum(nil))
	post := func(s *Server, body []byte) int {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range map[string]string{"body-mime": string(body), "timestamp": ts, "token": "tok-1", "signature": sig} {
			mw.WriteField(k, v)
		}
		mw.Close()
		req := httptest.NewRequest("POST", "/api/v1/inbound", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return do(t, s, req).Code
	}
	if code := post(s, raws[3]); code != http.StatusAccepted {
		t.Fatalf("first delivery: %d", code)
	}
	restarted, err := NewServer(st, slog.New(slog.DiscardHandler), Options{WebhookSecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	if code := post(restarted, raws[4]); code != http.StatusUnauthorized {
		t.Errorf("the same token with another body after a restart: %d, want 401", code)
	}
}

func TestWebhookRawWithCurlDefaultType(t *testing.T) {
	const secret = "hook-secret"
	s, _ := newTestServer(t, Options{WebhookSecret: secret})
	raw := splitFixture(t)[4]
	for _, ct := range []string{"", "application/x-www-form-urlencoded"} {
		req := httptest.NewRequest("POST", "/api/v1/inbound", bytes.NewReader(raw))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		req.Header.Set(inbound.SignatureHeader, inbound.Sign(secret, raw))
		if w := do(t, s, req); w.Code != http.StatusAccepted && w.Code != http.StatusOK {
			t.Errorf("raw mail with Content-Type %q: %d %s", ct, w.Code, w.Body)
		}
	}
}

func TestOwnershipOverHTTP(t *testing.T) {
	s, st := newTestServer(t, Options{})
	st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil)
	_, jan := signIn(t, st, "Jan Kara", "jack@example.org", false)
	_, mal := signIn(t, st, "Mallory", "mallory@example.org", false)
	_, admin := signIn(t, st, "Admin", "admin@example.org", true)
	postForm(t, s, "/patches/4/verdict", url.Values{"kind": {"Acked-by"}}, jan)
	p, _ := st.PatchByID(context.Background(), 4)
	vid := strconv.FormatInt(p.Verdicts[0].ID, 10)
	if w := postForm(t, s, "/verdicts/"+vid+"/delete", nil, mal); w.Code != http.StatusForbidden {
		t.Errorf("withdraw another's verdict: %d", w.Code)
	}
	if page := html.UnescapeString(getWith(t, s, "/patches/4", mal)); strings.Contains(page, "/verdicts/"+vid+"/delete") {
		t.Errorf("another account is offered withdraw")
	}
	if page := getWith(t, s, "/patches/4", admin); !strings.Contains(page, "/verdicts/"+vid+"/delete") {
		t.Errorf("an admin is not offered withdraw")
	}
	if w := postForm(t, s, "/verdicts/"+vid+"/delete", nil, jan); w.Code != http.StatusSeeOther {
		t.Errorf("withdraw own verdict: %d", w.Code)
	}
}
