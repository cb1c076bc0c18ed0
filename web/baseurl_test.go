package web

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestForwardedHeadersOnlyBehindProxy: the absolute URLs of the feeds,
// the git-pw face (JSON and Link headers), the public-inbox face's
// redirect, the b4 line and invite links follow X-Forwarded-Proto and
// X-Forwarded-Host with --behind-proxy only; without it a client cannot
// point them elsewhere.
func TestForwardedHeadersOnlyBehindProxy(t *testing.T) {
	forged := map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
	for _, c := range []struct {
		proxy   bool
		headers map[string]string
		want    string
	}{
		{false, nil, "http://example.com"},
		{false, forged, "http://example.com"},
		{true, nil, "https://example.com"}, // a TLS-terminating proxy
		{true, forged, "https://evil.example"},
		{true, map[string]string{"X-Forwarded-Proto": "https, http", "X-Forwarded-Host": "client.example, review.example.org:8443"}, "http://review.example.org:8443"},
		{true, map[string]string{"X-Forwarded-Proto": "gopher", "X-Forwarded-Host": "evil.example/path?"}, "https://example.com"},
	} {
		s, st, _ := facesServerAt(t, nil, Options{BehindProxy: c.proxy})
		_, admin := signIn(t, st, "Admin", "admin@example.org", true)
		_, _, v2p := pwIDs(t, st)
		req := func(method, target string) *httptest.ResponseRecorder {
			r := httptest.NewRequest(method, target, nil)
			for k, v := range c.headers {
				r.Header.Set(k, v)
			}
			r.AddCookie(admin)
			return do(t, s, r)
		}
		name := func(what string) string {
			return what + " (behind proxy " + map[bool]string{false: "no", true: "yes"}[c.proxy] + ", " + c.headers["X-Forwarded-Host"] + ")"
		}

		if body := req("GET", "/shadow/series.atom").Body.String(); !strings.Contains(body, `<link href="`+c.want+`/shadow/series.atom" rel="self"`) {
			t.Errorf("%s: want links to %s:\n%.600s", name("series.atom"), c.want, body)
		}
		if body := req("GET", "/series/1/feed.atom").Body.String(); !strings.Contains(body, `<id>`+c.want+`/series/1/feed.atom</id>`) {
			t.Errorf("%s: want links to %s:\n%.600s", name("feed.atom"), c.want, body)
		}
		w := req("GET", "/api/1.2/patches/?per_page=1")
		if link := w.Header().Get("Link"); !strings.HasPrefix(link, "<"+c.want+"/api/1.2/patches/?") {
			t.Errorf("%s: Link %q, want it under %s", name("git-pw Link"), link, c.want)
		}
		if body := w.Body.String(); !strings.Contains(body, `"url":"`+c.want+`/api/1.2/patches/`) || strings.Contains(body, "evil") != strings.Contains(c.want, "evil") {
			t.Errorf("%s: %.400s", name("git-pw JSON URLs"), body)
		}
		if loc := req("HEAD", "/all/20260112090000.2-ravi%40example.org").Header().Get("Location"); !strings.HasPrefix(loc, c.want+"/all/") {
			t.Errorf("%s: Location %q", name("public-inbox redirect"), loc)
		}
		if body := html.UnescapeString(req("GET", "/patches/"+itoa(int(v2p[0]))).Body.String()); !strings.Contains(body, c.want+"/all/%s") {
			t.Errorf("%s: no midmask under %s", name("b4 line"), c.want)
		}
		r := httptest.NewRequest("POST", "/admin/invites", strings.NewReader(url.Values{"name": {"Jan"}, "email": {"jan@example.org"}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range c.headers {
			r.Header.Set(k, v)
		}
		r.AddCookie(admin)
		if w := do(t, s, r); w.Code != http.StatusOK || !strings.Contains(html.UnescapeString(w.Body.String()), c.want+"/invite/") {
			t.Errorf("%s: %d, no link under %s", name("invite"), w.Code, c.want)
		}
	}
}
