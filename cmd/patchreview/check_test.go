package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"patchreview/checks"
)

// buggyDiff adds a ->writepage that returns with its page locked after
// redirtying it (R02/R01), the fuse bug of d5880c7a8620 in miniature.
const buggyDiff = `diff --git a/fs/xfoo/aops.c b/fs/xfoo/aops.c
new file mode 100644
--- /dev/null
+++ b/fs/xfoo/aops.c
@@ -0,0 +1,18 @@
+static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
+{
+	struct inode *inode = page->mapping->host;
+
+	if (xfoo_io_in_flight(inode, page->index)) {
+		redirty_page_for_writepage(wbc, page);
+		return 0;
+	}
+	xfoo_store(inode, page);
+	unlock_page(page);
+	return 0;
+}
+
+static const struct address_space_operations xfoo_aops = {
+	.writepage	= xfoo_writepage,
+};
+
+/* end */
`

// cleanDiff is the same function, fixed.
const cleanDiff = `diff --git a/fs/xfoo/aops.c b/fs/xfoo/aops.c
new file mode 100644
--- /dev/null
+++ b/fs/xfoo/aops.c
@@ -0,0 +1,12 @@
+static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
+{
+	struct inode *inode = page->mapping->host;
+
+	if (wbc->sync_mode == WB_SYNC_NONE && xfoo_io_in_flight(inode, page->index)) {
+		redirty_page_for_writepage(wbc, page);
+		unlock_page(page);
+		return 0;
+	}
+	return block_write_full_page(page, xfoo_get_block, wbc);
+}
+
`

func patchMail(from, subject, msgid, diff string) string {
	return "From: " + from + "\n" +
		"Subject: " + subject + "\n" +
		"Date: Tue, 6 Dec 2022 12:00:00 +0100\n" +
		"Message-Id: <" + msgid + ">\n" +
		"\n" +
		"Commit message.\n\nSigned-off-by: " + from + "\n---\n" + diff
}

// codeMail pastes the buggy function into a reply, as Erez Zadok did in 2007.
const codeMail = `From: Erez Zadok <ezk@example.edu>
Subject: Re: xfoo writepage
Date: Sun, 28 Oct 2007 16:23:20 -0400
Message-Id: <code@example.edu>

Here is the new code, please look it over.

static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	struct inode *inode = page->mapping->host;

	if (xfoo_io_in_flight(inode, page->index)) {
		redirty_page_for_writepage(wbc, page);
		return 0;
	}
	xfoo_store(inode, page);
	unlock_page(page);
	return 0;
}

Thanks,
Erez.
`

func mbox(mails ...string) string {
	var b strings.Builder
	for _, m := range mails {
		b.WriteString("From 1234567890abcdef Mon Sep 17 00:00:00 2001\n")
		b.WriteString(m)
		if !strings.HasSuffix(m, "\n") {
			b.WriteString("\n")
		}
	}
	return b.String()
}

type checkRun struct {
	code           int
	stdout, stderr string
}

func runCheckCmd(t *testing.T, stdin string, args ...string) checkRun {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"check"}, args...), strings.NewReader(stdin), &out, &errb, func(string) string { return "" })
	return checkRun{code, out.String(), errb.String()}
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type jsonOut struct {
	Patches []struct {
		Subject   string            `json:"subject"`
		Author    string            `json:"author"`
		MessageID string            `json:"message_id"`
		Findings  []json.RawMessage `json:"findings"`
	} `json:"patches"`
}

func decodeJSON(t *testing.T, s string) (jsonOut, []checks.Finding) {
	t.Helper()
	var out jsonOut
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, s)
	}
	if out.Patches == nil {
		t.Fatalf("no patches array in %s", s)
	}
	var all []checks.Finding
	for _, p := range out.Patches {
		for _, raw := range p.Findings {
			var f checks.Finding
			if err := json.Unmarshal(raw, &f); err != nil {
				t.Fatal(err)
			}
			all = append(all, f)
		}
	}
	return out, all
}

