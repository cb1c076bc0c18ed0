package checks

// A Rule is one check of the catalogue. ID is the rules.md id, a public
// contract; Number is the catalogue's R-number.
type Rule struct {
	ID       string
	Number   string
	Severity Severity // default; a finding may be lower or higher by era
	Title    string
	Doc      string // Markdown: explanation, kernel source, the fix by era

	run func(*pass) // reports the rule's findings on one unit
}

// Rules returns the catalogue in R-number order.
func Rules() []*Rule {
	loadDocs()
	return allRules
}

// RuleByID returns the rule with that id, or nil.
func RuleByID(id string) *Rule {
	for _, r := range Rules() {
		if r.ID == id {
			return r
		}
	}
	return nil
}
