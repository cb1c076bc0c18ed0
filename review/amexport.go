package review

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-message"
)

// mboxFrom is the From_ line written before each message, as public-inbox
// and b4 write it: the envelope carries no information.
const mboxFrom = "From mboxrd@z Thu Jan  1 00:00:00 1970\n"

// WriteMbox writes the raw mails as an mboxrd file: a From_ line before
// each, every body line matching ^>*From  quoted with one more ">", and a
// blank line after each. A leading From_ line in a raw mail is dropped so
// that it is not doubled. SplitMbox reads the result back to the same mails.
func WriteMbox(w io.Writer, raws [][]byte) error {
	bw := bufio.NewWriter(w)
	for _, raw := range raws {
		raw = dropEnvelope(raw)
		orig := raw
		bw.WriteString(mboxFrom)
		for len(raw) > 0 {
			line := raw
			if i := bytes.IndexByte(raw, '\n'); i >= 0 {
				line = raw[:i+1]
			}
			raw = raw[len(line):]
			if quotedFrom.Match(line) || bytes.HasPrefix(line, []byte("From ")) {
				bw.WriteByte('>')
			}
			bw.Write(line)
			if line[len(line)-1] != '\n' {
				bw.WriteByte('\n')
			}
		}
		// The blank line before the next separator; a message split from
		// an mbox kept it already, and writing it again would make every
		// round trip one byte longer.
		if !bytes.HasSuffix(orig, []byte("\n\n")) && !bytes.HasSuffix(orig, []byte("\n\r\n")) {
			bw.WriteByte('\n')
		}
	}
	return bw.Flush()
}

// ErrMultipart says AmReady cannot rewrite a multipart mail of this shape
// (nested multiparts, or no text part); the original can still be
// exported with WriteMbox.
var ErrMultipart = errors.New("multipart patch mail: trailers not applied")

