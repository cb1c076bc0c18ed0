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
