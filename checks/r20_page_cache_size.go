package checks

var ruleR20 = &Rule{
	ID: "page-cache-size-macros-removed", Number: "R20", Severity: Error,
	Title: "PAGE_CACHE_SIZE/SHIFT/MASK/ALIGN and page_cache_get/page_cache_release were removed in v4.6; use PAGE_* and get_page/put_page",
	run:   runR20,
}

var pageCacheMacros = map[string]string{"PAGE_CACHE_SIZE": "PAGE_SIZE", "PAGE_CACHE_SHIFT": "PAGE_SHIFT",
	"PAGE_CACHE_MASK": "PAGE_MASK", "PAGE_CACHE_ALIGN": "PAGE_ALIGN", "page_cache_get": "get_page",
	"page_cache_release": "put_page"}

// runR20 reports the removed macros on v4.6+ (error); on older code it
// warns where PAGE_CACHE_SIZE sizes a kmapped page or mixes with PAGE_SIZE.
func runR20(p *pass) {
	modern := p.u.era.atLeast(v46)
	if p.u.byName["page_cache_release"] != nil || p.u.byName["page_cache_get"] != nil {
		return // a file that defines its own function of that name (mm/swap.c, v6.10+)
	}
	for _, fi := range p.u.funcs {
		mapped := map[string]bool{}
		for _, m := range mappings(fi) {
			mapped[m.addr] = true
		}
		walkStmts(fi.body, func(s *stmt) {
			for _, part := range [][]token{s.toks, s.init, s.post} {
				p.r20Stmt(fi, part, modern, mapped)
			}
		})
	}
}

func (p *pass) r20Stmt(fi *fnInfo, toks []token, modern bool, mapped map[string]bool) {
	done := map[int32]bool{}
	for _, t := range toks {
		repl, ok := pageCacheMacros[t.text]
		if !ok || t.kind != tIdent || done[t.line] || !p.u.changed(t.line) || p.u.lines[t.line].compat {
			continue
		}
		done[t.line] = true
		switch {
		case modern:
			p.report(fi, t.line, Error, true, t.text+" was removed in v4.6 (09cbfeaf1a5a) and does not compile: use "+repl)
		case t.text == "PAGE_CACHE_SIZE" && (hasIdent(toks, "PAGE_SIZE") || copiesMapped(toks, mapped)):
			p.report(fi, t.line, Warning, true, "PAGE_CACHE_SIZE sizes a kmapped page here, which is PAGE_SIZE: if PAGE_CACHE_SIZE ever diverges this copy breaks; use PAGE_SIZE (or copy_highpage) and do not mix the two")
		}
	}
}

// copiesMapped reports whether the statement copies or clears through a
// kmapped address.
func copiesMapped(toks []token, mapped map[string]bool) bool {
	for _, c := range findCalls(toks) {
		if c.name != "memcpy" && c.name != "memset" && c.name != "memmove" {
			continue
		}
		for _, a := range c.args {
			if mapped[argVar(a)] {
				return true
			}
		}
	}
	return false
}
