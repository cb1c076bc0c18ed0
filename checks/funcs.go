package checks

import "strings"

// A param is one parameter of a function: its type as text and its name.
type param struct {
	typ, name string
}

// A function is one C function (or the visible part of it) in a unit.
type function struct {
	name       string
	params     []param
	body       []token // between the braces; may contain tGap tokens
	sigLine    int32   // line of the name (or of the fragment's first token)
	closeLine  int32   // line of the closing brace, or of the last token
	startKnown bool    // the body is seen from its opening brace
	endKnown   bool    // the body is seen up to its closing brace
	gapped     bool    // unknown code inside: brace depth is no longer reliable
	static     bool    // declared static: invisible outside its file
	retPage    bool    // returns a struct page * or struct folio *
}

// complete reports whether the whole body is visible (no gap, both ends).
func (f *function) complete() bool {
	if !f.startKnown || !f.endKnown {
		return false
	}
	for _, t := range f.body {
		if t.kind == tGap {
			return false
		}
	}
	return true
}

// paramOfType returns the first parameter whose type contains s.
func (f *function) paramOfType(s string) *param {
	for i := range f.params {
		if strings.Contains(f.params[i].typ, s) {
			return &f.params[i]
		}
	}
	return nil
}

// extractFunctions finds the function bodies in a token stream. It follows
// braces, and resynchronises on kernel style: a '{' or '}' in column 0
// starts or ends a function. A hunk whose @@ header names a function
// continues (or starts a fragment of) that function.
func extractFunctions(toks []token) []*function {
	x := &extractor{toks: toks}
	for i := range toks {
		x.token(i)
	}
	if x.cur != nil {
		last := x.cur.sigLine
		if len(x.cur.body) > 0 {
			last = x.cur.body[len(x.cur.body)-1].line
		}
		x.close(last, false)
	}
	return x.funcs
}

// An extractor is the state of extractFunctions.
type extractor struct {
	toks            []token
	funcs           []*function
	cur             *function
	depth, sigStart int
}

func (x *extractor) close(line int32, known bool) {
	x.cur.closeLine, x.cur.endKnown = line, known
	x.funcs = append(x.funcs, x.cur)
	x.cur = nil
}

// token handles toks[i].
func (x *extractor) token(i int) {
	t := x.toks[i]
	switch {
	case t.kind == tGap:
		x.gap(i)
	case t.is("{"):
		x.open(i)
	case t.is("}"):
		x.closeBrace(i)
	case t.is(";") && x.depth == 0 && x.cur == nil:
		x.sigStart = i + 1
	case x.cur != nil:
		x.cur.body = append(x.cur.body, t)
	}
}

// gap continues the current function when the next hunk's header names it
// (or a label in it), and otherwise starts a fragment of the named one.
func (x *extractor) gap(i int) {
	t := x.toks[i]
	name, params, isFunc := headerSig(t.text)
	isLabel := strings.HasSuffix(strings.TrimSpace(t.text), ":") && !strings.Contains(t.text, "(")
	if x.cur != nil && (isFunc && name == x.cur.name || isLabel) {
		x.cur.body = append(x.cur.body, t)
		x.cur.gapped = true
		return
	}
	if x.cur != nil {
		x.close(t.line, false)
	}
	x.depth, x.sigStart = 0, i+1
	if isFunc {
		x.cur = &function{name: name, params: params, sigLine: t.line, body: []token{t}}
		x.depth = 1
	}
}

// open handles '{': a function start at file level or in column 0.
func (x *extractor) open(i int) {
	t := x.toks[i]
	if x.cur == nil && x.depth == 0 {
		if name, params, ok := funcSig(x.toks[x.sigStart:i]); ok {
			sig := x.toks[x.sigStart:i]
			x.cur = &function{name: name, params: params, sigLine: nameLine(sig, name), startKnown: true,
				static: hasIdent(sig, "static"), retPage: returnsPagePtr(sig, name)}
			x.depth = 1
			return
		}
	}
	if x.cur != nil && t.col == 0 {
		j := i
		for j > 0 && !x.toks[j-1].is(";") && !x.toks[j-1].is("}") && !x.toks[j-1].is("{") && x.toks[j-1].kind != tGap {
			j--
		}
		if name, params, ok := funcSig(x.toks[j:i]); ok {
			x.cur.body = x.cur.body[:max(len(x.cur.body)-(i-j), 0)]
			x.close(x.toks[j].line, false)
			x.cur = &function{name: name, params: params, sigLine: nameLine(x.toks[j:i], name), startKnown: true}
			x.depth = 1
			return
		}
	}
	x.depth++
	if x.cur != nil {
		x.cur.body = append(x.cur.body, t)
	}
}

// closeBrace handles '}': the end of the function at its own depth (or in
// column 0), else the end of a block.
func (x *extractor) closeBrace(i int) {
	t := x.toks[i]
	if x.cur != nil {
		if x.depth <= 1 && x.cur.startKnown && !x.cur.gapped || t.col == 0 {
			x.close(t.line, true)
			x.depth, x.sigStart = 0, i+1
			return
		}
		x.depth = max(x.depth-1, 1)
		x.cur.body = append(x.cur.body, t)
		return
	}
	x.depth = max(x.depth-1, 0)
	if x.depth == 0 {
		x.sigStart = i + 1
	}
}

