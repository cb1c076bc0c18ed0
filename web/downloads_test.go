package web

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"patchreview/review"
)

func TestReplyByEmail(t *testing.T) {
	s, st := newTestServer(t, Options{})
	st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil)
	_, cookie := signIn(t, st, "Jan Kara", "jack@example.org", false)
	postForm(t, s, "/patches/4/comments", url.Values{
		"path": {"fs/shadowfs/aops.c"}, "line": {"28"}, "body": {"Still locked here: unlock the page before returning."}}, cookie)
	postForm(t, s, "/patches/4/verdict", url.Values{"kind": {"Reviewed-by"}}, cookie)

	if w := get(t, s, "/patches/4/reply"); w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "/signin") {
		t.Errorf("signed out, the reply page must ask to sign in: %d", w.Code)
	}
	if w := get(t, s, "/patches/4/reply.eml"); w.Code != http.StatusUnauthorized {
		t.Errorf(".eml signed out: %d", w.Code)
	}
	page := html.UnescapeString(getWith(t, s, "/patches/4/reply", cookie))
	for _, want := range []string{"On Mon, 12 Jan 2026 09:00:02 +0000, Ravi Iyer wrote:", "> +\t\treturn 0;",
		"Still locked here", "[lower-writepage-double-unlock]", "Reviewed-by: Jan Kara <jack@example.org>"} {
		if !strings.Contains(page, want) {
			t.Errorf("reply page lacks %q", want)
		}
	}
	req := httptest.NewRequest("GET", "/patches/4/reply.eml", nil)
	req.AddCookie(cookie)
	w := do(t, s, req)
	if w.Code != 200 || w.Header().Get("Content-Type") != "message/rfc822" || !strings.Contains(w.Header().Get("Content-Disposition"), "attachment") {
		t.Fatalf(".eml: %d %v", w.Code, w.Header())
	}
	m, err := review.ParseMessage(w.Body.Bytes())
	if err != nil || m.InReplyTo != "20260112090000.2-ravi@example.org" || m.From.Email != "jack@example.org" || !strings.HasPrefix(m.Subject.Raw, "Re: ") {
		t.Fatalf("the .eml is not a threaded reply: %v %+v", err, m)
	}
	// The list reads our reply back: the comment anchors on the line it was written for.
	p, _ := st.PatchByID(context.Background(), 4)
	cs := review.Anchor(review.ParseReply(m.Body), review.DiffTargets(p.Message.Message.Patch.Files))
	ok := false
	for _, c := range cs {
		ok = ok || strings.HasPrefix(c.Body, "Still locked here") && c.Line == 28
	}
	if !ok {
		t.Errorf("our own reply does not anchor back on line 28: %+v", cs)
	}
}

func TestMboxDownloads(t *testing.T) {
	s, st := newTestServer(t, Options{})
	st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil)
	reply := "From: Jan Kara <jack@example.org>\nSubject: Re: [PATCH v2 1/2]\nMessage-ID: <r1@example.org>\nIn-Reply-To: <20260112090000.1-ravi@example.org>\nDate: Wed, 14 Jan 2026 10:00:00 +0000\n\nReviewed-by: Jan Kara <jack@example.org>\n"
	st.IngestMessage(context.Background(), []byte(reply), "test")

	w := get(t, s, "/series/2/mbox")
	var n int
	review.SplitMbox(bytes.NewReader(w.Body.Bytes()), func([]byte) error { n++; return nil })
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/mbox" || n != 3 {
		t.Errorf("series mbox: %d, %d messages (want cover + 2 patches)", w.Code, n)
	}
	var api struct {
		Collected []review.Trailer `json:"collected_trailers"`
	}
	decode(t, get(t, s, "/api/v1/patches/3"), &api)
	if len(api.Collected) != 1 || api.Collected[0].Value != "Jan Kara <jack@example.org>" {
		t.Errorf("API collected_trailers %+v", api.Collected)
	}
	plain := get(t, s, "/patches/3/mbox").Body.String()
	am := get(t, s, "/patches/3/mbox?trailers=1").Body.String()
	if strings.Contains(plain, "Reviewed-by: Jan Kara") || !strings.Contains(am, "Reviewed-by: Jan Kara <jack@example.org>") {
		t.Errorf("am-ready mbox lacks the collected trailer (or the plain one has it)")
	}
	if i, j := strings.Index(am, "Reviewed-by: Jan Kara"), strings.Index(am, "\n---\n"); i < 0 || j < 0 || i > j {
		t.Errorf("trailer not in the commit message, before ---")
	}
	if w := get(t, s, "/series/99/mbox"); w.Code != 404 {
		t.Errorf("missing series mbox: %d", w.Code)
	}
}

func TestInterdiffPage(t *testing.T) {
	s, st := newTestServer(t, Options{})
	st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil)
	w := get(t, s, "/patches/3/interdiff")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "find_or_create_page") || !strings.Contains(w.Body.String(), "grab_cache_page") {
		t.Errorf("interdiff v1→v2 of patch 1: %d, want both the old and the new lookup shown", w.Code)
	}
	if !strings.Contains(get(t, s, "/series/2").Body.String(), `href="/patches/3/interdiff"`) {
		t.Errorf("series page has no interdiff link")
	}
	if w := get(t, s, "/patches/1/interdiff"); w.Code != 404 {
		t.Errorf("v1 has no previous version: %d", w.Code)
	}
}
