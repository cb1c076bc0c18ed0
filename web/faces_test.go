package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"patchreview/review"
	"patchreview/storage"
)

// oddMail has a Message-ID with a '/' and a '+' (escaped as public-inbox
// escapes them) and body lines that mboxrd must quote.
const oddMail = "From: Eve <eve@example.org>\nTo: list@example.org\nSubject: odd ids\n" +
	"Message-ID: <a/b+c@example.org>\nDate: Mon, 19 Jan 2026 10:00:00 +0000\n\n" +
	"From here on the body is tricky\n>From there too\nbye\n"

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func mboxIDs(t *testing.T, mbox string) []string {
	t.Helper()
	var ids []string
	if err := review.SplitMbox(strings.NewReader(mbox), func(raw []byte) error {
		ids = append(ids, review.ReadMessageID(raw))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return ids
}

// withListID gives every mail of an mbox a List-Id header.
func withListID(mbox []byte, listID string) []byte {
	return bytes.ReplaceAll(mbox, []byte("\nMessage-ID: "), []byte("\nList-Id: The list <"+listID+">\nMessage-ID: "))
}

// facesServer holds the shadowfs fixture, which came through the list
// shadow.example.org, and oddMail, which came through no list.
func facesServer(t *testing.T) (*Server, *storage.Store) {
	t.Helper()
	s, st := newTestServer(t, Options{})
	ctx := context.Background()
	if _, err := st.IngestBytes(ctx, withListID(readFixture(t, fixture), "shadow.example.org"), "test", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := st.IngestMessage(ctx, []byte(oddMail), "test"); err != nil {
		t.Fatal(err)
	}
	return s, st
}

func TestPublicInboxMessageURLs(t *testing.T) {
	s, _ := facesServer(t)
	w := get(t, s, "/all/a%2Fb+c@example.org/raw")
	if w.Code != 200 || w.Body.String() != oddMail || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
		t.Errorf("/all/a%%2Fb+c@example.org/raw: %d %q\n%s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	// The list is served under its short name and its List-Id.
	for _, prefix := range []string{"/all/", "/shadow/", "/shadow.example.org/", "/Shadow/"} {
		if w := get(t, s, prefix+"20260112090000.2-ravi@example.org/raw"); w.Code != 200 || !strings.Contains(w.Body.String(), "List-Id: The list <shadow.example.org>") {
			t.Errorf("%s<msgid>/raw: %d\n%s", prefix, w.Code, w.Body)
		}
		// b4 HEADs the midmask URL and takes the list from an absolute Location.
		w = do(t, s, httptest.NewRequest("HEAD", prefix+"20260112090000.2-ravi%40example.org", nil))
		if want := "http://example.com" + prefix + "20260112090000.2-ravi@example.org/"; w.Code != http.StatusFound || w.Header().Get("Location") != want {
			t.Errorf("HEAD %s<msgid>: %d Location %q, want 302 to %q", prefix, w.Code, w.Header().Get("Location"), want)
		}
	}
	for url, want := range map[string]string{
		"/all/20260112090000.2-ravi@example.org/":           "/patches/",
		"/all/20260112090000.0-ravi@example.org/":           "/series/",
		"/all/alpine.LSU.2.00.2601132030.1234@example.org/": "/messages/",
	} {
		if w := get(t, s, url); w.Code != http.StatusFound || !strings.HasPrefix(w.Header().Get("Location"), want) {
			t.Errorf("%s: %d to %q, want a redirect to %s…", url, w.Code, w.Header().Get("Location"), want)
		}
	}
	for url, code := range map[string]int{
		"/all/nobody@example.org/raw":                      404,
		"/all/nobody@example.org/t.mbox.gz":                404,
		"/all/20260112090000.2-ravi@example.org/nonsense":  404,
		"/all/%3C%3E/raw":                                  400,
		"/nosuchlist/20260112090000.2-ravi@example.org/":   404,
		"/shadow/a%2Fb+c@example.org/raw":                  404, // came through no list
		"/shadow.example/a%2Fb+c@example.org/raw":          404,
		"/shadow/20260112090000.2-ravi@example.org/raw?x=": 200,
	} {
		if w := get(t, s, url); w.Code != code {
			t.Errorf("%s: %d, want %d (%s)", url, w.Code, code, w.Body)
		}
	}
}

func TestPublicInboxThreadMbox(t *testing.T) {
	s, _ := facesServer(t)
	w := get(t, s, "/all/alpine.LSU.2.00.2601132030.1234@example.org/t.mbox.gz")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/gzip" {
		t.Fatalf("t.mbox.gz: %d %s %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	mbox := gunzip(t, w.Body.Bytes())
	if !strings.HasPrefix(mbox, "From mboxrd@z Thu Jan  1 00:00:00 1970\n") {
		t.Errorf("not mboxrd: %.80q", mbox)
	}
	// The v2 thread, in arrival order; v1 is another thread.
	want := []string{"20260112090000.0-ravi@example.org", "20260112090000.1-ravi@example.org",
		"20260112090000.2-ravi@example.org", "alpine.LSU.2.00.2601132030.1234@example.org"}
	if got := mboxIDs(t, mbox); !slices.Equal(got, want) {
		t.Errorf("thread holds %v, want %v", got, want)
	}

	w = get(t, s, "/all/a%2Fb+c@example.org/t.mbox.gz")
	mbox = gunzip(t, w.Body.Bytes())
	if !strings.Contains(mbox, "\n>From here on the body is tricky\n>>From there too\n") {
		t.Errorf("body From lines not mboxrd-quoted:\n%s", mbox)
	}
	// Exactly as public-inbox writes it: separator, the mail with one more
	// '>' on each /^>*From / line, a blank line.
	quoted := strings.NewReplacer("\nFrom here", "\n>From here", "\n>From there", "\n>>From there").Replace(oddMail)
	if want := "From mboxrd@z Thu Jan  1 00:00:00 1970\n" + quoted + "\n"; mbox != want {
		t.Errorf("t.mbox.gz of one mail:\n%q\nwant\n%q", mbox, want)
	}
}

func TestPublicInboxSearch(t *testing.T) {
	s, _ := facesServer(t)
	search := func(method, u string) []string {
		t.Helper()
		w := do(t, s, httptest.NewRequest(method, u, nil))
		if w.Code != 200 {
			t.Fatalf("%s %s: %d %s", method, u, w.Code, w.Body)
		}
		return mboxIDs(t, gunzip(t, w.Body.Bytes()))
	}
	const cover, p1, p2, hugh = "20260112090000.0-ravi@example.org", "20260112090000.1-ravi@example.org",
		"20260112090000.2-ravi@example.org", "alpine.LSU.2.00.2601132030.1234@example.org"
	for _, method := range []string{"GET", "POST"} {
		// The full-text search: only the v2 cover letter's subject has the phrase.
		if got := search(method, "/shadow/?x=m&q=s:%22writepage+support%22"); !slices.Equal(got, []string{cover}) {
			t.Errorf("%s s: search found %v, want the v2 cover letter", method, got)
		}
		// t=1: the whole thread of each match, in arrival order.
		if got := search(method, "/shadow/?x=m&t=1&q=s:%22writepage+support%22"); !slices.Equal(got, []string{cover, p1, p2, hugh}) {
			t.Errorf("%s s: search with t=1 found %v, want the v2 thread", method, got)
		}
	}
	if got := search("POST", "/all/?x=m&q=m:a/b%2Bc@example.org"); !slices.Equal(got, []string{"a/b+c@example.org"}) {
		t.Errorf("m: search found %v", got)
	}
	// b: searches bodies, the diff included; a phrase of the cover letter
	// and a function called in the v2 patch only.
	if got := search("POST", "/all/?x=m&q="+url.QueryEscape(`b:"find_or_create_page with GFP_NOFS"`)); !slices.Equal(got, []string{cover}) {
		t.Errorf("b: phrase search found %v, want the cover letter", got)
	}
	if got := search("POST", "/all/?x=m&q="+url.QueryEscape(`b:copy_highpage AND s:v2`)); !slices.Equal(got, []string{p2}) {
		t.Errorf("b: search found %v, want the v2 patch", got)
	}
	if got := search("POST", "/all/?x=m&q="+url.QueryEscape(`b:a_ops AND s:v2`)); !slices.Equal(got, []string{p2, hugh}) {
		t.Errorf("b: search found %v, want the v2 patch and the reply quoting its a_ops line", got)
	}
	// b4 am -c asks for newer revisions with (s:"subject" AND f:"email"),
	// ORed with nq:"change-id: …" when the series has one, and a date bound.
	if got := search("POST", "/all/?x=m&t=1&q="+url.QueryEscape(`(s:"shadowfs: writepage support" AND f:"ravi@example.org")`)); !slices.Equal(got, []string{cover, p1, p2, hugh}) {
		t.Errorf("subject and author search found %v", got)
	}
	b4q := `((s:"shadowfs: writepage support" AND f:"ravi@example.org") OR nq:"change-id: 20260105-shadowfs-1234") AND d:20260105..`
	if got := search("POST", "/all/?x=m&t=1&q="+url.QueryEscape(b4q)); !slices.Equal(got, []string{cover, p1, p2, hugh}) {
		t.Errorf("b4's newer-revision query found %v", got)
	}
	for u, code := range map[string]int{
		"/all/?x=m&q=" + url.QueryEscape(`(s:"shadowfs: writepage support" AND f:"someone@else.org")`):                  404,
		"/all/?x=m&q=" + url.QueryEscape(`(s:"shadowfs: writepage support" AND f:"ravi@example.org") AND d:..20260111`): 404,
		"/all/?x=m&q=" + url.QueryEscape(`s:"writepage support" d:yesterday`):                                           400,
		"/all/?x=m&q=" + url.QueryEscape(`nq:"change-id: 1234"`):                                                        404,
		"/all/?x=m&q=nothing-matches-this":                                                                              404,
		"/all/?x=m":                                                                                                     400,
		"/all/?q=x":                                                                                                     405,
	} {
		if w := do(t, s, httptest.NewRequest("POST", u, nil)); w.Code != code {
			t.Errorf("POST %s: %d, want %d", u, w.Code, code)
		}
	}
}

type atomFeed struct {
	Title   string `xml:"title"`
	Entries []struct {
		Title   string `xml:"title"`
		Content string `xml:"content"`
		Links   []struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

func readAtom(t *testing.T, w *httptest.ResponseRecorder) atomFeed {
	t.Helper()
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("feed: %d %s\n%s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	var f atomFeed
	if err := xml.Unmarshal(w.Body.Bytes(), &f); err != nil {
		t.Fatalf("feed is not XML: %v\n%s", err, w.Body)
	}
	return f
}

func TestFeeds(t *testing.T) {
	s, st := facesServer(t)
	f := readAtom(t, get(t, s, "/all/new.atom"))
	if len(f.Entries) != 7 || f.Entries[0].Title != "odd ids" || f.Entries[0].Links[0].Href != "http://example.com/all/a%2Fb+c@example.org/" {
		t.Errorf("new.atom: %+v", f)
	}
	f = readAtom(t, get(t, s, "/shadow/series.atom"))
	var titles []string
	for _, e := range f.Entries {
		titles = append(titles, e.Title)
	}
	if !slices.Equal(titles, []string{"[v2] shadowfs: writepage support", "[v1] shadowfs: add lower page lookup helper"}) {
		t.Errorf("series.atom titles: %q", titles)
	}

	ctx := context.Background()
	list, _ := st.ListSeries(ctx, storage.SeriesFilter{})
	v2 := list[0].ID
	se, _ := st.SeriesByID(ctx, v2)
	if _, err := st.AddComment(ctx, review.Comment{PatchID: se.PatchList[1].ID, Author: review.Address{Name: "Jan", Email: "jan@example.org"},
		Path: "fs/shadowfs/aops.c", Line: 30, Body: "unlock before returning"}); err != nil {
		t.Fatal(err)
	}
	if err := st.AddVerdict(ctx, review.Verdict{SeriesID: v2, Kind: "Acked-by", Author: review.Address{Name: "Jan", Email: "jan@example.org"}, Note: "fine"}); err != nil {
		t.Fatal(err)
	}
	f = readAtom(t, get(t, s, "/series/"+itoa(int(v2))+"/feed.atom"))
	var kinds []string
	for _, e := range f.Entries {
		kinds = append(kinds, strings.SplitN(e.Title, " on ", 2)[0]+"|"+e.Content)
	}
	if !slices.Contains(kinds, "comment|unlock before returning") || !slices.Contains(kinds, "Acked-by|fine") || !slices.Contains(kinds, "error: lower-writepage-double-unlock|already unlocked") {
		t.Errorf("series feed lacks the web comment or the finding: %q", kinds)
	}
	for url, code := range map[string]int{"/series/999/feed.atom": 404, "/series/x/feed.atom": 400, "/all/series.atom?limit=0": 400} {
		if w := get(t, s, url); w.Code != code {
			t.Errorf("%s: %d, want %d", url, w.Code, code)
		}
	}
}

func TestListNameChecked(t *testing.T) {
	for name, ok := range map[string]bool{"linux-nilfs": true, "linux-nilfs.vger.kernel.org": true, "all": true, "": false,
		"series": false, "a/b": false, "../x": false, "API": false, "signin": false} {
		if err := CheckListName(name); (err == nil) != ok {
			t.Errorf("list name %q: err %v, want ok=%v", name, err, ok)
		}
	}
}

// Two different mails with one Message-ID (a v3 and a v4 cover sent with
// the same id) are both served, as public-inbox serves them: raw gives both
// as an mbox, and the thread holds both with their replies.
func TestPublicInboxTwoMailsOneID(t *testing.T) {
	s, st := newTestServer(t, Options{})
	ctx := context.Background()
	cover := func(v, body string) string {
		return "From: Jan Kara <jack@example.org>\nSubject: [PATCH " + v + " 0/2] ext2: things\nMessage-ID: <one-id@example.org>\nDate: Mon, 5 Jan 2026 10:00:00 +0000\n\n" + body + "\n"
	}
	for _, m := range []string{
		cover("v3", "The third posting."),
		cover("v4", "The fourth posting."),
		"From: Amir <amir@example.org>\nSubject: Re: [PATCH v4 0/2] ext2: things\nMessage-ID: <reply@example.org>\nIn-Reply-To: <one-id@example.org>\nReferences: <one-id@example.org>\nDate: Mon, 5 Jan 2026 11:00:00 +0000\n\nLooks good.\n",
	} {
		if _, err := st.IngestMessage(ctx, []byte(m), "test"); err != nil {
			t.Fatal(err)
		}
	}
	raw := get(t, s, "/all/one-id@example.org/raw")
	if body := raw.Body.String(); raw.Code != 200 || !strings.Contains(body, "The third posting.") || !strings.Contains(body, "The fourth posting.") {
		t.Errorf("raw of a reused Message-ID: %d\n%s", raw.Code, body)
	}
	thread := gunzip(t, get(t, s, "/all/one-id@example.org/t.mbox.gz").Body.Bytes())
	if !strings.Contains(thread, "The third posting.") || !strings.Contains(thread, "The fourth posting.") || !strings.Contains(thread, "Looks good.") {
		t.Errorf("the thread misses a mail:\n%s", thread)
	}
	if one := get(t, s, "/all/reply@example.org/raw").Body.String(); strings.Count(one, "Message-ID:") != 1 {
		t.Errorf("raw of an ordinary mail is not that mail alone:\n%s", one)
	}
}
