package web

import (
	"context"
	"net/http"
	"testing"

	"patchreview/storage"
)

type pageJSON struct {
	Series   []struct{ ID int64 } `json:"series"`
	Messages []struct{ ID int64 } `json:"messages"`
	Limit    int                  `json:"limit"`
	MaxLimit int                  `json:"max_limit"`
	Offset   int                  `json:"offset"`
	Next     *int                 `json:"next"`
}

// TestAPILimitIsSaid: the series list and the search say the limit they
// applied, the cap, and the offset of the next page when there is one.
func TestAPILimitIsSaid(t *testing.T) {
	s, st := newTestServer(t, Options{})
	if _, err := st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil); err != nil {
		t.Fatal(err)
	}
	page := func(url string) pageJSON {
		t.Helper()
		var p pageJSON
		w := get(t, s, url)
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", url, w.Code, w.Body)
		}
		decode(t, w, &p)
		return p
	}
	all := page("/api/v1/series")
	if len(all.Series) < 2 || all.Next != nil || all.MaxLimit != storage.MaxListLimit {
		t.Fatalf("all series: %+v", all)
	}
	first := page("/api/v1/series?limit=1")
	if len(first.Series) != 1 || first.Limit != 1 || first.Next == nil || *first.Next != 1 {
		t.Errorf("limit=1: %+v", first)
	}
	last := page("/api/v1/series?limit=1&offset=" + itoa(len(all.Series)-1))
	if len(last.Series) != 1 || last.Next != nil || last.Series[0].ID != all.Series[len(all.Series)-1].ID {
		t.Errorf("last page: %+v", last)
	}
	if zero := page("/api/v1/series?limit=0"); len(zero.Series) != len(all.Series) || zero.Limit == 0 {
		t.Errorf("limit=0 (the default): %+v", zero)
	}
	if over := page("/api/v1/series?limit=100000"); over.Limit != storage.MaxListLimit || len(over.Series) != len(all.Series) {
		t.Errorf("limit over the cap: %+v, want limit %d", over, storage.MaxListLimit)
	}
	q := "/api/v1/search?q=s:writepage"
	hits := page(q)
	if len(hits.Messages) < 2 || hits.Next != nil {
		t.Fatalf("search: %+v", hits)
	}
	one := page(q + "&limit=1&offset=1")
	if len(one.Messages) != 1 || one.Messages[0].ID != hits.Messages[1].ID || one.Offset != 1 || one.Limit != 1 {
		t.Errorf("search page 2: %+v", one)
	}
	if over := page(q + "&limit=100000"); over.Limit != storage.MaxListLimit || over.MaxLimit != storage.MaxListLimit {
		t.Errorf("search limit over the cap: %+v", over)
	}
}
