package checks

var ruleR04 = &Rule{
	ID: "writepage-activate-not-propagated", Number: "R04", Severity: Error,
	Title: "Never propagate a lower/inner AOP_WRITEPAGE_ACTIVATE upward; convert it to 0 after unlocking",
	run:   runR04,
}

// runR04 reports a writepage function returning a lower writepage's result
// that may still be AOP_WRITEPAGE_ACTIVATE (commit e4230030).
func runR04(p *pass) {
	p.eachObs(obReturnAct, func(fi *fnInfo, o obs) {
		p.report(fi, o.line, Error, o.touched,
			"this return may pass the lower writepage's AOP_WRITEPAGE_ACTIVATE up: the caller would unlock the page again and msync(2) could see 0x80000; "+
				"if (err == AOP_WRITEPAGE_ACTIVATE) { unlock the lower page; err = 0; }")
	})
}
