package diffview

import "patchreview/checks"

// CheckRules looks a rule up in the checks catalogue, or a note
// (checks.Notes: internal-error, tree-context, check-limit), for
// Options.Rules.
func CheckRules(id string) *Rule {
	r := checks.RuleByID(id)
	if r == nil {
		r = checks.NoteByID(id)
	}
	if r == nil {
		return nil
	}
	return &Rule{ID: r.ID, Title: r.Title, Doc: r.Doc}
}
