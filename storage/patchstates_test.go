package storage

import (
	"context"
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
