package checks

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// recallMissed lists the cases of testdata/recall the checks do not catch,
// and why (README, "Recall on real bugs"). Every other case must be caught.
var recallMissed = map[string]string{
	"nilfs2-lookup-dirty-mapping":        "a folio truncated from the mapping while unlocked: no rule checks folio->mapping after folio_lock()",
	"nilfs2-page-mkwrite-wait-writeback": "waiting for writeback (not only stable pages) before a folio is written again: no rule models the wait",
}

var recallHeaderRe = regexp.MustCompile(`path: (\S+) kernel-version: (\S+)`)

// TestRecall runs the real-bug suite (testdata/recall, built by
// scripts/recall-cases.py from the kernel sources): each buggy.c must get
// a finding of its rule (error or warning) unless listed in recallMissed,
// and no fixed.c may get an error.
func TestRecall(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "recall", "cases.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	caught, total := 0, 0
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != 6 {
			t.Fatalf("cases.tsv: bad line %q", l)
		}
		name, rule := f[0], f[3]
		total++
		got := recallRun(t, name, "buggy.c")
		hit := false
		for _, x := range got {
			if x.Rule == rule && x.Severity != Info {
				hit = true
			}
		}
		why, missed := recallMissed[name]
		switch {
		case hit && missed:
			t.Errorf("%s: caught now (%s): take it out of recallMissed and update the README", name, rule)
		case !hit && !missed:
			t.Errorf("%s: not caught: no %s finding in %v", name, rule, got)
		case hit:
			caught++
			t.Logf("caught  %s (%s)", name, rule)
		default:
			t.Logf("missed  %s: %s", name, why)
		}
		// The same bug as a patch that brings it in, checked with the
		// fixed file as the tree: caught the same way.
		path, fixedSrc, buggySrc := recallSources(t, name)
		viaTree := CheckDiff(recallPatch(path, fixedSrc, buggySrc), Options{KernelVersion: recallVersion(buggySrc),
			Tree: fstest.MapFS{path: {Data: []byte(fixedSrc)}}})
		treeHit := false
		for _, x := range viaTree {
			if x.Rule == rule && x.Severity != Info {
				treeHit = true
			}
			if x.Rule == TreeNoteID {
				t.Errorf("%s: the bug-introducing patch does not apply to the fixed file: %s", name, x.Message)
			}
		}
		if treeHit != hit {
			t.Errorf("%s: as a patch with --tree caught=%v, as a whole file caught=%v: %v", name, treeHit, hit, viaTree)
		}
		for _, x := range recallRun(t, name, "fixed.c") {
			if x.Severity == Error {
				t.Errorf("%s: error on the fixed code: %s:%d %s: %s", name, x.Path, x.Line, x.Rule, x.Message)
			}
		}
	}
	t.Logf("recall: %d of %d real bugs caught", caught, total)
	if 3*caught < 2*total {
		t.Errorf("recall %d/%d is below the 2/3 target", caught, total)
	}
	if total < 15 {
		t.Errorf("only %d cases; the suite needs at least 15", total)
	}
}

func recallRun(t *testing.T, name, file string) []Finding {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "recall", name, file))
	if err != nil {
		t.Fatal(err)
	}
	m := recallHeaderRe.FindStringSubmatch(string(b))
	if m == nil {
		t.Fatalf("%s/%s: no path/kernel-version header", name, file)
	}
	return CheckCode(m[1], string(b), Options{KernelVersion: m[2]})
}

func recallSources(t *testing.T, name string) (path, fixed, buggy string) {
	t.Helper()
	f, err := os.ReadFile(filepath.Join("testdata", "recall", name, "fixed.c"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("testdata", "recall", name, "buggy.c"))
	if err != nil {
		t.Fatal(err)
	}
	m := recallHeaderRe.FindStringSubmatch(string(b))
	if m == nil {
		t.Fatalf("%s: no header", name)
	}
	return m[1], string(f), string(b)
}

func recallVersion(src string) string {
	if m := recallHeaderRe.FindStringSubmatch(src); m != nil {
		return m[2]
	}
	return ""
}

// recallPatch is a unified diff from old to new with one hunk around the
// lines that differ, three lines of context, as git would write it.
func recallPatch(path, old, new string) string {
	a := strings.Split(strings.TrimSuffix(old, "\n"), "\n")
	b := strings.Split(strings.TrimSuffix(new, "\n"), "\n")
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	start := max(pre-3, 0)
	endA, endB := min(len(a)-suf+3, len(a)), min(len(b)-suf+3, len(b))
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- a/%s\n+++ b/%s\n@@ -%d,%d +%d,%d @@\n", path, path, start+1, endA-start, start+1, endB-start)
	for _, l := range a[start:pre] {
		sb.WriteString(" " + l + "\n")
	}
	for _, l := range a[pre : len(a)-suf] {
		sb.WriteString("-" + l + "\n")
	}
	for _, l := range b[pre : len(b)-suf] {
		sb.WriteString("+" + l + "\n")
	}
	for _, l := range a[len(a)-suf : endA] {
		sb.WriteString(" " + l + "\n")
	}
	return sb.String()
}
