package checks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// missingUnlock is a writepage that returns with the page locked on its
// error path: R01 must find it whatever comes before.
func missingUnlock(before string) string {
	return "static int xfoo_writepage(struct page *page, struct writeback_control *wbc)\n{\n" + before +
		"\tif (xfoo_busy(page))\n\t\treturn -EBUSY;\n\tunlock_page(page);\n\treturn 0;\n}\n"
}

func hasRule(fs []Finding, id string) bool {
	for _, f := range fs {
		if f.Rule == id {
			return true
		}
	}
	return false
}

// TestDeepNesting: pathological nesting neither hangs (100,000 levels used
// to take minutes) nor hides the code after it.
func TestDeepNesting(t *testing.T) {
	const n = 100000
	for name, expr := range map[string]string{
		"parens":     strings.Repeat("(", n) + "1" + strings.Repeat(")", n),
		"calls":      strings.Repeat("g(", n) + "1" + strings.Repeat(")", n),
		"brackets":   "a" + strings.Repeat("[", n) + "1" + strings.Repeat("]", n),
		"unbalanced": strings.Repeat("(", n) + "1",
	} {
		t.Run(name, func(t *testing.T) {
			fs := CheckCode("fs/xfoo/aops.c", missingUnlock("\tx = "+expr+";\n"), Options{})
			if !hasRule(fs, "writepage-unlock-all-paths") {
				t.Errorf("the missing unlock after the deep expression is not found: %v", fs)
			}
		})
	}
	t.Run("braces", func(t *testing.T) {
		code := missingUnlock(strings.Repeat("\t{\n", n) + strings.Repeat("\t}\n", n))
		CheckCode("fs/xfoo/aops.c", code, Options{}) // must return
	})
}

