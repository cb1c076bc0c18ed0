package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestCommentMustBeOnTheDiff: a comment on a file or line the patch does
// not show is refused with a reason, not stored as a general remark.
func TestCommentMustBeOnTheDiff(t *testing.T) {
	s, st := newTestServer(t, Options{})
	if _, err := st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil); err != nil {
		t.Fatal(err)
	}
	_, cookie := signIn(t, st, "Hugh Dickins", "hughd@example.org", false)
	bad := []struct {
		form   url.Values
		reason string
	}{
		{url.Values{"path": {"fs/nope.c"}, "line": {"26"}}, "fs/nope.c"},
		{url.Values{"path": {"fs/shadowfs/aops.c"}, "line": {"999999"}}, "999999"},
		{url.Values{"path": {"fs/shadowfs/aops.c"}, "line": {"999999"}, "side": {"old"}}, "999999"},
		{url.Values{"path": {"fs/shadowfs/aops.c"}}, "line"},
		{url.Values{"line": {"26"}}, "path"},
	}
	for _, b := range bad {
		b.form.Set("body", "a remark")
		w := postForm(t, s, "/patches/4/comments", b.form, cookie)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), b.reason) {
			t.Errorf("comment %v: %d %q, want 400 naming %q", b.form, w.Code, w.Body.String(), b.reason)
		}
	}
	if web := webComments(t, s, "/api/v1/patches/4"); len(web) != 0 {
		t.Errorf("refused comments were stored: %+v", web)
	}
	good := []url.Values{
		{"body": {"general"}},
		{"body": {"on a line"}, "path": {"fs/shadowfs/aops.c"}, "line": {"26"}},
	}
	for _, g := range good {
		if w := postForm(t, s, "/patches/4/comments", g, cookie); w.Code != http.StatusSeeOther {
			t.Errorf("comment %v: %d %s", g, w.Code, w.Body)
		}
	}
	// comment times say their zone
	if page := getWith(t, s, "/patches/4", cookie); !regexp.MustCompile(`<time>\d{4}-\d\d-\d\d \d\d:\d\d UTC</time>`).MatchString(page) {
		t.Errorf("comment time without its zone")
	}
}
