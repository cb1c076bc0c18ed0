package diffview

import (
	"html/template"
	"strings"
)

// Chroma's short CSS classes for the token kinds the C scanner emits, so
// that one chroma-generated stylesheet colours both scanners' output.
const (
	classKeyword  = "k"
	classType     = "kt"
	classComment  = "c1"
	classBlock    = "cm"
	classPreproc  = "cp"
	classString   = "s"
	classChar     = "sc"
	classNumber   = "m"
	classOperator = "o"
)

var cKeywords = setOf("if else for while do switch case default break continue return goto " +
	"sizeof typeof struct union enum typedef static extern inline const volatile register " +
	"restrict asm __asm__ __attribute__ __always_inline noinline __must_check __user __iomem " +
	"__rcu __init __exit __cold likely unlikely")

var cTypes = setOf("void char short int long float double signed unsigned bool _Bool " +
	"size_t ssize_t loff_t pgoff_t gfp_t u8 u16 u32 u64 s8 s16 s32 s64 __u8 __u16 __u32 " +
	"__u64 __le16 __le32 __le64 __be16 __be32 __be64 uint8_t uint16_t uint32_t uint64_t " +
	"int8_t int16_t int32_t int64_t uintptr_t vm_fault_t blk_status_t sector_t atomic_t")

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// cScanner highlights C one line at a time, carrying block comments and
// preprocessor continuations from line to line. chroma's regexp C lexer
// takes about 80µs a line here, which makes a 5,000-line patch take half a
// second; this scanner takes well under a microsecond a line.
type cScanner struct {
	inComment bool // inside /* … */
	inPreproc bool // the previous line was a directive ending in a backslash
	b         strings.Builder
}

// highlightC highlights the lines of one side of a hunk as one text.
func highlightC(lines []string) []template.HTML {
	out := make([]template.HTML, len(lines))
	var s cScanner
	for i, l := range lines {
		out[i] = template.HTML(s.line(l))
	}
	return out
}

// line returns the HTML of one line and updates the carried state.
func (s *cScanner) line(l string) string {
	s.b.Reset()
	i := 0
	if s.inComment {
		i = s.blockComment(l, 0)
	}
	trimmed := strings.TrimLeft(l[i:], " \t")
	if s.inPreproc || (i == 0 && strings.HasPrefix(trimmed, "#")) {
		i = s.preproc(l, i)
	}
	for i < len(l) {
		i = s.token(l, i)
	}
	return s.b.String()
}

// blockComment emits a comment from i up to and including "*/", or to the
// end of the line when the comment goes on.
func (s *cScanner) blockComment(l string, i int) int {
	end := strings.Index(l[i:], "*/")
	if end < 0 {
		s.inComment = true
		writeSpan(&s.b, classBlock, l[i:])
		return len(l)
	}
	s.inComment = false
	writeSpan(&s.b, classBlock, l[i:i+end+2])
	return i + end + 2
}

// preproc emits a directive up to a comment, which the token loop then
// takes, and notes a trailing backslash.
func (s *cScanner) preproc(l string, i int) int {
	s.inPreproc = strings.HasSuffix(l, "\\")
	end := len(l)
	if c := strings.Index(l[i:], "/*"); c >= 0 {
		end = i + c
	}
	if c := strings.Index(l[i:end], "//"); c >= 0 {
		end = i + c
	}
	writeSpan(&s.b, classPreproc, l[i:end])
	return end
}

// token emits the token starting at i and returns the index after it.
func (s *cScanner) token(l string, i int) int {
	c := l[i]
	switch {
	case c == ' ' || c == '\t':
		j := i
		for j < len(l) && (l[j] == ' ' || l[j] == '\t') {
			j++
		}
		s.b.WriteString(l[i:j])
		return j
	case strings.HasPrefix(l[i:], "//"):
		writeSpan(&s.b, classComment, l[i:])
		return len(l)
	case strings.HasPrefix(l[i:], "/*"):
		return s.blockComment(l, i)
	case c == '"' || c == '\'':
		j := quoted(l, i)
		class := classString
		if c == '\'' {
			class = classChar
		}
		writeSpan(&s.b, class, l[i:j])
		return j
	case isIdentStart(c):
		j := i + 1
		for j < len(l) && (isIdentStart(l[j]) || isDigit(l[j])) {
			j++
		}
		s.word(l[i:j])
		return j
	case isDigit(c):
		j := i + 1
		for j < len(l) && (isIdentStart(l[j]) || isDigit(l[j]) || l[j] == '.') {
			j++
		}
		writeSpan(&s.b, classNumber, l[i:j])
		return j
	case isOperator(c):
		// A run of operator characters is one span ("->", "==", "-="),
		// which the stylesheet keeps on one line: a browser may break
		// after a '-' otherwise, and split page->mapping across lines.
		j := i + 1
		for j < len(l) && isOperator(l[j]) && !strings.HasPrefix(l[j:], "//") && !strings.HasPrefix(l[j:], "/*") {
			j++
		}
		writeSpan(&s.b, classOperator, l[i:j])
		return j
	}
	writeSpan(&s.b, "", l[i:i+1])
	return i + 1
}

// word emits an identifier, coloured when it is a keyword or a type.
func (s *cScanner) word(w string) {
	switch {
	case cKeywords[w]:
		writeSpan(&s.b, classKeyword, w)
	case cTypes[w]:
		writeSpan(&s.b, classType, w)
	default:
		writeSpan(&s.b, "", w)
	}
}

// quoted returns the index after the string or character literal at i,
// honouring backslash escapes; an unterminated literal ends the line.
func quoted(l string, i int) int {
	q := l[i]
	for j := i + 1; j < len(l); j++ {
		switch l[j] {
		case '\\':
			j++
		case q:
			return j + 1
		}
	}
	return len(l)
}

func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isOperator(c byte) bool { return strings.IndexByte("+-*/%=&|!<>^~?:", c) >= 0 }