// TestPanicInRule: a rule that panics yields an internal-error finding and
// a log line; the other rules' findings stay.
func TestPanicInRule(t *testing.T) {
	bad := &Rule{ID: "test-panics", Number: "R99", Severity: Error, Title: "panics on purpose for the test",
		run: func(*pass) { panic("boom") }}
	saved := allRules
	allRules = append(append([]*Rule{}, saved...), bad)
	defer func() { allRules = saved }()
	var log bytes.Buffer
	fs := CheckCode("fs/xfoo/aops.c", missingUnlock(""), Options{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if !hasRule(fs, "writepage-unlock-all-paths") {
		t.Errorf("the other rules' findings are lost: %v", fs)
	}
	var ie *Finding
	for i := range fs {
		if fs[i].Rule == InternalErrorID {
			ie = &fs[i]
		}
	}
	if ie == nil {
		t.Fatalf("no %s finding: %v", InternalErrorID, fs)
	}
	if !strings.Contains(ie.Message, "test-panics") || !strings.Contains(ie.Message, "boom") || ie.Path != "fs/xfoo/aops.c" {
		t.Errorf("internal error finding does not say which rule and why: %+v", *ie)
	}
	if !strings.Contains(log.String(), "boom") || !strings.Contains(log.String(), "test-panics") {
		t.Errorf("no log line: %q", log.String())
	}
}

// flipCtx is a context whose Err turns to Canceled after a number of calls:
// it cancels deterministically in the middle of a run.
type flipCtx struct {
	context.Context
	left int
}

func (c *flipCtx) Err() error {
	if c.left <= 0 {
		return context.Canceled
	}
	c.left--
	return nil
}

// TestContext: a done context stops the run and says so; a live one gives
// the same findings as the plain API.
func TestContext(t *testing.T) {
	diff := "--- a/fs/a.c\n+++ b/fs/a.c\n@@ -0,0 +1,7 @@\n" + plus(missingUnlock("")) +
		"--- a/fs/b.c\n+++ b/fs/b.c\n@@ -0,0 +1,7 @@\n" + plus(missingUnlock(""))
	all, err := CheckDiffContext(context.Background(), diff, Options{})
	if err != nil || len(all) < 2 {
		t.Fatalf("live context: %v, %v", all, err)
	}
	if want := CheckDiff(diff, Options{}); len(want) != len(all) {
		t.Errorf("CheckDiff and CheckDiffContext differ: %v / %v", want, all)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	fs, err := CheckDiffContext(ctx, diff, Options{})
	if !errors.Is(err, context.Canceled) || len(fs) != 0 {
		t.Errorf("cancelled before the start: %v, %v", fs, err)
	}
	if _, err := CheckCodeContext(ctx, "fs/a.c", missingUnlock(""), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("CheckCodeContext with a cancelled context: %v", err)
	}
	// Cancelled part way: the findings so far come back, and every file
	// that has a finding was checked whole.
	partial := false
	for left := 0; left < 1000; left++ {
		fs, err := CheckDiffContext(&flipCtx{Context: context.Background(), left: left}, diff, Options{})
		if err == nil {
			if len(fs) != len(all) {
				t.Errorf("left=%d: complete run with %d findings, want %d", left, len(fs), len(all))
			}
			break
		}
		if len(fs) > 0 && len(fs) < len(all) {
			partial = true
		}
	}
	if !partial {
		t.Error("no cancellation returned the findings of the first file only")
	}
}

// plus turns code into the added lines of a hunk.
func plus(code string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSuffix(code, "\n"), "\n") {
		b.WriteString("+" + l + "\n")
	}
	return b.String()
}

// TestHugeFunction: a function too long to analyse (a generated or
// hostile 1,000,000-line hunk) is said to be so, quickly, and nothing is
// made up about it.
func TestHugeFunction(t *testing.T) {
	body := strings.Repeat("\txfoo_step(page, 1, 2, 3, 4);\n", maxFuncTokens/12+1000)
	code := "static int xfoo_writepage(struct page *page, struct writeback_control *wbc)\n{\n" + body +
		"\tif (xfoo_busy(page))\n\t\treturn -EBUSY;\n\tunlock_page(page);\n\treturn 0;\n}\n"
	fs := CheckCode("fs/xfoo/aops.c", code, Options{})
	if len(fs) != 1 || fs[0].Rule != CheckLimitID || fs[0].Severity != Info || !strings.Contains(fs[0].Message, "not analysed") {
		t.Errorf("want one note that the body was not analysed, got %v", fs)
	}
}

// A file diff over maxUnitLines is not tokenized at all (its tokens alone
// would cost hundreds of megabytes), and a note says so.
func TestHugeFile(t *testing.T) {
	var b strings.Builder
	fmt.Fprintf(&b, "diff --git a/fs/x.c b/fs/x.c\n--- a/fs/x.c\n+++ b/fs/x.c\n@@ -0,0 +1,%d @@\n", maxUnitLines+1)
	for i := 0; i <= maxUnitLines; i++ {
		b.WriteString("+\tunlock_page(page);\n")
	}
	fs := CheckDiff(b.String(), Options{})
	if len(fs) != 1 || fs[0].Rule != CheckLimitID || fs[0].Severity != Info || fs[0].Line != 1 || !strings.Contains(fs[0].Message, "was not analysed") {
		t.Errorf("want one note that the file was not analysed, got %v", fs)
	}
}

// TestNotesDocumented: every id a finding can carry that is not a rule of
// the catalogue (internal-error, tree-context, check-limit) is a note with
// a title and a page of its own, and none clashes with a rule.
func TestNotesDocumented(t *testing.T) {
	for _, id := range []string{InternalErrorID, TreeNoteID, CheckLimitID} {
		n := NoteByID(id)
		if n == nil || n.Title == "" || n.Doc == "" {
			t.Errorf("note %q: %+v", id, n)
			continue
		}
		if RuleByID(id) != nil {
			t.Errorf("note %q is also a rule", id)
		}
	}
	if n := NoteByID(ruleR22.ID); n != nil {
		t.Errorf("a rule is a note: %+v", n)
	}
	if r := RuleByNumber("R30"); r == nil || r.Number != "R30" {
		t.Errorf("RuleByNumber(R30) = %+v", r)
	}
	if r := RuleByNumber("r30"); r == nil || r.Number != "R30" {
		t.Errorf("RuleByNumber(r30) = %+v", r)
	}
	if r := RuleByNumber("R99"); r != nil {
		t.Errorf("RuleByNumber(R99) = %+v", r)
	}
}
