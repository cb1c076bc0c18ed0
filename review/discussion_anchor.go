package review

import (
	"strings"
	"unicode"
)

// Anchor turns a reply into comments: each block of the writer's own text
// anchors on the last target line quoted before it (Path, Line, Code), and
// becomes a general comment (Line 0) when no quote before it matches the
// target (top-posting, greetings, a quote of someone else's prose). Quotes
// are matched in order, tolerant of whitespace, of diff markers, of lines
// the mail client re-wrapped, and of trims.
func Anchor(r *Reply, target []AnchorLine) []Comment {
	norms := make([]string, len(target))
	for i, t := range target {
		norms[i] = normCode(t.Text)
	}
	var out []Comment
	pos, anchored := -1, -1
	for _, b := range r.Blocks {
		if b.Quote {
			if end := matchQuote(b.Lines, target, norms, pos); end >= 0 {
				pos, anchored = end, end
			} else {
				anchored = -1 // quoted prose, not the patch: what follows is general
			}
			continue
		}
		c := Comment{Body: b.Text()}
		if anchored >= 0 {
			t := target[anchored]
			c.Path, c.Line, c.Side, c.Code = t.Path, t.Line, t.Side, t.Text
		}
		out = append(out, c)
	}
	return out
}

// matchQuote finds where a quote block's lines sit in the target, searching
// forward from after (so quotes taken in order stay in order, and repeated
// lines such as "}" or "goto out;" resolve to the right place), and falling
// back to the whole target. It returns the index of the last matched line,
// or -1 when too little of the block matches.
func matchQuote(quoted []string, target []AnchorLine, norms []string, after int) int {
	diff := len(target) > 0 && target[0].diff
	if diff {
		// A reply that quotes the whole mail (commit message, diffstat,
		// headers of the diff) anchors on the diff lines at its end.
		quoted = diffTail(quoted)
	}
	qs := quoteLines(quoted, diff)
	if countCode(qs) == 0 {
		// only blank lines: blank lines of the diff right after the last
		// quote ("> +" under a quoted line), or nothing
		if end := blankTail(quoted, norms, after); end > after && after >= 0 {
			return end
		}
		return -1
	}
	for _, start := range []int{after + 1, 0} {
		if end, hits := walk(qs, norms, start); hits > 0 && hits*2 >= countCode(qs) {
			return blankTail(quoted, norms, end)
		}
	}
	return -1
}

// diffTail returns the quoted lines from after the last one that cannot
// be a line of a hunk (prose, "diff --git", "index", "---"/"+++"), or all
// of them when every line could be, or when the quote ends in prose.
func diffTail(quoted []string) []string {
	for i := len(quoted) - 1; i >= 0; i-- {
		l := quoted[i]
		if l == "" || l[0] == ' ' || l[0] == '\\' || strings.HasPrefix(l, "@@") ||
			(l[0] == '+' || l[0] == '-') && !strings.HasPrefix(l, "+++ ") && !strings.HasPrefix(l, "--- ") {
			continue
		}
		if i == len(quoted)-1 {
			return quoted
		}
		return quoted[i+1:]
	}
	return quoted
}

// blankTail moves the anchor from the last matched line over the blank
// diff lines the quote ends with ("> +", ">  "), when the target has blank
// lines there too. A bare ">" is the quote's edge, not a line of the diff.
func blankTail(quoted []string, norms []string, end int) int {
	trailing := 0
	for i := len(quoted) - 1; i >= 0; i-- {
		l := strings.TrimRight(quoted[i], " \t")
		if l == "" && quoted[i] != "" {
			l = " " // a blank context line: ">  "
		}
		if l != "+" && l != "-" && l != " " {
			break
		}
		trailing++
	}
	for ; trailing > 0 && end+1 < len(norms) && norms[end+1] == ""; trailing-- {
		end++
	}
	return end
}

// walk matches quoted lines in order from start; it returns the index of
// the last target line matched and how many quoted lines matched.
func walk(qs []string, norms []string, start int) (end, hits int) {
	end, pos := -1, start
	for i := 0; i < len(qs); i++ {
		q := qs[i]
		if q == "" {
			continue
		}
		j := find(norms, q, pos)
		if j < 0 && i+1 < len(qs) { // a line the mail client wrapped in two
			if j = find(norms, q+" "+qs[i+1], pos); j >= 0 {
				i++
			}
		}
		if j < 0 {
			j = findPrefix(norms, q, pos) // the first half of a wrapped line
		}
		if j >= 0 {
			end, pos = j, j+1
			hits++
		}
	}
	return end, hits
}

func find(norms []string, q string, from int) int {
	for j := from; j < len(norms); j++ {
		if norms[j] == q {
			return j
		}
	}
	return -1
}

// findPrefix matches a quoted line that is the start of a longer target
// line (the rest went to the next quoted line); short fragments do not count.
func findPrefix(norms []string, q string, from int) int {
	if len(q) < 12 {
		return -1
	}
	for j := from; j < len(norms); j++ {
		if strings.HasPrefix(norms[j], q) {
			return j
		}
	}
	return -1
}

// quoteLines normalises quoted lines; for a diff target the +/-/space marker
// a quote of a diff line carries is dropped.
func quoteLines(lines []string, diff bool) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		if diff && l != "" && (l[0] == '+' || l[0] == '-' || l[0] == ' ') && !strings.HasPrefix(l, "+++") && !strings.HasPrefix(l, "---") {
			l = l[1:]
		}
		if strings.HasPrefix(l, "@@ ") || strings.HasPrefix(l, "diff --git ") {
			l = ""
		}
		out = append(out, normCode(l))
	}
	return out
}

// countCode counts the non-blank normalised lines.
func countCode(qs []string) int {
	n := 0
	for _, q := range qs {
		if q != "" {
			n++
		}
	}
	return n
}

// normCode collapses runs of white space to one space and trims, so tabs
// turned into spaces and trailing blanks do not matter.
func normCode(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
