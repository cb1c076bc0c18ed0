package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"patchreview/storage"
	"patchreview/web/diffview"
)

// onePatch ingests a mail and returns the id of its (only) patch.
func onePatch(t *testing.T, st *storage.Store, raw []byte) int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := st.IngestMessage(ctx, raw, "test"); err != nil {
		t.Fatal(err)
	}
	list, err := st.ListSeries(ctx, storage.SeriesFilter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("series: %+v %v", list, err)
	}
	se, err := st.SeriesByID(ctx, list[0].ID)
	if err != nil || len(se.PatchList) != 1 {
		t.Fatalf("series %d: %+v %v", list[0].ID, se, err)
	}
	return se.PatchList[0].ID
}

// longPatchMail is a one-file patch that adds lines lines.
func longPatchMail(lines int) []byte {
	var b strings.Builder
	b.WriteString("From: Ann <ann@example.org>\r\nTo: linux-mm@kvack.org\r\nSubject: [PATCH] xfoo: a long file\r\n" +
		"Date: Mon, 5 Jan 2026 10:00:00 +0000\r\nMessage-ID: <long@example.org>\r\n\r\nLong.\r\n\r\n" +
		"Signed-off-by: Ann <ann@example.org>\r\n---\r\ndiff --git a/fs/xfoo/gen.c b/fs/xfoo/gen.c\r\nnew file mode 100644\r\n" +
		"--- /dev/null\r\n+++ b/fs/xfoo/gen.c\r\n")
	fmt.Fprintf(&b, "@@ -0,0 +1,%d @@\r\n", lines)
	for i := range lines {
		fmt.Fprintf(&b, "+int xfoo_gen_%d;\r\n", i)
	}
	return []byte(b.String())
}

// A ?part= or ?file= the patch does not have is a 400 with the reason (a
// 404 for a file id it does not have), not silently another page
// (regression: part=68 of 67 showed 67, part=abc/-1/0 showed part 1,
// file=f2 of a one-file patch was a 200).
func TestPatchPartAndFileChecked(t *testing.T) {
	s, st := newTestServer(t, Options{})
	lines := 2*diffview.DefaultMaxFileLines + 10 // three parts
	id := onePatch(t, st, longPatchMail(lines))
	page := fmt.Sprintf("/patches/%d", id)
	for q, want := range map[string]int{
		"":                          200,
		"?file=f1":                  200,
		"?file=f1&part=1":           200,
		"?file=f1&part=3":           200,
		"?file=f1&part=4":           400,
		"?file=f1&part=68":          400,
		"?file=f1&part=0":           400,
		"?file=f1&part=-1":          400,
		"?file=f1&part=abc":         400,
		"?file=f1&part=99999999999": 400,
		"?file=f1&part=":            400,
		"?file=f2":                  404,
		"?file=f2&part=2":           404,
		"?file=xyz":                 400,
		"?file=":                    400,
		"?part=2":                   400, // a part of which file?
	} {
		w := get(t, s, page+q)
		if w.Code != want {
			t.Errorf("%s%s: %d, want %d: %.300s", page, q, w.Code, want, w.Body)
			continue
		}
		if want != 200 && !strings.Contains(w.Body.String(), "part") && !strings.Contains(w.Body.String(), "file") {
			t.Errorf("%s%s: %d without a reason: %.300s", page, q, w.Code, w.Body)
		}
	}
	if body := get(t, s, page+"?file=f1&part=4").Body.String(); !strings.Contains(body, "3 parts") {
		t.Errorf("part=4 of 3 does not say how many parts there are: %.400s", body)
	}

	// A short one-file patch: f1 is its file, shown whole, without parts.
	s, st = newTestServer(t, Options{})
	id = onePatch(t, st, longPatchMail(5))
	page = fmt.Sprintf("/patches/%d", id)
	for q, want := range map[string]int{"?file=f1": 200, "?file=f1&part=1": 200, "?file=f2": 404, "?file=f1&part=2": 400} {
		if w := get(t, s, page+q); w.Code != want {
			t.Errorf("short patch %s: %d, want %d: %.300s", q, w.Code, want, w.Body)
		}
	}
}
