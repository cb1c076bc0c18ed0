package diffview

import (
	"strings"
	"testing"

	"patchreview/review"
)

// TestDuplicateFindingsGrouped: the same rule with the same message on
// two lines of a file shows one full card ("also at line 29") and a
// one-line pointer, not two identical long cards.
func TestDuplicateFindingsGrouped(t *testing.T) {
	msg := "returns with the page locked (see line 12)"
	findings := []review.Finding{
		{ID: 1, Rule: "writepage-unlock-all-paths", Severity: "error", Path: "fs/shadowfs/aops.c", Line: 58, Message: msg},
		{ID: 2, Rule: "writepage-unlock-all-paths", Severity: "error", Path: "fs/shadowfs/aops.c", Line: 29, Message: strings.Replace(msg, "12", "13", 1)},
		{ID: 3, Rule: "other-rule", Severity: "error", Path: "fs/shadowfs/aops.c", Line: 60, Message: msg},
	}
	v := Build(loadPatch(t), findings, nil, Options{PageURL: "/patches/7", Rules: CheckRules})
	var full, same []*Note
	for _, n := range v.Findings {
		if n.SameAs != nil {
			same = append(same, n)
		} else {
			full = append(full, n)
		}
	}
	if len(full) != 2 || len(same) != 1 || same[0].SameAs.ID != "finding-2" || len(full[0].AlsoAt) != 1 || full[0].AlsoAt[0].Line != 58 {
		t.Fatalf("full %d, pointers %d: %+v", len(full), len(same), same)
	}
	out := render(t, "diffview", v)
	if !strings.Contains(out, `Also at <a href="#f1-n58">line 58</a>.`) || !strings.Contains(out, `again: see <a href="#finding-2">`) {
		t.Errorf("grouping not rendered")
	}
	if n := strings.Count(out, "Why this matters"); n != 1 {
		t.Errorf("%d full explanations of the rule, want 1: its duplicate is a pointer", n)
	}
}
