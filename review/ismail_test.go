package review

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckMail(t *testing.T) {
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
	for _, tt := range []struct {
		name, raw string
		mail      bool
	}{
		{"hello", "hello", false},
		{"hello with newline", "hello\n", false},
		{"PNG bytes", png, false},
		{"empty", "", false},
		{"blank lines", "\n\n  \n", false},
		{"JSON", `{"From": "a@example.org", "Subject": "x"}`, false},
		{"JSON on lines", "{\n\"From\": \"a@example.org\"\n}\n", false},
		{"HTTP-ish headers, none of a mail's", "Host: example.org\r\nAccept: */*\r\n\r\n", false},
		{"only invalid fields", "From: \nSubject:\nMessage-ID: nothing\nDate: yesterday\n\nbody\n", false},
		{"a mail's fields after the header block", "X-Thing: 1\n\nFrom: a@example.org\n", false},
		{"a real mail", "From: Ann <ann@example.org>\nSubject: [PATCH] x\nMessage-ID: <1@example.org>\nDate: Mon, 19 Jan 2026 10:00:00 +0000\n\nbody\n", true},
		{"a real mail with CRLF and its From_ line", "From ann@example.org Mon Jan 19 10:00:00 2026\r\nSubject: x\r\n\r\nbody\r\n", true},
		{"malformed: a broken header line", "From: a@example.org\nthis line is not a header\nMessage-ID: <real-1@example.org>\n\nbody\n", true},
		{"malformed: unparseable From, good Date", "From: <<<\nDate: Mon, 19 Jan 2026 10:00:00 +0000\n", true},
		{"malformed: folded Message-ID only", "Message-Id:\n <real-1@example.org>\n\n", true},
		{"malformed: no body at all", "Subject: only a subject", true},
	} {
		err := CheckMail([]byte(tt.raw))
		if (err == nil) != tt.mail {
			t.Errorf("%s: CheckMail = %v, want mail=%v", tt.name, err, tt.mail)
		}
		if err != nil && (!errors.Is(err, ErrNotMail) || !strings.Contains(err.Error(), "not a mail message: ")) {
			t.Errorf("%s: error %q does not say why", tt.name, err)
		}
	}
}
