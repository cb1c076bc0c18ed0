package checks

import "fmt"

var ruleR03 = &Rule{
	ID: "lower-writepage-double-unlock", Number: "R03", Severity: Error,
	Title: "After calling another mapping's ->writepage (or write_one_page), the page is already unlocked, so do not unlock it again",
	run:   runR03,
}

// runR03 reports an unlock of a page that a lower writepage already
// unlocked, unless the path is known to have seen AOP_WRITEPAGE_ACTIVATE.
func runR03(p *pass) {
	p.eachObs(obDoubleUnlock, func(fi *fnInfo, o obs) {
		p.report(fi, o.line, Error, o.touched, fmt.Sprintf(
			"%s was already unlocked by the writepage call at line %d, on success or failure; only AOP_WRITEPAGE_ACTIVATE leaves it locked: unlock it only inside if (err == AOP_WRITEPAGE_ACTIVATE)",
			fi.varName(o.v), p.lineNum(o.rel)))
	})
}
