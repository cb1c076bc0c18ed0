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

// An identical unversioned repost (same author, subjects and count, twelve
// days later) is linked to the earlier posting as a resend, and the
// earlier one is superseded; two such series sent together are not.
func TestUnversionedRepostLinked(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	from := "Neil <neil@example.org>"
	post := func(tag, day string) {
		ingestRaw(t, s, threadMail("c"+tag+"@x", from, "[PATCH 00/02] Remove remaining parts of congestion tracking code.", day+" 10:00:00 +0000", "", nil, "Congestion.\n"))
		ingestRaw(t, s, threadMail("p2"+tag+"@x", from, "[PATCH 02/02] f: add c", day+" 10:00:02 +0000", "c"+tag+"@x", []string{"c" + tag + "@x"}, patchBody))
		ingestRaw(t, s, threadMail("p1"+tag+"@x", from, "[PATCH 01/02] f: add b", day+" 10:00:01 +0000", "c"+tag+"@x", []string{"c" + tag + "@x"}, patchBody))
	}
	post("a", "Thu, 10 Feb 2022")
	post("b", "Tue, 22 Feb 2022")
	first, later := seriesOf(t, s, "ca@x"), seriesOf(t, s, "cb@x")
	if first == later {
		t.Fatal("the repost joined the first posting")
	}
	list, err := s.ListSeries(ctx, SeriesFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ss := range list {
		switch ss.ID {
		case first:
			if ss.State != "superseded" || ss.ResendOf != 0 {
				t.Errorf("first posting: state %s, resend_of %d; want superseded, no resend_of", ss.State, ss.ResendOf)
			}
		case later:
			if ss.State != "complete" || ss.ResendOf != first {
				t.Errorf("repost: state %s, resend_of %d; want complete, resend_of %d", ss.State, ss.ResendOf, first)
			}
		}
	}
	for sid, want := range map[int64]string{first: "superseded", later: "new"} {
		states, err := s.PatchStatesOfSeries(ctx, sid)
		if err != nil {
			t.Fatal(err)
		}
		for pid, st := range states {
			if st != want {
				t.Errorf("patch %d of series %d is %s, want %s", pid, sid, st, want)
			}
		}
	}
	chain, err := s.VersionChain(ctx, later)
	if err != nil {
		t.Fatal(err)
	}
	if len(chain) != 1 || chain[0].ID != first || len(chain[0].Resends) != 1 || chain[0].Resends[0].ID != later {
		t.Errorf("chain %+v, want the first posting with the repost beside it", chain)
	}

	// the same subjects on the same day are two series of one sending, not a repost
	s2, _ := openTest(t, Options{})
	ingestRaw(t, s2, threadMail("x1@x", from, "[PATCH] f: add b", "Thu, 10 Feb 2022 10:00:00 +0000", "", nil, patchBody))
	ingestRaw(t, s2, threadMail("x2@x", from, "[PATCH] f: add b", "Thu, 10 Feb 2022 11:00:00 +0000", "", nil, patchBody))
	if n := count(t, s2, `SELECT count(*) FROM series WHERE resend_of IS NOT NULL`); n != 0 {
		t.Errorf("%d series linked as reposts within a day", n)
	}
}

// "[PATCH -v2 0/2]" (Ryusuke Konishi's style) is v2 and revises the
// "[PATCH 0/2]" with the same title; "[PATCH v6a 0/2]" is v6.
func TestDashVersionLinked(t *testing.T) {
	s, _ := openTest(t, Options{})
	from := "Ryusuke <ryusuke@example.org>"
	ingestRaw(t, s, threadMail("a0@x", from, "[PATCH 0/1] nilfs2: fix kernel-doc comments", "Mon, 5 Jan 2026 10:00:00 +0000", "", nil, "Docs.\n"))
	ingestRaw(t, s, threadMail("a1@x", from, "[PATCH 1/1] nilfs2: fix doc of a", "Mon, 5 Jan 2026 10:00:01 +0000", "a0@x", []string{"a0@x"}, patchBody))
	ingestRaw(t, s, threadMail("b0@x", from, "[PATCH -v2 0/1] nilfs2: fix kernel-doc comments", "Tue, 6 Jan 2026 10:00:00 +0000", "", nil, "Docs.\n"))
	ingestRaw(t, s, threadMail("b1@x", from, "[PATCH -v2 1/1] nilfs2: fix doc of a", "Tue, 6 Jan 2026 10:00:01 +0000", "b0@x", []string{"b0@x"}, patchBody))
	ingestRaw(t, s, threadMail("c0@x", from, "[PATCH v6a 0/1] nilfs2: fix kernel-doc comments", "Wed, 7 Jan 2026 10:00:00 +0000", "", nil, "Docs.\n"))
	v1, v2, v6 := seriesOf(t, s, "a1@x"), seriesOf(t, s, "b1@x"), seriesOf(t, s, "c0@x")
	_, ver2, _, n2, prev2, _ := seriesRow(t, s, v2)
	_, ver6, _, _, prev6, _ := seriesRow(t, s, v6)
	if ver2 != 2 || n2 != 1 || prev2 != v1 {
		t.Errorf("-v2 series: v%d, %d patches, prev %d; want v2, 1 patch, prev %d", ver2, n2, prev2, v1)
	}
	if ver6 != 6 || prev6 != v2 {
		t.Errorf("v6a series: v%d, prev %d; want v6, prev %d", ver6, prev6, v2)
	}
	se, err := s.SeriesByID(context.Background(), v6)
	if err != nil {
		t.Fatal(err)
	}
	if se.Version != 6 || se.VersionSuffix != "a" {
		t.Errorf("v6a series shown as v%d%s", se.Version, se.VersionSuffix)
	}
}

// Replies to a v4 cover sent with the v3's Message-ID (kept under a
// derived id) go to the copy whose subject version they name, whether
// they arrive after the v4 copy or before it; replies naming v3, or no
// version, stay on v3.
func TestReplyToReusedIDFollowsVersion(t *testing.T) {
	from := "Jan <jan@example.org>"
	v3 := threadMail("c@x", from, "[PATCH v3 0/2] block: handles", "Fri, 18 Aug 2023 14:00:00 +0200", "", nil, "v3 cover\n")
	v4 := threadMail("c@x", from, "[PATCH v4 0/2] block: handles", "Wed, 27 Sep 2023 11:00:00 +0200", "", nil, "v4 cover\n")
	r3 := threadMail("r3@x", "Bob <bob@example.org>", "Re: [PATCH v3 0/2] block: handles", "Mon, 21 Aug 2023 10:00:00 +0200", "c@x", []string{"c@x"}, "Looks fine.\n")
	r4 := threadMail("r4@x", "Jens <jens@example.org>", "Re: [PATCH v4 0/2] block: handles", "Wed, 27 Sep 2023 12:00:00 +0200", "c@x", []string{"c@x"}, "Applied.\n")
	r4b := threadMail("r4b@x", from, "Re: [PATCH v4 0/2] block: handles", "Wed, 27 Sep 2023 13:00:00 +0200", "r4@x", []string{"c@x", "r4@x"}, "Thanks.\n")
	for name, order := range map[string][][]byte{"v4 before its replies": {v3, r3, v4, r4, r4b}, "v4 after its replies": {v3, r4, r3, r4b, v4}} {
		t.Run(name, func(t *testing.T) {
			s, _ := openTest(t, Options{})
			for _, raw := range order {
				ingestRaw(t, s, raw)
			}
			var derived string
			if err := s.r.QueryRow(`SELECT message_id FROM messages WHERE dup_of IS NOT NULL`).Scan(&derived); err != nil {
				t.Fatal(err)
			}
			if p := parentOf(t, s, "r3@x"); p != "c@x" {
				t.Errorf("the v3 reply is attached to %q, want the v3 cover", p)
			}
			for _, r := range []string{"r4@x", "r4b@x"} {
				if p := parentOf(t, s, r); p != derived {
					t.Errorf("v4 reply %s is attached to %q, want the v4 copy %q", r, p, derived)
				}
				if seriesOf(t, s, r) != seriesOf(t, s, derived) {
					t.Errorf("v4 reply %s is in series %d, want v4's %d", r, seriesOf(t, s, r), seriesOf(t, s, derived))
				}
			}
		})
	}
}
