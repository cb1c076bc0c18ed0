package checks

var ruleR19 = &Rule{
	ID: "kunmap-argument-and-order", Number: "R19", Severity: Error,
	Title: "Pass the page to kunmap(), but the address to kunmap_atomic()/kunmap_local(), and unmap local/atomic mappings in reverse (LIFO) order",
	run:   runR19,
}

// runR19 reports kunmap argument mix-ups and FIFO unmapping of stacked
// local/atomic mappings.
func runR19(p *pass) {
	for _, fi := range p.u.funcs {
		types := varTypes(fi)
		kmapped := map[string]bool{}
		var stack []string // live local/atomic addresses, innermost last
		for _, m := range mappings(fi) {
			if m.fn == "kmap" {
				kmapped[m.addr] = true
			}
		}
		forCalls(fi, func(c call) {
			if len(c.args) == 0 {
				return
			}
			arg := argVar(c.args[0])
			switch c.name {
			case "kmap_atomic", "kmap_local_page", "kmap_local_folio", "kmap_atomic_prot":
				stack = append(stack, "")
			case "kunmap_atomic", "kunmap_local":
				if pageType(types[arg]) && p.u.changed(c.line) {
					p.report(fi, c.line, Error, true, c.name+"() takes the address kmap returned, not the page: pass the mapped address")
				}
				p.checkOrder(fi, c, &stack)
			case "kunmap":
				if kmapped[arg] && p.u.changed(c.line) {
					p.report(fi, c.line, Error, true, "kunmap() takes the page, not the address kmap() returned")
				}
			}
		})
		_ = stack
	}
}

// checkOrder pops the mapping c unmaps and reports when it is not the
// innermost one.
func (p *pass) checkOrder(fi *fnInfo, c call, stack *[]string) {
	maps := mappings(fi)
	idx := -1
	for i, m := range maps {
		if m.fn != "kmap" && hasIdent(c.args[0], m.addr) && m.line < c.line {
			idx = i
		}
	}
	if idx < 0 || len(*stack) == 0 {
		return
	}
	live := 0
	for _, m := range maps[idx+1:] {
		if m.fn != "kmap" && m.line < c.line && !unmappedBefore(fi, m.addr, c.line) {
			live++
		}
	}
	if live > 0 && p.u.changed(c.line) {
		p.report(fi, c.line, Error, true, "local/atomic mappings are a stack: unmap the most recent mapping first (reverse order of mapping)")
	}
	*stack = (*stack)[:len(*stack)-1]
}

// unmappedBefore reports whether addr is unmapped by a call before line.
func unmappedBefore(fi *fnInfo, addr string, line int32) bool {
	found := false
	forCalls(fi, func(c call) {
		if (c.name == "kunmap_local" || c.name == "kunmap_atomic") && c.line < line && len(c.args) > 0 && hasIdent(c.args[0], addr) {
			found = true
		}
	})
	return found
}
