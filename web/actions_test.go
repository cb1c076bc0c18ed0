package web

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"patchreview/storage"
)

// postForm posts a form with an optional cookie and returns the response.
func postForm(t *testing.T, s *Server, path string, form url.Values, cookie *http.Cookie) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if cookie != nil {
		req.AddCookie(cookie)
	}
	return do(t, s, req)
}

func getWith(t *testing.T, s *Server, path string, cookie *http.Cookie) string {
	req := httptest.NewRequest("GET", path, nil)
	if cookie != nil {
		req.AddCookie(cookie)
	}
	return do(t, s, req).Body.String()
}

// signIn makes an account and returns it with a session cookie for it.
func signIn(t *testing.T, st *storage.Store, name, email string, admin bool) (*storage.User, *http.Cookie) {
	t.Helper()
	ctx := context.Background()
	u, err := st.AddUser(ctx, name, email, admin)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := st.CreateSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return u, &http.Cookie{Name: sessionCookie, Value: tok}
}

func TestCommentFlow(t *testing.T) {
	s, st := newTestServer(t, Options{})
	if _, err := st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil); err != nil {
		t.Fatal(err)
	}
	_, cookie := signIn(t, st, "Hugh Dickins", "hughd@example.org", false)
	_, mallory := signIn(t, st, "Mallory", "mallory@example.org", false)
	// Without JS: the line number links to ?comment=anchor, which opens the form there.
	page := getWith(t, s, "/patches/4?comment=f1-n26", cookie)
	if !strings.Contains(page, `name="line" value="26"`) || !strings.Contains(page, "Comment on fs/shadowfs/aops.c:26") {
		t.Fatalf("no comment form under line 26")
	}
	if strings.Contains(get(t, s, "/patches/4?comment=f1-n26").Body.String(), "Comment on fs/shadowfs/aops.c:26") {
		t.Errorf("a signed-out reader gets a comment form")
	}
	form := url.Values{"path": {"fs/shadowfs/aops.c"}, "line": {"26"}, "code": {"\t\tset_page_dirty(page);"},
		"body": {"You need to `unlock_page`, don't you?\r\n\r\n<script>alert(1)</script>"}}
	if w := postForm(t, s, "/patches/4/comments", form, nil); w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "sign in") {
		t.Errorf("comment without signing in: %d", w.Code)
	}
	// A name and email in the form sign nothing: the account does.
	form.Set("name", "Linus Torvalds")
	form.Set("email", "torvalds@example.org")
	w := postForm(t, s, "/patches/4/comments", form, cookie)
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/patches/4#comment-") {
		t.Fatalf("comment post: %d %s", w.Code, w.Body)
	}
	cid := strings.TrimPrefix(w.Header().Get("Location"), "/patches/4#comment-")
	page = getWith(t, s, "/patches/4", cookie)
	if !strings.Contains(page, "<code>unlock_page</code>") || strings.Contains(page, "<script>alert(1)") {
		t.Errorf("comment not rendered as safe Markdown")
	}
	if !strings.Contains(page, "as Hugh Dickins &lt;hughd@example.org&gt;") || !strings.Contains(page, `action="/comments/`+cid+`/edit"`) {
		t.Errorf("the author is not offered edit")
	}
	if !strings.Contains(page, "</details>\n<form method=\"post\" action=\"/comments/"+cid+"/delete\" class=\"dv-delete\">") || strings.Contains(page, "Linus") {
		t.Errorf("delete hidden inside edit, or the form's name signed the comment")
	}
	for _, other := range []*http.Cookie{nil, mallory} {
		if page := getWith(t, s, "/patches/4", other); strings.Contains(page, `action="/comments/`+cid+`/edit"`) {
			t.Errorf("a stranger (%v) is offered edit", other)
		}
	}
	if w := postForm(t, s, "/comments/"+cid+"/edit", url.Values{"body": {"hijacked"}}, nil); w.Code != http.StatusUnauthorized {
		t.Errorf("edit signed out: %d", w.Code)
	}
	// The old attack: another account (or a forged cookie naming the author) edits or deletes.
	forged := &http.Cookie{Name: "reviewer", Value: url.QueryEscape("Hugh Dickins <hughd@example.org>")}
	for _, c := range []*http.Cookie{mallory, forged} {
		if w := postForm(t, s, "/comments/"+cid+"/edit", url.Values{"body": {"hijacked"}}, c); w.Code != http.StatusForbidden && w.Code != http.StatusUnauthorized {
			t.Errorf("edit by %s: %d", c.Name, w.Code)
		}
		if w := postForm(t, s, "/comments/"+cid+"/delete", nil, c); w.Code != http.StatusForbidden && w.Code != http.StatusUnauthorized {
			t.Errorf("delete by %s: %d", c.Name, w.Code)
		}
	}
	if w := postForm(t, s, "/comments/"+cid+"/edit", url.Values{"body": {"Or move the out label up."}}, cookie); w.Code != http.StatusSeeOther {
		t.Errorf("edit by the author: %d %s", w.Code, w.Body)
	}
	web := webComments(t, s, "/api/v1/patches/4")
	if len(web) != 1 || web[0].Line != 26 || web[0].Body != "Or move the out label up." {
		t.Errorf("API web comments %+v", web)
	}
	if w := postForm(t, s, "/comments/"+cid+"/delete", nil, cookie); w.Code != http.StatusSeeOther {
		t.Errorf("delete: %d", w.Code)
	}
	if web := webComments(t, s, "/api/v1/patches/4"); len(web) != 0 {
		t.Errorf("comment survived deletion")
	}
	for _, bad := range []url.Values{{"body": {" "}}, {"body": {"x"}, "line": {"x"}}, {"body": {"x"}, "side": {"left"}}} {
		if w := postForm(t, s, "/patches/4/comments", bad, cookie); w.Code != http.StatusBadRequest {
			t.Errorf("bad comment %v: %d", bad, w.Code)
		}
	}
}

