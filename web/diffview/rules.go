package diffview

import "patchreview/checks"

// CheckRules looks a rule up in the checks catalogue, for Options.Rules.
func CheckRules(id string) *Rule {
	r := checks.RuleByID(id)
	if r == nil {
		return nil
	}
	return &Rule{ID: r.ID, Title: r.Title, Doc: r.Doc}
}
