package storage

import (
	"context"
	"testing"
	"time"
)

// TestAPITokenTouchIsRareAndBestEffort: a token's last use is written at
// most once per APITokenTouchEvery, and a writer held by someone else (an
// ingest) costs the lookup a touchErr, never the account.
func TestAPITokenTouchIsRareAndBestEffort(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	u, err := s.AddUser(ctx, "Jane", "jane@example.org", false)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.CreateAPIToken(ctx, u.ID, "git-pw")
	if err != nil {
		t.Fatal(err)
	}
	used := func() time.Time {
		t.Helper()
		list, err := s.APITokens(ctx, u.ID)
		if err != nil || len(list) != 1 {
			t.Fatalf("tokens %v %v", list, err)
		}
		return list[0].Used
	}
	start := time.Now()
	s.now = func() time.Time { return start }
	lookup := func(what string) {
		t.Helper()
		if tu, touchErr, err := s.APITokenUser(ctx, tok); err != nil || touchErr != nil || tu == nil || tu.ID != u.ID {
			t.Fatalf("%s: %+v %v %v", what, tu, touchErr, err)
		}
	}
	lookup("first use")
	if got := used(); !got.Equal(start.UTC()) {
		t.Fatalf("first use noted at %v, want %v", got, start)
	}
	s.now = func() time.Time { return start.Add(APITokenTouchEvery - time.Second) }
	lookup("second use within a minute")
	if got := used(); !got.Equal(start.UTC()) {
		t.Errorf("a use within %v was written again: %v", APITokenTouchEvery, got)
	}
	later := start.Add(APITokenTouchEvery + time.Second)
	s.now = func() time.Time { return later }
	lookup("use after a minute")
	if got := used(); !got.Equal(later.UTC()) {
		t.Errorf("a use after %v: noted %v, want %v", APITokenTouchEvery, got, later)
	}

	// The single writer held by a transaction: the lookup answers with the
	// account after a short wait, and says why the use was not noted.
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	s.now = func() time.Time { return later.Add(2 * APITokenTouchEvery) }
	tu, touchErr, err := s.APITokenUser(ctx, tok)
	if err != nil || tu == nil || tu.ID != u.ID {
		t.Fatalf("lookup with the writer held: %+v %v", tu, err)
	}
	if touchErr == nil {
		t.Errorf("the writer was held, yet the use was noted")
	}
}
