package review

import "testing"

func TestMatchVersions(t *testing.T) {
	diff := func(s string) string {
		return "diff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,3 @@\n int a;\n+" + s + "\n int c;\n"
	}
	// the same change, rebased (other line numbers) and re-indented
	rebased := "diff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -40,2 +41,3 @@\n other;\n+\tint  x;\n other2;\n"
	if PatchID(diff("int x;")) != PatchID(rebased) || PatchID(diff("int x;")) == PatchID(diff("int y;")) {
		t.Fatalf("patch-id: same change %q / %q, other change %q", PatchID(diff("int x;")), PatchID(rebased), PatchID(diff("int y;")))
	}
	old := []RangePatch{{1, "f: add a", PatchID(diff("a"))}, {2, "f: add b", PatchID(diff("b"))}, {3, "f: add x", PatchID(diff("int x;"))}}
	cur := []RangePatch{{11, "f: add b", PatchID(diff("b2"))}, {12, "f: add x the right way", PatchID(rebased)}, {13, "f: add z", PatchID(diff("z"))}}
	got := MatchVersions(old, cur)
	if len(got) != 2 || got[11] != 2 || got[12] != 3 {
		t.Errorf("matches %v, want 11→2 (subject), 12→3 (patch-id), 13 new, 1 dropped", got)
	}
}
