package storage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestConcurrentProcessStoresOnce: an upload and the queue worker may both
// process the same accepted message; it must be stored once, without error.
func TestConcurrentProcessStoresOnce(t *testing.T) {
	s, _ := openTest(t, Options{})
	raw, err := os.ReadFile(filepath.Join("testdata", "shadowfs-v1-v2.mbox"))
	if err != nil {
		t.Fatal(err)
	}
	id, _, err := s.Accept(context.Background(), raw, "test")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- s.Process(context.Background(), id) }()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Process: %v", err)
		}
	}
	var patches int
	s.r.QueryRow(`SELECT count(*) FROM patches`).Scan(&patches)
	if patches != 1 {
		t.Errorf("%d patch rows for one message, want 1", patches)
	}
}

// TestConcurrentPatchUpdatesKeepEveryField: git-pw from two shells, one
// setting a patch's state and the other its delegate (and others its
// archived flag and commit ref), at once. Each update changes only its
// field: none may write back another's old value.
func TestConcurrentPatchUpdatesKeepEveryField(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	ingestFile(t, s, "shadowfs-v1-v2.mbox")
	ps, err := s.PWPatches(ctx, PWPatchFilter{Limit: 1})
	if err != nil || len(ps) != 1 {
		t.Fatalf("patches: %+v %v", ps, err)
	}
	patch := ps[0].ID
	var delegates []int64
	for _, email := range []string{"d1@example.org", "d2@example.org"} {
		u, err := s.AddUser(ctx, "Delegate", email, false)
		if err != nil {
			t.Fatal(err)
		}
		delegates = append(delegates, u.ID)
	}
	by := FaceAccount{ID: delegates[0]}
	states := []string{"accepted", "rejected"}
	for round := range 30 {
		state, delegate := states[round%2], delegates[round%2]
		archived, ref := round%2 == 0, fmt.Sprintf("%040d", round)
		updates := []PatchUpdate{{State: &state}, {Delegate: &delegate}, {Archived: &archived}, {CommitRef: &ref}}
		var wg sync.WaitGroup
		errs := make(chan error, len(updates))
		for _, u := range updates {
			wg.Add(1)
			go func() { defer wg.Done(); errs <- s.UpdatePatchState(ctx, patch, by, u) }()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		p, err := s.PWPatchByID(ctx, patch)
		if err != nil {
			t.Fatal(err)
		}
		if p.State != state || p.Delegate == nil || p.Delegate.ID != delegate || p.Archived != archived || p.CommitRef != ref {
			got := int64(0)
			if p.Delegate != nil {
				got = p.Delegate.ID
			}
			t.Fatalf("round %d: state %q delegate %d archived %v ref %q; want %q %d %v %q: a concurrent update wrote back an old value",
				round, p.State, got, p.Archived, p.CommitRef, state, delegate, archived, ref)
		}
	}
}
