package checks

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// wantRe matches an expectation comment: /* want: rule-id [rule-id...] */.
// A rule id may carry "@severity" to assert the era's severity too.
var wantRe = regexp.MustCompile(`[ \t]*/\* want: ([a-z0-9 @-]+?) \*/`)

// directiveRe matches test directives anywhere in a case file:
// "kernel-version: 6.12" and "path: mm/shmem.c".
var directiveRe = regexp.MustCompile(`(kernel-version|path): (\S+)`)

// A want is one expected finding: its line and rule.
type want struct {
	line     int
	rule     string
	severity Severity // "" when the case does not assert it
}

// newWant parses "rule-id" or "rule-id@severity".
func newWant(line int, s string) want {
	id, sev, _ := strings.Cut(s, "@")
	return want{line, id, Severity(sev)}
}

// TestRules runs every case file of checks/testdata/<rule-id>/ and
// compares all findings (every rule, every severity) with the want
// comments: an unexpected finding fails, and so does an unmatched want.
func TestRules(t *testing.T) {
	for _, r := range Rules() {
		files, _ := filepath.Glob(filepath.Join("testdata", r.ID, "*"))
		if len(files) == 0 {
			t.Errorf("%s: no test cases in testdata/%s", r.Number, r.ID)
		}
		for _, file := range files {
			t.Run(r.ID+"/"+filepath.Base(file), func(t *testing.T) { runCase(t, file) })
		}
	}
}

// runCase checks one case file.
func runCase(t *testing.T, file string) {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	opts, path := Options{}, "fs/xfoo/"+strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))+".c"
	for _, m := range directiveRe.FindAllStringSubmatch(src, -1) {
		if m[1] == "kernel-version" {
			opts.KernelVersion = m[2]
		} else {
			path = m[2]
		}
	}
	var got []Finding
	var wants []want
	clean := wantRe.ReplaceAllString(src, "")
	if strings.HasSuffix(file, ".patch") {
		wants = patchWants(src)
		got = CheckDiff(clean, opts)
	} else {
		for i, l := range strings.Split(src, "\n") {
			for _, m := range wantRe.FindAllStringSubmatch(l, -1) {
				for _, id := range strings.Fields(m[1]) {
					wants = append(wants, newWant(i+1, id))
				}
			}
		}
		got = CheckCode(path, clean, opts)
	}
	compare(t, got, wants)
}

// patchWants returns the wants of a diff, on new-side line numbers.
func patchWants(src string) []want {
	var wants []want
	n := 0
	for _, l := range strings.Split(src, "\n") {
		if strings.HasPrefix(l, "@@ ") {
			f := strings.Fields(l)
			if len(f) > 2 {
				s, _, _ := strings.Cut(strings.TrimPrefix(f[2], "+"), ",")
				n, _ = strconv.Atoi(s)
			}
			continue
		}
		if strings.HasPrefix(l, "-") || strings.HasPrefix(l, "+++") || n == 0 {
			continue
		}
		for _, m := range wantRe.FindAllStringSubmatch(l, -1) {
			for _, id := range strings.Fields(m[1]) {
				wants = append(wants, newWant(n, id))
			}
		}
		n++
	}
	return wants
}

// compare matches findings and wants one to one.
func compare(t *testing.T, got []Finding, wants []want) {
	t.Helper()
	left := map[want]int{}
	for _, w := range wants {
		left[w]++
	}
	for _, f := range got {
		matched := false
		for _, w := range []want{{f.Line, f.Rule, f.Severity}, {f.Line, f.Rule, ""}} {
			if left[w] > 0 {
				left[w]--
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		t.Errorf("unexpected finding at line %d: %s %s: %s (%q)", f.Line, f.Severity, f.Rule, f.Message, f.Code)
	}
	var missing []want
	for w, n := range left {
		for ; n > 0; n-- {
			missing = append(missing, w)
		}
	}
	sort.Slice(missing, func(i, j int) bool { return missing[i].line < missing[j].line })
	for _, w := range missing {
		t.Errorf("missing finding at line %d: %s %s", w.line, w.rule, w.severity)
	}
}
