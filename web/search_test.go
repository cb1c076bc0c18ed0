package web

import (
	"context"
	"net/http"
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
