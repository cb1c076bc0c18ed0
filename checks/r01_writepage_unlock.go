package checks

import "fmt"

var ruleR01 = &Rule{
	ID: "writepage-unlock-all-paths", Number: "R01", Severity: Error,
	Title: "Every return path of a ->writepage (or per-folio writer) must unlock the page, except return AOP_WRITEPAGE_ACTIVATE",
	run:   runR01,
}

// runR01 reports paths of a writepage function that return with the own
// page locked, and writeback_iter iterations that keep their folio locked.
func runR01(p *pass) {
	p.eachObs(obExitLocked, func(fi *fnInfo, o obs) {
		sev := Error
		if fi.wpWeak {
			sev = lower(sev)
		}
		unlock := p.unlockAdvice(fi, o.v)
		where := "before this return"
		if !o.direct {
			where = fmt.Sprintf("before this jump, or move its label above the unlock (the return at line %d is reached with the page locked)", p.lineNum(o.rel))
		}
		p.report(fi, o.line, sev, o.touched, fmt.Sprintf(
			"%s returns with %s still locked on this path; a ->writepage must unlock its page on every path except return AOP_WRITEPAGE_ACTIVATE: call %s %s",
			fi.f.name, fi.varName(o.v), unlock, where)+p.resting(o))
	})
	p.eachObs(obExitLockedAsync, func(fi *fnInfo, o obs) {
		p.report(fi, o.line, Info, o.touched, fmt.Sprintf(
			"%s returns with %s locked after starting writeback and submitting I/O: verify the completion handler unlocks it",
			fi.f.name, fi.varName(o.v)))
	})
	p.eachObs(obIterLeak, func(fi *fnInfo, o obs) {
		p.report(fi, o.line, Error, o.touched, fmt.Sprintf(
			"%s reaches the next writeback_iter() call with %s still locked; every iteration must call %s or hand the folio to code that unlocks it",
			fi.f.name, fi.varName(o.v), p.unlockAdvice(fi, o.v)))
	})
}

// resting says what a locked-page finding rests on: a summarised callee
// that keeps the page locked, or an unknown callee assumed to.
func (p *pass) resting(o obs) string {
	out := ""
	if o.kept != "" {
		out += fmt.Sprintf(" (%s() returns with the page still locked: %s)", o.kept, p.u.summarySource(o.kept))
	}
	if o.name != "" && o.name != o.kept {
		out += fmt.Sprintf(" (this assumes %s(), whose body the check does not see, leaves it locked)", o.name)
	}
	return out
}