func hasFinding(fs []checks.Finding, rule string, line int) bool {
	for _, f := range fs {
		if f.Rule == rule && f.Line == line {
			return true
		}
	}
	return false
}

func TestCheckInputKinds(t *testing.T) {
	dir := t.TempDir()
	author := "Ravi Iyer <ravi@example.org>"
	files := map[string]string{
		"buggy.diff":  buggyDiff,
		"clean.diff":  cleanDiff,
		"patch.eml":   patchMail(author, "[PATCH] xfoo: add writepage", "p1@example.org", buggyDiff),
		"clean.eml":   patchMail(author, "[PATCH] xfoo: add writepage", "p2@example.org", cleanDiff),
		"series.mbox": mbox(patchMail(author, "[PATCH 1/2] xfoo: clean", "s1@example.org", cleanDiff), patchMail(author, "[PATCH 2/2] xfoo: buggy", "s2@example.org", buggyDiff)),
		"code.eml":    codeMail,
		// Prose before the diff, as in a patch saved from a web archive.
		"prose.diff": "Some notes about this change.\n\n" + buggyDiff,
	}
	paths := map[string]string{}
	for name, body := range files {
		paths[name] = writeFile(t, dir, name, body)
	}
	// The return inside the in-flight branch is line 7 of the new file, and
	// line 13 of the code mail's body (the body starts after the blank line).
	tests := []struct {
		name        string
		file        string
		wantCode    int
		wantPatches int
		wantSubject []string
		wantAuthor  string
		wantMsgID   string
		wantRule    string
		wantLine    int
	}{
		{name: "bare diff", file: "buggy.diff", wantCode: 1, wantPatches: 1, wantSubject: []string{""}, wantRule: "writepage-redirty-must-unlock", wantLine: 7},
		{name: "clean bare diff", file: "clean.diff", wantCode: 0, wantPatches: 1, wantSubject: []string{""}},
		{name: "prose then diff", file: "prose.diff", wantCode: 1, wantPatches: 1, wantRule: "writepage-redirty-must-unlock", wantLine: 7},
		{name: "single patch mail", file: "patch.eml", wantCode: 1, wantPatches: 1, wantSubject: []string{"[PATCH] xfoo: add writepage"}, wantAuthor: author, wantMsgID: "<p1@example.org>", wantRule: "writepage-redirty-must-unlock", wantLine: 7},
		{name: "clean patch mail", file: "clean.eml", wantCode: 0, wantPatches: 1, wantAuthor: author, wantMsgID: "<p2@example.org>"},
		{name: "mbox series", file: "series.mbox", wantCode: 1, wantPatches: 2, wantSubject: []string{"[PATCH 1/2] xfoo: clean", "[PATCH 2/2] xfoo: buggy"}, wantRule: "writepage-redirty-must-unlock", wantLine: 7},
		{name: "pasted code", file: "code.eml", wantCode: 1, wantPatches: 1, wantSubject: []string{"Re: xfoo writepage"}, wantAuthor: "Erez Zadok <ezk@example.edu>", wantMsgID: "<code@example.edu>", wantRule: "writepage-redirty-must-unlock", wantLine: 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCheckCmd(t, "", "--format", "json", paths[tt.file])
			if r.code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr: %s", r.code, tt.wantCode, r.stderr)
			}
			out, fs := decodeJSON(t, r.stdout)
			if len(out.Patches) != tt.wantPatches {
				t.Fatalf("%d patches, want %d", len(out.Patches), tt.wantPatches)
			}
			for i, s := range tt.wantSubject {
				if out.Patches[i].Subject != s {
					t.Errorf("patch %d subject %q, want %q", i, out.Patches[i].Subject, s)
				}
			}
			if tt.wantAuthor != "" && out.Patches[0].Author != tt.wantAuthor {
				t.Errorf("author %q, want %q", out.Patches[0].Author, tt.wantAuthor)
			}
			if tt.wantMsgID != "" && out.Patches[0].MessageID != tt.wantMsgID {
				t.Errorf("message_id %q, want %q", out.Patches[0].MessageID, tt.wantMsgID)
			}
			for _, p := range out.Patches {
				if p.Findings == nil {
					t.Errorf("findings of %q is null, want an array", p.Subject)
				}
			}
			if tt.wantRule != "" && !hasFinding(fs, tt.wantRule, tt.wantLine) {
				t.Errorf("no %s at line %d in %+v", tt.wantRule, tt.wantLine, fs)
			}
			if tt.wantCode == 0 {
				for _, f := range fs {
					if f.Severity == checks.Error {
						t.Errorf("error finding on clean input: %+v", f)
					}
				}
			}
		})
	}
}

