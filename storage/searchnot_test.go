package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"patchreview/review"
)

// notFixture is five mails of two authors, two of them with "folio" in the
// subject from each author but one: the fixture of the NOT queries.
var notFixture = []struct{ subject, from string }{
	{"mm: folio conversion", "Matthew Wilcox <willy@infradead.org>"},
	{"mm: folio cleanup", "Jan Kara <jack@suse.cz>"},
	{"fs: folio writeback", "Jan Kara <jack@suse.cz>"},
	{"fs: page cache fix", "Matthew Wilcox <willy@infradead.org>"},
	{"misc: unrelated", "Jan Kara <jack@suse.cz>"},
}

// notFixtureMail is the i-th mail of notFixture.
func notFixtureMail(i int) []byte {
	f := notFixture[i]
	return fmt.Appendf(nil, "From: %s\r\nTo: linux-mm@kvack.org\r\nSubject: %s\r\nDate: Mon, 5 Jan 2026 10:0%d:00 +0000\r\nMessage-ID: <not%d@example.org>\r\n\r\nbody %d\r\n",
		f.from, f.subject, i, i, i)
}

// notQueries are the queries with NOT, AND NOT, -, groups and leading
// NOT, and the subjects each must find (sorted); (web/search_test.go asks some through the web).
var notQueries = []struct {
	Q    string
	Want []string
}{
	{`s:folio AND f:willy`, []string{"mm: folio conversion"}},
	{`s:folio NOT f:willy`, []string{"fs: folio writeback", "mm: folio cleanup"}},
	{`s:folio AND NOT f:willy`, []string{"fs: folio writeback", "mm: folio cleanup"}},
	{`NOT f:willy s:folio`, []string{"fs: folio writeback", "mm: folio cleanup"}},
	{`NOT f:willy AND s:folio`, []string{"fs: folio writeback", "mm: folio cleanup"}},
	{`s:folio AND (NOT f:willy)`, []string{"fs: folio writeback", "mm: folio cleanup"}},
	{`(NOT f:willy) s:folio`, []string{"fs: folio writeback", "mm: folio cleanup"}},
	{`s:folio -f:willy`, []string{"fs: folio writeback", "mm: folio cleanup"}},
	{`-f:willy s:folio`, []string{"fs: folio writeback", "mm: folio cleanup"}},
	{`s:folio -willy`, []string{"fs: folio writeback", "mm: folio cleanup"}},
	{`s:folio AND NOT f:willy AND NOT s:writeback`, []string{"mm: folio cleanup"}},
	{`s:folio -f:willy -s:writeback`, []string{"mm: folio cleanup"}},
	{`s:folio NOT (f:willy OR s:writeback)`, []string{"mm: folio cleanup"}},
	{`(s:folio NOT f:willy) OR s:page`, []string{"fs: folio writeback", "fs: page cache fix", "mm: folio cleanup"}},
	{`(s:folio AND NOT f:willy) OR (s:page AND NOT f:jack)`, []string{"fs: folio writeback", "fs: page cache fix", "mm: folio cleanup"}},
	{`f:jack NOT s:folio`, []string{"misc: unrelated"}},
	// Nothing positive: every message but those.
	{`NOT f:willy`, []string{"fs: folio writeback", "misc: unrelated", "mm: folio cleanup"}},
	{`-f:willy`, []string{"fs: folio writeback", "misc: unrelated", "mm: folio cleanup"}},
	{`NOT (s:folio OR f:willy)`, []string{"misc: unrelated"}},
	{`-(s:folio OR f:willy)`, []string{"misc: unrelated"}},
	{`NOT f:willy NOT s:folio`, []string{"misc: unrelated"}},
	{`NOT (NOT f:willy)`, []string{"fs: page cache fix", "mm: folio conversion"}},
	{`NOT f:willy d:2026-01-05`, []string{"fs: folio writeback", "misc: unrelated", "mm: folio cleanup"}},
	{`NOT f:willy d:..2026-01-04`, nil},
}

// notQueriesInvalid cannot be expressed: an exclusion as a side of OR.
var notQueriesInvalid = []string{`s:folio OR NOT f:willy`, `-f:willy OR s:page`, `(NOT f:willy) OR s:page`}

func TestSearchNot(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	for i := range notFixture {
		ingestRaw(t, s, notFixtureMail(i))
	}
	for _, c := range notQueries {
		hits, err := s.Search(ctx, c.Q, "", 100)
		if err != nil {
			t.Errorf("Search(%q): %v", c.Q, err)
			continue
		}
		var got []string
		for _, h := range hits {
			got = append(got, h.Subject)
		}
		slices.Sort(got)
		if !slices.Equal(got, c.Want) {
			t.Errorf("Search(%q) = %q, want %q", c.Q, got, c.Want)
		}
		face, err := s.FaceSearch(ctx, c.Q, "", false, 100)
		if err != nil || len(face) != len(c.Want) {
			t.Errorf("FaceSearch(%q) = %d messages, %v; want %d", c.Q, len(face), err, len(c.Want))
		}
	}
	for _, q := range notQueriesInvalid {
		if hits, err := s.Search(ctx, q, "", 100); !errors.Is(err, review.ErrInvalid) {
			t.Errorf("Search(%q) = %d hits, %v; want ErrInvalid", q, len(hits), err)
		}
		if _, err := s.FaceSearch(ctx, q, "", false, 100); !errors.Is(err, review.ErrInvalid) {
			t.Errorf("FaceSearch(%q): %v; want ErrInvalid", q, err)
		}
		if _, err := s.ListSeries(ctx, SeriesFilter{Query: q}); !errors.Is(err, review.ErrInvalid) {
			t.Errorf("ListSeries(%q): %v; want ErrInvalid", q, err)
		}
	}
}
