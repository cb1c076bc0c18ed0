package checks

import (
	"slices"
	"strconv"
	"strings"
)

// A srcLine is one line of a post-image: a context or added line of a hunk,
// a line of pasted code, or a gap standing for unknown lines between hunks.
type srcLine struct {
	num     int    // new-side line number (body line for pasted code)
	text    string // without the diff marker
	added   bool
	touched bool   // a deletion happened just before this line
	gap     bool   // unknown code; header is the following hunk's @@ context
	compat  bool   // inside #if LINUX_VERSION_CODE ...: out-of-tree compatibility code
	header  string // hunk header function context (gap lines only)
}

// A unit is the post-image of one file, as far as the input shows it.
type unit struct {
	path    string
	lines   []srcLine
	pasted  bool // code pasted in a mail: path names the mail, not a source file
	hunks   []hunk
	oldPath string // the pre-image path ("" for a new file)
	whole   bool   // the whole post-image, read from a tree with the patch applied
}

// A hunk is one @@ block of a diff, as the patch has it.
type hunk struct {
	oldStart int
	lines    []string // with their ' ', '-', '+' markers
}

// parseDiff reads a unified or git diff, possibly embedded in a mail, and
// returns one unit per C file it changes. Deleted files are skipped. Hunk
// line counts decide where a hunk ends, so a mail signature after the
// patch is not mistaken for deleted lines.
func parseDiff(diff string) []*unit {
	var units []*unit
	var cur *unit
	lines := strings.Split(strings.ReplaceAll(diff, "\r\n", "\n"), "\n")
	oldLeft, newLeft, newNum := 0, 0, 0
	pendingTouch := false
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if oldLeft > 0 || newLeft > 0 {
			if cur == nil {
				oldLeft, newLeft = 0, 0
				continue
			}
			switch {
			case strings.HasPrefix(l, "+"):
				cur.addHunkLine(l)
				cur.lines = append(cur.lines, srcLine{num: newNum, text: l[1:], added: true, touched: pendingTouch})
				pendingTouch = false
				newNum++
				newLeft--
			case strings.HasPrefix(l, "-"):
				cur.addHunkLine(l)
				pendingTouch = true
				oldLeft--
			case strings.HasPrefix(l, "\\"):
			case strings.HasPrefix(l, " ") || l == "":
				cur.addHunkLine(" " + strings.TrimPrefix(l, " "))
				text := ""
				if l != "" {
					text = l[1:]
				}
				cur.lines = append(cur.lines, srcLine{num: newNum, text: text, touched: pendingTouch})
				pendingTouch = false
				newNum++
				newLeft--
				oldLeft--
			default:
				oldLeft, newLeft = 0, 0
				i--
			}
			continue
		}
		switch {
		case strings.HasPrefix(l, "+++ "):
			cur = nil
			p := strings.TrimSpace(strings.TrimPrefix(l, "+++ "))
			if k := strings.IndexByte(p, '\t'); k >= 0 {
				p = p[:k]
			}
			if p == "/dev/null" {
				continue
			}
			oldPath := ""
			if i > 0 && strings.HasPrefix(lines[i-1], "--- ") {
				op := strings.TrimSpace(strings.TrimPrefix(lines[i-1], "--- "))
				if k := strings.IndexByte(op, '\t'); k >= 0 {
					op = op[:k]
				}
				if op != "/dev/null" {
					oldPath = strings.TrimPrefix(op, "a/")
				}
			}
			p = strings.TrimPrefix(p, "b/")
			if isCPath(p) {
				cur = &unit{path: p, oldPath: oldPath}
				units = append(units, cur)
			}
		case strings.HasPrefix(l, "@@ ") && cur != nil:
			o, n, start, header, ok := parseHunkHeader(l)
			if !ok {
				continue
			}
			oldLeft, newLeft, newNum = o, n, start
			pendingTouch = false
			// Room for the hunk's lines, as its header counts them (but
			// never more than the diff has left).
			rest := len(lines) - i
			cur.hunks = append(cur.hunks, hunk{oldStart: oldStartOf(l), lines: make([]string, 0, min(o+n, rest))})
			cur.lines = slices.Grow(cur.lines, min(n, rest)+1)
			if len(cur.lines) > 0 || start > 1 {
				cur.lines = append(cur.lines, srcLine{num: start, gap: true, header: header})
			}
		}
	}
	return units
}

// isCPath reports whether a path names C source or a header.
func isCPath(p string) bool {
	return strings.HasSuffix(p, ".c") || strings.HasSuffix(p, ".h")
}

// parseHunkHeader parses "@@ -a,b +c,d @@ context".
func parseHunkHeader(l string) (oldN, newN, newStart int, header string, ok bool) {
	rest := l[3:]
	end := strings.Index(rest, " @@")
	if end < 0 {
		return 0, 0, 0, "", false
	}
	header = strings.TrimSpace(rest[end+3:])
	f := strings.Fields(rest[:end])
	if len(f) != 2 || f[0] == "" || f[1] == "" || f[0][0] != '-' || f[1][0] != '+' {
		return 0, 0, 0, "", false
	}
	_, oldN, ok1 := parseRange(f[0][1:])
	newStart, newN, ok2 := parseRange(f[1][1:])
	return oldN, newN, newStart, header, ok1 && ok2
}

func parseRange(s string) (start, n int, ok bool) {
	a, b, has := strings.Cut(s, ",")
	start, err := strconv.Atoi(a)
	if err != nil {
		return 0, 0, false
	}
	n = 1
	if has {
		if n, err = strconv.Atoi(b); err != nil {
			return 0, 0, false
		}
	}
	return start, n, true
}

