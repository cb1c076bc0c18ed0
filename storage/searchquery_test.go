package storage

import (
	"context"
	"errors"
	"testing"

	"patchreview/review"
)

// TestCompileQueryGroups checks the query language's grouping, as b4
// sends it, and that stray operators or parentheses never reach FTS5 as a
// syntax error.
func TestCompileQueryGroups(t *testing.T) {
	for q, want := range map[string]string{
		`(s:"a b" AND f:"x@y.org")`:                 `subject : "a b" AND author : "x@y.org"`,
		`((s:"a" AND f:"x") OR nq:"change-id: 12")`: `( subject : "a" AND author : "x" ) OR body : "change-id: 12"`,
		`(a OR b) AND d:20240101..`:                 `"a" OR "b"`,
		`(a OR b) c`:                                `( "a" OR "b" ) AND "c"`,
		`a (b`:                                      `"a" AND "b"`,
		`(a) b (c)`:                                 `"a" AND "b" AND "c"`,
		`a) OR`:                                     `"a"`,
		`() x`:                                      `"x"`,
		`( OR x NOT )`:                              `"x"`,
		`"(s:quoted)"`:                              `"(s:quoted)"`,
		`bs:writepage tc:linux-mm`:                  `{subject body} : "writepage" AND addrs : "linux-mm"`,
	} {
		if got := ftsQuery(q); got != want {
			t.Errorf("ftsQuery(%q) = %q, want %q", q, got, want)
		}
	}
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	for _, q := range []string{`a (b`, `(a) b (c)`, `(a)(b)`, `a) OR`, `( OR x NOT )`, `((((`, `)))`, `(s:"x" AND (f:y OR ) )`, `NOT x`, `d:2024-01-01`} {
		if _, err := s.Search(ctx, q, "", 10); err != nil {
			t.Errorf("Search(%q): %v", q, err)
		}
		if _, err := s.FaceSearch(ctx, q, "", true, 10); err != nil {
			t.Errorf("FaceSearch(%q): %v", q, err)
		}
	}
	for _, q := range []string{`d:yesterday`, `x d:2024..2025`, `d:20240101..tomorrow`} {
		if _, err := s.Search(ctx, q, "", 10); !errors.Is(err, review.ErrInvalid) {
			t.Errorf("Search(%q): %v, want ErrInvalid", q, err)
		}
	}
}

func TestCompileQueryDates(t *testing.T) {
	c, err := compileQuery(`x d:20260105..2026-01-12`)
	if err != nil {
		t.Fatal(err)
	}
	if from, to := c.after, c.before; from != 1767571200e9 || to != 1768262400e9 {
		t.Errorf("d:20260105..2026-01-12 = [%d, %d), want [2026-01-05, 2026-01-13)", from, to)
	}
}
