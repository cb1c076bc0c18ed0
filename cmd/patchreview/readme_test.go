package main

import (
	"os"
	"strings"
	"testing"

	"patchreview/checks"
)

// TestReadmeTellsTheTruth keeps README.md in step with the code: every rule
// is listed, and CI runs the README's test command.
func TestReadmeTellsTheTruth(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range checks.Rules() {
		if !strings.Contains(string(readme), "`"+r.ID+"`") {
			t.Errorf("README.md does not list rule %s", r.ID)
		}
	}
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	const testCmd = "go test ./..."
	lines := strings.Split(strings.TrimSpace(string(ci)), "\n")
	if !strings.Contains(string(readme), testCmd) || strings.TrimSpace(lines[len(lines)-1]) != testCmd {
		t.Errorf(".ci/run must end with the README's test command %q", testCmd)
	}
	for _, cmd := range []string{"serve", "ingest", "check", "user"} {
		if !strings.Contains(string(readme), "patchreview "+cmd) {
			t.Errorf("README.md does not document 'patchreview %s'", cmd)
		}
	}
}
