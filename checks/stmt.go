package checks

// stmtKind classifies a statement of the tree.
type stmtKind uint8

const (
	sEmpty stmtKind = iota
	sExpr
	sBlock
	sIf
	sSwitch
	sWhile
	sDo
	sFor
	sGoto
	sBreak
	sContinue
	sReturn
	sLabel
	sCase
	sGap
	sDead
)

// A stmt is one node of a function's statement tree.
type stmt struct {
	kind       stmtKind
	toks       []token // expression, condition or return value
	init, post []token // for loops
	body, els  *stmt
	list       []*stmt // block
	label      string  // goto target or label name
	line       int32
}

// deadCalls end a path: nothing after them runs.
var deadCalls = map[string]bool{"BUG": true, "panic": true, "unreachable": true,
	"__builtin_unreachable": true, "do_exit": true}

// maxNest bounds the recursion of the parser on pathological input.
const maxNest = 200

// A parser builds a statement tree from tokens. It always makes progress and
// resynchronises at ';' and '}', so one odd construct cannot hide the rest.
type parser struct {
	toks []token
	pos  int
	nest int
}

// parseBody parses a function body into a block.
func parseBody(toks []token) *stmt {
	p := &parser{toks: toks}
	b := &stmt{kind: sBlock}
	if len(toks) > 0 {
		b.line = toks[0].line
	}
	for p.pos < len(p.toks) {
		b.list = append(b.list, p.stmt())
	}
	return b
}

func (p *parser) peek(k int) token {
	if p.pos+k < len(p.toks) {
		return p.toks[p.pos+k]
	}
	return token{}
}

// stmt parses one statement.
func (p *parser) stmt() *stmt {
	if p.pos >= len(p.toks) {
		return &stmt{kind: sEmpty}
	}
	t := p.toks[p.pos]
	s := &stmt{line: t.line}
	p.nest++
	defer func() { p.nest-- }()
	if p.nest > maxNest {
		p.pos++
		return s
	}
	switch {
	case t.kind == tGap:
		p.pos++
		s.kind = sGap
	case t.is("{"):
		p.pos++
		s.kind = sBlock
		for p.pos < len(p.toks) && !p.peek(0).is("}") {
			s.list = append(s.list, p.stmt())
		}
		p.pos++
	case t.is(";"), t.is("}"):
		p.pos++
	case t.kind == tIdent:
		return p.keywordStmt(s, t)
	default:
		p.exprStmt(s)
	}
	return s
}

// keywordStmt parses a statement that starts with an identifier.
func (p *parser) keywordStmt(s *stmt, t token) *stmt {
	switch t.text {
	case "if", "switch", "while", "for", "do":
		p.pos++
		p.controlStmt(s, t.text)
	case "goto", "break", "continue", "return", "case", "else":
		p.jumpStmt(s, t.text)
	default:
		p.identStmt(s, t)
	}
	return s
}

// controlStmt parses the rest of if, switch, while, for and do.
func (p *parser) controlStmt(s *stmt, kw string) {
	switch kw {
	case "if":
		s.kind, s.toks = sIf, p.paren()
		s.body = p.stmt()
		if p.peek(0).is("else") {
			p.pos++
			s.els = p.stmt()
		}
	case "switch", "while":
		s.kind, s.toks = sSwitch, p.paren()
		if kw == "while" {
			s.kind = sWhile
		}
		s.body = p.stmt()
	case "for":
		s.kind = sFor
		s.init, s.toks, s.post = splitFor(p.paren())
		s.body = p.stmt()
	case "do":
		s.kind = sDo
		s.body = p.stmt()
		if p.peek(0).is("while") {
			p.pos++
			s.toks = p.paren()
		}
		if p.peek(0).is(";") {
			p.pos++
		}
	}
}

// jumpStmt parses goto, break, continue, return, case labels and a stray else.
func (p *parser) jumpStmt(s *stmt, kw string) {
	switch kw {
	case "goto":
		p.pos++
		s.kind = sGoto
		if p.peek(0).kind == tIdent {
			s.label = p.peek(0).text
		}
		p.skipPast(";")
	case "break", "continue":
		p.pos++
		s.kind = sBreak
		if kw == "continue" {
			s.kind = sContinue
		}
		if p.peek(0).is(";") {
			p.pos++
		}
	case "return":
		p.pos++
		s.kind = sReturn
		s.toks = p.until()
	case "case":
		s.kind = sCase
		p.skipPast(":")
	case "else":
		p.pos++
	}
}

// identStmt parses default:, labels, loop macros, dead ends and
// expression statements.
func (p *parser) identStmt(s *stmt, t token) {
	switch {
	case t.text == "default" && p.peek(1).is(":"):
		s.kind, s.label = sCase, "default"
		p.pos += 2
	case p.peek(1).is(":") && !p.peek(2).is(":"):
		s.kind, s.label = sLabel, t.text
		p.pos += 2
	case p.peek(1).is("(") && p.macroLoop():
		s.kind = sWhile
		p.pos++
		s.toks = p.paren()
		s.body = p.stmt()
	default:
		p.exprStmt(s)
		if len(s.toks) >= 2 && deadCalls[s.toks[0].text] && s.toks[1].is("(") {
			s.kind = sDead
		}
	}
}

