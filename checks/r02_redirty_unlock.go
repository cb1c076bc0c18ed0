package checks

import "fmt"

var ruleR02 = &Rule{
	ID: "writepage-redirty-must-unlock", Number: "R02", Severity: Error,
	Title: "Redirtying the own page and declining to write it requires unlocking it and returning 0",
	run:   runR02,
}

// runR02 reports a return reached directly after redirtying the own page
// while it is still locked (the fuse_writepage bug, d5880c7a8620).
func runR02(p *pass) {
	p.eachObs(obExitLocked, func(fi *fnInfo, o obs) {
		if !o.redirty || !o.direct {
			return
		}
		redirty := "redirty_page_for_writepage(wbc, page)"
		if p.isFolio(fi, fi.varName(o.v)) {
			redirty = "folio_redirty_for_writepage(wbc, folio)"
		}
		sev := Error
		if fi.wpWeak {
			sev = lower(sev)
		}
		p.report(fi, o.line, sev, o.touched, fmt.Sprintf(
			"%s is redirtied but still locked at this return: after %s, call %s and return 0",
			fi.varName(o.v), redirty, p.unlockAdvice(fi, o.v)))
	})
}
