package review

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	netmail "net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // ISO-8859-x, Windows-125x, ISO-2022-JP…
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
	"golang.org/x/text/encoding/charmap"
)

// maxBody bounds the decoded text of one part of a message: past it the
// message is not parsed (ErrTooLarge: stored raw and marked), never
// silently cut (a cut diff is a different patch). It is above the
// service's largest upload (50 MiB by default).
var maxBody = 128 << 20 // a variable for tests

// ErrTooLarge says a part of a message is larger than the parser reads.
var ErrTooLarge = fmt.Errorf("%w: a part of the message is larger than %d MiB", ErrInvalid, maxBody>>20)

// ParseMessage decodes one RFC 822 message (CRLF or LF) and classifies it.
// It returns an error wrapping ErrInvalid when raw has no header block at all.
// Undecodable parts (unknown charset or transfer encoding) are kept as best
// as they can be read, never dropped; but a text or patch part whose base64
// is corrupt is an ErrInvalid error naming it, so that storage keeps the
// mail raw and marks it failed instead of classifying what was half read.
func ParseMessage(raw []byte) (*Message, error) {
	raw = repairHeader(dropEnvelope(raw))
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil && e == nil {
		return nil, fmt.Errorf("%w: no mail header block: %v", ErrInvalid, err)
	}
	h := mail.Header{Header: e.Header}
	if h.Len() == 0 && !headerlessPatch(raw) {
		return nil, fmt.Errorf("%w: no mail header block", ErrInvalid)
	}
	m := &Message{
		MessageID:  HeaderMessageID(e.Header),
		InReplyTo:  firstID(msgIDs(h.Get("In-Reply-To"))),
		References: msgIDs(h.Get("References")),
		From:       fromAddress(h),
		To:         addresses(h, "To"),
		Cc:         addresses(h, "Cc"),
	}
	if m.MessageID == "" {
		m.MessageID = SyntheticMessageID(raw)
	}
	if ids := listIDRe.FindStringSubmatch(h.Get("List-Id")); ids != nil {
		m.ListID = strings.ToLower(ids[1])
	}
	m.Date, _ = h.Date()
	if m.Date.IsZero() {
		m.Date, _ = netmail.ParseDate(h.Get("Date"))
	}
	m.Subject = ParseSubject(decodeHeader(h.Get("Subject")))
	body, attached, err := readBody(e)
	if err != nil {
		return nil, err // stored raw and marked failed with the reason
	}
	m.Body = body
	classify(m, attached)
	return m, nil
}

// headerlessPatch reports whether raw is a mail with an empty header
// block whose body carries a diff: git am takes it (t5100's nul-plain).
func headerlessPatch(raw []byte) bool {
	body, ok := bytes.CutPrefix(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), []byte("\n"))
	return ok && SplitPatch(string(body)) != nil
}

// dropEnvelope removes a leading mbox "From " line.
func dropEnvelope(raw []byte) []byte {
	if IsMbox(raw) {
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			return raw[i+1:]
		}
	}
	return raw
}

var (
	msgIDRe  = regexp.MustCompile(`<([^<>\s]+)>`)
	nameAddr = regexp.MustCompile(`^\s*"?([^"<]*?)"?\s*<([^>]+)>`) // what is left of a broken address list
	bareAddr = regexp.MustCompile(`[^\s<>()"]+@[^\s<>()"]+`)
)

