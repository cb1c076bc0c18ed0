package checks

import "fmt"

var ruleR14 = &Rule{
	ID: "pagecache-lookup-lock-balance", Number: "R14", Severity: Error,
	Title: "A page returned locked by a lookup must be unlocked on every path before the final put, or handed to a callee that unlocks it",
	run:   runR14,
}

// runR14 reports locked lookups still locked at a return, and unlocks
// after the last put.
func runR14(p *pass) {
	p.eachObs(obLookupLocked, func(fi *fnInfo, o obs) {
		p.report(fi, o.line, Error, o.touched, fmt.Sprintf(
			"%s, returned locked at line %d, is still locked on this path: call %s before %s",
			fi.varName(o.v), p.lineNum(o.rel), p.unlockAdvice(fi, o.v), p.putAdvice(fi, o.v)))
	})
	p.eachObs(obUnlockAfterPut, func(fi *fnInfo, o obs) {
		p.report(fi, o.line, Warning, o.touched, fmt.Sprintf(
			"%s is unlocked after its reference was dropped at line %d and may already be freed: unlock first, then put",
			fi.varName(o.v), p.lineNum(o.rel)))
	})
}
