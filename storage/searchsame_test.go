package storage

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// TestSearchAndFaceSearchMatchTheSame: the API's search and public-inbox's
// ?x=m build their query the same way (matchQuery); the same query, with
// and without a list, matches the same messages through both.
func TestSearchAndFaceSearchMatchTheSame(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	mails := []struct{ subject, from, list, body string }{
		{"mm: folio conversion", "Matthew Wilcox <willy@infradead.org>", "linux-mm.kvack.org", "convert to folios"},
		{"mm: folio cleanup", "Jan Kara <jack@suse.cz>", "linux-mm.kvack.org", "writepage is gone"},
		{"fs: folio writeback", "Jan Kara <jack@suse.cz>", "linux-fsdevel.vger.kernel.org", "writepage and folios"},
		{"fs: page cache fix", "Matthew Wilcox <willy@infradead.org>", "linux-fsdevel.vger.kernel.org", "a fix"},
		{"misc: unrelated", "Jan Kara <jack@suse.cz>", "", "nothing here"},
	}
	for i, m := range mails {
		list := ""
		if m.list != "" {
			list = "List-Id: <" + m.list + ">\r\n"
		}
		ingestRaw(t, s, fmt.Appendf(nil, "From: %s\r\nTo: linux-mm@kvack.org\r\nSubject: %s\r\nDate: Mon, %d Jan 2026 10:00:00 +0000\r\nMessage-ID: <same%d@example.org>\r\n%s\r\n%s\r\n",
			m.from, m.subject, 5+i, i, list, m.body))
	}
	queries := []string{`folio`, `s:folio`, `f:willy`, `b:writepage`, `bs:writepage`, `tc:linux-mm`, `m:same2@example.org`,
		`d:2026-01-06..2026-01-08`, `s:folio d:..2026-01-06`, `writepage OR s:page`}
	for _, c := range notQueries {
		queries = append(queries, c.Q)
	}
	found := map[string]int{}
	for _, list := range []string{"", "linux-mm.kvack.org", "linux-fsdevel.vger.kernel.org"} {
		for _, q := range queries {
			hits, err := s.Search(ctx, q, list, 100)
			if err != nil {
				t.Errorf("Search(%q, %q): %v", q, list, err)
				continue
			}
			face, err := s.FaceSearch(ctx, q, list, false, 100)
			if err != nil {
				t.Errorf("FaceSearch(%q, %q): %v", q, list, err)
				continue
			}
			var a, b []int64
			for _, h := range hits {
				a = append(a, h.MessageID)
			}
			for _, m := range face {
				b = append(b, m.ID)
			}
			slices.Sort(a)
			slices.Sort(b)
			if !slices.Equal(a, b) {
				t.Errorf("%q in %q: Search matched %v, FaceSearch %v", q, list, a, b)
			}
			found[list] += len(a)
		}
	}
	// The fixture is not empty, and a list narrows it.
	if found[""] == 0 || found["linux-mm.kvack.org"] == 0 || found["linux-mm.kvack.org"] >= found[""] {
		t.Errorf("matches per list: %v", found)
	}
}
