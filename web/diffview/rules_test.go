package diffview

import (
	"strings"
	"testing"

	"patchreview/checks"
)

// TestCheckRulesRender renders every catalogue rule's and note's doc as a finding
// would show it: a title, HTML with no raw tags from the Markdown.
func TestCheckRulesRender(t *testing.T) {
	rules := append(append([]*checks.Rule{}, checks.Rules()...), checks.Notes()...) // notes too: their findings show a title and doc
	if len(rules) == 0 {
		t.Fatal("empty catalogue")
	}
	for _, cr := range rules {
		r := CheckRules(cr.ID)
		if r == nil || r.Title == "" {
			t.Errorf("%s: no rule or no title", cr.ID)
			continue
		}
		doc := string(renderDoc(r.Doc))
		if cr.Doc != "" && doc == "" {
			t.Errorf("%s: doc rendered empty", cr.ID)
		}
		for _, bad := range []string{"<script", "<iframe", "onerror="} {
			if strings.Contains(doc, bad) {
				t.Errorf("%s: doc HTML contains %s", cr.ID, bad)
			}
		}
	}
	if CheckRules("no-such-rule") != nil {
		t.Error("an unknown id found a rule")
	}
}
