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
			fi.varName(o.v), p.lineNum(o.rel), p.unlockAdvice(fi, o.v), p.putAdvice(fi, o.v))+p.resting(o)+p.lookupSource(fi, o))
	})
	p.eachObs(obUnlockAfterPut, func(fi *fnInfo, o obs) {
		p.report(fi, o.line, Warning, o.touched, fmt.Sprintf(
			"%s is unlocked after its reference was dropped at line %d and may already be freed: unlock first, then put",
			fi.varName(o.v), p.lineNum(o.rel)))
	})
}

// lookupSource says where the knowledge that a wrapper returns a locked
// page comes from, when the lookup is not the kernel API's own.
func (p *pass) lookupSource(fi *fnInfo, o obs) string {
	name := ""
	for _, c := range findCalls(p.u.lineToks(o.rel)) {
		if lockedLookups[c.name] || flagLookups[c.name] || refLookups[c.name] {
			return ""
		}
		if p.u.retSummary(c.name) == retLocked {
			name = c.name
		}
	}
	if name == "" {
		return ""
	}
	src := "its body in this file"
	if p.u.byName[name] == nil {
		if c, ok := p.u.contractFor(name); ok {
			src = "mined contract from " + c.origin
		}
	}
	return fmt.Sprintf(" (%s() returns the page locked: %s)", name, src)
}
