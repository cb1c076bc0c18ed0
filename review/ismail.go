package review

import (
	"bytes"
	"errors"
	"fmt"
	"net/mail"
	"strings"
)

// ErrNotMail is what CheckMail answers for bytes that are not a mail
// message at all (a PNG, "hello", a JSON document).
var ErrNotMail = errors.New("not a mail message")

// maxHeaderScan bounds the part of a message CheckMail reads for its
// header block.
const maxHeaderScan = 256 << 10

// CheckMail decides whether raw (one message, with or without its mbox
// "From " line) is a mail, however malformed, or not a mail at all. The
// rule: its header block (the lines before the first empty line) starts
// with a header field ("Name: value", a name of printable ASCII without
// spaces) and holds at least one valid field among From (an address),
// Subject (not empty), Message-ID (with an '@' or in angle brackets) and
// Date (a date net/mail reads). A mail with a broken header line, an
// unparseable From or no body passes, to be stored raw and marked as
// before; the error names what is missing.
func CheckMail(raw []byte) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		return fmt.Errorf("%w: empty", ErrNotMail)
	}
	if bytes.HasPrefix(raw, []byte("From ")) {
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			raw = raw[i+1:]
		}
	}
	if len(raw) > maxHeaderScan {
		raw = raw[:maxHeaderScan]
	}
	var fields []string // unfolded header lines
	for i, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			break
		}
		if i == 0 && !isFieldLine(line) {
			first := line
			if len(first) > 40 {
				first = first[:40] + "…"
			}
			return fmt.Errorf("%w: it does not start with a header block (the first line is %q)", ErrNotMail, first)
		}
		if (line[0] == ' ' || line[0] == '\t') && len(fields) > 0 {
			fields[len(fields)-1] += line
			continue
		}
		fields = append(fields, line)
	}
	for _, f := range fields {
		name, value, ok := strings.Cut(f, ":")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "from":
			if _, err := mail.ParseAddressList(value); err == nil || strings.Contains(value, "@") {
				return nil
			}
		case "subject":
			if value != "" {
				return nil
			}
		case "message-id":
			if strings.Contains(value, "@") || strings.HasPrefix(value, "<") && strings.HasSuffix(value, ">") {
				return nil
			}
		case "date":
			if _, err := mail.ParseDate(value); err == nil {
				return nil
			}
		}
	}
	return fmt.Errorf("%w: its header block has no valid From, Subject, Message-ID or Date field", ErrNotMail)
}

// isFieldLine reports a header field line: a name of printable ASCII
// other than ':' and space, then ':'.
func isFieldLine(line string) bool {
	i := strings.IndexByte(line, ':')
	if i <= 0 {
		return false
	}
	for _, c := range []byte(line[:i]) {
		if c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}
