package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
)

func seriesRow(t *testing.T, s *Store, id int64) (title string, version, total, patches int, prev int64, cover string) {
	t.Helper()
	var p sql.NullInt64
	var c sql.NullString
	err := s.r.QueryRow(`SELECT s.title, s.version, s.total, (SELECT count(*) FROM patches WHERE series_id = s.id), s.prev_id,
		(SELECT message_id FROM messages WHERE id = s.cover_id) FROM series s WHERE s.id = ?`, id).Scan(&title, &version, &total, &patches, &p, &c)
	if err != nil {
		t.Fatal(err)
	}
	return title, version, total, patches, p.Int64, c.String
}

// Patches sent in reply to a versioned cover letter join its series,
// whichever arrives first, whatever their version tag or total: Hao Xu's
// "[PATCH RFC v5 00/4]" answered by "[PATCH 0N/4]" (no version), Jeff
// Layton's "[PATCH v2 00/3]" answered by "[PATCH v2 0N/4]". The title is
// the cover's, and no invented v1 precedes the series.
func TestPatchesAnsweringVersionedCoverJoinIt(t *testing.T) {
	from := "Hao <hao@example.org>"
	patch := func(n int, subj string) []byte {
		return threadMail(fmt.Sprintf("p%d@x", n), from, subj, fmt.Sprintf("Mon, 5 Jan 2026 10:00:0%d +0000", n), "c@x", []string{"c@x"},
			strings.Replace(patchBody, "int b", fmt.Sprintf("int b%d", n), 1))
	}
	cases := []struct {
		name         string
		cover        string
		patches      []string
		version      int
		wantPatches  int
		coverAtIndex int
	}{
		{"unversioned patches, cover last", "[PATCH RFC v5 00/4] io_uring getdents", []string{"[PATCH 03/4] c: three", "[PATCH 01/4] a: one", "[PATCH 02/4] b: two", "[PATCH 04/4] d: four"}, 5, 4, 4},
		{"unversioned patches, cover between", "[PATCH RFC v5 00/4] io_uring getdents", []string{"[PATCH 03/4] c: three", "[PATCH 01/4] a: one", "[PATCH 02/4] b: two", "[PATCH 04/4] d: four"}, 5, 4, 2},
		{"unversioned patches, cover first", "[PATCH RFC v5 00/4] io_uring getdents", []string{"[PATCH 03/4] c: three", "[PATCH 01/4] a: one", "[PATCH 02/4] b: two", "[PATCH 04/4] d: four"}, 5, 4, 0},
		{"other total, cover last", "[PATCH v2 00/3] io_uring getdents", []string{"[PATCH v2 03/4] c: three", "[PATCH v2 01/4] a: one", "[PATCH v2 02/4] b: two", "[PATCH v2 04/4] d: four"}, 2, 4, 4},
		{"other total, cover first", "[PATCH v2 00/3] io_uring getdents", []string{"[PATCH v2 03/4] c: three", "[PATCH v2 01/4] a: one", "[PATCH v2 02/4] b: two", "[PATCH v2 04/4] d: four"}, 2, 4, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, _ := openTest(t, Options{})
			ctx := context.Background()
			var mails [][]byte
			for i, subj := range c.patches {
				n := [...]int{3, 1, 2, 4}[i]
				mails = append(mails, patch(n, subj))
			}
			cover := threadMail("c@x", from, c.cover, "Mon, 5 Jan 2026 09:59:59 +0000", "", nil, "getdents for io_uring.\n")
			mails = append(mails[:c.coverAtIndex], append([][]byte{cover}, mails[c.coverAtIndex:]...)...)
			for _, raw := range mails {
				ingestRaw(t, s, raw)
			}
			if n := count(t, s, `SELECT count(*) FROM series`); n != 1 {
				t.Fatalf("%d series, want 1", n)
			}
			id := seriesOf(t, s, "c@x")
			title, version, _, patches, prev, coverID := seriesRow(t, s, id)
			if title != "io_uring getdents" || version != c.version || patches != c.wantPatches || prev != 0 || coverID != "c@x" {
				t.Errorf("series %q v%d, %d patches, prev %d, cover %q; want the cover's title, v%d, %d patches, no previous version",
					title, version, patches, prev, coverID, c.version, c.wantPatches)
			}
			list, err := s.ListSeries(ctx, SeriesFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 || list[0].State != "complete" {
				t.Errorf("list %+v, want one complete series", list)
			}
		})
	}
}

// Without a cover letter a series is named after its patch 1, not after
// the patch that arrived first.
func TestSeriesTitleFromPatchOne(t *testing.T) {
	s, _ := openTest(t, Options{})
	from := "Ann <ann@example.org>"
	ingestRaw(t, s, threadMail("p2@x", from, "[PATCH 2/2] f: add c", "Mon, 5 Jan 2026 10:00:02 +0000", "", nil, patchBody))
	ingestRaw(t, s, threadMail("p1@x", from, "[PATCH 1/2] f: add b", "Mon, 5 Jan 2026 10:00:01 +0000", "", nil, patchBody))
	if title, _, _, _, _, _ := seriesRow(t, s, seriesOf(t, s, "p2@x")); title != "f: add b" {
		t.Errorf("series title %q, want patch 1's", title)
	}
}
