package checks

import "strings"

// A call is one function call found in an expression.
type call struct {
	name string    // callee; "->writepage" for member calls, "(*fp)" for pointer calls
	args [][]token // argument token lists
	at   int       // index of the name token in the expression
	line int32
}

// findCalls returns the calls in an expression, in textual order.
func findCalls(toks []token) []call {
	var out []call
	for i := 0; i+1 < len(toks); i++ {
		t := toks[i]
		switch {
		case t.kind == tIdent && toks[i+1].is("(") && !notFuncNames[t.text]:
			name := t.text
			if i > 0 && (toks[i-1].is("->") || toks[i-1].is(".")) {
				name = "->" + name
			}
			args, _ := splitArgs(toks, i+1)
			out = append(out, call{name: name, args: args, at: i, line: t.line})
		case t.is("(") && i+4 < len(toks) && toks[i+1].is("*") && toks[i+2].kind == tIdent &&
			toks[i+3].is(")") && toks[i+4].is("("):
			args, _ := splitArgs(toks, i+4)
			out = append(out, call{name: "(*" + toks[i+2].text + ")", args: args, at: i, line: t.line})
		}
	}
	return out
}

// splitArgs splits the parenthesised argument list starting at toks[open]
// and returns the arguments and the index of the closing parenthesis.
func splitArgs(toks []token, open int) ([][]token, int) {
	var args [][]token
	depth, start := 0, open+1
	for k := open; k < len(toks); k++ {
		t := toks[k]
		switch {
		case t.is("(") || t.is("[") || t.is("{"):
			depth++
		case t.is(")") || t.is("]") || t.is("}"):
			depth--
			if depth == 0 {
				if k > start || len(args) > 0 {
					args = append(args, toks[start:k])
				}
				return args, k
			}
		case t.is(",") && depth == 1:
			args = append(args, toks[start:k])
			start = k + 1
		}
	}
	return append(args, toks[min(start, len(toks)):]), len(toks)
}

// argVar returns the variable a page/folio argument names, seeing through
// &folio->page, page_folio(p), folio_page(f, n), casts and parentheses.
func argVar(a []token) string {
	a = stripParens(a)
	// cast: ( type ... * ) x
	if len(a) >= 4 && a[0].is("(") {
		for k := 1; k < len(a); k++ {
			if a[k].is(")") {
				if a[k-1].is("*") {
					return argVar(a[k+1:])
				}
				break
			}
		}
	}
	switch {
	case len(a) == 1 && a[0].kind == tIdent:
		return a[0].text
	case len(a) == 4 && a[0].is("&") && a[1].kind == tIdent && a[2].is("->") && (a[3].text == "page" || a[3].text == "folio"):
		return a[1].text
	case len(a) >= 4 && a[0].kind == tIdent && a[1].is("(") && a[len(a)-1].is(")") &&
		(a[0].text == "page_folio" || a[0].text == "folio_page" || a[0].text == "compound_head" || a[0].text == "folio_file_page"):
		args, _ := splitArgs(a, 1)
		if len(args) > 0 {
			return argVar(args[0])
		}
	}
	return ""
}

// exprIs reports whether an expression is exactly the identifier name,
// ignoring parentheses and casts.
func exprIs(a []token, name string) bool { return name != "" && argVar(a) == name }

// assignment splits a statement "lhs = rhs" at its top-level '='.
func assignment(toks []token) (lhs, rhs []token, ok bool) {
	depth := 0
	for k, t := range toks {
		switch {
		case t.is("(") || t.is("[") || t.is("{"):
			depth++
		case t.is(")") || t.is("]") || t.is("}"):
			depth--
		case t.is("=") && depth == 0:
			return toks[:k], toks[k+1:], true
		}
	}
	return nil, nil, false
}

// lhsVar returns the variable a left-hand side assigns: "x", "T *x" or
// "T x"; "" for stores through pointers, fields or arrays.
func lhsVar(lhs []token) string {
	if len(lhs) == 0 || lhs[len(lhs)-1].kind != tIdent {
		return ""
	}
	if len(lhs) >= 2 {
		p := lhs[len(lhs)-2]
		if p.is("->") || p.is(".") || p.is("]") {
			return ""
		}
		if p.is("*") && len(lhs) == 2 {
			return ""
		}
	}
	return lhs[len(lhs)-1].text
}

// wholeCall reports whether rhs is a single call (possibly cast), and returns it.
func wholeCall(rhs []token) (call, bool) {
	rhs = stripParens(rhs)
	calls := findCalls(rhs)
	if len(calls) == 0 {
		return call{}, false
	}
	c := calls[0]
	for _, t := range rhs[:c.at] {
		if t.kind != tIdent && !t.is("->") && !t.is(".") {
			return call{}, false
		}
	}
	_, end := splitArgs(rhs, c.at+1)
	if c.name[0] == '(' {
		_, end = splitArgs(rhs, c.at+4)
	}
	return c, end == len(rhs)-1
}

// text joins tokens with single spaces where C needs them.
func text(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 && t.kind == tIdent && toks[i-1].kind == tIdent {
			b.WriteByte(' ')
		}
		b.WriteString(t.text)
	}
	return b.String()
}

// hasIdent reports whether an identifier occurs in the tokens.
func hasIdent(toks []token, name string) bool {
	for _, t := range toks {
		if t.kind == tIdent && t.text == name {
			return true
		}
	}
	return false
}
