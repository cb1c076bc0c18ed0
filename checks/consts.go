package checks

import "strings"

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
	walkStmts(fi.body, func(s *stmt) {
		if s.kind == sIf || s.kind == sWhile || s.kind == sDo || s.kind == sFor {
			for _, t := range s.toks {
				if t.kind == tIdent && assigned[t.text] {
					tested[t.text] = true
				}
			}
		}
	})
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

// refineConst decides a condition on a tracked constant: ok is false when
// the path contradicts it; known is false when the condition is not about
// a known constant.
func (fi *fnInfo) refineConst(s state, toks []token, truth bool) (feasible, known bool) {
	if len(fi.constVars) == 0 || len(toks) == 0 {
		return true, false
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
		return true, false
	}
	k, ok := fi.constIdx[name]
	if !ok || c == "" || s.kv[k] == "" {
		return true, false
	}
	equal := s.kv[k] == c
	if !equal && !(isNumber(s.kv[k]) && isNumber(c)) && !(strings.HasPrefix(s.kv[k], "-") || strings.HasPrefix(c, "-")) {
		return true, false // two macro names may have the same value
	}
	holds := equal == (op == "==")
	return holds == truth, true
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
