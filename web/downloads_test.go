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

	// git am stops at a cover letter ("No valid patches in input"): the
	// series mbox is the patches, in order; the cover only when asked.
	for _, tc := range []struct {
		url  string
		want []string
	}{
		{"/series/2/mbox", []string{"1/2]", "2/2]"}},
		{"/series/2/mbox?cover=1", []string{"0/2]", "1/2]", "2/2]"}},
	} {
		w := get(t, s, tc.url)
		var subjects []string
		review.SplitMbox(bytes.NewReader(w.Body.Bytes()), func(raw []byte) error {
			m, err := review.ParseMessage(raw)
			if err == nil {
				subjects = append(subjects, m.Subject.Raw)
			}
			return nil
		})
		if w.Code != 200 || w.Header().Get("Content-Type") != "application/mbox" || len(subjects) != len(tc.want) {
			t.Errorf("%s: %d, subjects %q (want %q)", tc.url, w.Code, subjects, tc.want)
			continue
		}
		for i, sfx := range tc.want {
			if !strings.Contains(subjects[i], sfx) {
				t.Errorf("%s: mail %d is %q, want [... %s", tc.url, i, subjects[i], sfx)
			}
		}
	}
	var api struct {
		Collected []review.Trailer `json:"collected_trailers"`
	}
	decode(t, get(t, s, "/api/v1/patches/3"), &api)
	if len(api.Collected) != 1 || api.Collected[0].Value != "Jan Kara <jack@example.org>" {
		t.Errorf("API collected_trailers %+v", api.Collected)
	}
	// Jan cannot give Andrew's ack: listed, not applied
	st.IngestMessage(context.Background(), []byte("From: Jan Kara <jack@example.org>\nSubject: Re: [PATCH v2 1/2]\nMessage-ID: <r2@example.org>\nIn-Reply-To: <20260112090000.1-ravi@example.org>\nDate: Wed, 14 Jan 2026 11:00:00 +0000\n\nAcked-by: Andrew Morton <akpm@example.org>\n"), "test")
	var api2 struct {
		Collected  []review.Trailer `json:"collected_trailers"`
		NotApplied []struct {
			Key, Value, Sender string
		} `json:"not_applied_trailers"`
	}
	decode(t, get(t, s, "/api/v1/patches/3"), &api2)
	if len(api2.Collected) != 1 || len(api2.NotApplied) != 1 || api2.NotApplied[0].Sender != "Jan Kara <jack@example.org>" {
		t.Errorf("API: collected %+v, not applied %+v", api2.Collected, api2.NotApplied)
	}
	if page := get(t, s, "/patches/3").Body.String(); !strings.Contains(page, "Not applied, not from the sender") {
		t.Errorf("the patch page does not list the trailer not applied")
	}
	if strings.Contains(get(t, s, "/patches/3/mbox?trailers=1").Body.String(), "Acked-by: Andrew Morton") {
		t.Errorf("a trailer not from its sender went into the am-ready mbox")
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
	if body := w.Body.String(); !strings.Contains(body, "compared with: <a href=\"/patches/1\">[PATCH 1/2]") || !strings.Contains(body, "This version: <a href=\"/patches/3\">[PATCH v2 1/2]") {
		t.Errorf("the interdiff page does not name both patches")
	}
	if !strings.Contains(get(t, s, "/series/2").Body.String(), `href="/patches/3/interdiff"`) {
		t.Errorf("series page has no interdiff link")
	}
	if w := get(t, s, "/patches/1/interdiff"); w.Code != 404 {
		t.Errorf("v1 has no previous version: %d", w.Code)
	}
}

// A reply with a diff shows it under the reply as a suggested change, and
// the series keeps its patches only.
func TestSuggestedChangeUnderReply(t *testing.T) {
	s, st := newTestServer(t, Options{})
	st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil)
	reply := "From: Jan Kara <jack@example.org>\nSubject: Re: [PATCH v2 1/2]\nMessage-ID: <r1@example.org>\nIn-Reply-To: <20260112090000.1-ravi@example.org>\nDate: Wed, 14 Jan 2026 10:00:00 +0000\n\nSimpler:\n\ndiff --git a/fs/shadowfs/aops.c b/fs/shadowfs/aops.c\n--- a/fs/shadowfs/aops.c\n+++ b/fs/shadowfs/aops.c\n@@ -1,2 +1,3 @@\n a\n+b\n c\n"
	st.IngestMessage(context.Background(), []byte(reply), "test")
	body := get(t, s, "/patches/3").Body.String()
	if !strings.Contains(body, "Suggested change") || !strings.Contains(body, "<code>fs/shadowfs/aops.c</code>") {
		t.Errorf("the patch page does not show the reply's diff as a suggested change")
	}
	var n int
	review.SplitMbox(bytes.NewReader(get(t, s, "/series/2/mbox").Body.Bytes()), func([]byte) error { n++; return nil })
	if n != 2 {
		t.Errorf("series mbox has %d mails, want its 2 patches", n)
	}
}
