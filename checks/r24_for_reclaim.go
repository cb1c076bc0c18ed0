package checks

var ruleR24 = &Rule{
	ID: "wbc-for-reclaim-usage", Number: "R24", Severity: Info,
	Title: "In the wbc->for_reclaim case a stacking filesystem can simply dirty the lower page and return; the field was removed in v6.17",
	run:   runR24,
}

// runR24 reports wbc->for_reclaim on v6.17+ (error) and, before, a
// writepage that calls a lower ->writepage even from reclaim (info).
func runR24(p *pass) {
	e := p.u.era
	for _, fi := range p.u.funcs {
		usesReclaim := false
		for _, t := range fi.f.body {
			if t.kind == tIdent && t.text == "for_reclaim" {
				usesReclaim = true
				if e.atLeast(v617) && p.u.changed(t.line) {
					p.report(fi, t.line, Error, true, "wbc->for_reclaim was removed in v6.17: filesystem writeback is never called from reclaim any more, drop the branch")
				}
			}
		}
		if !fi.wp || usesReclaim || e.atLeast(v616) {
			continue
		}
		forCalls(fi, func(c call) {
			if c.name != "->writepage" || len(c.args) == 0 || argVar(c.args[0]) == fi.varName(fi.own) || !p.u.changed(c.line) {
				return
			}
			p.report(fi, c.line, Info, true, "when wbc->for_reclaim is set there is no need to call the lower ->writepage: set_page_dirty() the lower page, unlock it and return; reclaim reaches the lower page itself")
		})
	}
}
