package checks

import "fmt"

var ruleR28 = &Rule{
	ID: "page-double-unlock-or-put", Number: "R28", Severity: Error,
	Title: "Do not unlock a page, or drop a reference, that a helper already unlocked or dropped on every path",
	run:   runR28,
}

// runR28 reports a second unlock or put of a page on a path where a
// same-file helper (by its summary) or this function already did it, with
// nothing in between that could lock it again.
func runR28(p *pass) {
	p.eachObs(obUnlockTwice, func(fi *fnInfo, o obs) {
		p.report(fi, o.line, Error, o.touched, fmt.Sprintf(
			"%s is unlocked twice on this path: %s at line %d already unlocked it%s; a second unlock releases a lock somebody else may hold (VM_BUG_ON_FOLIO with CONFIG_DEBUG_VM): drop one of them",
			fi.varName(o.v), who(o.name, "an unlock"), p.lineNum(o.rel), p.because(o.name, "unlocks")))
	})
	p.eachObs(obPutTwice, func(fi *fnInfo, o obs) {
		p.report(fi, o.line, Error, o.touched, fmt.Sprintf(
			"the reference on %s is dropped twice on this path: %s at line %d already dropped it%s; the extra put frees a page the page cache still uses: drop one of them",
			fi.varName(o.v), who(o.name, "a put"), p.lineNum(o.rel), p.because(o.name, "drops its reference")))
	})
}

// who names the call a finding rests on.
func who(helper, plain string) string {
	if helper == "" {
		return plain
	}
	return helper + "()"
}

// because explains a helper's summary, so that the finding explains itself.
func (p *pass) because(helper, what string) string {
	if helper == "" {
		return ""
	}
	return fmt.Sprintf(" (%s: %s() %s on every path)", p.u.summarySource(helper), helper, what)
}
