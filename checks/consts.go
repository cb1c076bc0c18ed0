package checks

import (
	"sort"
	"strings"
)

// Constant flags and status codes: "int ret = -EAGAIN; if (inline) ret =
// read_inline(); if (ret == -EAGAIN) return read_blocks();" and "unlock = 0;
// ... if (unlock) folio_unlock(folio);". Paths that contradict a constant
// the path itself assigned are infeasible; without this the dataflow
// reports on them.

// maxConsts bounds the constant variables tracked per function.
const maxConsts = 4

// collectConsts picks the local variables that the function assigns a
// constant and tests in a condition.
func (fi *fnInfo) collectConsts() {
	assigned := map[string]bool{}
	var order []string
	walkStmts(fi.body, func(s *stmt) {
		for _, part := range [][]token{s.toks, s.init, s.post} {
			if s.kind != sExpr && s.kind != sFor {
				continue
			}
			for _, d := range splitTopCommas(part) {
				lhs, rhs, ok := assignment(d)
				if !ok || constText(rhs) == "" {
					continue
				}
				if lv := lhsVar(lhs); lv != "" && !assigned[lv] {
					assigned[lv] = true
					order = append(order, lv)
				}
			}
		}
	})
	tested := map[string]bool{}
	bare := map[string]int{} // "if (x)" / "if (!x)" tests of each identifier
	walkStmts(fi.body, func(s *stmt) {
		if s.kind == sIf || s.kind == sWhile || s.kind == sDo || s.kind == sFor {
			for _, t := range s.toks {
				if t.kind == tIdent && assigned[t.text] {
					tested[t.text] = true
				}
			}
			if c := stripParens(s.toks); len(c) == 1 && c[0].kind == tIdent {
				bare[c[0].text]++
			} else if len(c) == 2 && c[0].is("!") && c[1].kind == tIdent {
				bare[c[1].text]++
			}
		}
	})
	// A flag tested twice and never written in the body ("if (atomic)
	// spin_lock(); else folio_lock(); ... if (atomic) spin_unlock(); else
	// folio_unlock();") keeps the outcome of its first test.
	for _, name := range sortedKeys(bare) {
		if bare[name] >= 2 && !assigned[name] && !fi.writes(name) {
			assigned[name] = true
			tested[name] = true
			order = append(order, name)
		}
	}
	fi.constIdx = map[string]int8{}
	for _, name := range order {
		if !tested[name] || len(fi.constVars) >= maxConsts {
			continue
		}
		if _, page := fi.varIdx[name]; page {
			continue
		}
		if _, val := fi.valIdx[name]; val {
			continue
		}
		fi.constIdx[name] = int8(len(fi.constVars))
		fi.constVars = append(fi.constVars, name)
	}
}

// constText returns the canonical text of a constant expression (0, 1,
// -EAGAIN, AOP_TRUNCATED_PAGE, true), or "".
func constText(rhs []token) string {
	rhs = stripParens(rhs)
	switch {
	case len(rhs) == 1 && rhs[0].kind == tNum:
		return rhs[0].text
	case len(rhs) == 1 && (rhs[0].text == "true" || rhs[0].text == "false"):
		return map[string]string{"true": "1", "false": "0"}[rhs[0].text]
	case len(rhs) == 1 && rhs[0].kind == tIdent && isUpperConst(rhs[0].text):
		return rhs[0].text
	case len(rhs) == 2 && rhs[0].is("-") && (rhs[1].kind == tNum || rhs[1].kind == tIdent && isUpperConst(rhs[1].text)):
		return "-" + rhs[1].text
	}
	return ""
}

// isUpperConst reports an all-capitals identifier (a macro constant).
func isUpperConst(s string) bool {
	return len(s) > 1 && strings.ToUpper(s) == s && isIdentStart(s[0]) && s != "NULL"
}

// constEvents appends the events that set or forget the tracked constants
// in a node's tokens.
func (fi *fnInfo) constEvents(evs []event, toks []token) []event {
	if len(fi.constVars) == 0 {
		return evs
	}
	for _, d := range splitTopCommas(toks) {
		if lhs, rhs, ok := assignment(d); ok {
			if k, ok := fi.constIdx[lhsVar(lhs)]; ok {
				evs = append(evs, event{kind: evConst, v: -1, val: k, name: constText(rhs)})
			}
		}
	}
	// Any other write forgets the value: x += 1, x++, &x passed on.
	for i, t := range toks {
		k, ok := fi.constIdx[t.text]
		if !ok || t.kind != tIdent {
			continue
		}
		write := i > 0 && (toks[i-1].is("&") || toks[i-1].is("++") || toks[i-1].is("--")) ||
			i+1 < len(toks) && toks[i+1].kind == tPunct && toks[i+1].text != "==" && toks[i+1].text != "!=" &&
				(strings.HasSuffix(toks[i+1].text, "=") && len(toks[i+1].text) == 2 && toks[i+1].text != "<=" && toks[i+1].text != ">=" ||
					toks[i+1].is("++") || toks[i+1].is("--"))
		if write {
			evs = append(evs, event{kind: evConst, v: -1, val: k, name: ""})
		}
	}
	return evs
}

// refineConst narrows by a condition on a tracked constant: ok is false
// when the path contradicts it. An unknown flag takes the branch's outcome.
func (fi *fnInfo) refineConst(s state, toks []token, truth bool) (state, bool) {
	if len(fi.constVars) == 0 || len(toks) == 0 {
		return s, true
	}
	if toks[0].is("!") && len(toks) == 2 {
		return fi.refineConst(s, toks[1:], !truth)
	}
	name, op, c := "", "", ""
	switch {
	case len(toks) == 1 && toks[0].kind == tIdent:
		name, op, c = toks[0].text, "!=", "0"
	case len(toks) >= 3 && toks[0].kind == tIdent && (toks[1].is("==") || toks[1].is("!=")):
		name, op, c = toks[0].text, toks[1].text, constText(toks[2:])
	default:
		return s, true
	}
	k, ok := fi.constIdx[name]
	if !ok || c == "" {
		return s, true
	}
	cur := s.kv[k]
	if cur == "" {
		// learn: where "name == c" holds, name is c; where a bare test
		// holds, name is nonzero
		switch {
		case (op == "==") == truth:
			s.kv[k] = c
		case c == "0":
			s.kv[k] = nonZero
		}
		return s, true
	}
	var equal bool
	switch {
	case cur == c:
		equal = true
	case cur == nonZero && c == "0", c == nonZero && cur == "0":
		equal = false
	case cur == nonZero:
		return s, true // nonzero, but which value?
	case isNumber(cur) && isNumber(c), strings.HasPrefix(cur, "-") || strings.HasPrefix(c, "-"):
		equal = false
	default:
		return s, true // two macro names may have the same value
	}
	holds := equal == (op == "==")
	return s, holds == truth
}

// nonZero is the value of a flag known only to be nonzero.
const nonZero = "!0"

// writes reports whether the body assigns or takes the address of name.
func (fi *fnInfo) writes(name string) bool {
	b := fi.f.body
	for i, t := range b {
		if t.kind != tIdent || t.text != name {
			continue
		}
		if i > 0 && (b[i-1].is("&") || b[i-1].is("++") || b[i-1].is("--")) {
			return true
		}
		if i+1 < len(b) && b[i+1].kind == tPunct && (b[i+1].is("=") || b[i+1].is("++") || b[i+1].is("--") ||
			len(b[i+1].text) == 2 && b[i+1].text[1] == '=' && b[i+1].text != "==" && b[i+1].text != "!=" &&
				b[i+1].text != "<=" && b[i+1].text != ">=") {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func isNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// constIs reports whether the path knows the constant variable name is v.
func (fi *fnInfo) constIs(s state, name, v string) bool {
	k, ok := fi.constIdx[name]
	return ok && s.kv[k] == v
}
