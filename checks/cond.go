package checks

import "strings"

// refine narrows a state by the outcome of a branch condition. It returns
// false when the outcome is impossible on that path (for example
// err == AOP_WRITEPAGE_ACTIVATE after err was set to 0).
func (fi *fnInfo) refine(s state, toks []token, truth bool) (state, bool) {
	toks = stripParens(toks)
	if len(toks) == 0 {
		return s, true
	}
	if parts := splitTop(toks, "||"); len(parts) > 1 {
		if truth {
			return fi.maybeFailed(s, parts, true), true
		}
		return fi.refineAll(s, parts, false)
	}
	if parts := splitTop(toks, "&&"); len(parts) > 1 {
		if !truth {
			return fi.maybeFailed(s, parts, false), true
		}
		return fi.refineAll(s, parts, true)
	}
	if toks[0].is("!") && unary(toks[1:]) {
		return fi.refine(s, toks[1:], !truth)
	}
	if len(toks) >= 3 && toks[0].kind == tIdent && toks[1].is("(") && toks[len(toks)-1].is(")") && unary(toks) {
		args, _ := splitArgs(toks, 1)
		switch toks[0].text {
		case "likely", "unlikely":
			if len(args) == 1 {
				return fi.refine(s, args[0], truth)
			}
		case "IS_ERR", "IS_ERR_OR_NULL", "xa_is_value":
			if len(args) == 1 {
				return fi.nullTest(s, argVar(args[0]), truth), true
			}
		case "trylock_page", "folio_trylock":
			if v, ok := fi.varIdx[argVar(args[0])]; ok && truth {
				s.v[v].lock, s.v[v].lline = lkLocked, toks[0].line
				if fi.elems[v] {
					s.v[v].elem, s.v[v].owned = true, true
				}
			}
			return s, true
		}
	}
	if name, eq, ok := errPtrCompare(toks); ok {
		// PTR_ERR(folio) == -ENOENT, folio == ERR_PTR(-ENOMEM): where the
		// comparison holds, the lookup failed and nothing is owed.
		return fi.nullTest(s, name, eq == truth), true
	}
	if hasIdent(toks, "for_reclaim") && truth && !toks[0].is("!") {
		s.reclaim = true
	}
	if lhs, _, ok := assignment(toks); ok {
		return fi.refineAtom(s, lhsVar(lhs), "!=", "0", truth)
	}
	if len(toks) == 1 && toks[0].kind == tIdent {
		if _, tracked := fi.valIdx[toks[0].text]; !tracked {
			if truth && s.zero == toks[0].text {
				s.zero = ""
			} else if !truth {
				s.zero = toks[0].text
			}
			if truth && errName(toks[0].text) {
				s.failed = toks[0].text
			}
		}
		return fi.refineAtom(s, toks[0].text, "!=", "0", truth)
	}
	if len(toks) == 3 && toks[1].is("<") && toks[2].text == "0" && errName(toks[0].text) {
		if truth {
			s.failed = toks[0].text
		} else if s.failed == toks[0].text {
			s.failed = ""
		}
	}
	if len(toks) == 3 && toks[1].kind == tPunct {
		a, op, b := toks[0].text, toks[1].text, toks[2].text
		if toks[2].kind == tIdent && (a == "NULL" || a == "0") {
			a, b = b, a
		}
		if _, ok := fi.varIdx[a]; ok && toks[2].kind == tIdent && b != "NULL" && (op == "==" || op == "!=") {
			return fi.aliasTest(s, a, op == "==" == truth), true
		}
		return fi.refineAtom(s, a, op, b, truth)
	}
	return s, true
}

// aliasTest narrows by "v == other": when equal, v is the other page (for
// example the caller's locked_page), which this function does not own.
func (fi *fnInfo) aliasTest(s state, name string, equal bool) state {
	if v, ok := fi.varIdx[name]; ok && equal && v != fi.own {
		s.v[v] = vst{dep: -1, escaped: true}
	}
	return s
}

func (fi *fnInfo) refineAll(s state, parts [][]token, truth bool) (state, bool) {
	for _, p := range parts {
		var ok bool
		if s, ok = fi.refine(s, p, truth); !ok {
			return s, false
		}
	}
	return s, true
}

// maybeFailed handles the branch of "a && b" (false) or "a || b" (true)
// on which one operand's lookup test may have failed: the page might not
// be held there, so nothing is owed (the cautious reading).
func (fi *fnInfo) maybeFailed(s state, parts [][]token, truth bool) state {
	for _, p := range parts {
		for v := range fi.vars {
			if int8(v) == fi.own {
				continue
			}
			if t, ok := fi.refine(s, p, truth); ok && t.v[v] != s.v[v] && t.v[v].lock == lkNone && t.v[v].ref == rfNone {
				s.v[v] = vst{dep: -1, escaped: true}
			}
		}
	}
	return s
}

