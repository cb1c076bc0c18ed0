package checks

var ruleR26 = &Rule{
	ID: "writeback-iter-no-early-exit", Number: "R26", Severity: Error,
	Title: "Do not break, goto out of, or return from a writeback_iter() loop; keep calling it until it returns NULL",
	run:   runR26,
}

// runR26 reports early exits from writeback_iter() loop bodies.
func runR26(p *pass) {
	for _, fi := range p.u.funcs {
		walkStmts(fi.body, func(s *stmt) {
			if s.kind != sWhile || !hasIdent(s.toks, "writeback_iter") {
				return
			}
			labels := map[string]bool{}
			walkStmts(s.body, func(x *stmt) {
				if x.kind == sLabel {
					labels[x.label] = true
				}
			})
			p.earlyExits(fi, s.body, labels, 0)
			p.iterErrorVar(fi, s)
		})
	}
}

// earlyExits reports break/goto/return leaving the loop body; inner is the
// nesting depth of loops and switches inside it.
func (p *pass) earlyExits(fi *fnInfo, s *stmt, labels map[string]bool, inner int) {
	if s == nil {
		return
	}
	msg := "writeback_iter() must be called until it returns NULL (its kernel-doc: callers should not break out of the loop): record the error in the iterator's error variable and continue"
	switch s.kind {
	case sBreak:
		if inner == 0 && p.u.changed(s.line) {
			p.report(fi, s.line, Error, true, "break out of a writeback_iter() loop: "+msg)
		}
	case sReturn:
		if p.u.changed(s.line) {
			p.report(fi, s.line, Error, true, "return from inside a writeback_iter() loop: "+msg)
		}
	case sGoto:
		if !labels[s.label] && p.u.changed(s.line) {
			p.report(fi, s.line, Error, true, "goto out of a writeback_iter() loop: "+msg)
		}
	case sWhile, sDo, sFor, sSwitch:
		inner++
	}
	for _, c := range s.list {
		p.earlyExits(fi, c, labels, inner)
	}
	p.earlyExits(fi, s.body, labels, inner)
	p.earlyExits(fi, s.els, labels, inner)
}

// iterErrorVar reports (info) per-folio results stored in a variable other
// than the iterator's error variable: the iterator never sees them.
func (p *pass) iterErrorVar(fi *fnInfo, loop *stmt) {
	errVar := ""
	for _, c := range findCalls(loop.toks) {
		if c.name == "writeback_iter" && len(c.args) == 4 && len(c.args[3]) == 2 && c.args[3][0].is("&") {
			errVar = c.args[3][1].text
		}
	}
	if errVar == "" {
		return
	}
	walkStmts(loop.body, func(s *stmt) {
		lhs, rhs, ok := assignment(s.toks)
		if !ok || !p.u.changed(s.line) {
			return
		}
		lv := lhsVar(lhs)
		if c, whole := wholeCall(rhs); whole && lv != "" && lv != errVar && len(c.args) > 0 && hasIdent(c.args[0], fi.varName(fi.iterFolio(loop))) {
			p.report(fi, s.line, Info, true, "the per-folio result goes to "+lv+", not to "+errVar+", the error variable writeback_iter() reads: assign it to "+errVar)
		}
	})
}
