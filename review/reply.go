package review

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/emersion/go-message/mail"
)

// ReplyInput is what a review reply is made of.
type ReplyInput struct {
	Original  *Message  // the patch or code mail being answered
	Reviewer  Address   // who sends the reply
	Comments  []Comment // the reviewer's comments, on lines (Line > 0) or general
	Findings  []Finding // findings to raise (dismissed ones left out by the caller)
	Verdicts  []Verdict // become trailers at the end
	Date      time.Time // the reply's date
	MessageID string    // the reply's Message-ID, without brackets
}

// contextLines is how many lines are quoted above the line a remark is on.
const contextLines = 3

// replyWidth is where prose is wrapped.
const replyWidth = 72

// remark is one comment or finding placed on a quoted line.
type remark struct {
	at   int // index into the quotable lines
	text string
}

// ReplyMail is a formatted review reply: the mail, its body, and what its
// header says (for showing and sending it without parsing it back).
type ReplyMail struct {
	Eml        []byte // the mail (.eml, LF line endings)
	Body       string // the body alone, for copying into a mail client
	From       Address
	To, Cc     []Address
	Subject    string
	MessageID  string   // without brackets
	InReplyTo  string   // "" when the original has no real Message-ID
	References []string // without brackets; nil with InReplyTo ""
}

// FormatReply writes the review as a list reply.
func FormatReply(in ReplyInput) (ReplyMail, error) {
	rep := replyFields(in)
	rep.Body = replyBody(in)
	var buf bytes.Buffer
	w, err := mail.CreateSingleInlineWriter(&buf, replyHeader(rep, in.Date))
	if err != nil {
		return ReplyMail{}, err
	}
	if _, err := io.WriteString(w, rep.Body); err != nil {
		return ReplyMail{}, err
	}
	if err := w.Close(); err != nil {
		return ReplyMail{}, err
	}
	rep.Eml = bytes.ReplaceAll(buf.Bytes(), []byte("\r\n"), []byte("\n"))
	return rep, nil
}

// replyFields answers the original: To its author (none when the
// original names no sender's address), Cc everyone else it
// went to, Subject "Re: …", threaded by In-Reply-To and References.
func replyFields(in ReplyInput) ReplyMail {
	o := in.Original
	rep := ReplyMail{From: in.Reviewer, Subject: o.Subject.Raw, MessageID: in.MessageID}
	if o.From.Email != "" { // a mail without a sender's address: no To
		rep.To = []Address{{Name: o.From.Name, Email: o.From.Email}}
	}
	if !o.Subject.IsReply {
		rep.Subject = "Re: " + rep.Subject
	}
	if o.MessageID != "" && !IsSyntheticMessageID(o.MessageID) {
		rep.InReplyTo = o.MessageID
		rep.References = append(append([]string{}, o.References...), o.MessageID)
	}
	seen := map[string]bool{strings.ToLower(in.Reviewer.Email): true, strings.ToLower(o.From.Email): true}
	for _, a := range append(append([]Address{}, o.To...), o.Cc...) {
		if k := strings.ToLower(a.Email); a.Email != "" && !seen[k] {
			seen[k] = true
			rep.Cc = append(rep.Cc, Address{Name: a.Name, Email: a.Email})
		}
	}
	return rep
}

// replyHeader writes a reply's fields as its mail header.
func replyHeader(rep ReplyMail, date time.Time) mail.Header {
	var h mail.Header
	// go-message writes fields last-set first: set them bottom-up.
	h.Set("Content-Transfer-Encoding", "8bit")
	h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	h.Set("MIME-Version", "1.0")
	if rep.InReplyTo != "" {
		h.SetMsgIDList("References", rep.References)
		h.SetMsgIDList("In-Reply-To", []string{rep.InReplyTo})
	}
	h.SetMessageID(rep.MessageID)
	h.SetDate(date)
	h.SetSubject(rep.Subject)
	if len(rep.Cc) > 0 {
		h.SetAddressList("Cc", mailAddresses(rep.Cc))
	}
	h.SetAddressList("To", mailAddresses(rep.To))
	h.SetAddressList("From", mailAddresses([]Address{rep.From}))
	return h
}

