package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// A sign-in's next= stays on this site, whatever a browser would make of
// it: tabs and newlines are dropped by browsers, a backslash is a slash.
func TestSafeNextStaysOnSite(t *testing.T) {
	for next, want := range map[string]string{
		"/series/1?x=y#c":  "/series/1?x=y#c",
		"/":                "/",
		"":                 "/",
		"https://evil.org": "/",
		"//evil.org":       "/",
		"/\\evil.org":      "/",
		"/\t/evil.org":     "/",
		"/\n/evil.org":     "/",
		"/\r\n/evil.org":   "/",
		"\t//evil.org":     "/",
		"/%09/evil.org":    "/%09/evil.org", // percent-encoded: a path on this site
		"/a\\b":            "/",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

// The redirect after signing in with a next= that a browser would turn
// into //evil.org goes home instead.
func TestSigninRedirectStaysOnSite(t *testing.T) {
	s, st := newTestServer(t, Options{})
	u, err := st.AddUser(t.Context(), "Ann", "ann@example.org", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetPassword(t.Context(), u.ID, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"email": {"ann@example.org"}, "password": {"correct horse battery"}, "next": {"/\t/evil.org"}}
	req := httptest.NewRequest(http.MethodPost, "/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := do(t, s, req)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/" {
		t.Errorf("sign-in with next=/<TAB>/evil.org: %d, Location %q; want 303 to /", w.Code, w.Header().Get("Location"))
	}
}
