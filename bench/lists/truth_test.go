// Package lists measures the whole pipeline on a real list archive against
// ground truth computed here, independently of package review: mail is
// split and read with the standard library only (net/mail, mime,
// quoted-printable, base64), and diffs with a small parser of their own.
package lists

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
)

// gtMsg is one archive mail as the ground truth sees it.
type gtMsg struct {
	Raw       []byte
	ID        string
	InReplyTo string
	Refs      []string
	Subject   string
	From      string // email, lower case
	Body      string // decoded single-part text body ("" for multipart)
	Multipart bool
	Flowed    bool
}

var (
	gtIDRe    = regexp.MustCompile(`<([^<>\s]+)>`)
	gtReplyRe = regexp.MustCompile(`(?i)^\s*((re|aw|sv|antw|fwd?)\s*(\[\d+\])?\s*:\s*)+`)
	gtPatchRe = regexp.MustCompile(`(?i)^\s*\[[^\]]*\b(patch|rfc)\b[^\]]*\]`)
	gtNumRe   = regexp.MustCompile(`(\d+)/(\d+)\s*\]`)
)

// splitMboxrd splits an mboxrd file and undoes its ">From " escaping.
func splitMboxrd(data []byte) [][]byte {
	var out [][]byte
	var cur *bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		l := sc.Bytes()
		if bytes.HasPrefix(l, []byte("From ")) {
			if cur != nil {
				out = append(out, cur.Bytes())
			}
			cur = &bytes.Buffer{}
			continue
		}
		if cur == nil {
			continue
		}
		if t := bytes.TrimLeft(l, ">"); len(t) < len(l) && bytes.HasPrefix(t, []byte("From ")) {
			l = l[1:]
		}
		cur.Write(l)
		cur.WriteByte('\n')
	}
	if cur != nil {
		out = append(out, cur.Bytes())
	}
	// the mboxrd writer adds one blank line after each message
	for i, m := range out {
		out[i] = bytes.TrimSuffix(m, []byte("\n"))
	}
	return out
}

func gtIDs(v string) []string {
	var out []string
	for _, m := range gtIDRe.FindAllStringSubmatch(v, -1) {
		out = append(out, m[1])
	}
	return out
}

var gtWords = mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) { return r, nil }}

func readGT(raw []byte) *gtMsg {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil
	}
	g := &gtMsg{Raw: raw}
	if ids := gtIDs(msg.Header.Get("Message-Id")); len(ids) > 0 {
		g.ID = ids[0]
	}
	if ids := gtIDs(msg.Header.Get("In-Reply-To")); len(ids) > 0 {
		g.InReplyTo = ids[len(ids)-1]
	}
	g.Refs = gtIDs(msg.Header.Get("References"))
	subj := msg.Header.Get("Subject")
	if d, err := gtWords.DecodeHeader(subj); err == nil {
		subj = d
	}
	g.Subject = strings.Join(strings.Fields(subj), " ")
	if a, err := mail.ParseAddress(msg.Header.Get("From")); err == nil {
		g.From = strings.ToLower(a.Address)
	}
	ct, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if strings.HasPrefix(ct, "multipart/") {
		g.Multipart = true
		return g
	}
	g.Flowed = strings.EqualFold(params["format"], "flowed")
	body, _ := io.ReadAll(msg.Body)
	switch strings.ToLower(strings.TrimSpace(msg.Header.Get("Content-Transfer-Encoding"))) {
	case "quoted-printable":
		if b, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body))); err == nil {
			body = b
		}
	case "base64":
		if b, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, bytes.NewReader(bytes.Join(bytes.Fields(body), nil)))); err == nil {
			body = b
		}
	}
	g.Body = strings.ReplaceAll(string(body), "\r\n", "\n")
	return g
}

// isReply: the subject says so.
func (g *gtMsg) isReply() bool { return gtReplyRe.MatchString(g.Subject) }

// isPosting: a [PATCH ...]/[RFC ...] mail that is not a reply.
func (g *gtMsg) isPosting() bool { return !g.isReply() && gtPatchRe.MatchString(g.Subject) }

var gtVersionRe = regexp.MustCompile(`(?i)[\s\[,]-?v(\d+)[a-z]?[\s\],]`)

// version returns the N of a "vN" (or "-vN", "vNa") in the subject's
// first bracket group, or 0 when there is none.
func (g *gtMsg) version() int {
	i := strings.Index(g.Subject, "]")
	if i < 0 {
		return 0
	}
	m := gtVersionRe.FindStringSubmatch(g.Subject[:i+1])
	if m == nil {
		return 0
	}
	v, _ := strconv.Atoi(m[1])
	return v
}

// number returns n and N of "[PATCH n/N]", or 0, 0.
func (g *gtMsg) number() (int, int) {
	i := strings.Index(g.Subject, "]")
	if i < 0 {
		return 0, 0
	}
	m := gtNumRe.FindStringSubmatch(g.Subject[:i+1])
	if m == nil {
		return 0, 0
	}
	n, _ := strconv.Atoi(m[1])
	t, _ := strconv.Atoi(m[2])
	return n, t
}

// gtLine is one line of a diff with its position.
type gtLine struct {
	Path     string
	Mark     byte // '+', '-', ' '
	Text     string
	Old, New int // old-side line (0 for '+'), new-side line (0 for '-')
}

