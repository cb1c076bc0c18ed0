package storage

import (
	"context"
	"errors"
	"slices"
	"testing"

	"patchreview/review"
)

func faceMail(id, inReplyTo, subject string) []byte {
	h := "From: Ann <ann@example.org>\nSubject: " + subject + "\nMessage-ID: <" + id + ">\nDate: Mon, 19 Jan 2026 10:00:00 +0000\n"
	if inReplyTo != "" {
		h += "In-Reply-To: <" + inReplyTo + ">\nReferences: <" + inReplyTo + ">\n"
	}
	return []byte(h + "\nbody\n")
}

// TestThreadAroundAMissingRoot: two replies to a message that never
// arrived are one thread (public-inbox joins them through the ghost), and
// an unrelated message is not in it.
func TestThreadAroundAMissingRoot(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	for _, m := range [][]byte{faceMail("a@x", "ghost@x", "Re: q"), faceMail("other@x", "", "other"), faceMail("b@x", "ghost@x", "Re: q"), faceMail("c@x", "b@x", "Re: q")} {
		if _, err := s.IngestMessage(ctx, m, "test"); err != nil {
			t.Fatal(err)
		}
	}
	th, err := s.Thread(ctx, "c@x", 100)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range th {
		ids = append(ids, m.MessageID)
	}
	if !slices.Equal(ids, []string{"a@x", "b@x", "c@x"}) {
		t.Errorf("thread of c@x: %v, want a@x b@x c@x in arrival order", ids)
	}
	if th, err := s.Thread(ctx, "c@x", 2); err != nil || len(th) > 2 {
		t.Errorf("limit 2 gave %d messages, %v", len(th), err)
	}
	if _, err := s.Thread(ctx, "ghost@x", 100); !errors.Is(err, ErrNotFound) {
		t.Errorf("thread of a message never stored: %v, want ErrNotFound", err)
	}
}

// TestDerivedPatchState walks a patch through the states derived from the
// review, then a maintainer's state that wins over them.
func TestDerivedPatchState(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	ingestFile(t, s, "shadowfs-v1-v2.mbox")
	ps, err := s.PWPatches(ctx, PWPatchFilter{Limit: 10, Oldest: true})
	if err != nil || len(ps) != 4 {
		t.Fatalf("patches: %+v %v", ps, err)
	}
	v1, v2a := ps[0], ps[2]
	state := func(id int64) string {
		t.Helper()
		p, err := s.PWPatchByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return p.State
	}
	if got := state(v1.ID); got != "superseded" {
		t.Errorf("v1 1/2 with a v2 out: %q", got)
	}
	if got := state(v2a.ID); got != "new" {
		t.Errorf("v2 1/2 untouched: %q", got)
	}
	who := review.Address{Name: "Jan", Email: "jan@example.org"}
	if err := s.AddVerdict(ctx, review.Verdict{PatchID: v2a.ID, Kind: "Reviewed-by", Author: who}); err != nil {
		t.Fatal(err)
	}
	if got := state(v2a.ID); got != "under-review" {
		t.Errorf("after a Reviewed-by: %q", got)
	}
	if err := s.AddVerdict(ctx, review.Verdict{SeriesID: v2a.SeriesID, Kind: "changes-requested", Author: who}); err != nil {
		t.Fatal(err)
	}
	if got := state(v2a.ID); got != "changes-requested" {
		t.Errorf("after changes were requested on the series: %q", got)
	}
	maint, err := s.AddUser(ctx, "Mai Ntainer", "maint@example.org", false)
	if err != nil {
		t.Fatal(err)
	}
	acc := FaceAccountOf(maint)
	if acc.Username != "maint" || acc.Email != "maint@example.org" {
		t.Errorf("face account of %+v: %+v", maint, acc)
	}
	accepted := "accepted"
	if err := s.UpdatePatchState(ctx, v2a.ID, acc, PatchUpdate{State: &accepted}); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.PWPatchByID(ctx, v2a.ID); p.State != "accepted" || !p.StateSet {
		t.Errorf("after a maintainer accepted it: %+v", p)
	}
	byState, err := s.PWPatches(ctx, PWPatchFilter{States: []string{"accepted", "superseded"}, Limit: 10})
	if err != nil || len(byState) != 3 {
		t.Errorf("accepted or superseded: %d patches, %v", len(byState), err)
	}

	bogus := "merged"
	if err := s.UpdatePatchState(ctx, v2a.ID, acc, PatchUpdate{State: &bogus}); !errors.Is(err, review.ErrInvalid) {
		t.Errorf("unknown state: %v", err)
	}
	if err := s.UpdatePatchState(ctx, 999, acc, PatchUpdate{State: &accepted}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown patch: %v", err)
	}
	if p, _ := s.PWPatchByID(ctx, v2a.ID); p.State != "accepted" {
		t.Errorf("a refused update changed the state: %+v", p)
	}
}