// refineAtom narrows by "a op b" where a is a variable.
func (fi *fnInfo) refineAtom(s state, a, op, b string, truth bool) (state, bool) {
	if ds, ok := fi.derived[a]; ok && (b == "NULL" || b == "0") && (op == "==") == truth {
		for _, v := range ds {
			if v != fi.own {
				s.v[v] = vst{dep: -1, escaped: true} // no mapping/buffer: the page is not held here
			}
		}
		return s, true
	}
	if v, ok := fi.varIdx[a]; ok && (b == "NULL" || b == "0") {
		switch op {
		case "==":
			return fi.nullTest(s, a, truth), true
		case "!=":
			return fi.nullTest(s, a, !truth), true
		}
		_ = v
		return s, true
	}
	val, ok := fi.valIdx[a]
	if !ok || s.val[val]&vTop != 0 {
		return s, true
	}
	var set uint8 // the values for which the atom is true
	switch {
	case b == "AOP_WRITEPAGE_ACTIVATE" && op == "==":
		set = vAct
	case b == "AOP_WRITEPAGE_ACTIVATE" && op == "!=":
		set = vAll &^ vAct
	case b == "0" && op == "==":
		set = vZero
	case b == "0" && op == "!=":
		set = vAll &^ vZero
	case b == "0" && op == "<":
		set = vErr
	case b == "0" && op == ">=":
		set = vAll &^ vErr
	case b == "0" && op == ">":
		set = vAct | vPos
	case b == "0" && op == "<=":
		set = vZero | vErr
	default:
		return s, true
	}
	if !truth {
		set = vAll &^ set
	}
	nb := s.val[val] & set
	if nb == 0 {
		return s, false
	}
	s.val[val] = nb
	for i := range s.v {
		v := &s.v[i]
		if v.lock != lkActDep || v.dep != val {
			continue
		}
		v.depBits = nb
		switch {
		case nb == vAct:
			v.lock, v.dep = lkLocked, -1
		case nb&vAct == 0:
			v.lock, v.dep = lkUnlocked, -1
		}
	}
	return s, true
}

// nullTest narrows by a failed-lookup test on name: on the failed branch
// the lookup returned nothing, so nothing is owed.
func (fi *fnInfo) nullTest(s state, name string, failed bool) state {
	v, ok := fi.varIdx[name]
	if !ok || !failed {
		return s
	}
	if v == fi.own {
		return s
	}
	s.v[v] = vst{dep: -1}
	return s
}

// stripParens removes parentheses around a whole expression.
func stripParens(toks []token) []token {
	for len(toks) >= 2 && toks[0].is("(") && toks[len(toks)-1].is(")") {
		_, end := splitArgs(toks, 0)
		if end != len(toks)-1 {
			break
		}
		toks = toks[1 : len(toks)-1]
	}
	return toks
}

// unary reports whether toks is one operand: an identifier, a call, a
// parenthesised group or a member chain, with no binary operator at top level.
func unary(toks []token) bool {
	depth := 0
	for i, t := range toks {
		switch {
		case t.is("(") || t.is("["):
			depth++
		case t.is(")") || t.is("]"):
			depth--
		case depth == 0 && t.kind == tPunct && !t.is("->") && !t.is(".") && !(i == 0 && (t.is("!") || t.is("*") || t.is("&"))):
			return false
		}
	}
	return true
}

// splitTop splits at a top-level binary operator.
func splitTop(toks []token, op string) [][]token {
	var out [][]token
	depth, start := 0, 0
	for k, t := range toks {
		switch {
		case t.is("(") || t.is("["):
			depth++
		case t.is(")") || t.is("]"):
			depth--
		case depth == 0 && t.is(op):
			out = append(out, toks[start:k])
			start = k + 1
		}
	}
	if len(out) == 0 {
		return nil
	}
	return append(out, toks[start:])
}

// isIdentLike reports whether s is a C identifier.
func isIdentLike(s string) bool {
	return s != "" && isIdentStart(s[0]) && !strings.ContainsAny(s, " ()")
}

// errName reports whether a variable name is a conventional error code.
func errName(s string) bool {
	switch s {
	case "err", "error", "ret", "rc", "retval", "status":
		return true
	}
	return false
}

// errPtrCompare recognises "PTR_ERR(x) == -ECODE" and "x == ERR_PTR(...)"
// (either side, == or !=): it returns x and whether the operator is ==.
func errPtrCompare(toks []token) (name string, eq bool, ok bool) {
	var op int = -1
	depth := 0
	for k, t := range toks {
		switch {
		case t.is("(") || t.is("["):
			depth++
		case t.is(")") || t.is("]"):
			depth--
		case depth == 0 && (t.is("==") || t.is("!=")):
			if op >= 0 {
				return "", false, false
			}
			op = k
		}
	}
	if op < 1 || op+1 >= len(toks) {
		return "", false, false
	}
	eq = toks[op].is("==")
	a, b := stripParens(toks[:op]), stripParens(toks[op+1:])
	for i := 0; i < 2; i++ {
		// PTR_ERR(x) against a negative error code
		if len(a) >= 4 && a[0].is("PTR_ERR") && a[1].is("(") && a[len(a)-1].is(")") && negErrCode(b) {
			if n := argVar(a[2 : len(a)-1]); n != "" {
				return n, eq, true
			}
		}
		// x against ERR_PTR(...)
		if n := argVar(a); n != "" && len(b) >= 3 && b[0].is("ERR_PTR") && b[1].is("(") {
			return n, eq, true
		}
		a, b = b, a
	}
	return "", false, false
}

// negErrCode reports whether toks is "-EXXX" (or a parenthesised one).
func negErrCode(toks []token) bool {
	toks = stripParens(toks)
	return len(toks) == 2 && toks[0].is("-") && toks[1].kind == tIdent && strings.HasPrefix(toks[1].text, "E")
}