// macroLoop reports whether the identifier at pos starts a loop macro such
// as list_for_each_entry(...) { ... }: its balanced parentheses are followed
// by '{', or its name says for_each.
func (p *parser) macroLoop() bool {
	name := p.peek(0).text
	depth := 0
	for k := p.pos + 1; k < len(p.toks); k++ {
		t := p.toks[k]
		switch {
		case t.kind == tGap || t.is(";"):
			return false
		case t.is("("):
			depth++
		case t.is(")"):
			depth--
			if depth == 0 {
				if k+1 < len(p.toks) && p.toks[k+1].is("{") {
					return true
				}
				return containsFold(name, "for_each") && !(k+1 < len(p.toks) && p.toks[k+1].is(";"))
			}
		}
	}
	return false
}

// paren returns the tokens inside the parenthesised group at pos.
func (p *parser) paren() []token {
	if !p.peek(0).is("(") {
		return nil
	}
	start := p.pos + 1
	depth := 0
	for p.pos < len(p.toks) {
		t := p.toks[p.pos]
		switch {
		case t.kind == tGap:
			return p.toks[start:p.pos]
		case t.is("("):
			depth++
		case t.is(")"):
			depth--
			if depth == 0 {
				p.pos++
				return p.toks[start : p.pos-1]
			}
		}
		p.pos++
	}
	return p.toks[start:]
}

// until returns the tokens up to the next ';' at depth 0 and consumes it.
func (p *parser) until() []token {
	start := p.pos
	depth := 0
	for p.pos < len(p.toks) {
		t := p.toks[p.pos]
		switch {
		case t.kind == tGap:
			return p.toks[start:p.pos]
		case t.is("(") || t.is("[") || t.is("{"):
			depth++
		case t.is(")") || t.is("]"):
			depth--
		case t.is("}"):
			if depth <= 0 {
				return p.toks[start:p.pos]
			}
			depth--
		case t.is(";") && depth <= 0:
			p.pos++
			return p.toks[start : p.pos-1]
		}
		p.pos++
	}
	return p.toks[start:]
}

// stmtKeywords start a new statement; seeing one inside an expression at
// depth 0 means a ';' was missing (usually a macro), so the expression ends.
var stmtKeywords = map[string]bool{"if": true, "while": true, "for": true, "switch": true,
	"return": true, "goto": true, "do": true, "break": true, "continue": true}

// exprStmt parses an expression statement or declaration.
func (p *parser) exprStmt(s *stmt) {
	s.kind = sExpr
	start := p.pos
	depth := 0
	for p.pos < len(p.toks) {
		t := p.toks[p.pos]
		switch {
		case t.kind == tGap:
			s.toks = p.toks[start:p.pos]
			p.ensureProgress(start)
			return
		case t.is("(") || t.is("["):
			depth++
		case t.is(")") || t.is("]"):
			depth--
		case t.is("{"):
			prev := p.toks[max(p.pos-1, 0)]
			if depth <= 0 && p.pos > start && !(prev.is("=") || prev.is(",") || prev.is("(") || prev.is(")") || prev.is("{")) {
				s.toks = p.toks[start:p.pos]
				return
			}
			depth++
		case t.is("}"):
			if depth <= 0 {
				s.toks = p.toks[start:p.pos]
				p.ensureProgress(start)
				return
			}
			depth--
		case t.is(";") && depth <= 0:
			s.toks = p.toks[start:p.pos]
			p.pos++
			return
		case t.kind == tIdent && depth <= 0 && p.pos > start && stmtKeywords[t.text]:
			s.toks = p.toks[start:p.pos]
			return
		}
		p.pos++
	}
	s.toks = p.toks[start:]
}

// ensureProgress consumes one token when a statement consumed none.
func (p *parser) ensureProgress(start int) {
	if p.pos == start {
		p.pos++
	}
}

// skipPast consumes tokens through the next s (or a gap or '}').
func (p *parser) skipPast(s string) {
	for p.pos < len(p.toks) {
		t := p.toks[p.pos]
		if t.kind == tGap || t.is("}") {
			return
		}
		p.pos++
		if t.is(s) {
			return
		}
	}
}

// splitFor splits the contents of for(...) into init, condition and post.
func splitFor(toks []token) (init, cond, post []token) {
	parts := [][]token{}
	depth, start := 0, 0
	for k, t := range toks {
		switch {
		case t.is("(") || t.is("["):
			depth++
		case t.is(")") || t.is("]"):
			depth--
		case t.is(";") && depth == 0:
			parts = append(parts, toks[start:k])
			start = k + 1
		}
	}
	parts = append(parts, toks[start:])
	if len(parts) < 3 {
		return nil, parts[0], nil
	}
	return parts[0], parts[1], parts[2]
}

// containsFold reports whether s contains sub (ASCII, case-sensitive is
// enough for kernel identifiers).
func containsFold(s, sub string) bool { return indexFrom(s, 0, sub) >= 0 }