func TestCheckJSONEmptyFindingsArray(t *testing.T) {
	r := runCheckCmd(t, cleanDiff, "--format=json", "-")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !regexp.MustCompile(`"findings": \[\]`).MatchString(r.stdout) {
		t.Errorf("want an empty findings array, got %s", r.stdout)
	}
	if strings.Contains(r.stdout, "null") {
		t.Errorf("null in output: %s", r.stdout)
	}
}

func TestCheckTextFormat(t *testing.T) {
	r := runCheckCmd(t, buggyDiff) // no FILE: stdin, default format text
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	line := regexp.MustCompile(`(?m)^fs/xfoo/aops\.c:7: ERROR: writepage-redirty-must-unlock: \S.*$`)
	if !line.MatchString(r.stdout) {
		t.Errorf("no checkpatch-like line for the finding in:\n%s", r.stdout)
	}
	every := regexp.MustCompile(`^[^:]+:\d+: (ERROR|WARNING|INFO): [a-z0-9-]+: .+$`)
	for _, l := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
		if !every.MatchString(l) {
			t.Errorf("malformed text line %q", l)
		}
		if checks.RuleByID(strings.Split(l, ": ")[2]) == nil {
			t.Errorf("unknown rule in %q", l)
		}
	}

	clean := runCheckCmd(t, cleanDiff, "-")
	if clean.code != 0 || clean.stdout != "" && strings.Contains(clean.stdout, "ERROR") {
		t.Errorf("clean diff: exit %d, output %q", clean.code, clean.stdout)
	}
}