// gtDiff parses the unified diff in a body: "+++ b/path" names the file,
// "@@ -a,b +c,d @@" starts a hunk whose lines are counted off.
func gtDiff(body string) []gtLine {
	var out []gtLine
	lines := strings.Split(body, "\n")
	path := ""
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.HasPrefix(l, "+++ ") {
			p := strings.TrimPrefix(l, "+++ ")
			if j := strings.IndexByte(p, '\t'); j >= 0 {
				p = p[:j]
			}
			path = strings.TrimPrefix(p, "b/")
			if p == "/dev/null" && i > 0 && strings.HasPrefix(lines[i-1], "--- ") {
				path = strings.TrimPrefix(strings.Fields(lines[i-1])[1], "a/")
			}
			continue
		}
		if !strings.HasPrefix(l, "@@ ") || path == "" {
			continue
		}
		var o, ol, n, nl int
		f := strings.Fields(l)
		if len(f) < 3 {
			continue
		}
		o, ol = gtRange(f[1])
		n, nl = gtRange(f[2])
		for i+1 < len(lines) && (ol > 0 || nl > 0) {
			i++
			t := lines[i]
			if t == "" {
				t = " " // a blank context line whose space was stripped
			}
			switch t[0] {
			case ' ':
				out = append(out, gtLine{path, ' ', t[1:], o, n})
				o, n, ol, nl = o+1, n+1, ol-1, nl-1
			case '-':
				out = append(out, gtLine{path, '-', t[1:], o, 0})
				o, ol = o+1, ol-1
			case '+':
				out = append(out, gtLine{path, '+', t[1:], 0, n})
				n, nl = n+1, nl-1
			case '\\':
			default:
				ol, nl = 0, 0
			}
		}
	}
	return out
}

func gtRange(s string) (start, count int) {
	s = strings.TrimLeft(s, "+-")
	count = 1
	if i := strings.IndexByte(s, ','); i >= 0 {
		count, _ = strconv.Atoi(s[i+1:])
		s = s[:i]
	}
	start, _ = strconv.Atoi(s)
	return start, count
}

// gtPara is a paragraph of a reply directly under a quoted diff line, and
// the line of the parent's diff that quote is.
type gtPara struct {
	First string // the paragraph's first line, trimmed
	Want  gtLine
}

var (
	gtQuote = regexp.MustCompile(`^> ?`)
	gtTrim  = regexp.MustCompile(`^\s*(\[\s*(\.\.\.|…|snip|snipped)\s*\]|<\s*snip\s*>|\.\.\.|…)\s*$`)
)

// gtAnchors finds, in a reply to a patch, the paragraphs whose nearest
// non-blank line above is a once-quoted diff line ("> +foo"), and resolves
// that line in the parent's diff: the longest run of quoted lines ending
// there that occurs exactly once in the diff decides. Ambiguous or
// unmatched quotes are left out.
func gtAnchors(reply string, diff []gtLine) []gtPara {
	lines := strings.Split(reply, "\n")
	var out []gtPara
	for i := 1; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimLeft(l, " "), ">") {
			continue
		}
		if l == "-- " {
			break
		}
		j := i - 1
		for j >= 0 && strings.TrimSpace(lines[j]) == "" {
			j--
		}
		if j < 0 || !strings.HasPrefix(lines[j], ">") || strings.HasPrefix(lines[j], ">>") || strings.HasPrefix(lines[j], "> >") {
			continue
		}
		// the quote block ending at j, once-quoted, as diff lines
		var block []string
		for k := j; k >= 0 && strings.HasPrefix(lines[k], ">") && !strings.HasPrefix(lines[k], ">>"); k-- {
			block = append([]string{gtQuote.ReplaceAllString(lines[k], "")}, block...)
		}
		last := block[len(block)-1]
		if last == "" || (last[0] != '+' && last[0] != '-' && last[0] != ' ') || strings.HasPrefix(last, "+++") || strings.HasPrefix(last, "---") {
			continue
		}
		if gtTrim.MatchString(l) {
			continue // "[...]", "<snip>": a cut, not a remark
		}
		if want, ok := gtResolve(block, diff); ok {
			out = append(out, gtPara{First: strings.TrimSpace(l), Want: want})
		}
	}
	return out
}

func gtResolve(block []string, diff []gtLine) (gtLine, bool) {
	eq := func(q string, d gtLine) bool {
		if q == "" {
			return d.Mark == ' ' && strings.TrimSpace(d.Text) == ""
		}
		return q[0] == d.Mark && strings.TrimRight(q[1:], " \t") == strings.TrimRight(d.Text, " \t")
	}
	for n := 1; n <= len(block); n++ {
		suffix := block[len(block)-n:]
		var hits []int
		for e := n - 1; e < len(diff); e++ {
			ok := true
			for k := 0; k < n && ok; k++ {
				ok = eq(suffix[n-1-k], diff[e-k])
			}
			if ok {
				hits = append(hits, e)
			}
		}
		switch len(hits) {
		case 0:
			return gtLine{}, false
		case 1:
			return diff[hits[0]], true
		}
	}
	return gtLine{}, false
}
