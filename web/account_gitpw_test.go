package web

import (
	"strings"
	"testing"
)

// TestAccountSaysGitPWToken: the token section tells a git-pw user where
// the token goes (git config pw.token), not only the JSON API's Bearer.
func TestAccountSaysGitPWToken(t *testing.T) {
	s, st := newTestServer(t, Options{})
	_, c := signIn(t, st, "Jan Kara", "jack@example.org", false)
	page := getWith(t, s, "/account", c)
	if !strings.Contains(page, "Authorization: Bearer") || !strings.Contains(page, "git config pw.token") || !strings.Contains(page, "pw.server") {
		t.Errorf("account page: the token section does not say how git-pw takes a token\n%s", page)
	}
	if strings.Contains(page, "(b4, a script") {
		t.Errorf("account page suggests a token for b4, which takes none")
	}
}