// nameLine returns the line of the name token in a signature.
func nameLine(sig []token, name string) int32 {
	for _, t := range sig {
		if t.kind == tIdent && t.text == name {
			return t.line
		}
	}
	if len(sig) > 0 {
		return sig[0].line
	}
	return 0
}

// notFuncNames are identifiers that can precede '(' without naming a function.
var notFuncNames = map[string]bool{"if": true, "while": true, "for": true, "switch": true, "return": true,
	"sizeof": true, "typeof": true, "__attribute__": true, "__typeof__": true, "do": true, "else": true}

// funcSig decides whether tokens before a '{' at file level are a function
// signature, and returns its name and parameters. The name is the
// identifier before a parenthesised group that only attributes follow;
// anything earlier (a stray macro, prose) is ignored.
func funcSig(sig []token) (string, []param, bool) {
	if len(sig) == 0 || !sig[len(sig)-1].is(")") && sig[len(sig)-1].kind != tIdent {
		return "", nil, false
	}
	match := matchParens(sig)
	for k := 1; k < len(sig); k++ {
		if !sig[k].is("(") || sig[k-1].kind != tIdent || notFuncNames[sig[k-1].text] {
			continue
		}
		if k >= 2 && (sig[k-2].is("=") || sig[k-2].is(".") || sig[k-2].is("->")) {
			continue
		}
		end := match[k]
		if end < 0 || !onlyAttributes(sig[end+1:]) {
			continue
		}
		for _, t := range sig[k:end] {
			if t.is(";") {
				return "", nil, false
			}
		}
		return sig[k-1].text, parseParams(sig[k+1:]), true
	}
	return "", nil, false
}

// matchParens maps each '(' to the index of its ')', or -1.
func matchParens(toks []token) []int {
	match := make([]int, len(toks))
	var stack []int
	for i, t := range toks {
		match[i] = -1
		switch {
		case t.is("("):
			stack = append(stack, i)
		case t.is(")") && len(stack) > 0:
			match[stack[len(stack)-1]] = i
			stack = stack[:len(stack)-1]
		}
	}
	return match
}

// onlyAttributes reports whether tokens are identifiers and balanced
// parenthesised groups only (__releases(x), __must_hold(y), noinline).
func onlyAttributes(toks []token) bool {
	depth := 0
	for _, t := range toks {
		switch {
		case t.is("("):
			depth++
		case t.is(")"):
			depth--
		case depth == 0 && t.kind != tIdent:
			return false
		}
	}
	return depth == 0
}

// parseParams splits parameter tokens (after the opening parenthesis) into
// parameters, up to the matching ')' or the end.
func parseParams(toks []token) []param {
	var params []param
	depth, start := 0, 0
	flush := func(end int) {
		p := toks[start:end]
		if len(p) == 0 || len(p) == 1 && p[0].text == "void" {
			return
		}
		name := ""
		if p[len(p)-1].kind == tIdent && len(p) > 1 {
			name = p[len(p)-1].text
			p = p[:len(p)-1]
		}
		var b strings.Builder
		for k, t := range p {
			if k > 0 && t.text != "*" {
				b.WriteByte(' ')
			}
			b.WriteString(t.text)
		}
		params = append(params, param{typ: b.String(), name: name})
	}
	for k, t := range toks {
		switch {
		case t.is("("):
			depth++
		case t.is(")"):
			if depth == 0 {
				flush(k)
				return params
			}
			depth--
		case t.is(",") && depth == 0:
			flush(k)
			start = k + 1
		}
	}
	flush(len(toks))
	return params
}

// headerSig reads a hunk header's function context as a signature.
func headerSig(h string) (string, []param, bool) {
	if h == "" || strings.HasSuffix(strings.TrimSpace(h), ";") {
		return "", nil, false
	}
	toks := lexLines([]srcLine{{text: h}})
	if len(toks) > 0 && toks[len(toks)-1].is("{") {
		toks = toks[:len(toks)-1]
	}
	open := -1
	for k, t := range toks {
		if t.is("=") {
			return "", nil, false
		}
		if t.is("(") {
			open = k
			break
		}
	}
	if open < 1 || toks[open-1].kind != tIdent || notFuncNames[toks[open-1].text] {
		return "", nil, false
	}
	return toks[open-1].text, parseParams(toks[open+1:]), true
}

// returnsPagePtr reports whether the tokens before the function's name
// declare a page or folio pointer: "struct folio *xfoo_get(".
func returnsPagePtr(sig []token, name string) bool {
	page, ptr := false, false
	for _, t := range sig {
		if t.kind == tIdent && t.text == name {
			break
		}
		page = page || t.is("page") || t.is("folio")
		ptr = ptr || t.is("*")
	}
	return page && ptr
}