func TestDismissAndVerdict(t *testing.T) {
	s, st := newTestServer(t, Options{})
	st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil)
	_, me := signIn(t, st, "Jan Kara", "jack@example.org", false)
	_, other := signIn(t, st, "Linus Torvalds", "torvalds@example.org", false)
	_, admin := signIn(t, st, "Admin", "admin@example.org", true)
	form := func(extra url.Values) url.Values { return extra }
	if w := postForm(t, s, "/findings/1/dismiss", form(url.Values{"reason": {"intended"}, "note": {"ACTIVATE path"}}), nil); w.Code != http.StatusUnauthorized {
		t.Errorf("dismiss signed out: %d", w.Code)
	}
	if w := postForm(t, s, "/findings/1/dismiss", form(url.Values{"reason": {"intended"}, "note": {"ACTIVATE path"}}), me); w.Code != http.StatusSeeOther {
		t.Fatalf("dismiss: %d %s", w.Code, w.Body)
	}
	page := get(t, s, "/patches/4").Body.String()
	if !strings.Contains(page, "Dismissed as intended by Jan Kara") || !strings.Contains(page, `dv-sev-error dv-dismissed" id="finding-1"`) {
		t.Errorf("dismissed finding not shown muted with its reason")
	}
	if w := postForm(t, s, "/findings/1/dismiss", form(url.Values{"reason": {"dunno"}}), me); w.Code != http.StatusBadRequest {
		t.Errorf("bad reason: %d", w.Code)
	}
	// Restoring someone else's dismissal: refused signed out and to another account.
	if w := postForm(t, s, "/findings/1/restore", nil, nil); w.Code != http.StatusUnauthorized {
		t.Errorf("restore signed out: %d", w.Code)
	}
	if w := postForm(t, s, "/findings/1/restore", nil, other); w.Code != http.StatusForbidden {
		t.Errorf("restore by another account: %d", w.Code)
	}
	if !strings.Contains(get(t, s, "/patches/4").Body.String(), "Dismissed as intended by Jan Kara") {
		t.Errorf("a refused restore restored")
	}
	if w := postForm(t, s, "/findings/1/restore", nil, admin); w.Code != http.StatusSeeOther {
		t.Errorf("restore by an admin: %d", w.Code)
	}
	if strings.Contains(get(t, s, "/patches/4").Body.String(), "Dismissed as") {
		t.Errorf("restored finding still dismissed")
	}
	if w := postForm(t, s, "/patches/4/verdict", form(url.Values{"kind": {"Reviewed-by"}}), me); w.Code != http.StatusSeeOther {
		t.Fatalf("verdict: %d %s", w.Code, w.Body)
	}
	if w := postForm(t, s, "/series/2/verdict", form(url.Values{"kind": {"Acked-by"}}), me); w.Code != http.StatusSeeOther {
		t.Fatalf("series verdict: %d %s", w.Code, w.Body)
	}
	page = get(t, s, "/patches/4").Body.String()
	for _, want := range []string{"Reviewed-by: Jan Kara &lt;jack@example.org&gt;", "Acked-by: Jan Kara &lt;jack@example.org&gt;</code> (on the series)"} {
		if !strings.Contains(page, want) {
			t.Errorf("patch page lacks verdict %q", want)
		}
	}
	series := html.UnescapeString(get(t, s, "/series/2").Body.String())
	if !strings.Contains(series, "<code>Acked-by: Jan Kara <jack@example.org></code>") || !strings.Contains(series, "<code>Reviewed-by: Jan Kara <jack@example.org></code><br>") {
		t.Errorf("series page lacks the series verdict or the patch's verdict")
	}
	if rule := get(t, s, "/rules/lower-writepage-double-unlock").Body.String(); !strings.Contains(rule, `href="/patches/4#finding-1"`) {
		t.Errorf("rule page does not link to the finding's anchor")
	}
	if w := postForm(t, s, "/patches/4/verdict", form(url.Values{"kind": {"Liked-by"}}), me); w.Code != http.StatusBadRequest {
		t.Errorf("bad verdict kind: %d", w.Code)
	}
	if w := postForm(t, s, "/findings/99/dismiss", form(url.Values{"reason": {"intended"}}), me); w.Code != http.StatusNotFound {
		t.Errorf("missing finding: %d", w.Code)
	}
}

