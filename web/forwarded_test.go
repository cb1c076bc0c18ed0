package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"patchreview/storage"
)

// TestRateLimitKeyIsProxyAppendedXFF: a proxy that appends its own
// X-Forwarded-For line (HAProxy's option forwardfor) leaves the client's
// forged line first; the rate limit must key on the last value over all
// lines, so that forging a new first line on each guess does not reset
// it. Each guess tries another account, so that only the client's key
// can stop them.
func TestRateLimitKeyIsProxyAppendedXFF(t *testing.T) {
	s, st := newTestServer(t, Options{BehindProxy: true})
	ctx := context.Background()
	u, _ := st.AddUser(ctx, "Jane", "jane@example.org", false)
	if err := st.SetPassword(ctx, u.ID, "the right password"); err != nil {
		t.Fatal(err)
	}
	post := func(i int, email, password string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/signin", strings.NewReader(url.Values{"email": {email}, "password": {password}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Add("X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i)) // the client's forged line
		req.Header.Add("X-Forwarded-For", "203.0.113.7")                   // the proxy's own line
		return do(t, s, req)
	}
	for i := range storage.LoginFailLimit {
		if w := post(i, fmt.Sprintf("user%d@example.org", i), "guess"); w.Code != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i, w.Code)
		}
	}
	if w := post(200, "jane@example.org", "the right password"); w.Code != http.StatusTooManyRequests || cookieNamed(w, sessionCookie) != nil {
		t.Errorf("after %d wrong passwords from 203.0.113.7, each with another forged first X-Forwarded-For line: %d, want 429",
			storage.LoginFailLimit, w.Code)
	}
}

// TestSecureCookieFollowsScheme: the session cookie is Secure exactly when
// the request's scheme, as the links say it, is https.
func TestSecureCookieFollowsScheme(t *testing.T) {
	for _, c := range []struct {
		proxy  bool
		proto  string
		secure bool
	}{
		{false, "", false},
		{false, "https", false}, // not believed without --behind-proxy
		{true, "", true},        // a TLS-terminating proxy
		{true, "https", true},
		{true, "http", false}, // the proxy says the client came over http
	} {
		s, st := newTestServer(t, Options{BehindProxy: c.proxy})
		ctx := context.Background()
		u, _ := st.AddUser(ctx, "Jane", "jane@example.org", false)
		if err := st.SetPassword(ctx, u.ID, "the right password"); err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("POST", "/signin", strings.NewReader(url.Values{"email": {"jane@example.org"}, "password": {"the right password"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if c.proto != "" {
			req.Header.Set("X-Forwarded-Proto", c.proto)
		}
		w := do(t, s, req)
		ck := cookieNamed(w, sessionCookie)
		if ck == nil {
			t.Fatalf("proxy %v, X-Forwarded-Proto %q: no session cookie (%d)", c.proxy, c.proto, w.Code)
		}
		if ck.Secure != c.secure {
			t.Errorf("proxy %v, X-Forwarded-Proto %q: Secure %v, want %v", c.proxy, c.proto, ck.Secure, c.secure)
		}
	}
}
