package checks

import (
	"strconv"
	"strings"
)

// CheckLimitID is the rule id of the note that a function (more than
// maxFuncTokens tokens) or a file diff (more than maxUnitLines lines) was
// too long for the checks to analyse: it was skipped, not misread, and
// nothing failed.
const CheckLimitID = "check-limit"

// notes are the ids that findings carry besides the rules of the
// catalogue: what the engine says about its own work on a file rather
// than about the code. They have no R-number; /rules/{id} documents them.
var notes = []*Rule{
	{ID: InternalErrorID, Severity: Warning, Title: "A rule failed on this file; its findings may be incomplete",
		Doc: "A check crashed (a panic in the C front end, the dataflow or one rule) while looking at this file. " +
			"The crash was caught: the other rules' findings on the file are kept, the failure is logged with " +
			"its stack, and this note says which stage failed. The file's findings may be incomplete, so review " +
			"it by hand, and please report the note with the patch: it is a bug in patchreview, not in the patch."},
	{ID: TreeNoteID, Severity: Info, Title: "The patch did not apply to the kernel tree; its hunks alone were checked",
		Doc: "When the checks are given a kernel tree (`patchreview check --tree`), each patched file is read " +
			"from it and the patch applied in memory, so that the rules see whole functions and the file's other " +
			"functions. For this file that was not possible: the file is not in the tree, or a hunk does not " +
			"apply there (the tree is another version). The file was checked from the hunks alone, as without a " +
			"tree, so a finding that needs the rest of a function may be missing."},
	{ID: CheckLimitID, Severity: Info, Title: "A function or a file diff was too long to analyse; it was skipped",
		Doc: "A function with more than " + strconv.Itoa(maxFuncTokens) + " tokens, or a file whose diff has more than " +
			strconv.Itoa(maxUnitLines) + " lines, is too long for the checks to analyse in bounded time and memory " +
			"(such code is generated or hostile input). It was skipped: no finding is made up about it and none is " +
			"reported, so review it by hand. Nothing failed; for a long function, the other functions of the file " +
			"were checked as usual."},
}

// Notes returns the notes (ids that are not rules of the catalogue).
func Notes() []*Rule { return notes }

// NoteByID returns the note with that id, or nil.
func NoteByID(id string) *Rule {
	for _, n := range notes {
		if n.ID == id {
			return n
		}
	}
	return nil
}

// RuleByNumber returns the rule with that R-number ("R30", any case), or
// nil.
func RuleByNumber(number string) *Rule {
	for _, r := range Rules() {
		if strings.EqualFold(r.Number, number) {
			return r
		}
	}
	return nil
}