// msgIDs returns the message ids in a References/In-Reply-To value, in order,
// without angle brackets and duplicates; comments and junk are ignored.
func msgIDs(v string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range msgIDRe.FindAllStringSubmatch(v, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	if len(out) == 0 {
		if f := strings.Fields(v); len(f) == 1 && strings.Contains(f[0], "@") {
			out = append(out, strings.Trim(f[0], "<>"))
		}
	}
	return out
}

func firstID(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[len(ids)-1]
}

// HeaderMessageID returns the Message-ID of a header, without brackets, or "".
func HeaderMessageID(h message.Header) string {
	ids := msgIDs(h.Get("Message-Id"))
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// ReadMessageID reads only the header block of raw and returns its
// Message-ID, or a synthetic one derived from the bytes when there is none.
func ReadMessageID(raw []byte) string {
	if h, err := ReadHeader(raw); err == nil {
		if id := HeaderMessageID(h); id != "" {
			return id
		}
	}
	return SyntheticMessageID(raw)
}

// ReadHeader reads only the header block of raw (an mbox envelope line
// skipped, malformed lines dropped as repairHeader does).
func ReadHeader(raw []byte) (message.Header, error) {
	h, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(repairHeader(dropEnvelope(raw)))))
	return message.Header{Header: h}, err
}

var headerField = regexp.MustCompile(`^[!-9;-~]+[ \t]*:`)

// repairHeader drops the lines of a header block that are neither a
// field ("Name: value") nor the continuation of one, so that one
// malformed line does not lose the fields after it (Message-ID among
// them). A header that reads well is returned as it is; the stored raw
// mail is never changed.
func repairHeader(raw []byte) []byte {
	if wellFormedHeader(raw) {
		return raw
	}
	if _, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(raw))); err == nil {
		return raw
	}
	var out bytes.Buffer
	rest := raw
	for len(rest) > 0 {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line = rest[:i+1]
		}
		rest = rest[len(line):]
		t := bytes.TrimRight(line, "\r\n")
		if len(t) == 0 { // the end of the header block
			out.Write(line)
			out.Write(rest)
			return out.Bytes()
		}
		if headerField.Match(t) || (t[0] == ' ' || t[0] == '\t') && out.Len() > 0 {
			out.Write(line)
		}
	}
	return out.Bytes()
}

// wellFormedHeader reports, without parsing it, whether every line of the
// header block is a field ("Name: value") or a continuation: the common
// case, which needs no repair.
func wellFormedHeader(raw []byte) bool {
	first := true
	for len(raw) > 0 {
		line := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line = raw[:i]
			raw = raw[i+1:]
		} else {
			raw = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			return !first // the end of the header block
		}
		if line[0] == ' ' || line[0] == '\t' {
			if first {
				return false
			}
			continue
		}
		first = false
		if !headerField.Match(line) {
			return false
		}
	}
	return true
}

// SameMail reports whether two raw mails with one Message-ID are the same
// mail (copies that differ only in transport headers: Received, the
// envelope): same Subject, From, Date and body.
func SameMail(a, b []byte) bool {
	ka, kb := mailKey(a), mailKey(b)
	return ka != "" && ka == kb
}

func mailKey(raw []byte) string {
	raw = repairHeader(dropEnvelope(raw))
	br := bufio.NewReader(bytes.NewReader(raw))
	h, err := textproto.ReadHeader(br)
	if err != nil {
		return ""
	}
	body, _ := io.ReadAll(br)
	sum := sha256.New()
	for _, k := range []string{"Subject", "From", "Date"} {
		fmt.Fprintf(sum, "%s: %s\n", k, strings.TrimSpace(h.Get(k)))
	}
	// Line ends, and the blank lines an mbox puts after a message, are
	// transport: the copy from an mbox and the one from a public-inbox
	// archive are the same mail.
	body = bytes.TrimRight(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n")), "\n")
	sum.Write(body)
	return hex.EncodeToString(sum.Sum(nil))
}

// DerivedMessageID names a second, different mail that reuses a
// Message-ID: the original id with a digest of the mail, stable.
func DerivedMessageID(msgID string, raw []byte) string {
	sum := sha256.Sum256(raw)
	return msgID + "#dup-" + hex.EncodeToString(sum[:6])
}

// SyntheticMessageID names a message that has no Message-ID, stably.
func SyntheticMessageID(raw []byte) string {
	sum := sha256.Sum256(raw)
	return "sha256-" + hex.EncodeToString(sum[:12]) + "@patchreview.invalid"
}

var wordDecoder = mime.WordDecoder{CharsetReader: message.CharsetReader}

// decodeHeader decodes RFC 2047 words, falling back to the raw text; raw
// 8-bit headers that are not UTF-8 are read as Latin-1.
func decodeHeader(v string) string {
	if d, err := wordDecoder.DecodeHeader(v); err == nil {
		v = d
	}
	return toUTF8([]byte(v))
}

// toUTF8 returns b as UTF-8, reading it as Windows-1252 when it is not valid.
func toUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	d, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(d)
}