type apiComment struct {
	Line               int
	Code, Body, Source string
}

// webComments returns the comments typed in the web page (the fixture's
// list reply adds anchored list comments too).
func webComments(t *testing.T, s *Server, url string) []apiComment {
	var api struct{ Comments []apiComment }
	decode(t, get(t, s, url), &api)
	var out []apiComment
	for _, c := range api.Comments {
		if c.Source == "web" {
			out = append(out, c)
		}
	}
	return out
}

// The dismiss form and the restore button show only to whom may use them
// (regression: signed-out readers saw both, and posting gave a 401;
// another account saw "restore" on a dismissal it may not restore).
func TestFindingControlsOnlyForWhoMayUse(t *testing.T) {
	s, st := newTestServer(t, Options{})
	st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil)
	_, me := signIn(t, st, "Jan Kara", "jack@example.org", false)
	_, other := signIn(t, st, "Linus Torvalds", "torvalds@example.org", false)
	_, admin := signIn(t, st, "Admin", "admin@example.org", true)
	const dismiss, restore = `action="/findings/1/dismiss"`, `action="/findings/1/restore"`
	if page := getWith(t, s, "/patches/4", nil); !strings.Contains(page, `id="finding-1"`) || strings.Contains(page, dismiss) {
		t.Errorf("signed out: finding-1 shown %v, dismiss form shown %v", strings.Contains(page, `id="finding-1"`), strings.Contains(page, dismiss))
	}
	if page := getWith(t, s, "/patches/4", other); !strings.Contains(page, dismiss) {
		t.Error("signed in: no dismiss form")
	}
	if w := postForm(t, s, "/findings/1/dismiss", url.Values{"reason": {"intended"}}, me); w.Code != http.StatusSeeOther {
		t.Fatalf("dismiss: %d %s", w.Code, w.Body)
	}
	for who, c := range map[string]*http.Cookie{"signed out": nil, "another account": other, "the dismisser": me, "an admin": admin} {
		page := getWith(t, s, "/patches/4", c)
		if !strings.Contains(page, "Dismissed as intended by Jan Kara") {
			t.Errorf("%s: dismissal not shown", who)
		}
		may := c == me || c == admin
		if strings.Contains(page, restore) != may || strings.Contains(page, dismiss) {
			t.Errorf("%s: restore shown %v, want %v; dismiss form shown %v", who, strings.Contains(page, restore), may, strings.Contains(page, dismiss))
		}
	}
}
