package storage

import (
	"context"
	"fmt"
	"maps"
	"testing"

	"patchreview/review"
)

// The series page's states (PatchStatesOfSeries, which reads no diffs) are
// the patchwork face's, derived and set alike.
func TestPatchStatesOfSeriesAgreeWithTheFace(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	ingestFile(t, s, "shadowfs-v1-v2.mbox")
	ps, err := s.PWPatches(ctx, PWPatchFilter{Limit: 10, Oldest: true})
	if err != nil || len(ps) != 4 {
		t.Fatalf("patches: %+v %v", ps, err)
	}
	who := review.Address{Name: "Jan", Email: "jan@example.org"}
	if err := s.AddVerdict(ctx, review.Verdict{PatchID: ps[2].ID, Kind: "Reviewed-by", Author: who}); err != nil {
		t.Fatal(err)
	}
	maint, err := s.AddUser(ctx, "Mai Ntainer", "maint@example.org", false)
	if err != nil {
		t.Fatal(err)
	}
	accepted := "accepted"
	if err := s.UpdatePatchState(ctx, ps[3].ID, FaceAccountOf(maint), PatchUpdate{State: &accepted}); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, sid := range []int64{ps[0].SeriesID, ps[2].SeriesID} {
		face, err := s.PWPatches(ctx, PWPatchFilter{SeriesID: sid, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]string{}
		for _, p := range face {
			want[p.ID] = p.State
			seen[p.State] = true
		}
		got, err := s.PatchStatesOfSeries(ctx, sid)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(got, want) {
			t.Errorf("series %d: page states %v, face states %v", sid, got, want)
		}
	}
	for _, st := range []string{"superseded", "under-review", "accepted"} {
		if !seen[st] {
			t.Errorf("no patch was %s: the comparison did not cover it (%v)", st, seen)
		}
	}
}

// Archiving or delegating a patch leaves its state derived: when a later
// version comes, the archived v1 patch is superseded, as in patchwork,
// not frozen at the state it had when it was archived.
func TestArchivingKeepsTheStateDerived(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	mail := func(v int) []byte {
		tag := "PATCH"
		if v > 1 {
			tag = fmt.Sprintf("PATCH v%d", v)
		}
		return []byte(fmt.Sprintf("From: Ann <ann@example.org>\nSubject: [%s] fs: fix it\nMessage-ID: <fix-v%d@example.org>\n"+
			"Date: Mon, %d Feb 2026 10:00:00 +0000\n\nFix.\n---\ndiff --git a/fs/x.c b/fs/x.c\n--- a/fs/x.c\n+++ b/fs/x.c\n"+
			"@@ -1,3 +1,3 @@\n a\n-b\n+c%d\n d\n", tag, v, v, v))
	}
	if _, err := s.IngestMessage(ctx, mail(1), "test"); err != nil {
		t.Fatal(err)
	}
	ps, err := s.PWPatches(ctx, PWPatchFilter{Limit: 10})
	if err != nil || len(ps) != 1 || ps[0].State != "new" {
		t.Fatalf("v1: %+v %v", ps, err)
	}
	v1 := ps[0].ID
	maint, err := s.AddUser(ctx, "Mai Ntainer", "maint@example.org", false)
	if err != nil {
		t.Fatal(err)
	}
	yes, me := true, maint.ID
	if err := s.UpdatePatchState(ctx, v1, FaceAccountOf(maint), PatchUpdate{Archived: &yes, Delegate: &me}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.IngestMessage(ctx, mail(2), "test"); err != nil {
		t.Fatal(err)
	}
	p, err := s.PWPatchByID(ctx, v1)
	if err != nil {
		t.Fatal(err)
	}
	if p.State != "superseded" || p.StateSet || !p.Archived || p.Delegate == nil || p.Delegate.ID != maint.ID {
		t.Errorf("archived and delegated v1 after v2: state %q (set %v), archived %v, delegate %+v; want superseded, derived, archived, delegated",
			p.State, p.StateSet, p.Archived, p.Delegate)
	}
	accepted := "accepted"
	if err := s.UpdatePatchState(ctx, v1, FaceAccountOf(maint), PatchUpdate{State: &accepted}); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.PWPatchByID(ctx, v1); p.State != "accepted" || !p.StateSet || !p.Archived {
		t.Errorf("after setting a state: %+v", p)
	}
}
