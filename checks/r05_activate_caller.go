package checks

import "fmt"

var ruleR05 = &Rule{
	ID: "aop-activate-caller-must-unlock", Number: "R05", Severity: Error,
	Title: "Code that invokes a writepage-like callback must handle AOP_WRITEPAGE_ACTIVATE by unlocking the page and treating the result as success",
	run:   runR05,
}

// runR05 reports a writepage-like call whose AOP_WRITEPAGE_ACTIVATE
// result leaves its page locked on some path.
func runR05(p *pass) {
	p.eachObs(obActLeak, func(fi *fnInfo, o obs) {
		p.report(fi, o.line, Error, o.touched, fmt.Sprintf(
			"if this call returns AOP_WRITEPAGE_ACTIVATE, %s stays locked on some path: add if (result == AOP_WRITEPAGE_ACTIVATE) { %s; result = 0; } before treating a nonzero result as failure",
			fi.varName(o.v), p.unlockAdvice(fi, o.v)))
	})
}