// AmReady returns the patch mail with the collected trailers applied the
// way `b4 am` applies them: appended after the commit message's trailer
// block (before the "---" line), each at most once, in the order given
// (the applier's own sign-off, if any, is passed last). Headers are kept; a quoted-printable or base64 body is
// re-encoded the same way, an 8-bit one is declared UTF-8. In a multipart
// mail the first inline text/plain part is the one changed (ErrMultipart
// for nested multiparts). Line endings become LF, as in an mbox. With
// nothing to add the mail is returned as it came (envelope line dropped).
func AmReady(raw []byte, extra []Trailer) ([]byte, error) {
	raw = dropEnvelope(raw)
	e, err := message.Read(bytes.NewReader(raw))
	if e == nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if message.IsUnknownEncoding(err) {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if mr := e.MultipartReader(); mr != nil {
		return amReadyMultipart(e.Header, mr, extra)
	}
	body, err := io.ReadAll(io.LimitReader(e.Body, int64(maxBody)))
	if err != nil {
		return nil, fmt.Errorf("%w: body: %v", ErrInvalid, err)
	}
	text := normalizeNewlines(string(body))
	applied := ApplyTrailers(text, extra)
	if applied == text {
		return raw, nil
	}
	return rewriteBody(e.Header, applied)
}

// amReadyMultipart applies the trailers in the first inline text/plain
// part, where git am takes the commit message from, and copies the other
// parts, re-encoded as their headers say.
func amReadyMultipart(h message.Header, mr message.MultipartReader, extra []Trailer) ([]byte, error) {
	var b bytes.Buffer
	w, err := message.CreateWriter(&b, h)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	done := false
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil && p == nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		t, _, _ := p.Header.ContentType()
		if strings.HasPrefix(t, "multipart/") {
			return nil, ErrMultipart
		}
		body, err := io.ReadAll(io.LimitReader(p.Body, int64(maxBody)))
		if err != nil {
			return nil, fmt.Errorf("%w: part: %v", ErrInvalid, err)
		}
		if strings.HasPrefix(t, "text/") {
			setUTF8(&p.Header, string(body)) // go-message decoded the text to UTF-8
		}
		if !done && (t == "text/plain" || t == "") && !isAttachment(p.Header) {
			body, done = []byte(ApplyTrailers(normalizeNewlines(string(body)), extra)), true
			setUTF8(&p.Header, string(body))
		}
		pw, err := w.CreatePart(p.Header)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		pw.Write(body)
		pw.Close()
	}
	if !done {
		return nil, ErrMultipart
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return bytes.ReplaceAll(b.Bytes(), []byte("\r\n"), []byte("\n")), nil
}

func isAttachment(h message.Header) bool {
	d, _, _ := h.ContentDisposition()
	return d == "attachment"
}

// rewriteBody writes the header and a new text body, encoded as the header
// says; the charset becomes UTF-8 (go-message decoded the body to UTF-8).
func rewriteBody(h message.Header, body string) ([]byte, error) {
	setUTF8(&h, body)
	var b bytes.Buffer
	w, err := message.CreateWriter(&b, h)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	io.WriteString(w, body)
	if err := w.Close(); err != nil {
		return nil, err
	}
	return bytes.ReplaceAll(b.Bytes(), []byte("\r\n"), []byte("\n")), nil
}

// setUTF8 declares a text entity's charset UTF-8 and, when a 7-bit
// encoding can no longer carry the body, 8bit.
func setUTF8(h *message.Header, body string) {
	if t, params, err := h.ContentType(); err == nil || t != "" {
		if t == "" {
			t = "text/plain"
		}
		if params == nil {
			params = map[string]string{}
		}
		params["charset"] = "utf-8"
		h.SetContentType(t, params)
	}
	cte := strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding")))
	if (cte == "" || cte == "7bit") && !isASCII(body) {
		h.Set("Content-Transfer-Encoding", "8bit")
		if !h.Has("Content-Type") {
			h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
		}
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// ApplyTrailers adds trailers to a decoded patch mail body: after the last
// line of the commit message's trailer block, or as a new paragraph when
// the message has none. Trailers already present (same key and value, case
// and spacing aside) are skipped; Signed-off-by trailers go after the
// others, as b4 adds the applier's sign-off last. The "---" line, notes and
// diff are left as they are.
func ApplyTrailers(body string, extra []Trailer) string {
	lines := strings.Split(body, "\n")
	msgEnd := commitEnd(lines)
	k := msgEnd
	for k > 0 && strings.TrimSpace(lines[k-1]) == "" {
		k--
	}
	msg := strings.Join(lines[:k], "\n")
	existing := ParseTrailers(msg)
	add := newTrailers(existing, extra)
	if len(add) == 0 {
		return body
	}
	out := append([]string(nil), lines[:k]...)
	if len(existing) == 0 && k > 0 {
		out = append(out, "")
	}
	for _, t := range add {
		out = append(out, t.Key+": "+t.Value)
	}
	if k == msgEnd && msgEnd < len(lines) && !isSeparator(lines[msgEnd]) {
		out = append(out, "") // keep the diff its own paragraph
	}
	return strings.Join(append(out, lines[k:]...), "\n")
}

// commitEnd returns the index of the "---" line ending the commit message,
// or of the diff's first line when there is no separator, or len(lines).
func commitEnd(lines []string) int {
	end := diffStart(lines)
	if end < 0 {
		end = len(lines)
	}
	for i := 0; i < end; i++ {
		if isSeparator(lines[i]) {
			return i
		}
	}
	return end
}

func isSeparator(l string) bool { return strings.TrimRight(l, " \t") == "---" }

// newTrailers returns the extra trailers not already present, in order:
// as b4 am adds follow-up trailers, a Signed-off-by given in a reply (a
// maintainer's "applied") stays where it came. Only the applier's own
// sign-off goes last, and the caller passes it last.
func newTrailers(existing, extra []Trailer) []Trailer {
	seen := map[string]bool{}
	for _, t := range existing {
		seen[trailerKey(t)] = true
	}
	var add []Trailer
	for _, t := range extra {
		t.Key, t.Value = canonicalKey(strings.TrimSpace(t.Key)), strings.Join(strings.Fields(t.Value), " ")
		if t.Key == "" || t.Value == "" || strings.ContainsAny(t.Key, ": \n") || seen[trailerKey(t)] {
			continue
		}
		seen[trailerKey(t)] = true
		add = append(add, t)
	}
	return add
}

func trailerKey(t Trailer) string {
	return strings.ToLower(t.Key) + ":" + strings.ToLower(strings.Join(strings.Fields(t.Value), " "))
}
