package review

import (
	"net/mail"
	"regexp"
	"strings"
)

// Reply is a list reply split the way a reader sees it: the quoted blocks
// and the writer's own blocks, in order, without the attribution line and
// the signature.
type Reply struct {
	Attribution string       // "On Sun, 28 Oct 2007, Erez Zadok wrote:"
	Blocks      []ReplyBlock // quoted and own blocks, in order
	Trailers    []Trailer    // Reviewed-by and the like, from the writer's own text
}

// ReplyBlock is a run of quoted lines or of the writer's own lines.
type ReplyBlock struct {
	Quote bool
	Lines []string // for quotes: the text with every ">" level removed
	Line  int      // 1-based body line where the block starts
}

// Text returns the block's lines joined, trimmed of blank edges.
func (b ReplyBlock) Text() string {
	return strings.Trim(strings.Join(b.Lines, "\n"), "\n")
}

var (
	attributionRe = regexp.MustCompile(`(?i)(\b(wrote|writes|schrieb|a écrit|scripsit|escribió|ha scritto|skrev|napisał|napsal|написал[аи]?|kirjoitti|schreef|escreveu|írta)|書きました|写道|寫道).*[:：]\s*$|^quoting .*:\s*$|^\* .*\[.*\]:\s*$`)
	quotePrefix   = regexp.MustCompile(`^(\s?>)+ ?`)
	trimMarker    = regexp.MustCompile(`^\s*(\[\s*(\.\.\.|…|snip|snipped|trimmed)\s*\]|<\s*snip\s*>|\.\.\.|…)\s*$`)
	followupLine  = regexp.MustCompile(`^\s*(\w\S+):\s+(\S.*)$`)
	personValue   = regexp.MustCompile(`\S+@\S+\.\S+`)
	urlValue      = regexp.MustCompile(`https?://`)
	mailtoJunk    = regexp.MustCompile(`<mailto:[^<>]*>`)
	listFooter    = regexp.MustCompile(`^(To unsubscribe\b|_{10,}$)`)
)

// ParseReply splits a reply body. Lines quoted with ">" (at any depth)
// form quote blocks; "[...]", "<snip>" and "..." trims inside quotes are
// dropped; the attribution line (possibly wrapped over two lines), the
// "-- " signature and list footers are left out.
func ParseReply(body string) *Reply {
	r := &Reply{}
	lines := strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if l == "-- " || l == "--" && signatureFollows(lines[i+1:]) || listFooter.MatchString(l) ||
			(l == "-" || l == "--") && i+1 < len(lines) && listFooter.MatchString(lines[i+1]) {
			break // signature, or a list footer ("-\nTo unsubscribe from this list…")
		}
		if isQuoted(l) {
			text := quotePrefix.ReplaceAllString(l, "")
			if trimMarker.MatchString(text) {
				// A trim inside a quote is dropped; one standing alone ends
				// the writer's block: what follows answers nothing quoted.
				if n := len(r.Blocks); n == 0 || !r.Blocks[n-1].Quote {
					r.Blocks = append(r.Blocks, ReplyBlock{Quote: true, Line: i + 1})
				}
				continue
			}
			r.add(true, text, i+1)
			continue
		}
		if r.Attribution == "" && isAttribution(lines, i) {
			r.Attribution = strings.TrimSpace(l)
			// A wrapped attribution: "On Mon, 12 Jan 2026, Ravi Iyer\nwrote:".
			if prev := strings.TrimSpace(lines[max(i-1, 0)]); i > 0 && hasPrefixFold(prev, "on ") && !hasPrefixFold(r.Attribution, "on ") &&
				len(r.Blocks) > 0 && !r.Blocks[len(r.Blocks)-1].Quote {
				r.Attribution = prev + " " + r.Attribution
				r.dropLastOwnLine()
			}
			continue
		}
		if t, ok := followupTrailer(l, lines[i+1:]); ok {
			if t.Key == "Reported-and-tested-by" { // b4 gives both
				r.Trailers = append(r.Trailers, Trailer{Key: "Reported-by", Value: t.Value}, Trailer{Key: "Tested-by", Value: t.Value})
			} else {
				r.Trailers = append(r.Trailers, t)
			}
		}
		r.add(false, l, i+1)
	}
	r.trim()
	return r
}