func mailAddresses(as []Address) []*mail.Address {
	out := make([]*mail.Address, len(as))
	for i, a := range as {
		out[i] = &mail.Address{Name: a.Name, Address: a.Email}
	}
	return out
}

// replyBody is the attribution, the quoted lines with the remarks under
// them, the general comments, and the verdicts (note, then trailer) last.
// Without a remark on a line nothing is quoted, and there is no
// attribution either.
func replyBody(in ReplyInput) string {
	o := in.Original
	var b strings.Builder
	var lines []AnchorLine
	var headers []string // the quoted file header of each line's file
	var hunks []int      // each line's hunk, counted over the files: a change is a gap in the numbers
	if o.Patch != nil {
		for _, f := range o.Patch.Files {
			for _, l := range DiffTargets([]*File{f}) {
				lines = append(lines, l)
				headers = append(headers, fileHeader(f))
			}
			for _, h := range f.Hunks {
				if h == nil {
					continue
				}
				n := len(hunks)
				for range h.Lines {
					hunks = append(hunks, n)
				}
			}
		}
	} else {
		lines = CodeTargets(BodyPath, o.Body)
		headers = make([]string, len(lines))
	}
	if len(hunks) != len(lines) { // one numbering, no gaps
		hunks = make([]int, len(lines))
	}
	quoted := quoteSource(o)
	remarks, general := placeRemarks(in, lines)
	if len(remarks) > 0 {
		fmt.Fprintf(&b, "On %s, %s wrote:\n", o.Date.Format("Mon, 2 Jan 2006 15:04:05 -0700"), nameOr(o.From))
	}
	last, lastHeader := -1, ""
	for _, r := range remarks {
		from := max(r.at-contextLines, last+1)
		for from < r.at && headers[from] != headers[r.at] {
			from++ // the context stays under the remark's file header
		}
		if headers[r.at] != lastHeader && headers[r.at] != "" {
			b.WriteString("> " + headers[r.at] + "\n")
			lastHeader = headers[r.at]
		}
		for i := from; i <= r.at; i++ {
			// every jump in the line numbers is marked, as on the list
			jump := i > 0 && hunks[i] != hunks[i-1] || i == from && (from > last+1 || last == -1 && from > 0)
			if jump {
				b.WriteString("> [...]\n")
			}
			b.WriteString(strings.TrimRight("> "+quoted[i], " ") + "\n")
		}
		if from <= r.at {
			b.WriteString("\n") // a second remark on the same line follows the first
		}
		if r.at > last {
			last = r.at
		}
		b.WriteString(strings.ReplaceAll(wrapProse(r.text, replyWidth), keepSpace, " ") + "\n\n")
	}
	if len(remarks) > 0 && last < len(lines)-1 {
		b.WriteString("> [...]\n\n")
	}
	for _, g := range general {
		b.WriteString(strings.ReplaceAll(wrapProse(g, replyWidth), keepSpace, " ") + "\n\n")
	}
	// The verdict closes the mail: each note, then the trailers.
	var trailers []string
	changes := false
	for _, v := range in.Verdicts {
		if v.Note != "" {
			b.WriteString(wrapProse(v.Note, replyWidth) + "\n\n")
		}
		if t := v.Trailer(); t != "" {
			trailers = append(trailers, t)
		} else if v.Kind == "changes-requested" && v.Note == "" {
			changes = true
		}
	}
	if changes {
		b.WriteString("Please address these in the next version.\n\n")
	}
	if len(trailers) > 0 {
		b.WriteString(strings.Join(trailers, "\n") + "\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// fileHeader is a file's "diff --git" line as git writes it: a new or
// deleted file names its one path on both sides.
func fileHeader(f *File) string {
	oldName, newName := f.OldName, f.NewName
	if oldName == "" || oldName == "/dev/null" {
		oldName = newName
	}
	if newName == "" || newName == "/dev/null" {
		newName = oldName
	}
	return "diff --git a/" + oldName + " b/" + newName
}

// IsSyntheticMessageID reports whether id was made up for a mail that had
// none (SyntheticMessageID): nothing on the list knows it.
func IsSyntheticMessageID(id string) bool {
	return strings.HasSuffix(id, "@patchreview.invalid")
}

// quoteSource is each quotable line as quoted: a diff line with its
// +/-/space marker, a code line as it is.
func quoteSource(o *Message) []string {
	var out []string
	if o.Patch == nil {
		for _, l := range CodeTargets(BodyPath, o.Body) {
			out = append(out, l.Text)
		}
		return out
	}
	for _, f := range o.Patch.Files {
		for _, h := range f.Hunks {
			for _, l := range h.Lines {
				marker := " "
				switch l.Kind {
				case LineAdd:
					marker = "+"
				case LineDel:
					marker = "-"
				}
				out = append(out, marker+l.Text)
			}
		}
	}
	return out
}

// placeRemarks puts each comment and finding on the quotable line it is
// about, in order; what has no line becomes general text.
func placeRemarks(in ReplyInput, lines []AnchorLine) (placed []remark, general []string) {
	// New-side numbers, for findings and comments on added and kept
	// lines; a removed line carries its old-side number (Side "old").
	index := map[string]int{}
	for i, l := range lines {
		if key := fmt.Sprintf("%s:%d", l.Path, l.Line); l.Side == "" {
			if _, dup := index[key]; !dup {
				index[key] = i
			}
		}
	}
	// Old-side numbers of removed and kept lines, for comments on the old
	// side.
	oldIndex := map[string]int{}
	if o := in.Original; o.Patch != nil {
		i := 0
		for _, f := range o.Patch.Files {
			for _, h := range f.Hunks {
				for _, l := range h.Lines {
					if l.Kind != LineAdd {
						oldIndex[fmt.Sprintf("%s:%d", f.Path(), l.Old)] = i
					}
					i++
				}
			}
		}
	}
	add := func(path string, line int, text string) {
		if i, ok := index[fmt.Sprintf("%s:%d", path, line)]; ok && line > 0 {
			placed = append(placed, remark{at: i, text: text})
		} else if strings.TrimSpace(text) != "" {
			general = append(general, text)
		}
	}
	for _, c := range in.Comments {
		if i, ok := oldIndex[fmt.Sprintf("%s:%d", c.Path, c.Line)]; ok && c.Side == SideOld && c.Line > 0 {
			placed = append(placed, remark{at: i, text: c.Body})
			continue
		}
		add(c.Path, c.Line, c.Body)
	}
	for _, f := range in.Findings {
		add(f.Path, f.Line, findingProse(f, lines))
	}
	sort.SliceStable(placed, func(i, j int) bool { return placed[i].at < placed[j].at })
	return placed, general
}

// findingProse phrases a finding as a reviewer would write it, naming the
// rule so the sender can look it up. An identifier starting the sentence
// keeps its case, a "line N" is replaced by the code on that line (lines
// is the quotable lines of the mail), and code in the fix is set on its
// own indented line, kept as it is.
func findingProse(f Finding, lines []AnchorLine) string {
	prose, code := splitCode(strings.TrimSpace(f.Message))
	prose = lineRef.ReplaceAllStringFunc(prose, func(m string) string {
		n, _ := strconv.Atoi(lineRef.FindStringSubmatch(m)[1])
		found := ""
		for _, l := range lines { // a new-side number: removed lines are numbered on the old side
			if l.Path == f.Path && l.Line == n && l.Side == "" && strings.TrimSpace(l.Text) != "" {
				found = "\"" + strings.TrimSpace(l.Text) + "\""
			}
		}
		if found == "" {
			return m
		}
		return strings.ReplaceAll(found, " ", keepSpace) // quoted code is not wrapped
	})
	if prose != "" && !startsWithIdentifier(prose, f.Code) {
		r, size := utf8.DecodeRuneInString(prose)
		prose = string(unicode.ToUpper(r)) + prose[size:]
	}
	if code != "" {
		return prose + "\n\n\t" + code + "\n\n[" + f.Rule + "]"
	}
	if prose != "" && !strings.HasSuffix(prose, ".") {
		prose += "."
	}
	return prose + " [" + f.Rule + "]"
}

// lineRef is a reference to a line of the patch in a finding's message.
var lineRef = regexp.MustCompile(`\bline (\d+)\b`)

// codeStart finds where C code begins in a finding's fix text.
var codeStart = regexp.MustCompile(`\b(?:if|while|for|switch) \(|\{ `)

// keepSpace stands for a space that wrapping must not break at; it is
// turned back into a space once the text is wrapped.
const keepSpace = "\ue000"

// callStart is a function call: a name and its opening parenthesis.
var callStart = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*\(`)

// splitCode separates a trailing piece of C code from the prose before it:
// a statement (if (…), { … }) or, after the last ": ", one whole call.
func splitCode(msg string) (prose, code string) {
	if loc := codeStart.FindStringIndex(msg); loc != nil && strings.ContainsAny(msg[loc[0]:], ";)") {
		return strings.TrimSpace(msg[:loc[0]]), strings.TrimSpace(msg[loc[0]:])
	}
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		rest := strings.TrimRight(strings.TrimSpace(msg[i+2:]), ".;")
		if callStart.MatchString(rest) && balancedCall(rest) {
			return strings.TrimSpace(msg[:i+1]), rest
		}
	}
	return msg, ""
}

// balancedCall reports whether s is one call whose parentheses close at
// its very end.
func balancedCall(s string) bool {
	depth := 0
	for i, c := range s {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 && i != len(s)-1 {
				return false
			}
		}
	}
	return depth == 0 && strings.HasSuffix(s, ")")
}

// startsWithIdentifier says whether the text's first word is a C
// identifier or expression rather than an English word: it has _ ( - > . [
// or a digit, or it appears in the finding's code.
func startsWithIdentifier(text, code string) bool {
	word := strings.FieldsFunc(text, unicode.IsSpace)[0]
	word = strings.TrimRight(word, ",:;")
	if strings.ContainsAny(word, "_()->.[]*0123456789") {
		return true
	}
	for _, tok := range strings.FieldsFunc(code, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' }) {
		if tok == word {
			return true
		}
	}
	return false
}

func nameOr(a Address) string {
	if a.Name != "" {
		return a.Name
	}
	return a.Email
}

// wrapProse wraps paragraphs at width. Lines that start with white space,
// ">" or a list marker, and fenced code, are kept as they are.
func wrapProse(text string, width int) string {
	var out []string
	fenced := false
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		var lines []string
		var words []string
		flush := func() {
			if len(words) > 0 {
				lines = append(lines, fill(words, width)...)
				words = nil
			}
		}
		for _, l := range strings.Split(para, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "```") {
				fenced = !fenced
				flush()
				lines = append(lines, l)
				continue
			}
			if fenced || l == "" || l[0] == ' ' || l[0] == '\t' || l[0] == '>' || strings.HasPrefix(l, "- ") || strings.HasPrefix(l, "* ") {
				flush()
				lines = append(lines, l)
				continue
			}
			words = append(words, strings.Fields(l)...)
		}
		flush()
		out = append(out, strings.Join(lines, "\n"))
	}
	return strings.Join(out, "\n\n")
}

// fill lays words out in lines of at most width (a longer word stands alone).
func fill(words []string, width int) []string {
	var lines []string
	cur := ""
	for _, w := range words {
		switch {
		case cur == "":
			cur = w
		case len(cur)+1+len(w) <= width:
			cur += " " + w
		default:
			lines = append(lines, cur)
			cur = w
		}
	}
	return append(lines, cur)
}
