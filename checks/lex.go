package checks

// tokKind classifies a C token.
type tokKind uint8

const (
	tIdent tokKind = iota + 1
	tNum
	tStr
	tChar
	tPunct
	tGap // unknown code between two hunks; text holds the next hunk's header
)

// A token is one C token of a post-image. line indexes unit.lines; col is
// the byte column of its first character in that line.
type token struct {
	kind tokKind
	text string
	line int32
	col  int32
}

// is reports whether t is the punctuator or identifier s.
func (t token) is(s string) bool { return (t.kind == tPunct || t.kind == tIdent) && t.text == s }

// threePunct and twoPunct list the multi-character punctuators, longest first.
var threePunct = []string{"<<=", ">>=", "..."}
var twoPunct = []string{"->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
	"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "##"}

// lexLines tokenizes the lines of a unit. Comments and preprocessor lines
// (with their backslash continuations) are dropped; string and character
// literals end at the end of their line at the latest, so prose with stray
// quotes cannot swallow the code after it. It never fails.
func lexLines(lines []srcLine) []token {
	toks := make([]token, 0, len(lines)*6)
	inComment, inPP := false, false
	var nest nestLimiter
	for li := range lines {
		l := &lines[li]
		if l.gap {
			nest.depth = 0
			toks = append(toks, token{kind: tGap, text: l.header, line: int32(li)})
			inComment, inPP = false, false
			continue
		}
		s := l.text
		i := 0
		if inPP {
			inPP = len(s) > 0 && s[len(s)-1] == '\\'
			continue
		}
		if !inComment {
			j := skipSpace(s, 0)
			if j < len(s) && s[j] == '#' {
				inPP = len(s) > 0 && s[len(s)-1] == '\\'
				continue
			}
		}
		for i < len(s) {
			if inComment {
				k := indexFrom(s, i, "*/")
				if k < 0 {
					i = len(s)
					break
				}
				i = k + 2
				inComment = false
				continue
			}
			c := s[i]
			switch {
			case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
				i++
			case c == '/' && i+1 < len(s) && s[i+1] == '/':
				i = len(s)
			case c == '/' && i+1 < len(s) && s[i+1] == '*':
				inComment = true
				i += 2
			case isIdentStart(c):
				j := i + 1
				for j < len(s) && isIdentChar(s[j]) {
					j++
				}
				toks = nest.add(toks, token{kind: tIdent, text: s[i:j], line: int32(li), col: int32(i)})
				i = j
			case c >= '0' && c <= '9' || c == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
				j := i + 1
				for j < len(s) && (isIdentChar(s[j]) || s[j] == '.' ||
					(s[j] == '+' || s[j] == '-') && (s[j-1] == 'e' || s[j-1] == 'E' || s[j-1] == 'p' || s[j-1] == 'P')) {
					j++
				}
				toks = nest.add(toks, token{kind: tNum, text: s[i:j], line: int32(li), col: int32(i)})
				i = j
			case c == '"' || c == '\'':
				j := endQuote(s, i)
				k := tStr
				if c == '\'' {
					k = tChar
				}
				toks = nest.add(toks, token{kind: k, text: s[i:j], line: int32(li), col: int32(i)})
				i = j
			default:
				n := punctLen(s, i)
				toks = nest.add(toks, token{kind: tPunct, text: s[i : i+n], line: int32(li), col: int32(i)})
				i += n
			}
		}
	}
	return toks
}

// maxExprNest bounds the nesting of parentheses and brackets the front end
// keeps. Kernel expressions stay far below it; deeper groups are reduced to
// "( __deep__ )" so that every later stage, which may scan a group once per
// enclosing call, stays linear in the input (100,000 nested parentheses
// used to take minutes).
const maxExprNest = 48

// deepIdent stands for the dropped content of a too-deeply nested group.
const deepIdent = "__deep__"

// A nestLimiter drops the tokens nested deeper than maxExprNest.
type nestLimiter struct {
	depth int
}

// add appends t unless it lies too deep. A brace ends any open group: an
// unbalanced '(' cannot swallow the statements after it.
func (n *nestLimiter) add(toks []token, t token) []token {
	if t.kind == tPunct {
		switch t.text {
		case "(", "[":
			n.depth++
			switch {
			case n.depth == maxExprNest+1:
				return append(toks, t, token{kind: tIdent, text: deepIdent, line: t.line, col: t.col})
			case n.depth > maxExprNest+1:
				return toks
			}
			return append(toks, t)
		case ")", "]":
			n.depth--
			if n.depth >= maxExprNest+1 {
				return toks
			}
			if n.depth < 0 {
				n.depth = 0
			}
			return append(toks, t)
		case "{", "}", ";":
			if n.depth > maxExprNest {
				// close the reduced group so the statement structure survives
				n.depth = maxExprNest
				toks = append(toks, token{kind: tPunct, text: ")", line: t.line, col: t.col})
			}
			if t.text != ";" {
				n.depth = 0
			}
		}
	}
	if n.depth > maxExprNest {
		return toks
	}
	return append(toks, t)
}

// endQuote returns the index just past the literal that starts at s[i], or
// the end of the line when the literal is not closed.
func endQuote(s string, i int) int {
	q := s[i]
	j := i + 1
	for j < len(s) {
		switch s[j] {
		case '\\':
			j += 2
			continue
		case q:
			return j + 1
		}
		j++
	}
	return len(s)
}

// punctLen returns the length of the punctuator at s[i].
func punctLen(s string, i int) int {
	for _, p := range threePunct {
		if len(s)-i >= 3 && s[i:i+3] == p {
			return 3
		}
	}
	for _, p := range twoPunct {
		if len(s)-i >= 2 && s[i:i+2] == p {
			return 2
		}
	}
	return 1
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

func indexFrom(s string, i int, sub string) int {
	for k := i; k+len(sub) <= len(s); k++ {
		if s[k:k+len(sub)] == sub {
			return k
		}
	}
	return -1
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentChar(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }
