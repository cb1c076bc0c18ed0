package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"patchreview/checks"
)

// treeSource is a writepage whose only unlock is far below the hunk that
// the patch of TestCheckTree changes.
func treeSource() string {
	var b strings.Builder
	b.WriteString("static int xfoo_writepage(struct page *page, struct writeback_control *wbc)\n{\n\tint err;\n\n")
	b.WriteString("\terr = xfoo_prepare(page);\n\tif (err)\n\t\tgoto out;\n")
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, "\txfoo_step%d(page);\n", i)
	}
	b.WriteString("\tunlock_page(page);\nout:\n\treturn err;\n}\n")
	return b.String()
}

const treeCmdPatch = `--- a/fs/xfoo/aops.c
+++ b/fs/xfoo/aops.c
@@ -5,6 +5,8 @@ static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
 	err = xfoo_prepare(page);
 	if (err)
 		goto out;
+	if (xfoo_busy(page))
+		return -EBUSY;
 	xfoo_step0(page);
 	xfoo_step1(page);
 	xfoo_step2(page);
`

func TestCheckTree(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "fs", "xfoo"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "fs", "xfoo"), "aops.c", treeSource())
	patch := writeFile(t, t.TempDir(), "0001.patch", treeCmdPatch)

	if r := runCheckCmd(t, "", patch); r.code != 0 {
		t.Fatalf("without a tree the hunk shows nothing; got exit %d: %s", r.code, r.stdout)
	}
	r := runCheckCmd(t, "", "--tree", dir, patch)
	if r.code != 1 || !strings.Contains(r.stdout, "fs/xfoo/aops.c:9: ERROR: writepage-unlock-all-paths") {
		t.Errorf("--tree: exit %d, output %q %q", r.code, r.stdout, r.stderr)
	}
	// The environment variable does the same.
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"check", patch}, strings.NewReader(""), &out, &errb,
		func(k string) string {
			if k == "PATCHREVIEW_TREE" {
				return dir
			}
			return ""
		})
	if code != 1 || !strings.Contains(out.String(), "writepage-unlock-all-paths") {
		t.Errorf("PATCHREVIEW_TREE: exit %d, output %q %q", code, out.String(), errb.String())
	}
	// A tree the patch does not apply to: the hunks, with a note.
	r = runCheckCmd(t, "", "--tree", t.TempDir(), patch)
	if r.code != 0 || !strings.Contains(r.stdout, "INFO: tree-context: fs/xfoo/aops.c is not in the tree") {
		t.Errorf("missing file: exit %d, output %q", r.code, r.stdout)
	}
	if r := runCheckCmd(t, "", "--tree", filepath.Join(dir, "nope"), patch); r.code != 2 || !strings.Contains(r.stderr, "not a directory") {
		t.Errorf("bad --tree: exit %d, stderr %q", r.code, r.stderr)
	}
}

// In SARIF a note (tree-context here) points at a rule entry of its own,
// not at the catalogue's first rule (regression: ruleIndex 0, R01).
func TestCheckSARIFNote(t *testing.T) {
	patch := writeFile(t, t.TempDir(), "0001.patch", treeCmdPatch)
	r := runCheckCmd(t, "", "--format", "sarif", "--tree", t.TempDir(), patch)
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID string } `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("SARIF: %v\n%s", err, r.stdout)
	}
	run := log.Runs[0]
	found := false
	for _, res := range run.Results {
		if res.RuleID != checks.TreeNoteID {
			continue
		}
		found = true
		if res.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[res.RuleIndex].ID != checks.TreeNoteID {
			t.Errorf("tree-context result has ruleIndex %d, not its own rule entry", res.RuleIndex)
		}
	}
	if !found {
		t.Errorf("no tree-context result:\n%s", r.stdout)
	}
}

// check, ingest and serve refuse a --tree that is not a directory with the
// one message of the one check (internal/checker.Options).
func TestTreeRefusedAlikeByEveryCommand(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "nope")
	r := runCheckCmd(t, "", "--tree", bad, "-")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"ingest", "--db", filepath.Join(t.TempDir(), "t.db"), "--tree", bad, "-"},
		strings.NewReader(""), &out, &errb, func(string) string { return "" })
	want := fmt.Sprintf("--tree %q is not a directory", bad)
	if r.code != 2 || r.stderr != "patchreview check: "+want+"\n" {
		t.Errorf("check: exit %d, stderr %q", r.code, r.stderr)
	}
	if code != 2 || errb.String() != "patchreview ingest: "+want+"\n" {
		t.Errorf("ingest: exit %d, stderr %q", code, errb.String())
	}
	if err := serve(context.Background(), slog.New(slog.DiscardHandler), serveConfig{db: filepath.Join(t.TempDir(), "s.db"), tree: bad}); err == nil || err.Error() != want {
		t.Errorf("serve: %v", err)
	}
}

// A --kernel-version that does not read as a version is refused the same
// way by check, ingest and serve (serve and ingest used to fall back to
// guessing the era without a word).
func TestKernelVersionRefusedAlikeByEveryCommand(t *testing.T) {
	const bad = "six"
	r := runCheckCmd(t, "", "--kernel-version", bad, "-")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"ingest", "--db", filepath.Join(t.TempDir(), "t.db"), "--kernel-version", bad, "-"},
		strings.NewReader(""), &out, &errb, func(string) string { return "" })
	want := fmt.Sprintf("bad --kernel-version %q (want a version such as 2.6.23 or 6.12)", bad)
	if r.code != 2 || r.stderr != "patchreview check: "+want+"\n" {
		t.Errorf("check: exit %d, stderr %q", r.code, r.stderr)
	}
	if code != 2 || errb.String() != "patchreview ingest: "+want+"\n" {
		t.Errorf("ingest: exit %d, stderr %q", code, errb.String())
	}
	if err := serve(context.Background(), slog.New(slog.DiscardHandler), serveConfig{db: filepath.Join(t.TempDir(), "s.db"), kernelVersion: bad}); err == nil || err.Error() != want {
		t.Errorf("serve: %v", err)
	}
	// The command serve, as started: a usage error, exit 2, nothing served.
	errb.Reset()
	code = run(context.Background(), []string{"serve", "--db", filepath.Join(t.TempDir(), "s2.db"), "--kernel-version", bad},
		strings.NewReader(""), &out, &errb, func(string) string { return "" })
	if code != 2 || errb.String() != "patchreview serve: "+want+"\n" {
		t.Errorf("serve command: exit %d, stderr %q", code, errb.String())
	}
	// check reads PATCHREVIEW_KERNEL_VERSION, as serve and ingest do.
	errb.Reset()
	code = run(context.Background(), []string{"check", "-"}, strings.NewReader(""), &out, &errb,
		func(k string) string { return map[string]string{"PATCHREVIEW_KERNEL_VERSION": bad}[k] })
	if code != 2 || errb.String() != "patchreview check: "+want+"\n" {
		t.Errorf("check with PATCHREVIEW_KERNEL_VERSION=%s: exit %d, stderr %q", bad, code, errb.String())
	}
	patch := writeFile(t, t.TempDir(), "0001.patch", treeCmdPatch)
	if r := runCheckCmd(t, "", "--kernel-version", "v6.12", patch); r.code != 0 {
		t.Errorf("v6.12: exit %d, stderr %q", r.code, r.stderr)
	}
}