// fileUnit builds the unit for a whole source file: every line added, as
// it is, numbered from 1.
func fileUnit(path, src string) *unit {
	raw := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	u := &unit{path: path, lines: make([]srcLine, len(raw))}
	for i, l := range raw {
		u.lines[i] = srcLine{num: i + 1, text: l, added: true}
	}
	return u
}

// codeUnit builds the unit for C code pasted into a mail body. Every line
// is added. When the body quotes code with "> " (a reply), the quoted lines
// are the code and the rest is blanked; otherwise prose lines are blanked.
// Line numbers stay those of the body.
func codeUnit(path, body string) *unit {
	raw := strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
	quoted := 0
	for _, l := range raw {
		if q, ok := unquote(l); ok && looksLikeCode(q) {
			quoted++
		}
	}
	u := &unit{path: path, lines: make([]srcLine, len(raw)), pasted: true}
	inComment := false
	for i, l := range raw {
		text := l
		if quoted >= 3 {
			q, ok := unquote(l)
			if !ok {
				q = ""
			}
			text = q
		}
		if !inComment && isProse(text) {
			text = ""
		}
		inComment = commentOpenAfter(text, inComment)
		u.lines[i] = srcLine{num: i + 1, text: text, added: true}
	}
	return u
}

// unquote strips one or more leading "> " quote markers.
func unquote(l string) (string, bool) {
	if !strings.HasPrefix(l, ">") {
		return l, false
	}
	for strings.HasPrefix(l, ">") {
		l = strings.TrimPrefix(l[1:], " ")
	}
	return l, true
}

// looksLikeCode reports whether a line has C punctuation at its end.
func looksLikeCode(l string) bool {
	t := strings.TrimSpace(l)
	return strings.HasSuffix(t, ";") || strings.HasSuffix(t, "{") || t == "}"
}

// codeEndings are the line endings that prose practically never has.
var codeEndings = []string{";", "{", "}", ")", ",", ":", "\\", "*/", "=", "(", "&&", "||",
	"+", "-", "|", "&", "[", "]", "?", "*", "/"}

// isProse reports whether a line of a mail body is English rather than C.
func isProse(l string) bool {
	t := strings.TrimSpace(l)
	if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "/*") || strings.HasPrefix(t, "*") ||
		strings.HasPrefix(t, "//") {
		return false
	}
	if n := bareWords(t); n >= 5 && 4*n >= 3*len(strings.Fields(t)) && !strings.ContainsAny(t, ";{}=") {
		return true // English with a stray comma or parenthesis at the end
	}
	for _, e := range codeEndings {
		if strings.HasSuffix(t, e) {
			return false
		}
	}
	switch t {
	case "else", "do", "break", "return":
		return false
	}
	return len(strings.Fields(t)) >= 2 || strings.HasSuffix(t, ".") || strings.HasSuffix(t, "?")
}

// cWords are C keywords that English prose rarely uses.
var cWords = map[string]bool{"struct": true, "static": true, "int": true, "void": true, "return": true,
	"unsigned": true, "char": true, "const": true, "long": true, "sizeof": true, "inline": true}

// bareWords counts the purely alphabetic words of a line (0 when a C
// keyword is among them).
func bareWords(t string) int {
	n := 0
	for _, w := range strings.Fields(t) {
		bare := true
		for _, c := range w {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
				bare = false
				break
			}
		}
		if bare && !cWords[w] {
			n++
		} else if cWords[w] {
			return 0
		}
	}
	return n
}

// commentOpenAfter reports whether a block comment is open at the end of l.
func commentOpenAfter(l string, open bool) bool {
	for i := 0; i+1 < len(l); i++ {
		switch {
		case open && l[i] == '*' && l[i+1] == '/':
			open = false
			i++
		case !open && l[i] == '/' && l[i+1] == '*':
			open = true
			i++
		case !open && l[i] == '/' && l[i+1] == '/':
			return false
		}
	}
	return open
}

// markCompat flags the lines inside "#if LINUX_VERSION_CODE ..." branches:
// out-of-tree compatibility shims for other kernel versions.
func markCompat(lines []srcLine) {
	var stack []bool // per open #if: is its current branch version-gated
	for i := range lines {
		t := strings.TrimSpace(lines[i].text)
		switch {
		case strings.HasPrefix(t, "#if"):
			stack = append(stack, strings.Contains(t, "LINUX_VERSION_CODE"))
		case strings.HasPrefix(t, "#elif") && len(stack) > 0:
			stack[len(stack)-1] = strings.Contains(t, "LINUX_VERSION_CODE")
		case strings.HasPrefix(t, "#else") && len(stack) > 0:
			// the other branch of a version test is still version-specific
		case strings.HasPrefix(t, "#endif") && len(stack) > 0:
			stack = stack[:len(stack)-1]
		default:
			for _, c := range stack {
				lines[i].compat = lines[i].compat || c
			}
		}
	}
}

// addHunkLine records a line of the current hunk.
func (u *unit) addHunkLine(l string) {
	if len(u.hunks) > 0 {
		h := &u.hunks[len(u.hunks)-1]
		h.lines = append(h.lines, l)
	}
}

// oldStartOf returns the old-side start line of a hunk header.
func oldStartOf(l string) int {
	f := strings.Fields(l)
	if len(f) < 2 || !strings.HasPrefix(f[1], "-") {
		return 0
	}
	start, _, _ := parseRange(f[1][1:])
	return start
}
