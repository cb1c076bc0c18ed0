package checks

import "fmt"

var ruleR15 = &Rule{
	ID: "filemap-folio-errptr-check", Number: "R15", Severity: Error,
	Title: "From v6.4 __filemap_get_folio/filemap_grab_folio/filemap_lock_folio/filemap_get_folio return ERR_PTR, never NULL; read_mapping_page/folio always did",
	run:   runR15,
}

var folioLookups = map[string]bool{"__filemap_get_folio": true, "filemap_grab_folio": true,
	"filemap_lock_folio": true, "filemap_get_folio": true}
var nullPageLookups = map[string]bool{"find_or_create_page": true, "grab_cache_page": true,
	"find_lock_page": true, "find_get_page": true, "pagecache_get_page": true}

// runR15 reports a lookup result tested the wrong way for its era.
func runR15(p *pass) {
	for _, fi := range p.u.funcs {
		from := map[string]call{}
		walkStmts(fi.body, func(s *stmt) {
			for _, part := range splitTopCommas(s.toks) {
				if lhs, rhs, ok := assignment(part); ok {
					if c, whole := wholeCall(rhs); whole {
						from[lhsVar(lhs)] = c
					}
				}
			}
			if s.kind != sIf && s.kind != sWhile {
				return
			}
			for v, c := range from {
				null, isErr := nullTestKind(s.toks, v)
				if !null && !isErr {
					continue
				}
				if !p.u.changed(s.line) && !p.u.changed(c.line) {
					continue
				}
				p.checkTest(fi, s.line, v, c.name, null, isErr)
				delete(from, v)
			}
		})
	}
}

// checkTest reports one failure test of v, the result of lookup name.
func (p *pass) checkTest(fi *fnInfo, line int32, v, name string, null, isErr bool) {
	switch {
	case errPtrLookups[name] && null && !isErr:
		p.report(fi, line, Error, true, fmt.Sprintf("%s() returns ERR_PTR on failure, never NULL: test IS_ERR(%s)", name, v))
	case folioLookups[name] && null && !isErr && p.u.era.atLeast(v64):
		p.report(fi, line, Error, true, fmt.Sprintf("%s() returns ERR_PTR since v6.4 (66dabbb65d67), never NULL: test IS_ERR(%s)", name, v))
	case folioLookups[name] && isErr && !null && p.u.era.before(v64):
		p.report(fi, line, Warning, true, fmt.Sprintf("%s() returns NULL on failure before v6.4: test !%s", name, v))
	case nullPageLookups[name] && isErr && !null:
		p.report(fi, line, Warning, true, fmt.Sprintf("%s() returns NULL on failure, never ERR_PTR: test !%s", name, v))
	}
}

// nullTestKind reports whether a condition tests v against NULL and/or
// with IS_ERR.
func nullTestKind(cond []token, v string) (null, isErr bool) {
	for i, t := range cond {
		if t.kind != tIdent || t.text != v {
			continue
		}
		prev, next := token{}, token{}
		if i > 0 {
			prev = cond[i-1]
		}
		if i+1 < len(cond) {
			next = cond[i+1]
		}
		if i > 1 && prev.is("(") && (cond[i-2].text == "IS_ERR" || cond[i-2].text == "IS_ERR_OR_NULL" || cond[i-2].text == "PTR_ERR_OR_ZERO") {
			isErr = true
			if cond[i-2].text == "IS_ERR_OR_NULL" {
				null = true
			}
			continue
		}
		if prev.is("!") && !next.is("->") || (next.is("==") || next.is("!=")) && i+2 < len(cond) && cond[i+2].text == "NULL" {
			null = true
		}
	}
	return null, isErr
}
