package checks

import "sort"

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
		maps := mappings(fi)
		kmapped := map[string]bool{}
		for _, m := range maps {
			if m.fn == "kmap" {
				kmapped[m.addr] = true
			}
		}
		var unmaps []call
		rawCalls(fi, func(c call) {
			if len(c.args) == 0 {
				return
			}
			arg := argVar(c.args[0])
			switch c.name {
			case "kunmap_atomic", "kunmap_local":
				unmaps = append(unmaps, c)
				if pageType(types[arg]) && p.u.changed(c.line) {
					p.report(fi, c.line, Error, true, c.name+"() takes the address kmap returned, not the page: pass the mapped address")
				}
			case "kunmap":
				if kmapped[arg] && p.u.changed(c.line) {
					p.report(fi, c.line, Error, true, "kunmap() takes the page, not the address kmap() returned")
				}
			}
		})
		p.checkOrder(fi, rawMappings(fi), unmaps, gapLines(fi))
	}
}

// checkOrder replays mappings and unmappings in line order on a stack and
// reports an unmapping that is not of the innermost live mapping.
func (p *pass) checkOrder(fi *fnInfo, maps []mapping, unmaps []call, gaps []int32) {
	type step struct {
		line  int32
		addr  string
		unmap *call
	}
	var steps []step
	for _, m := range maps {
		if m.fn != "kmap" {
			steps = append(steps, step{line: m.line, addr: m.addr})
		}
	}
	for i := range unmaps {
		steps = append(steps, step{line: unmaps[i].line, unmap: &unmaps[i]})
	}
	for _, g := range gaps {
		steps = append(steps, step{line: g, addr: ""})
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].line < steps[j].line })
	var stack []string
	for _, s := range steps {
		if s.unmap == nil && s.addr == "" {
			stack = stack[:0] // unknown code between hunks may have unmapped anything
			continue
		}
		if s.unmap == nil {
			stack = append(stack, s.addr)
			continue
		}
		for k := len(stack) - 1; k >= 0; k-- {
			if !hasIdent(s.unmap.args[0], stack[k]) {
				continue
			}
			if k != len(stack)-1 && p.u.changed(s.line) {
				p.report(fi, s.line, Error, true, "local/atomic mappings are a stack: unmap the most recent mapping first (reverse order of mapping)")
			}
			stack = append(stack[:k], stack[k+1:]...)
			break
		}
	}
}