var listIDRe = regexp.MustCompile(`<([^<>\s]+)>`)

var (
	angleAddr = regexp.MustCompile(`<\s*([^<>\s]+@[^<>\s]+)\s*>`)
	folding   = regexp.MustCompile(`\r?\n[ \t]+`)
)

// fromAddress reads the From header as git mailinfo does: encoded-words
// decoded wherever they are (inside quoted strings and comments too),
// comments kept as part of the name ("Masami Hiramatsu (Google)"), quoted
// strings unquoted, and a name given only as a comment ("<addr> (Name)")
// taken from it.
func fromAddress(h mail.Header) Address {
	v := h.Get("From")
	if strings.TrimSpace(v) == "" {
		return Address{}
	}
	v = decodeHeader(folding.ReplaceAllString(v, " "))
	email := ""
	if m := angleAddr.FindStringSubmatchIndex(v); m != nil {
		email = v[m[2]:m[3]]
		v = v[:m[0]] + " " + v[m[1]:]
	} else if loc := bareAddr.FindStringIndex(v); loc != nil {
		email = v[loc[0]:loc[1]]
		v = v[:loc[0]] + " " + v[loc[1]:]
	}
	if email == "" {
		return firstAddress(h, "From")
	}
	name := strings.Join(strings.Fields(v), " ")
	if strings.HasPrefix(name, "(") && strings.HasSuffix(name, ")") && commentSpan(name) == len(name) {
		name = name[1 : len(name)-1] // "<addr> (Name)"
	}
	return Address{Name: unquoteName(name), Email: email}
}

// commentSpan returns the length of the parenthesised comment s starts
// with (nested, with quoted pairs), or -1.
func commentSpan(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

// unquoteName drops the quotes of quoted strings and the backslash of
// quoted pairs; quotes inside comments stay.
func unquoteName(s string) string {
	var b strings.Builder
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
			continue
		case c == '"' && depth == 0:
			quoted = !quoted
			continue
		case c == '(' && !quoted:
			depth++
		case c == ')' && !quoted && depth > 0:
			depth--
		}
		b.WriteByte(c)
	}
	return strings.TrimSpace(b.String())
}

func firstAddress(h mail.Header, key string) Address {
	if a := addresses(h, key); len(a) > 0 {
		return a[0]
	}
	return Address{}
}

// addresses parses an address list header; when the list does not parse,
// it keeps what it can: a bare address or the decoded text as a name.
func addresses(h mail.Header, key string) []Address {
	v := h.Get(key)
	if strings.TrimSpace(v) == "" {
		return nil
	}
	list, err := h.AddressList(key)
	if err == nil {
		out := make([]Address, 0, len(list))
		for _, a := range list {
			out = append(out, Address{Name: toUTF8([]byte(a.Name)), Email: a.Address})
		}
		return out
	}
	text := decodeHeader(v)
	if m := nameAddr.FindStringSubmatch(text); m != nil {
		return []Address{{Name: strings.TrimSpace(m[1]), Email: m[2]}}
	}
	if m := bareAddr.FindString(text); m != "" {
		return []Address{{Email: m}}
	}
	return []Address{{Name: strings.TrimSpace(text)}}
}