func TestCheckSARIF(t *testing.T) {
	r := runCheckCmd(t, buggyDiff, "--format", "sarif")
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var log struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID               string `json:"id"`
						Name             string `json:"name"`
						ShortDescription struct {
							Text string `json:"text"`
						} `json:"shortDescription"`
						Help struct {
							Text     string `json:"text"`
							Markdown string `json:"markdown"`
						} `json:"help"`
						DefaultConfiguration struct {
							Level string `json:"level"`
						} `json:"defaultConfiguration"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	if log.Version != "2.1.0" || !strings.Contains(log.Schema, "sarif") || len(log.Runs) != 1 {
		t.Fatalf("bad SARIF envelope: version %q schema %q runs %d", log.Version, log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "patchreview" {
		t.Errorf("driver name %q", run.Tool.Driver.Name)
	}
	if len(run.Tool.Driver.Rules) != len(checks.Rules()) {
		t.Errorf("%d rules in SARIF, catalogue has %d", len(run.Tool.Driver.Rules), len(checks.Rules()))
	}
	levels := map[string]bool{"error": true, "warning": true, "note": true}
	for i, rule := range run.Tool.Driver.Rules {
		cr := checks.RuleByID(rule.ID)
		if cr == nil {
			t.Errorf("rule %d: unknown id %q", i, rule.ID)
			continue
		}
		if rule.Name == "" || rule.ShortDescription.Text != cr.Title || rule.Help.Text == "" || !levels[rule.DefaultConfiguration.Level] {
			t.Errorf("rule %s incomplete: %+v", rule.ID, rule)
		}
		if cr.Doc != "" && rule.Help.Markdown != cr.Doc {
			t.Errorf("rule %s: help markdown is not the rule doc", rule.ID)
		}
	}
	if len(run.Results) == 0 {
		t.Fatal("no results")
	}
	found := false
	for _, res := range run.Results {
		if res.RuleIndex < 0 || res.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s: ruleIndex %d does not point at its rule", res.RuleID, res.RuleIndex)
		}
		if !levels[res.Level] || res.Message.Text == "" || len(res.Locations) != 1 {
			t.Errorf("incomplete result %+v", res)
			continue
		}
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI == "" || loc.Region.StartLine < 1 {
			t.Errorf("bad location %+v", loc)
		}
		if res.RuleID == "writepage-redirty-must-unlock" && res.Level == "error" && loc.ArtifactLocation.URI == "fs/xfoo/aops.c" && loc.Region.StartLine == 7 {
			found = true
		}
	}
	if !found {
		t.Errorf("no error result for writepage-redirty-must-unlock at fs/xfoo/aops.c:7")
	}

	clean := runCheckCmd(t, cleanDiff, "--format", "sarif")
	if clean.code != 0 || !strings.Contains(clean.stdout, `"results": []`) {
		t.Errorf("clean SARIF: exit %d, want an empty results array:\n%s", clean.code, clean.stdout)
	}
}

func TestCheckSeveralFiles(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.diff", cleanDiff)
	b := writeFile(t, dir, "b.diff", buggyDiff)
	r := runCheckCmd(t, "", "--format", "json", a, b)
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	out, _ := decodeJSON(t, r.stdout)
	if len(out.Patches) != 2 {
		t.Errorf("%d patches, want 2", len(out.Patches))
	}
}

func TestCheckFlagsAfterFiles(t *testing.T) {
	dir := t.TempDir()
	b := writeFile(t, dir, "b.diff", buggyDiff)
	r := runCheckCmd(t, "", b, "--format", "json")
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if out, _ := decodeJSON(t, r.stdout); len(out.Patches) != 1 {
		t.Errorf("%d patches, want 1", len(out.Patches))
	}
	// After "--" everything is a file, even a name that looks like a flag.
	r = runCheckCmd(t, "", "--", "--format")
	if r.code != 2 || !strings.Contains(r.stderr, "--format: no such file") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestCheckKernelVersion(t *testing.T) {
	// PAGE_CACHE_SIZE is a build error from v4.6 and only a warning before.
	diff := `--- a/fs/xfoo/file.c
+++ b/fs/xfoo/file.c
@@ -10,3 +10,4 @@ static int xfoo_fill(struct page *page)
 {
 	char *kaddr = page_address(page);
+	memset(kaddr, 0, PAGE_CACHE_SIZE);
 	return 0;
`
	sev := func(version string) []string {
		r := runCheckCmd(t, diff, "--format", "json", "--kernel-version", version)
		if r.code == 2 {
			t.Fatalf("exit 2: %s", r.stderr)
		}
		_, fs := decodeJSON(t, r.stdout)
		var out []string
		for _, f := range fs {
			if f.Rule == "page-cache-size-macros-removed" {
				out = append(out, string(f.Severity))
			}
		}
		return out
	}
	if got := sev("6.1"); len(got) != 1 || got[0] != "error" {
		t.Errorf("6.1: page-cache-size severities %v, want [error]", got)
	}
	if got := sev("2.6.23"); len(got) == 1 && got[0] == "error" {
		t.Errorf("2.6.23: PAGE_CACHE_SIZE reported as an error, it compiles there")
	}
}

func TestCheckUsageErrors(t *testing.T) {
	dir := t.TempDir()
	garbage := writeFile(t, dir, "notes.txt", "just some words\nand more words\n")
	empty := writeFile(t, dir, "empty", "")
	tests := []struct {
		name    string
		args    []string
		stdin   string
		wantErr string
	}{
		{"unknown flag", []string{"--frobnicate"}, "", "frobnicate"},
		{"bad format", []string{"--format", "xml", "-"}, cleanDiff, `unknown format "xml"`},
		{"bad kernel version", []string{"--kernel-version", "banana", "-"}, cleanDiff, "bad --kernel-version"},
		{"missing file", []string{filepath.Join(dir, "nope.patch")}, "", "nope.patch"},
		{"directory", []string{dir}, "", "is a directory"},
		{"not a patch", []string{garbage}, "", "not an mbox, a mail, a diff or C source"},
		{"empty file", []string{empty}, "", "empty input"},
		{"empty stdin", []string{"-"}, "", "empty input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCheckCmd(t, tt.stdin, tt.args...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2", r.code)
			}
			if !strings.Contains(r.stderr, tt.wantErr) {
				t.Errorf("stderr %q does not mention %q", r.stderr, tt.wantErr)
			}
		})
	}
}

func TestCheckUnreadableAmongGoodInputs(t *testing.T) {
	// A missing file still fails the run, but the others are reported.
	dir := t.TempDir()
	b := writeFile(t, dir, "b.diff", buggyDiff)
	r := runCheckCmd(t, "", b, filepath.Join(dir, "missing.diff"))
	if r.code != 2 {
		t.Errorf("exit %d, want 2", r.code)
	}
	if !strings.Contains(r.stdout, "writepage-redirty-must-unlock") {
		t.Errorf("findings of the readable file were dropped: %q", r.stdout)
	}
}

func TestCheckHelp(t *testing.T) {
	r := runCheckCmd(t, "", "-h")
	if r.code != 0 || !strings.Contains(r.stderr, "--format text|json|sarif") {
		t.Errorf("help: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestDetectInput(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want inputKind
	}{
		{"mbox", mbox(patchMail("a <a@b>", "s", "m@b", cleanDiff)), kindMbox},
		{"mail", patchMail("a <a@b>", "s", "m@b", cleanDiff), kindMail},
		{"mbox after blank lines", "    \n\t\n" + mbox(patchMail("a <a@b>", "s", "m@b", cleanDiff)), kindMbox},
		{"git diff", cleanDiff, kindDiff},
		{"unified diff", "--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n", kindDiff},
		{"Index: diff", "Index: x.c\n===\n--- x.c\n+++ x.c\n", kindDiff},
		{"prose", "Hello: world, this is\nnot a mail\n", kindUnknown},
		{"C code", "static int f(void)\n{\n\treturn 0;\n}\n", kindUnknown},
	}
	for _, tt := range tests {
		if got := detectInput([]byte(tt.in)); got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestCheckRealMail runs the command on real list mail: Erez Zadok's 2007
// unionfs code (pasted, no diff) and the fixed version he posted two days
// later after Hugh Dickins's review, and a two-version series mbox on stdin.
func TestCheckRealMail(t *testing.T) {
	const dir = "../../review/testdata/real-mail/linux-mm-2007-aop-writepage-activate/"
	buggy := dir + "2007-10-28_ezk_unionfs_writepage_v_buggy.eml"
	fixed := dir + "2007-10-31_ezk_unionfs_writepage_v_fixed.eml"

	r := runCheckCmd(t, "", buggy)
	if r.code != 1 || !strings.Contains(r.stdout, ": ERROR: writepage-unlock-all-paths: ") {
		t.Fatalf("buggy mail: exit %d, output:\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if !strings.HasPrefix(l, buggy+":") {
			t.Errorf("text line does not start with the file name: %q", l)
		}
	}
	r = runCheckCmd(t, "", "--format", "json", buggy)
	out, fs := decodeJSON(t, r.stdout)
	if len(out.Patches) != 1 || out.Patches[0].Author != "Erez Zadok <ezk@cs.sunysb.edu>" ||
		out.Patches[0].MessageID != "<200710282023.l9SKNKK0031790@agora.fsl.cs.sunysb.edu>" {
		t.Errorf("unexpected patch header: %+v", out.Patches)
	}
	for _, f := range fs {
		if f.Rule == "" || f.Path == "" || f.Line < 1 || f.Function == "" || f.Code == "" || f.Message == "" {
			t.Errorf("finding lacks a field: %+v", f)
		}
	}

	// The version written after the review has no error left.
	r = runCheckCmd(t, "", fixed)
	if r.code != 0 || strings.Contains(r.stdout, "ERROR") {
		t.Errorf("fixed mail: exit %d, output:\n%s", r.code, r.stdout)
	}

	mbox, err := os.ReadFile("../../storage/testdata/shadowfs-v1-v2.mbox")
	if err != nil {
		t.Fatal(err)
	}
	r = runCheckCmd(t, string(mbox))
	if r.code != 1 || !strings.Contains(r.stdout, "lower-writepage-double-unlock") {
		t.Errorf("series mbox on stdin: exit %d, output:\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// sourceOf returns the new file a diff of one added file creates.
func sourceOf(diff string) string {
	var b strings.Builder
	_, hunk, _ := strings.Cut(diff, "@@ -0,0 ")
	_, hunk, _ = strings.Cut(hunk, "\n")
	for _, l := range strings.Split(strings.TrimSuffix(hunk, "\n"), "\n") {
		b.WriteString(strings.TrimPrefix(l, "+") + "\n")
	}
	return b.String()
}

// TestCheckSourceFile: a C file (checkpatch.pl -f) is checked as a whole
// new file, under the path given, with its own line numbers.
func TestCheckSourceFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "fs", "xfoo"), 0o755); err != nil {
		t.Fatal(err)
	}
	buggy := writeFile(t, dir, "fs/xfoo/aops.c", sourceOf(buggyDiff))
	clean := writeFile(t, dir, "fs/xfoo/clean.c", sourceOf(cleanDiff))
	header := writeFile(t, dir, "fs/xfoo/xfoo.h", "#ifndef XFOO_H\n#define XFOO_H\nstruct xfoo_sb;\nint xfoo_fill_super(struct super_block *sb);\n#endif\n")
	notes := writeFile(t, dir, "notes.txt", "Some notes about xfoo.\nNothing to check here.\n")
	forced := writeFile(t, dir, "aops.txt", sourceOf(buggyDiff))

	r := runCheckCmd(t, "", buggy)
	if r.code != 1 {
		t.Fatalf("buggy file: exit %d, want 1; stderr: %s", r.code, r.stderr)
	}
	if want := buggy + ":7: ERROR: writepage-redirty-must-unlock: "; !strings.Contains(r.stdout, want) {
		t.Errorf("want a line starting %q in:\n%s", want, r.stdout)
	}

	// Relative paths stay as given.
	t.Chdir(dir)
	r = runCheckCmd(t, "", "fs/xfoo/aops.c")
	if r.code != 1 || !strings.HasPrefix(r.stdout, "fs/xfoo/aops.c:7: ERROR: writepage-redirty-must-unlock: ") {
		t.Errorf("relative path: exit %d, output %q, stderr %q", r.code, r.stdout, r.stderr)
	}

	for _, f := range []string{clean, header} {
		if r := runCheckCmd(t, "", f); r.code != 0 || strings.Contains(r.stdout, "ERROR") {
			t.Errorf("%s: exit %d, output %q, stderr %q", f, r.code, r.stdout, r.stderr)
		}
	}

	// JSON: one unit, no subject, the path as given.
	r = runCheckCmd(t, "", "--format", "json", buggy)
	out, fs := decodeJSON(t, r.stdout)
	if len(out.Patches) != 1 || out.Patches[0].Subject != "" || !hasFinding(fs, "writepage-redirty-must-unlock", 7) || fs[0].Path != buggy {
		t.Errorf("json: %s", r.stdout)
	}

	// C code on standard input is checked too; prose is still refused.
	if r := runCheckCmd(t, sourceOf(buggyDiff), "-"); r.code != 1 || !strings.Contains(r.stdout, "<stdin>:7: ERROR: writepage-redirty-must-unlock") {
		t.Errorf("stdin code: exit %d, output %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if r := runCheckCmd(t, "", notes); r.code != 2 || !strings.Contains(r.stderr, "not an mbox, a mail, a diff or C source") {
		t.Errorf("prose: exit %d, stderr %q", r.code, r.stderr)
	}
	// -f (--file) takes any input as a source file.
	for _, flag := range []string{"-f", "--file"} {
		if r := runCheckCmd(t, "", flag, forced); r.code != 1 || !strings.Contains(r.stdout, forced+":7: ERROR: writepage-redirty-must-unlock") {
			t.Errorf("%s: exit %d, output %q, stderr %q", flag, r.code, r.stdout, r.stderr)
		}
	}
	if r := runCheckCmd(t, "", "-f", notes); r.code != 0 {
		t.Errorf("-f on prose: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestCheckTextHeadersPerPatch: with more than one patch, the text format
// says which patch the findings below belong to, as checkpatch names its
// files; the finding lines keep their format.
func TestCheckTextHeadersPerPatch(t *testing.T) {
	author := "Ravi Iyer <ravi@example.org>"
	series := mbox(
		patchMail(author, "[PATCH 0/3] xfoo: writepage", "s0@example.org", ""),
		patchMail(author, "[PATCH 1/3] xfoo: buggy", "s1@example.org", buggyDiff),
		patchMail(author, "[PATCH 2/3] xfoo: clean", "s2@example.org", cleanDiff),
		patchMail(author, "[PATCH 3/3] xfoo: buggy again", "s3@example.org", buggyDiff))
	r := runCheckCmd(t, series, "-")
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	finding := regexp.MustCompile(`^[^:]+:\d+: (ERROR|WARNING|INFO): [a-z0-9-]+: .+$`)
	var headers []string
	under := map[string]int{}
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "--- "):
			headers = append(headers, l)
		case finding.MatchString(l):
			if len(headers) == 0 {
				t.Fatalf("finding line %d before any header:\n%s", i+1, r.stdout)
			}
			under[headers[len(headers)-1]]++
		default:
			t.Errorf("line %d is neither a header nor a finding: %q", i+1, l)
		}
	}
	want := []string{"--- [PATCH 1/3] xfoo: buggy <s1@example.org>", "--- [PATCH 3/3] xfoo: buggy again <s3@example.org>"}
	if strings.Join(headers, "\n") != strings.Join(want, "\n") {
		t.Errorf("headers %q, want %q (patches without findings get none)", headers, want)
	}
	for _, h := range want {
		if under[h] == 0 {
			t.Errorf("no findings under %q", h)
		}
	}
	if under[want[0]] != under[want[1]] {
		t.Errorf("the same diff drew %d and %d findings under its two headers", under[want[0]], under[want[1]])
	}

	// Several bare inputs: the header names the file.
	dir := t.TempDir()
	a, b := writeFile(t, dir, "a.diff", buggyDiff), writeFile(t, dir, "b.diff", buggyDiff)
	r = runCheckCmd(t, "", a, b)
	if !strings.Contains(r.stdout, "--- "+a+"\n") || !strings.Contains(r.stdout, "--- "+b+"\n") {
		t.Errorf("no per-file headers in:\n%s", r.stdout)
	}
	// One patch: no header, exactly as before.
	if r := runCheckCmd(t, patchMail(author, "[PATCH] xfoo: buggy", "one@example.org", buggyDiff), "-"); strings.Contains(r.stdout, "--- ") {
		t.Errorf("header for a single patch:\n%s", r.stdout)
	}
}
