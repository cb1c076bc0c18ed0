package web

import (
	"context"
	"strings"
	"testing"
)

// The series list says what an empty page means (no match, no more), has
// a "newer" link from page 2 on, and takes the list names the faces take.
func TestSeriesListPages(t *testing.T) {
	s, _ := facesServer(t) // two series, on shadow.example.org
	body := func(url string) string {
		t.Helper()
		w := get(t, s, url)
		if w.Code != 200 {
			t.Fatalf("%s: %d\n%s", url, w.Code, w.Body)
		}
		return w.Body.String()
	}
	for url, want := range map[string]string{
		"/?q=zzzzqqq":             "No series match “zzzzqqq”",
		"/?q=zzzzqqq&list=shadow": "No series match “zzzzqqq” on shadow.example.org",
		"/?list=no.such.list":     "No series match on no.such.list",
		"/?offset=50":             "No more series",
		"/?q=writepage&offset=50": "No more series",
		"/?offset=2&limit=1":      "No more series",
		"/?q=zzzzqqq&list=all":    "No series match “zzzzqqq”",
	} {
		if b := body(url); !strings.Contains(b, want) || strings.Contains(b, "No series yet") {
			t.Errorf("%s: want %q, not \"No series yet\"\n%s", url, want, b)
		}
	}
	if b := body("/?offset=50"); !strings.Contains(b, `href="/?q=&amp;list=&amp;offset=0" id="newer"`) {
		t.Errorf("past the end: no link back\n%s", b)
	}

	// One series a page: page 1 links older only, page 2 newer only.
	p1, p2 := body("/?limit=1"), body("/?limit=1&offset=1")
	if !strings.Contains(p1, `href="/?q=&amp;list=&amp;offset=1&amp;limit=1" id="older"`) || strings.Contains(p1, `id="newer"`) {
		t.Errorf("page 1 links:\n%s", p1)
	}
	if !strings.Contains(p2, `href="/?q=&amp;list=&amp;offset=0&amp;limit=1" id="newer"`) || strings.Contains(p2, `id="older"`) {
		t.Errorf("page 2 links:\n%s", p2)
	}
	if strings.Count(p1, `<a href="/series/`) != 1 || strings.Count(p2, `<a href="/series/`) != 1 || p1 == p2 {
		t.Errorf("one series a page: %d and %d", strings.Count(p1, `<a href="/series/`), strings.Count(p2, `<a href="/series/`))
	}

	// The names the public-inbox face serves the list under.
	for _, name := range []string{"shadow", "Shadow", "shadow.example.org", "SHADOW.example.org", "all"} {
		if n := strings.Count(body("/?list="+name), `<a href="/series/`); n != 2 {
			t.Errorf("/?list=%s lists %d series, want 2", name, n)
		}
		var list struct{ Series []struct{ ID int64 } }
		decode(t, get(t, s, "/api/v1/series?list="+name), &list)
		if len(list.Series) != 2 {
			t.Errorf("/api/v1/series?list=%s: %d series, want 2", name, len(list.Series))
		}
	}
}

// An offset far past the end links "newer" to the first page, which has
// series, not to another empty page.
func TestSeriesListPastTheEndLinksTheFirstPage(t *testing.T) {
	s, st := newTestServer(t, Options{})
	st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil)
	page := get(t, s, "/?offset=1000").Body.String()
	if !strings.Contains(page, "No more series") || !strings.Contains(page, `offset=0" id="newer"`) {
		t.Errorf("past the end: want 'No more series' and a newer link to offset 0:\n%s", page)
	}
}
