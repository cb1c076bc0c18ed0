package storage

import (
	"context"
	"errors"
	"testing"

	"patchreview/review"
)

var hugh = review.Address{Name: "Hugh Dickins", Email: "hughd@example.org"}

func checkedStore(t *testing.T) *Store {
	s, _ := openTest(t, Options{Checker: func(_ context.Context, m *review.Message) ([]review.Finding, error) {
		if m.Patch == nil {
			return nil, nil
		}
		return []review.Finding{{Rule: "writepage-unlock-all-paths", Severity: "error", Path: "fs/shadowfs/aops.c", Line: 20}}, nil
	}})
	ingestFile(t, s, "shadowfs-v1-v2.mbox")
	return s
}

// accounts makes Hugh's account, another reviewer's and an admin's.
func accounts(t *testing.T, s *Store) (hughU, other, admin *User) {
	t.Helper()
	ctx := context.Background()
	var err error
	if hughU, err = s.AddUser(ctx, hugh.Name, hugh.Email, false); err != nil {
		t.Fatal(err)
	}
	if other, err = s.AddUser(ctx, "Mallory", "mallory@example.org", false); err != nil {
		t.Fatal(err)
	}
	if admin, err = s.AddUser(ctx, "Admin", "admin@example.org", true); err != nil {
		t.Fatal(err)
	}
	return hughU, other, admin
}

func TestComments(t *testing.T) {
	s := checkedStore(t)
	ctx := context.Background()
	hughU, other, admin := accounts(t, s)
	id, err := s.AddComment(ctx, review.Comment{PatchID: 4, Author: hugh, UserID: hughU.ID, Path: "fs/shadowfs/aops.c", Line: 26,
		Code: "\t\tset_page_dirty(page);", Body: "You need to *unlock_page*, don't you?"})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := s.PatchByID(ctx, 4)
	var web []review.Comment
	for _, c := range p.Comments {
		if c.Source == "web" {
			web = append(web, c)
		}
	}
	if len(web) != 1 || web[0].Line != 26 || web[0].SeriesID != p.SeriesID {
		t.Fatalf("web comments %+v", web)
	}
	// Another account, even one with the same email in a cookie, or nobody.
	for _, by := range []*User{other, {ID: other.ID, Name: hugh.Name, Email: hugh.Email}, nil} {
		if err := s.EditComment(ctx, id, by, "mine now"); !errors.Is(err, ErrForbidden) {
			t.Errorf("edit by %+v: %v", by, err)
		}
		if err := s.DeleteComment(ctx, id, by); !errors.Is(err, ErrForbidden) {
			t.Errorf("delete by %+v: %v", by, err)
		}
	}
	if err := s.EditComment(ctx, id, hughU, "Or move the out label up."); err != nil {
		t.Errorf("edit by its author: %v", err)
	}
	if c, _ := s.CommentByID(ctx, id); c.Body != "Or move the out label up." || c.UserID != hughU.ID {
		t.Errorf("edited comment %+v", c)
	}
	if err := s.EditComment(ctx, id, admin, "Edited by the admin."); err != nil {
		t.Errorf("edit by an admin: %v", err)
	}
	if err := s.DeleteComment(ctx, id, hughU); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CommentByID(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted comment still there: %v", err)
	}
	// The deleted comment's id is never reused: an old #comment-N link
	// does not point at a later comment.
	next, err := s.AddComment(ctx, review.Comment{PatchID: 4, Author: hugh, UserID: hughU.ID, Body: "later"})
	if err != nil || next <= id {
		t.Errorf("comment after deleting %d got id %d (%v)", id, next, err)
	}
	old, err := s.AddComment(ctx, review.Comment{PatchID: 4, Author: hugh, UserID: hughU.ID, Path: "fs/shadowfs/aops.c", Line: 20, Side: "old", Body: "on a removed line"})
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := s.CommentByID(ctx, old); c.Side != "old" || c.Line != 20 {
		t.Errorf("old-side comment %+v", c)
	}
	if _, err := s.AddComment(ctx, review.Comment{PatchID: 4, Author: hugh, Side: "left", Body: "x"}); !errors.Is(err, review.ErrInvalid) {
		t.Errorf("bad side: %v", err)
	}
	for _, bad := range []review.Comment{{PatchID: 4, Author: hugh, Body: "  "}, {PatchID: 4, Body: "x"}} {
		if _, err := s.AddComment(ctx, bad); !errors.Is(err, review.ErrInvalid) {
			t.Errorf("AddComment(%+v): %v", bad, err)
		}
	}
	if _, err := s.AddComment(ctx, review.Comment{PatchID: 99, Author: hugh, Body: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("comment on a missing patch: %v", err)
	}
}

func TestDismissals(t *testing.T) {
	s := checkedStore(t)
	ctx := context.Background()
	hughU, other, admin := accounts(t, s)
	p, _ := s.PatchByID(ctx, 4)
	f := p.Findings[0]
	if _, err := s.DismissFinding(ctx, f.ID, review.Dismissal{Reason: "because"}, hughU); !errors.Is(err, review.ErrInvalid) {
		t.Errorf("bad reason: %v", err)
	}
	if pid, err := s.DismissFinding(ctx, f.ID, review.Dismissal{Reason: review.DismissIntended, Note: "AOP path"}, hughU); err != nil || pid != 4 {
		t.Fatalf("dismiss: %v %d", err, pid)
	}
	p, _ = s.PatchByID(ctx, 4)
	if d := p.Findings[0].Dismissal; d == nil || d.Reason != "intended" || d.Author != hugh || d.UserID != hughU.ID {
		t.Fatalf("dismissal %+v", d)
	}
	for _, by := range []*User{other, nil} {
		if _, err := s.RestoreFinding(ctx, f.ID, by); !errors.Is(err, ErrForbidden) {
			t.Errorf("restore by %+v: %v", by, err)
		}
		if _, err := s.DismissFinding(ctx, f.ID, review.Dismissal{Reason: review.DismissFalsePositive}, by); !errors.Is(err, ErrForbidden) {
			t.Errorf("re-dismiss by %+v: %v", by, err)
		}
	}
	if _, err := s.DismissFinding(ctx, f.ID, review.Dismissal{Reason: review.DismissIntended, Note: "AOP path"}, admin); err != nil {
		t.Errorf("admin re-dismisses: %v", err)
	}
	stats, _ := s.RuleStats(ctx)
	if st := stats["writepage-unlock-all-paths"]; st.Fired != 4 || st.Dismissed != 1 {
		t.Errorf("rule stats %+v", st)
	}
	if _, err := s.RestoreFinding(ctx, f.ID, admin); err != nil {
		t.Fatal(err)
	}
	if p, _ = s.PatchByID(ctx, 4); p.Findings[0].Dismissal != nil {
		t.Error("restored finding still dismissed")
	}
	if _, err := s.DismissFinding(ctx, 999, review.Dismissal{Reason: review.DismissIntended}, hughU); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing finding: %v", err)
	}
}