// readBody walks the MIME tree: text/plain parts make the body; parts that
// are patches by type or file name are returned separately; HTML is used
// only when there is no text at all (as text, tags left in). A text or
// patch part whose base64 cannot be decoded is an ErrInvalid error: what
// could be read of it would be classified as something it is not.
func readBody(e *message.Entity) (body string, attached []string, err error) {
	return readBodyDepth(e, 0)
}

// maxEmbed bounds how deep message/rfc822 parts inside each other are read.
const maxEmbed = 4

func readBodyDepth(e *message.Entity, depth int) (body string, attached []string, bad error) {
	var text, html []string
	tooLarge := false
	_ = e.Walk(func(path []int, part *message.Entity, err error) error {
		if part == nil || part.MultipartReader() != nil {
			return nil
		}
		ct, params, _ := part.Header.ContentType()
		disp, dparams, _ := part.Header.ContentDisposition()
		name := dparams["filename"]
		if name == "" {
			name = params["name"]
		}
		b, rerr := io.ReadAll(io.LimitReader(part.Body, int64(maxBody)+1))
		if len(b) > maxBody {
			tooLarge = true
			return ErrTooLarge
		}
		if rerr != nil && bad == nil && undecodable(part, ct, rerr) {
			bad = fmt.Errorf("%w: the %s part %v cannot be decoded: base64: %v", ErrInvalid, ct, path, rerr)
		}
		s := normalizeNewlines(toUTF8(b))
		if strings.EqualFold(params["format"], "flowed") {
			s = decodeFlowed(s, strings.EqualFold(params["delsp"], "yes"))
		}
		switch {
		case ct == "text/x-patch" || ct == "text/x-diff" || strings.HasSuffix(name, ".patch") || strings.HasSuffix(name, ".diff"):
			attached = append(attached, s)
		case ct == "text/plain" || ct == "":
			if disp == "attachment" && diffStart(strings.Split(s, "\n")) >= 0 {
				attached = append(attached, s)
			} else if disp != "attachment" {
				text = append(text, s)
			}
		case ct == "text/html":
			html = append(html, s)
		case (ct == "message/rfc822" || ct == "message/global") && depth < maxEmbed:
			// an attached mail is shown where it is, headers first
			if inner, err := message.Read(bytes.NewReader(b)); inner != nil && (err == nil || !message.IsUnknownEncoding(err)) {
				ib, ia, ierr := readBodyDepth(inner, depth+1)
				if errors.Is(ierr, ErrTooLarge) {
					tooLarge = true
					return ierr
				}
				if bad == nil {
					bad = ierr
				}
				h := mail.Header{Header: inner.Header}
				var hb strings.Builder
				hb.WriteString("---------- attached message ----------\n")
				for _, k := range []string{"From", "Date", "Subject", "Message-ID"} {
					if v := h.Get(k); v != "" {
						hb.WriteString(k + ": " + decodeHeader(v) + "\n")
					}
				}
				text = append(text, hb.String()+"\n"+ib)
				attached = append(attached, ia...)
			}
		}
		return nil
	})
	if tooLarge {
		return "", nil, ErrTooLarge
	}
	if len(text) == 0 {
		text = html
	}
	return strings.Join(text, "\n"), attached, bad
}

// undecodable reports whether err is a base64 decoding error of a part
// that makes the body or a patch (text, or an unnamed type).
func undecodable(part *message.Entity, ct string, err error) bool {
	if !strings.EqualFold(strings.TrimSpace(part.Header.Get("Content-Transfer-Encoding")), "base64") {
		return false
	}
	if ct != "" && !strings.HasPrefix(ct, "text/") {
		return false
	}
	var corrupt base64.CorruptInputError
	return errors.As(err, &corrupt) || errors.Is(err, io.ErrUnexpectedEOF)
}

