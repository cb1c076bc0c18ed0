package checks

import (
	"os"
	"testing"
)

func TestZZFile(t *testing.T) {
	b, _ := os.ReadFile(os.Getenv("ZZ"))
	for _, f := range CheckCode(os.Getenv("ZZ"), string(b), Options{KernelVersion: os.Getenv("ZZV")}) {
		t.Logf("%d %s %s %s: %s", f.Line, f.Severity, f.Rule, f.Function, f.Message)
	}
}
