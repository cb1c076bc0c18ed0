package checks

var ruleR21 = &Rule{
	ID: "large-folio-size-assumption", Number: "R21", Severity: Warning,
	Title: "Folio code must use folio_size()/folio_nr_pages() and must not copy more than one page through a single kmap_local_folio() mapping",
	run:   runR21,
}

// runR21 reports whole-folio copies through one kmap_local_folio() or
// folio_address() pointer, and copy_highpage() of a folio's first page.
// Without mapping_set_large_folios() in the unit the finding is info.
func runR21(p *pass) {
	sev := Info
	for _, t := range p.u.toks {
		if t.kind == tIdent && t.text == "mapping_set_large_folios" {
			sev = Warning
		}
	}
	for _, fi := range p.u.funcs {
		folioAddr := map[string]bool{}
		for _, m := range mappings(fi) {
			if m.fn == "kmap_local_folio" {
				folioAddr[m.addr] = true
			}
		}
		walkStmts(fi.body, func(s *stmt) {
			for _, part := range splitTopCommas(s.toks) {
				if lhs, rhs, ok := assignment(part); ok {
					if c, whole := wholeCall(rhs); whole && c.name == "folio_address" {
						folioAddr[lhsVar(lhs)] = true
					}
				}
			}
		})
		forCalls(fi, func(c call) {
			if !p.u.changed(c.line) {
				return
			}
			switch {
			case (c.name == "memcpy" || c.name == "memset") && len(c.args) == 3 && hasIdent(c.args[2], "folio_size") &&
				(folioAddr[argVar(c.args[0])] || c.name == "memcpy" && folioAddr[argVar(c.args[1])]):
				p.report(fi, c.line, sev, true, "one kmap_local_folio()/folio_address() mapping covers a single page on HIGHMEM: use memcpy_from_folio()/memcpy_to_folio(), folio_zero_range() or folio_copy(), which go page by page")
			case (c.name == "memcpy" || c.name == "memset") && len(c.args) == 3 && hasIdent(c.args[2], "PAGE_SIZE") &&
				sev == Warning && (folioAddr[argVar(c.args[0])] || c.name == "memcpy" && folioAddr[argVar(c.args[1])]):
				p.report(fi, c.line, sev, true, "PAGE_SIZE is not the size of a large folio: use folio_size() with memcpy_from_folio()/memcpy_to_folio() or folio_zero_range()")
			case c.name == "copy_highpage" && len(c.args) == 2 && pageOfFolio(c.args[0]) && pageOfFolio(c.args[1]):
				p.report(fi, c.line, sev, true, "copy_highpage() copies one page, not a whole (possibly large) folio: use folio_copy(dst, src)")
			}
		})
	}
}

// pageOfFolio reports whether an argument is &folio->page or folio_page(folio, 0).
func pageOfFolio(a []token) bool {
	return len(a) == 4 && a[0].is("&") && a[2].is("->") && a[3].text == "page" ||
		len(a) >= 4 && a[0].text == "folio_page"
}
