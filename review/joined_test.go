package review

import (
	"strings"
	"testing"
)

// joinedLines is strings.Join(lines[start:end], "\n") + "\n" without a copy.
func TestJoinedLines(t *testing.T) {
	for _, body := range []string{"a\nb\nc\n", "a\nb\nc", "a\n\nb\n\n", "", "x"} {
		lines := strings.Split(body, "\n")
		for start := 0; start <= len(lines); start++ {
			for end := start; end <= len(lines); end++ {
				want := strings.Join(lines[start:end], "\n") + "\n"
				if got := joinedLines(body, lines, start, end); got != want {
					t.Errorf("%q [%d:%d]: %q, want %q", body, start, end, got, want)
				}
			}
		}
	}
}

// wellFormedHeader is the fast path of repairHeader: true only when every
// header line is a field or a continuation.
func TestWellFormedHeader(t *testing.T) {
	for raw, want := range map[string]bool{
		"From: a@b\nSubject: x\n\nbody":           true,
		"From: a@b\r\nSubject: x\r\n\r\nbody":     true,
		"Subject: a\n long\n\nbody":               true,
		"From: a@b\nbroken line\nSubject: x\n\nb": false,
		" leading: continuation\n\nb":             false,
		"\nbody":                                  false,
		"From: a@b":                               true,
	} {
		if got := wellFormedHeader([]byte(raw)); got != want {
			t.Errorf("%q: %v, want %v", raw, got, want)
		}
		if want && string(repairHeader([]byte(raw))) != raw {
			t.Errorf("%q: a well-formed header was changed", raw)
		}
	}
}
