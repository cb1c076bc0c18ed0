package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// The search API and the list filter: lore-style prefixes, a list, and a
// 400 with a reason for a search without a query.
func TestSearchAPIAndListFilter(t *testing.T) {
	s, st := newTestServer(t, Options{})
	if _, err := st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil); err != nil {
		t.Fatal(err)
	}
	var res struct {
		Messages []struct {
			ID       int64  `json:"id"`
			SeriesID int64  `json:"series_id"`
			Subject  string `json:"subject"`
		}
	}
	w := get(t, s, "/api/v1/search?q=dfn:fs/shadowfs/aops.c+s:writepage")
	decode(t, w, &res)
	if w.Code != http.StatusOK || len(res.Messages) != 2 || res.Messages[0].SeriesID == 0 {
		t.Errorf("search: %d %+v", w.Code, res)
	}
	if w := get(t, s, "/api/v1/search"); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "missing q") {
		t.Errorf("search without q: %d %s", w.Code, w.Body.String())
	}
	var list struct{ Series []struct{ ID int64 } }
	decode(t, get(t, s, "/api/v1/series?q=m:20260112090000.0-ravi@example.org"), &list)
	if len(list.Series) != 1 {
		t.Errorf("series by Message-ID: %+v", list)
	}
	decode(t, get(t, s, "/api/v1/series?list=no.such.list"), &list)
	if len(list.Series) != 0 {
		t.Errorf("series of an unknown list: %+v", list)
	}
	if w := get(t, s, "/?q=s:writepage&list=x"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "on x") {
		t.Errorf("list page with a list: %d", w.Code)
	}
}

// notMail is a one-patch series by from whose subject is subject.
func notMail(i int, subject, from string) []byte {
	return fmt.Appendf(nil, "From: %s\r\nTo: linux-mm@kvack.org\r\nSubject: [PATCH] %s\r\nDate: Mon, 5 Jan 2026 10:0%d:00 +0000\r\nMessage-ID: <not%d@example.org>\r\n\r\nA change.\r\n\r\nSigned-off-by: %s\r\n---\r\ndiff --git a/f%d.c b/f%d.c\r\n--- a/f%d.c\r\n+++ b/f%d.c\r\n@@ -1 +1 @@\r\n-old\r\n+new\r\n",
		from, subject, i, i, from, i, i, i, i)
}

// NOT, AND NOT, leading NOT, (NOT x) and -x mean the same through every
// search of the web (regression: all but "a NOT b" were dropped, so the
// query meant the opposite); an exclusion as a side of OR is a 400.
func TestSearchNotThroughWeb(t *testing.T) {
	s, st := newTestServer(t, Options{})
	subjects := []string{"mm: folio conversion", "mm: folio cleanup", "fs: folio writeback", "fs: page cache fix"}
	froms := []string{"Matthew Wilcox <willy@infradead.org>", "Jan Kara <jack@suse.cz>", "Jan Kara <jack@suse.cz>", "Matthew Wilcox <willy@infradead.org>"}
	for i := range subjects {
		if _, err := st.IngestMessage(context.Background(), notMail(i, subjects[i], froms[i]), "test"); err != nil {
			t.Fatal(err)
		}
	}
	jack := []string{"fs: folio writeback", "mm: folio cleanup"}
	for _, c := range []struct {
		q    string
		want []string
	}{
		{`s:folio AND f:willy`, []string{"mm: folio conversion"}},
		{`s:folio NOT f:willy`, jack},
		{`s:folio AND NOT f:willy`, jack},
		{`NOT f:willy s:folio`, jack},
		{`s:folio AND (NOT f:willy)`, jack},
		{`s:folio -f:willy`, jack},
		{`NOT f:willy`, jack},
		{`-s:folio`, []string{"fs: page cache fix"}},
	} {
		var res struct{ Messages []struct{ Subject string } }
		w := get(t, s, "/api/v1/search?q="+url.QueryEscape(c.q))
		decode(t, w, &res)
		var got []string
		for _, m := range res.Messages {
			got = append(got, strings.TrimPrefix(m.Subject, "[PATCH] "))
		}
		slices.Sort(got)
		if w.Code != http.StatusOK || !slices.Equal(got, c.want) {
			t.Errorf("/api/v1/search?q=%s: %d %q, want %q", c.q, w.Code, got, c.want)
		}
		w = get(t, s, "/?q="+url.QueryEscape(c.q))
		for _, subj := range subjects {
			if in := strings.Contains(w.Body.String(), subj); in != slices.Contains(c.want, subj) {
				t.Errorf("/?q=%s: %d, lists %q: %v", c.q, w.Code, subj, in)
			}
		}
		w = get(t, s, "/all/?x=m&q="+url.QueryEscape(c.q))
		if w.Code != http.StatusOK {
			t.Errorf("/all/?x=m&q=%s: %d %s", c.q, w.Code, w.Body)
			continue
		}
		if ids := mboxIDs(t, gunzip(t, w.Body.Bytes())); len(ids) != len(c.want) {
			t.Errorf("/all/?x=m&q=%s: %v, want %d messages", c.q, ids, len(c.want))
		}
	}
	for _, q := range []string{`s:folio OR NOT f:willy`, `-f:willy OR s:page`} {
		for _, u := range []string{"/api/v1/search?q=", "/?q=", "/all/?x=m&q="} {
			w := get(t, s, u+url.QueryEscape(q))
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "cannot be one side of an OR") {
				t.Errorf("%s%s: %d %.200s, want 400 with the reason", u, q, w.Code, w.Body)
			}
		}
	}
}
