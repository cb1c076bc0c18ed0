package checks

// allRules is the catalogue in R-number order (rules.md).
var allRules = []*Rule{
	ruleR01, ruleR02, ruleR03, ruleR04, ruleR05, ruleR06, ruleR07, ruleR08, ruleR09, ruleR10,
	ruleR11, ruleR12, ruleR13, ruleR14, ruleR15, ruleR16, ruleR17, ruleR18, ruleR19, ruleR20, ruleR21,
	ruleR22, ruleR23, ruleR24, ruleR25, ruleR26, ruleR27, ruleR28, ruleR29, ruleR30,
}

// eachObs calls fn for every observation of the given kind in the unit.
func (p *pass) eachObs(kind obsKind, fn func(fi *fnInfo, o obs)) {
	for _, fi := range p.u.funcs {
		for _, o := range fi.obs {
			if o.kind == kind {
				fn(fi, o)
			}
		}
	}
}

// varName names a tracked variable in messages.
func (fi *fnInfo) varName(v int8) string {
	if v < 0 || int(v) >= len(fi.vars) {
		return "the page"
	}
	return fi.vars[v]
}

// unlockAdvice is the era's way to unlock a page or folio variable.
func (p *pass) unlockAdvice(fi *fnInfo, v int8) string {
	name := fi.varName(v)
	if p.isFolio(fi, name) {
		return "folio_unlock(" + name + ")"
	}
	return "unlock_page(" + name + ")"
}

// putAdvice is the era's way to drop a page or folio reference.
func (p *pass) putAdvice(fi *fnInfo, v int8) string {
	name := fi.varName(v)
	switch {
	case p.isFolio(fi, name):
		return "folio_put(" + name + ")"
	case p.u.era.before(v46):
		return "page_cache_release(" + name + ")"
	}
	return "put_page(" + name + ")"
}

// isFolio reports whether a variable of the function is a folio.
func (p *pass) isFolio(fi *fnInfo, name string) bool {
	for _, pr := range fi.f.params {
		if pr.name == name {
			return contains(pr.typ, "folio")
		}
	}
	return contains(name, "folio")
}

// forCalls calls fn for every call in the function's statements.
func forCalls(fi *fnInfo, fn func(c call)) {
	walkStmts(fi.body, func(s *stmt) {
		for _, part := range [][]token{s.toks, s.init, s.post} {
			for _, c := range findCalls(part) {
				fn(c)
			}
		}
	})
}

func contains(s, sub string) bool { return indexFrom(s, 0, sub) >= 0 }
