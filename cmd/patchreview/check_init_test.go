package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCheckStartsWithoutLexerRegistry: the binary does not link chroma's
// lexers package, whose registry of all lexers is built at process start
// (11 ms and 2.7 MB per 'patchreview check'); web/diffview builds its own
// small registry at first use.
func TestCheckStartsWithoutLexerRegistry(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool in PATH")
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if p == "github.com/alecthomas/chroma/v2/lexers" {
			t.Fatalf("%s is linked: its init builds every lexer at each start", p)
		}
	}
}
