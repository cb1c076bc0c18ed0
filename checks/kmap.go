package checks

// kmapCalls map a page or folio and return an address.
var kmapCalls = map[string]bool{"kmap": true, "kmap_atomic": true, "kmap_local_page": true,
	"kmap_local_folio": true, "kmap_atomic_prot": true, "kmap_local_page_prot": true}

// A mapping is one "addr = kmap*(page)" of a function.
type mapping struct {
	addr, page, fn string
	line           int32
}

// mappings returns the kmap-style assignments of a function in textual order.
func mappings(fi *fnInfo) []mapping {
	var out []mapping
	walkStmts(fi.body, func(s *stmt) {
		for _, part := range splitTopCommas(s.toks) {
			lhs, rhs, ok := assignment(part)
			if !ok {
				continue
			}
			c, whole := wholeCall(rhs)
			if !whole || !kmapCalls[c.name] || len(c.args) == 0 {
				continue
			}
			out = append(out, mapping{addr: lhsVar(lhs), page: argVar(c.args[0]), fn: c.name, line: c.line})
		}
	})
	return out
}

// identCount counts the occurrences of an identifier in the function body.
func identCount(fi *fnInfo, name string) int {
	n := 0
	for _, t := range fi.f.body {
		if t.kind == tIdent && t.text == name {
			n++
		}
	}
	return n
}

// varTypes returns the declared types of a function's parameters and
// simple local declarations ("struct page *p").
func varTypes(fi *fnInfo) map[string]string {
	types := map[string]string{}
	for _, p := range fi.f.params {
		types[p.name] = p.typ
	}
	walkStmts(fi.body, func(s *stmt) {
		if s.kind != sExpr || len(s.toks) < 2 || s.toks[0].kind != tIdent ||
			!(s.toks[1].kind == tIdent || s.toks[1].is("*")) {
			return
		}
		typ := ""
		for _, part := range splitTopCommas(s.toks) {
			k := 0
			for k < len(part) && (part[k].kind == tIdent || part[k].is("*")) {
				k++
			}
			if k == 0 {
				continue
			}
			if typ == "" {
				typ = text(part[:k-1])
			}
			types[part[k-1].text] = typ
		}
	})
	return types
}

// rawStmts calls fn on the statements of the function's own tokens, split
// at ';', '{' and '}' outside parentheses. Unlike the statement tree, it
// keeps code the tree cannot place (a later hunk that starts inside a
// block), so that token rules see every visible line.
func rawStmts(fi *fnInfo, fn func(toks []token)) {
	body := fi.f.body
	depth, start := 0, 0
	for k, t := range body {
		switch {
		case t.is("(") || t.is("["):
			depth++
		case t.is(")") || t.is("]"):
			depth = max(depth-1, 0)
		case t.kind == tGap || depth == 0 && (t.is(";") || t.is("{") || t.is("}")):
			if k > start {
				fn(body[start:k])
			}
			start, depth = k+1, 0
		}
	}
	if start < len(body) {
		fn(body[start:])
	}
}

// rawCalls calls fn for every call in the function's own tokens.
func rawCalls(fi *fnInfo, fn func(c call)) {
	rawStmts(fi, func(toks []token) {
		for _, c := range findCalls(toks) {
			fn(c)
		}
	})
}

// rawCallsAndGaps is rawCalls that also calls gap, in line order, for
// each stretch of code the input does not show. A rule that replays
// state in line order (what is mapped, locked, disabled) must forget it
// there: the unseen code may have undone it.
func rawCallsAndGaps(fi *fnInfo, fn func(c call), gap func()) {
	gaps := gapLines(fi)
	rawCalls(fi, func(c call) {
		for len(gaps) > 0 && gaps[0] < c.line {
			gaps = gaps[1:]
			gap()
		}
		fn(c)
	})
}

// rawMappings is mappings over rawStmts.
func rawMappings(fi *fnInfo) []mapping {
	var out []mapping
	rawStmts(fi, func(toks []token) {
		for _, part := range splitTopCommas(toks) {
			lhs, rhs, ok := assignment(part)
			if !ok {
				continue
			}
			c, whole := wholeCall(rhs)
			if !whole || !kmapCalls[c.name] || len(c.args) == 0 {
				continue
			}
			out = append(out, mapping{addr: lhsVar(lhs), page: argVar(c.args[0]), fn: c.name, line: c.line})
		}
	})
	return out
}

// gapLines returns the lines of the unknown code inside the function.
func gapLines(fi *fnInfo) []int32 {
	var out []int32
	for _, t := range fi.f.body {
		if t.kind == tGap {
			out = append(out, t.line)
		}
	}
	return out
}