// signatureFollows reports whether the lines after a bare "--" are a
// signature: a few lines to the end, none quoted (a client that strips
// trailing blanks turns "-- " into "--").
func signatureFollows(rest []string) bool {
	n := 0
	for _, l := range rest {
		if isQuoted(l) {
			return false
		}
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	return n <= 4
}

// Trailer keys b4 takes from a follow-up without an address in the value,
// and those that are never trailers there.
var (
	utilityTrailers = map[string]bool{"fixes": true, "link": true, "buglink": true, "closes": true, "obsoleted-by": true, "change-id": true, "base-commit": true}
	linkTrailers    = map[string]bool{"link": true, "buglink": true, "closes": true}
	notTrailers     = map[string]bool{"phone": true, "email": true, "subject": true, "date": true, "from": true, "to": true, "cc": true, "author": true}
)

// followupTrailer reads a trailer given in a reply the way b4 am reads
// follow-ups: any "Key: value" line of the writer's own text whose value
// names a person (an address) or whose key is a utility trailer (Fixes,
// Link, Closes…); keys in any case ("Reviewed-By", "acked-by") in their
// canonical case; a URL only in a link trailer. A "Fixes: sha (title" or
// "Key: Name" line wrapped onto the next line is joined.
func followupTrailer(l string, next []string) (Trailer, bool) {
	m := followupLine.FindStringSubmatch(l)
	if m == nil {
		return Trailer{}, false
	}
	// "A <a@b.c<mailto:a@b.c>>": what an HTML mail client leaves behind
	key, value := strings.ToLower(m[1]), strings.TrimSpace(mailtoJunk.ReplaceAllString(m[2], ""))
	if notTrailers[key] || !isASCII(key) {
		return Trailer{}, false
	}
	if len(next) > 0 {
		n := strings.TrimSpace(next[0])
		switch {
		case key == "fixes" && strings.Contains(value, "(") && !strings.Contains(value, ")") && strings.HasSuffix(n, ")"):
			value += " " + n
		case !strings.Contains(value, "<") && strings.HasPrefix(n, "<") && strings.HasSuffix(n, ">"):
			value += " " + n
		}
	}
	if !personValue.MatchString(value) && !utilityTrailers[key] {
		return Trailer{}, false
	}
	if urlValue.MatchString(value) && !linkTrailers[key] {
		return Trailer{}, false
	}
	return Trailer{Key: canonicalKey(key), Value: value}, true
}

// IsPersonTrailer reports whether a trailer names a person (Reviewed-by,
// Tested-by…) rather than a commit or a link (Fixes, Link, Closes).
func IsPersonTrailer(t Trailer) bool {
	k := strings.ToLower(t.Key)
	return !utilityTrailers[k] && !urlValue.MatchString(t.Value) && personValue.MatchString(t.Value)
}

// FromSender reports whether a reply's sender may give a trailer, by b4's
// rule: a utility trailer always; a person trailer when it names the
// sender, by address (case aside, "+tag" aside, one sub-domain aside) or
// by name.
func FromSender(t Trailer, from Address) bool {
	if !IsPersonTrailer(t) {
		return true
	}
	addr, err := mail.ParseAddress(t.Value)
	name, email := "", ""
	if err == nil {
		name, email = addr.Name, addr.Address
	} else if m := personValue.FindString(t.Value); m != "" {
		email = strings.Trim(m, "<>")
		name = strings.TrimSpace(t.Value[:strings.Index(t.Value, m)])
		name = strings.Trim(strings.TrimSpace(strings.TrimSuffix(name, "<")), `"`)
	}
	if emailEq(email, from.Email) {
		return true
	}
	return name != "" && strings.EqualFold(strings.TrimSpace(name), strings.TrimSpace(from.Name))
}

var plusTag = regexp.MustCompile(`\+[^@]+@`)

// emailEq compares addresses as b4 does: case-insensitively, without
// "+tag" local parts, and one domain a sub-domain of the other.
func emailEq(a, b string) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	a, b = plusTag.ReplaceAllString(a, "@"), plusTag.ReplaceAllString(b, "@")
	if a == b {
		return true
	}
	al, ad, ok1 := strings.Cut(a, "@")
	bl, bd, ok2 := strings.Cut(b, "@")
	if !ok1 || !ok2 || al != bl {
		return false
	}
	dots := strings.Count(ad, ".") - strings.Count(bd, ".")
	return (dots == 1 || dots == -1) && (strings.HasSuffix(ad, "."+bd) || strings.HasSuffix(bd, "."+ad))
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func isQuoted(l string) bool {
	t := strings.TrimLeft(l, " ")
	return strings.HasPrefix(t, ">") && len(l)-len(t) <= 1
}

// isAttribution reports whether line i introduces the quote that follows.
func isAttribution(lines []string, i int) bool {
	if !attributionRe.MatchString(lines[i]) {
		return false
	}
	for j := i + 1; j < len(lines) && j <= i+2; j++ {
		if isQuoted(lines[j]) {
			return true
		}
		if strings.TrimSpace(lines[j]) != "" {
			return false
		}
	}
	return false
}

func (r *Reply) add(quote bool, text string, line int) {
	if n := len(r.Blocks); n > 0 && r.Blocks[n-1].Quote == quote {
		r.Blocks[n-1].Lines = append(r.Blocks[n-1].Lines, text)
		return
	}
	if !quote && strings.TrimSpace(text) == "" {
		return // own blocks start at their first non-blank line
	}
	r.Blocks = append(r.Blocks, ReplyBlock{Quote: quote, Lines: []string{text}, Line: line})
}

func (r *Reply) dropLastOwnLine() {
	b := &r.Blocks[len(r.Blocks)-1]
	b.Lines = b.Lines[:len(b.Lines)-1]
	if strings.TrimSpace(b.Text()) == "" {
		r.Blocks = r.Blocks[:len(r.Blocks)-1]
	}
}

// trim drops own blocks that hold only blank lines (quote blocks, even
// empty ones, stay: they separate the writer's blocks).
func (r *Reply) trim() {
	out := r.Blocks[:0]
	for _, b := range r.Blocks {
		if b.Quote || strings.TrimSpace(b.Text()) != "" {
			out = append(out, b)
		}
	}
	r.Blocks = out
}

// AnchorLine is one line a reply can quote: a line of a diff (its new-side
// number; a removed line its old-side number, Side "old") or a line of
// pasted code (its body line).
type AnchorLine struct {
	Path string
	Line int
	Side string // "old" for a removed line (Line is its old-side number), else ""
	Text string
	diff bool // the text came from a diff: quotes of it carry a +/-/space marker
}

// DiffTargets lists the lines of a diff that a reply may quote.
func DiffTargets(files []*File) []AnchorLine {
	var out []AnchorLine
	for _, f := range files {
		for _, h := range f.Hunks {
			for _, l := range h.Lines {
				a := AnchorLine{Path: f.Path(), Line: l.New, Text: l.Text, diff: true}
				if l.Kind == LineDel {
					a.Line, a.Side = l.Old, SideOld
				}
				out = append(out, a)
			}
		}
	}
	return out
}

// CodeTargets lists the lines of a body with pasted code, numbered by
// body line.
func CodeTargets(path, body string) []AnchorLine {
	var out []AnchorLine
	for i, l := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		out = append(out, AnchorLine{Path: path, Line: i + 1, Text: l})
	}
	return out
}
