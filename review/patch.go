package review

import (
	netmail "net/mail"
	"regexp"
	"strings"
)

var (
	trailerLine = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9-]*[A-Za-z0-9])\s*:\s*(\S.*)$`)
	cvsIndex    = regexp.MustCompile(`^Index: \S`)
	hunkHeader  = regexp.MustCompile(`^@@@? -\d+(,\d+)? \+\d+(,\d+)? @@`) // "@@@ -1 +1 @@": b4 takes it too
	pullMarker  = regexp.MustCompile(`(?i)are available in the (git )?repository at:?`)
	gitVersion  = regexp.MustCompile(`^\d+\.\d+(\.\d+)*`)
	pullURL     = regexp.MustCompile(`^\s*((git|ssh|http|https|git\+ssh)://\S+|[\w.-]+@[\w.-]+:\S+)(\s+\S+)?\s*$`)
)

// diffStart returns the index of the line where a diff begins, or -1:
// "diff --git", "Index:" (CVS/SVN) or a "--- a" / "+++ b" / "@@" triple.
func diffStart(lines []string) int {
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "diff --git ") || strings.HasPrefix(l, "diff -"):
			return i
		case cvsIndex.MatchString(l) && i+1 < len(lines) && strings.HasPrefix(lines[i+1], "====="):
			return i
		case strings.HasPrefix(l, "--- ") && i+2 < len(lines) && strings.HasPrefix(lines[i+1], "+++ ") && hunkHeader.MatchString(lines[i+2]):
			return i
		case strings.HasPrefix(l, "GIT binary patch") && i > 0:
			return i
		}
	}
	return -1
}

// SplitPatch splits a decoded mail body as git am does: the commit message
// (up to the "---" separator or the diff), the notes after "---" (diffstat,
// changelog), and the diff itself, without a trailing "-- " signature or list
// footer. It returns nil when the body carries no diff.
func SplitPatch(body string) *Patch {
	lines := strings.Split(body, "\n")
	start := diffStart(lines)
	if start < 0 {
		return nil
	}
	msgEnd, notesStart := start, start
	for i := 0; i < start; i++ {
		if strings.TrimRight(lines[i], " \t") == "---" {
			msgEnd, notesStart = i, i+1
			break
		}
	}
	end := diffEnd(lines, start)
	p := &Patch{
		CommitMessage: strings.Trim(strings.Join(lines[:msgEnd], "\n"), "\n") + "\n",
		Notes:         strings.Trim(strings.Join(lines[notesStart:start], "\n"), "\n"),
		Diff:          joinedLines(body, lines, start, end),
	}
	if strings.TrimSpace(p.CommitMessage) == "" {
		p.CommitMessage = ""
	}
	p.inBodyHeaders()
	p.Trailers = ParseTrailers(p.CommitMessage)
	p.Files, _ = ParseDiff(p.Diff)
	return p
}

// joinedLines returns lines[start:end] of body (lines is body split at
// "\n") joined by "\n" and ending in one: a substring of body, so that a
// large diff is not copied.
func joinedLines(body string, lines []string, start, end int) string {
	if start >= end {
		return "\n"
	}
	off := 0
	for _, l := range lines[:start] {
		off += len(l) + 1
	}
	n := 0
	for _, l := range lines[start:end] {
		n += len(l) + 1
	}
	if off+n <= len(body) {
		return body[off : off+n] // the last line's newline is in body
	}
	return body[off:] + "\n" // the body's last line has no newline
}

var (
	inBodyHeader  = regexp.MustCompile(`^(From|Subject|Date):\s*(.*)$`)
	formatPatchFr = regexp.MustCompile(`^>?From [0-9a-f]{40} `) // git format-patch's own first line, pasted
)

// inBodyHeaders takes "From:", "Subject:" and "Date:" lines (folded lines
// joined) off the top of the commit message, as git am does: the first
// paragraph counts only when every line of it is such a header.
func (p *Patch) inBodyHeaders() {
	msg := p.CommitMessage
	if first, after, ok := strings.Cut(msg, "\n"); ok && formatPatchFr.MatchString(first) {
		msg = after // "From <sha> Mon Sep 17 00:00:00 2001" before the in-body headers
	}
	para, rest, _ := strings.Cut(msg, "\n\n")
	if !strings.Contains(para, "\n") && strings.HasPrefix(para, "[PATCH") {
		// a bare "[PATCH] subject" first line stands for the subject, as
		// git mailinfo reads it (t5100 0010)
		p.Subject = para
		p.CommitMessage = strings.TrimLeft(rest, "\n")
		return
	}
	fields := map[string]string{}
	var key string
	for _, l := range strings.Split(strings.TrimRight(para, "\n"), "\n") {
		if m := inBodyHeader.FindStringSubmatch(l); m != nil {
			key = m[1]
			fields[key] = m[2]
		} else if key != "" && l != "" && (l[0] == ' ' || l[0] == '\t') {
			fields[key] += " " + strings.TrimSpace(l)
		} else {
			return
		}
	}
	if from := fields["From"]; from != "" {
		// a bogus in-body From: is still taken off the message, as git
		// does (t5100 0015); the mail's own From stays the author
		if a, err := netmail.ParseAddress(decodeHeader(from)); err == nil {
			p.Author = Address{Name: a.Name, Email: a.Address}
		}
	}
	p.Subject = decodeHeader(fields["Subject"])
	p.CommitMessage = strings.TrimLeft(rest, "\n")
}

