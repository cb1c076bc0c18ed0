package checks

import "fmt"

var ruleR16 = &Rule{
	ID: "whole-page-copy-use-helper", Number: "R16", Severity: Warning,
	Title: "Replace open-coded kmap+memcpy(PAGE_SIZE)+kunmap of two pages with copy_highpage() (or memcpy_page/folio_copy/memcpy_{to,from}_folio)",
	run:   runR16,
}

// runR16 reports whole-page memcpy between two kmapped pages, and (v5.13+)
// one kmapped page copied to or from a buffer.
func runR16(p *pass) {
	for _, fi := range p.u.funcs {
		maps := mappings(fi)
		if len(maps) == 0 {
			continue
		}
		byAddr := map[string]mapping{}
		for _, m := range maps {
			byAddr[m.addr] = m
		}
		forCalls(fi, func(c call) {
			if c.name != "memcpy" || len(c.args) != 3 || !p.u.changed(c.line) {
				return
			}
			dst, dok := byAddr[argVar(c.args[0])]
			src, sok := byAddr[argVar(c.args[1])]
			whole := hasIdent(c.args[2], "PAGE_SIZE") || hasIdent(c.args[2], "PAGE_CACHE_SIZE") || hasIdent(c.args[2], "folio_size")
			switch {
			case dok && sok && whole && dst.page != src.page && identCount(fi, dst.addr) <= 3 && identCount(fi, src.addr) <= 3:
				p.report(fi, c.line, Warning, true, fmt.Sprintf("open-coded whole-page copy through two mappings: %s", copyAdvice(p.u.era, dst.page, src.page)))
			case (dok != sok) && p.u.era.atLeast(v513):
				m, fn := dst, "memcpy_to_page"
				if sok {
					m, fn = src, "memcpy_from_page"
				}
				if identCount(fi, m.addr) <= 3 && m.fn != "kmap_local_folio" {
					p.report(fi, c.line, Warning, true, fmt.Sprintf("map+memcpy+unmap of one page: use %s(), which maps with kmap_local_page() itself", fn))
				}
			}
		})
	}
}

// copyAdvice is the era's whole-page copy helper.
func copyAdvice(e era, dst, src string) string {
	switch {
	case e.atLeast(v516) && contains(dst+src, "folio"):
		return fmt.Sprintf("use folio_copy(%s, %s)", dst, src)
	case e.atLeast(v511):
		return fmt.Sprintf("use copy_highpage(%s, %s) (kmap_local_page inside) or memcpy_page()", dst, src)
	}
	return fmt.Sprintf("use copy_highpage(%s, %s), which does the kmap_atomic mapping and the copy itself", dst, src)
}
