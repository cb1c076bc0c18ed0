package checks

import "fmt"

var ruleR13 = &Rule{
	ID: "pagecache-lookup-ref-balance", Number: "R13", Severity: Error,
	Title: "Every page/folio reference taken by a page-cache lookup must be dropped on every path, exactly once, unless ownership is handed out",
	run:   runR13,
}

// runR13 reports leaked and doubly dropped lookup references.
func runR13(p *pass) {
	p.eachObs(obRefLeak, func(fi *fnInfo, o obs) {
		p.report(fi, o.line, Error, o.touched, fmt.Sprintf(
			"the reference on %s taken at line %d is not dropped on this path: call %s (a ->writepage or unlock does not drop it)",
			fi.varName(o.v), p.lineNum(o.rel), p.putAdvice(fi, o.v)))
	})
	p.eachObs(obDoublePut, func(fi *fnInfo, o obs) {
		p.report(fi, o.line, Error, o.touched, fmt.Sprintf(
			"the reference on %s was already dropped at line %d: this second put frees a page someone else holds",
			fi.varName(o.v), p.lineNum(o.rel)))
	})
}
