package checks

var ruleR23 = &Rule{
	ID: "aops-writepage-removed", Number: "R23", Severity: Error,
	Title: "->writepage no longer exists (v6.16); implement ->writepages with writeback_iter(), and never call another filesystem's ->writepage",
	run:   runR23,
}

// runR23 reports ->writepage registrations and calls on v6.16+ (error),
// and new registrations on v5.x-v6.15 (info).
func runR23(p *pass) {
	e := p.u.era
	if !e.atLeast(ver(5, 0, 0)) {
		return
	}
	t := p.u.toks
	for i := 1; i+1 < len(t); i++ {
		if t[i].text != "writepage" || t[i].kind != tIdent || !p.u.changed(t[i].line) {
			continue
		}
		reg := t[i-1].is(".") && t[i+1].is("=")
		use := t[i-1].is("->")
		switch {
		case e.atLeast(v616) && (reg || use):
			p.report(nil, t[i].line, Error, true, "->writepage was removed in v6.16 (6b0dfabb3555): implement ->writepages with writeback_iter(); a stacking filesystem writes through the lower file instead")
		case reg:
			p.report(nil, t[i].line, Info, true, "new ->writepage implementations are discouraged since v5.x: prefer ->writepages (iomap_writepages, mpage_writepages or writeback_iter)")
		}
	}
}