func TestVerdicts(t *testing.T) {
	s := checkedStore(t)
	ctx := context.Background()
	if err := s.AddVerdict(ctx, review.Verdict{PatchID: 4, Kind: "Reviewed-by", Author: hugh}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddVerdict(ctx, review.Verdict{SeriesID: 2, Kind: "Acked-by", Author: review.Address{Name: "Andrew", Email: "akpm@example.org"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddVerdict(ctx, review.Verdict{PatchID: 4, Kind: "Reviewed-by", Author: hugh, Note: "again"}); err != nil {
		t.Fatalf("repeat verdict: %v", err)
	}
	p4, _ := s.PatchByID(ctx, 4)
	p3, _ := s.PatchByID(ctx, 3)
	if len(p4.Verdicts) != 2 || len(p3.Verdicts) != 1 || p3.Verdicts[0].Trailer() != "Acked-by: Andrew <akpm@example.org>" {
		t.Errorf("verdicts on 2/2 %+v; on 1/2 %+v", p4.Verdicts, p3.Verdicts)
	}
	for _, bad := range []review.Verdict{{PatchID: 4, Kind: "Liked-by", Author: hugh}, {PatchID: 4, Kind: "Acked-by"}} {
		if err := s.AddVerdict(ctx, bad); !errors.Is(err, review.ErrInvalid) {
			t.Errorf("AddVerdict(%+v): %v", bad, err)
		}
	}
	if err := s.AddVerdict(ctx, review.Verdict{SeriesID: 77, Kind: "Acked-by", Author: hugh}); !errors.Is(err, ErrNotFound) {
		t.Errorf("verdict on a missing series: %v", err)
	}
	hughU, other, admin := accounts(t, s)
	if err := s.AddVerdict(ctx, review.Verdict{PatchID: 3, Kind: "Tested-by", Author: hugh, UserID: hughU.ID}); err != nil {
		t.Fatal(err)
	}
	p3, _ = s.PatchByID(ctx, 3)
	var mine review.Verdict
	for _, v := range p3.Verdicts {
		if v.UserID == hughU.ID {
			mine = v
		}
	}
	if mine.Kind != "Tested-by" {
		t.Fatalf("Hugh's verdict not found in %+v", p3.Verdicts)
	}
	if _, err := s.DeleteVerdict(ctx, mine.ID, other); !errors.Is(err, ErrForbidden) {
		t.Errorf("withdraw by another: %v", err)
	}
	if _, err := s.DeleteVerdict(ctx, p3.Verdicts[0].ID, hughU); !errors.Is(err, ErrForbidden) {
		t.Errorf("withdraw a verdict from before accounts by a non-admin: %v", err)
	}
	if v, err := s.DeleteVerdict(ctx, mine.ID, hughU); err != nil || v.PatchID != 3 {
		t.Errorf("withdraw own: %+v %v", v, err)
	}
	if _, err := s.DeleteVerdict(ctx, p3.Verdicts[0].ID, admin); err != nil {
		t.Errorf("admin withdraws: %v", err)
	}
}