// decodeFlowed undoes RFC 3676 format=flowed the way git mailinfo does
// before it reads the diff: a line ending in a space is joined to the
// next (without that space when DelSp=yes), one leading space of a
// space-stuffed line is removed, and the "-- " signature line is kept.
func decodeFlowed(s string, delsp bool) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	var prev strings.Builder
	for i, l := range lines {
		if l == "-- " {
			if prev.Len() > 0 {
				out = append(out, prev.String())
				prev.Reset()
			}
			out = append(out, l)
			continue
		}
		l = strings.TrimPrefix(l, " ")
		if strings.HasSuffix(l, " ") && i < len(lines)-1 {
			if delsp {
				l = l[:len(l)-1]
			}
			prev.WriteString(l)
			continue
		}
		out = append(out, prev.String()+l)
		prev.Reset()
	}
	return strings.Join(out, "\n")
}

func normalizeNewlines(s string) string {
	return strings.ReplaceAll(s, "\r\n", "\n")
}

// classify sets Kind, Patch and PullURL.
func classify(m *Message, attached []string) {
	m.PullURL = PullURL(m.Body)
	m.Patch = SplitPatch(m.Body)
	if m.Patch == nil {
		for _, a := range attached {
			if p := SplitPatch(a); p != nil {
				p.CommitMessage = strings.Trim(m.Body, "\n") + "\n"
				p.Trailers = ParseTrailers(p.CommitMessage)
				m.Patch = p
				break
			}
		}
	}
	if m.isReply() {
		// A reply is a comment on what it answers: a diff in it is a change
		// it suggests, never a patch of a series. Code pasted without a diff
		// stays a code mail, checked and anchored, in the thread it answers.
		if m.Patch == nil && LooksLikeCode(m.Body) {
			m.Kind, m.PullURL = KindCode, ""
			return
		}
		m.Kind, m.Suggested, m.Patch, m.PullURL = KindReply, m.Patch, nil, ""
		return
	}
	switch {
	case m.PullURL != "":
		m.Kind = KindPull
	case m.Patch != nil:
		m.Kind = KindPatch
	case m.Subject.Number == 0 && m.Subject.Total > 0 && !m.Subject.IsReply:
		m.Kind = KindCover
	case LooksLikeCode(m.Body):
		m.Kind = KindCode
	case m.Subject.IsReply || m.InReplyTo != "":
		m.Kind = KindReply
	default:
		// "[RFC] Sending NILFS2 patches into upstream" or a bracketed mail
		// without a diff and without n/N is a discussion until numbered
		// patches answer it: storage then makes it their naked cover letter.
		m.Kind = KindOther
	}
}

// isReply reports whether a mail answers another rather than posting
// something new: its subject says "Re:". As in b4, "Re: [PATCH 3/7]" is
// never a new posting, even with a diff and in-body "From:"/"Subject:"
// lines: that diff is a change the reply suggests. A mail that answers one
// without "Re:" keeps its own kind: a patch sent with --in-reply-to, code
// pasted for review.
func (m *Message) isReply() bool {
	return m.Subject.IsReply
}

var (
	cFuncDef = regexp.MustCompile(`^(static\s+|inline\s+|extern\s+)*[A-Za-z_][\w\s\*]*\b[A-Za-z_]\w*\s*\([^;]*\)\s*\{?\s*$`)
	cStmt    = regexp.MustCompile(`(;|\{|\})\s*(/\*.*\*/)?\s*$`)
)

// LooksLikeCode reports whether a body carries C code of its own (not
// quoted with ">"): a function definition followed by a brace, and a body of
// statements.
func LooksLikeCode(body string) bool {
	lines := strings.Split(body, "\n")
	defs, stmts := 0, 0
	for i, l := range lines {
		if strings.HasPrefix(l, ">") {
			continue
		}
		t := strings.TrimSpace(l)
		if cFuncDef.MatchString(t) && !strings.HasPrefix(t, "if") && !strings.HasPrefix(t, "while") &&
			(strings.HasSuffix(t, "{") || i+1 < len(lines) && strings.TrimSpace(lines[i+1]) == "{") {
			defs++
		}
		if cStmt.MatchString(t) {
			stmts++
		}
	}
	return defs > 0 && stmts >= 5
}