// diffEnd finds where the diff stops: a "-- " signature line, or a list
// footer ("____" rule) outside a hunk, or the end; trailing empty lines are
// dropped, but not a lone space, which is an empty context line.
func diffEnd(lines []string, start int) int {
	end := len(lines)
	for i := start; i < len(lines); i++ {
		sig := lines[i] == "-- " || lines[i] == "--" && i+1 < len(lines) && gitVersion.MatchString(lines[i+1])
		if sig || strings.HasPrefix(lines[i], "_______________") {
			end = i
			break
		}
	}
	for end > start && strings.TrimRight(lines[end-1], "\r\t") == "" {
		end--
	}
	return end
}

var (
	extinfoLine = regexp.MustCompile(`^\s*\[[^\]]+\]\s*$`)
	hashExtinfo = regexp.MustCompile(`^(.*\S)(\s+#[^#]+)$`)
)

// ParseTrailers returns the trailers of a commit message: the "Key: value"
// lines of its last paragraph, with folded continuation lines joined, when
// every line of that paragraph is a trailer or a continuation.
func ParseTrailers(msg string) []Trailer {
	paras := strings.Split(strings.TrimRight(msg, "\n"), "\n\n")
	last := paras[len(paras)-1]
	var out []Trailer
	for _, l := range strings.Split(last, "\n") {
		if l == "" {
			continue
		}
		if n := len(out); n > 0 {
			t := strings.TrimSpace(l)
			switch {
			case extinfoLine.MatchString(l) && out[n-1].Extinfo == "": // "[for the parts that are bogus]"
				out[n-1].Extinfo = l
				continue
			case strings.HasPrefix(t, "<") && strings.HasSuffix(t, ">") && !strings.Contains(out[n-1].Value, "<"):
				out[n-1].Value += " " + t // "Signed-off-by: Long Name\n<addr>"
				continue
			case l[0] == ' ' || l[0] == '\t':
				out[n-1].Value += " " + t
				continue
			}
		}
		m := trailerLine.FindStringSubmatch(l)
		if m == nil || strings.Contains(m[1], "://") {
			return nil
		}
		t := Trailer{Key: canonicalKey(m[1]), Value: strings.TrimSpace(m[2])}
		if x := hashExtinfo.FindStringSubmatch(t.Value); x != nil {
			t.Value, t.Extinfo = x[1], x[2] // "Link: https://… # initial submission"
		}
		out = append(out, t)
	}
	return out
}

// canonicalKey spells a trailer key the usual way: "reviewed-BY" → "Reviewed-by".
func canonicalKey(k string) string {
	k = strings.ToLower(k)
	if k == "" {
		return k
	}
	return strings.ToUpper(k[:1]) + k[1:]
}

// PullURL returns the repository and branch of a git request-pull mail:
// "git://host/repo.git branch", joining a URL wrapped over two lines.
func PullURL(body string) string {
	if !strings.Contains(body, "epository at") && !strings.Contains(body, "EPOSITORY AT") {
		return "" // no pull request marker (the common case, without a split and a regexp per line)
	}
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		if !pullMarker.MatchString(l) {
			continue
		}
		for j := i + 1; j < len(lines) && j <= i+3; j++ {
			cand := strings.TrimSpace(lines[j])
			if cand == "" {
				continue
			}
			if j+1 < len(lines) && strings.HasSuffix(cand, "/") || j+1 < len(lines) && !strings.Contains(cand, " ") && strings.HasPrefix(strings.TrimSpace(lines[j+1]), "tags/") {
				cand = strings.TrimSpace(cand + " " + strings.TrimSpace(lines[j+1]))
			}
			if pullURL.MatchString(cand) {
				return strings.Join(strings.Fields(cand), " ")
			}
			break
		}
	}
	return ""
}
