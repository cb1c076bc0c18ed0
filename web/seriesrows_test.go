package web

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"patchreview/storage"
)

// On a v2 series page, a patch that revises one of v1 links to "changes
// since the previous version", a patch new in v2 to "new in this version";
// each row shows its own number, subject and state.
func TestSeriesRowsOfASecondVersion(t *testing.T) {
	s, st := newTestServer(t, Options{})
	ctx := context.Background()
	mail := func(v, n int, title, body string) []byte {
		tag := "PATCH"
		if v > 1 {
			tag = fmt.Sprintf("PATCH v%d", v)
		}
		return []byte(fmt.Sprintf("From: Ann <ann@example.org>\nSubject: [%s %d/2] %s\nMessage-ID: <v%d-%d@example.org>\n"+
			"Date: Mon, %d Feb 2026 10:0%d:00 +0000\n\n%s\n---\ndiff --git a/fs/x.c b/fs/x.c\n--- a/fs/x.c\n+++ b/fs/x.c\n"+
			"@@ -1,3 +1,3 @@\n a\n-b\n+%s\n c\n", tag, n, title, v, n, v+1, n, title, body))
	}
	for _, raw := range [][]byte{
		mail(1, 1, "fs: keep the page locked", "one"), mail(1, 2, "fs: drop sync_page", "two"),
		mail(2, 1, "fs: keep the page locked", "one again"), mail(2, 2, "fs: use copy_highpage", "three"),
	} {
		if _, err := st.IngestMessage(ctx, raw, "test"); err != nil {
			t.Fatal(err)
		}
	}
	list, err := st.ListSeries(ctx, storage.SeriesFilter{})
	if err != nil || len(list) != 2 || list[0].Version != 2 {
		t.Fatalf("series: %+v %v", list, err)
	}
	page := get(t, s, fmt.Sprintf("/series/%d", list[0].ID)).Body.String()
	rows := regexp.MustCompile(`(?s)<tr><td>(\d/2)</td><td><a href="/patches/\d+">([^<]*)</a> · <a href="/patches/\d+/interdiff">([^<]*)</a></td>\s*<td class="pw-state">([^<]*)</td>`).FindAllStringSubmatch(page, -1)
	var got []string
	for _, r := range rows {
		got = append(got, strings.Join(r[1:], " | "))
	}
	want := []string{
		"1/2 | [PATCH v2 1/2] fs: keep the page locked | changes since the previous version | new",
		"2/2 | [PATCH v2 2/2] fs: use copy_highpage | new in this version | new",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
