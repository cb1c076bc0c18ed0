package diffview

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"patchreview/review"
)

// loadPatch parses testdata/shadowfs.diff: a C file with a long context
// run, a comment and a string carrying markup, and a Makefile.
func loadPatch(t testing.TB) []*review.File {
	t.Helper()
	data, err := os.ReadFile("testdata/shadowfs.diff")
	if err != nil {
		t.Fatal(err)
	}
	files, err := review.ParseDiff(string(data))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

var testRules = map[string]*Rule{
	"writepage-unlock-all-paths": {
		ID: "writepage-unlock-all-paths", Title: "->writepage must unlock the page on every path",
		Doc: "Every return path must `unlock_page()`.\n\n<script>alert('doc')</script>\n\n```c\nunlock_page(page);\nreturn err;\n```\n",
	},
}

func ruleLookup(id string) *Rule { return testRules[id] }

func testNotes() ([]review.Finding, []review.Comment) {
	findings := []review.Finding{
		{Rule: "writepage-unlock-all-paths", Severity: "error", Path: "fs/shadowfs/aops.c", Line: 58,
			Function: "shadowfs_writepage", Code: "\t\treturn err;", Message: "returns with the page locked <script>x</script>"},
		{Rule: "unknown-rule", Severity: "warning", Path: "fs/shadowfs/aops.c", Line: 999, Message: "far away"},
		{Rule: "writepage-unlock-all-paths", Severity: "info", Path: "fs/shadowfs/aops.c", Line: 7000,
			Code: "\tSetPageUptodate(page);", Message: "placed by its code"},
	}
	comments := []review.Comment{
		{Source: "list", Author: review.Address{Name: "Jan Kara", Email: "jack@suse.cz"}, Path: "fs/shadowfs/aops.c",
			Line: 29, Code: "\tint err = 0;", Body: "> \tint err = 0;\nWhy? \"><img onerror=x>", Created: time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)},
		{Source: "web", Author: review.Address{Email: "me@example.org"}, Body: "general remark"},
	}
	return findings, comments
}

func TestBuildRowsAnchorsAndNumbers(t *testing.T) {
	findings, comments := testNotes()
	v := Build(loadPatch(t), findings, comments, Options{PageURL: "/patches/7", Rules: ruleLookup})
	if len(v.Files) != 2 {
		t.Fatalf("files = %d, want 2", len(v.Files))
	}
	c := v.Files[0]
	if c.ID != "f1" || c.Name != "fs/shadowfs/aops.c" || c.Adds != "+6" || c.Dels != "-3" || c.Status != "modified" {
		t.Errorf("file 1 = %s %s %s %s %s", c.ID, c.Name, c.Adds, c.Dels, c.Status)
	}
	var kinds []string
	byID := map[string]*Row{}
	for _, r := range c.Rows {
		kinds = append(kinds, r.Kind)
		for _, id := range []string{r.OldID, r.NewID} {
			if id != "" {
				if byID[id] != nil {
					t.Errorf("anchor %s used twice", id)
				}
				byID[id] = r
			}
		}
	}
	if kinds[0] != KindHunk || !strings.Contains(strings.Join(kinds, " "), "gap hunk") {
		t.Errorf("row kinds do not start with a hunk and have a gap before the second hunk: %v", kinds)
	}
	// Second hunk: old 40 = new 42, the first context line.
	if r := byID["f1-n42"]; r == nil || r.OldID != "f1-o40" || r.Text != "\tlock_page(lower_page);" {
		t.Errorf("f1-n42 = %+v, want the context row with old line 40", r)
	}
	if r := byID["f1-o23"]; r == nil || r.Kind != KindDel || r.NewID != "" {
		t.Errorf("f1-o23 = %+v, want the deleted comment line", r)
	}
	if v.Files[1].Name != "fs/shadowfs/Makefile" || v.Files[1].Rows[2].Kind != KindDel {
		t.Errorf("Makefile rows wrong: %+v", v.Files[1].Rows)
	}
}

func TestBuildPlacesNotes(t *testing.T) {
	findings, comments := testNotes()
	v := Build(loadPatch(t), findings, comments, Options{PageURL: "/patches/7", Rules: ruleLookup})
	if len(v.Findings) != 2 || v.Findings[0].Target != "#f1-n58" || v.Findings[1].Target != "#f1-n60" {
		t.Fatalf("placed findings = %+v", v.Findings)
	}
	f := v.Findings[0]
	if f.RuleTitle != testRules[f.RuleID].Title || f.RuleURL != "/rules/writepage-unlock-all-paths" || f.Doc == "" {
		t.Errorf("finding note = %+v", f)
	}
	if strings.Contains(string(f.Doc), "<script>") || !strings.Contains(string(f.Doc), "<pre><code class=\"language-c\">") {
		t.Errorf("rule doc HTML passes raw HTML or loses the code block: %s", f.Doc)
	}
	var unplaced []string
	for _, n := range v.Unplaced {
		unplaced = append(unplaced, n.Where)
	}
	if strings.Join(unplaced, ",") != "fs/shadowfs/aops.c:999" {
		t.Errorf("unplaced = %q, want the line-999 finding", unplaced)
	}
	if len(v.General) != 1 || v.General[0].Body != "general remark" || !v.HasGeneral {
		t.Errorf("general comments = %+v", v.General)
	}
	if v.Findings[1].Where != "fs/shadowfs/aops.c:60" {
		t.Errorf("a finding placed by its code says %q, want the line it sits on", v.Findings[1].Where)
	}
	if v.Summary != "1 error, 1 warning, 1 info" {
		t.Errorf("summary = %q", v.Summary)
	}
	if v.Files[0].NoteCount != "2 findings, 1 comment" {
		t.Errorf("note count = %q", v.Files[0].NoteCount)
	}
}

func TestFoldKeepsContextAroundChanges(t *testing.T) {
	v := Build(loadPatch(t), nil, nil, Options{PageURL: "/p"})
	var folds []*Row
	hidden := 0
	for _, r := range v.Files[0].Rows {
		if r.Kind == KindCollapsed {
			folds = append(folds, r)
		}
		if r.Hidden {
			hidden++
			if r.Fold != "f1-x1" {
				t.Errorf("hidden row %s in fold %q", r.ID, r.Fold)
			}
		}
	}
	// Second hunk: 3 + 12 + 1 context lines before the first change. The
	// run starts the hunk, so all but the last 3 fold: 13 lines. The first
	// hunk's runs are short and stay.
	if len(folds) != 1 || folds[0].Label != "13 unchanged lines" || hidden != 13 {
		t.Fatalf("folds = %d (%+v), hidden %d", len(folds), folds, hidden)
	}
	if folds[0].Link != "/p?view=unified&context=all#f1-n42" {
		t.Errorf("fold link = %q", folds[0].Link)
	}
	all := Build(loadPatch(t), nil, nil, Options{PageURL: "/p", ExpandAll: true})
	for _, r := range all.Files[0].Rows {
		if r.Hidden || r.Kind == KindCollapsed {
			t.Fatalf("ExpandAll still folds row %+v", r)
		}
	}
}

func TestFoldNeverHidesNotes(t *testing.T) {
	// A comment on a line in the middle of the long context run.
	c := []review.Comment{{Path: "fs/shadowfs/aops.c", Line: 50, Body: "here"}}
	v := Build(loadPatch(t), nil, c, Options{})
	for _, r := range v.Files[0].Rows {
		if r.HasNotes && r.Hidden {
			t.Fatalf("row %s with a comment is folded", r.ID)
		}
	}
}

func TestSplitPairsChangeBlocks(t *testing.T) {
	v := Build(loadPatch(t), nil, nil, Options{})
	var pairs []string
	for _, s := range v.Files[0].Split {
		if s.Kind != KindChange {
			continue
		}
		l, r := "-", "-"
		if s.Left != nil {
			l = s.Left.OldNum
		}
		if s.Right != nil {
			r = s.Right.NewNum
		}
		pairs = append(pairs, l+"|"+r)
	}
	want := "23|23,-|24,28|29,-|30,56|58,-|60"
	// Old 23 (comment) pairs with new 23, new 24 has no partner; old 28 with
	// new 29; the goto (old 56) with the return (new 58); SetPageUptodate alone.
	if got := strings.Join(pairs, ","); got != want {
		t.Errorf("change pairs = %s, want %s", got, want)
	}
}

func TestBuildNeverPanics(t *testing.T) {
	files := []*review.File{nil, {NewName: "x.c", Hunks: []*review.Hunk{nil, {Lines: []review.Line{{Kind: "weird", Text: "/* open"}}}}},
		{OldName: "gone.c", IsDelete: true}, {NewName: "bin", IsBinary: true}}
	f := []review.Finding{{Path: "", Line: -1}, {Path: "x.c", Line: 0, Code: ""}}
	v := Build(files, f, []review.Comment{{}}, Options{})
	if out := render(t, "diffview", v); !strings.Contains(out, "No changes to the text.") || !strings.Contains(out, "Binary file, not shown.") {
		t.Error("the deleted file without hunks or the binary file is not labelled")
	}
	if len(v.Unplaced) != 2 || len(v.General) != 1 {
		t.Errorf("unplaced = %d, general %d, want the 2 findings and the comment", len(v.Unplaced), len(v.General))
	}
}

func TestCommentFormsAndLinks(t *testing.T) {
	v := Build(loadPatch(t), nil, nil, Options{PageURL: "/patches/7", Split: true, CommentURL: "/c", CommentAt: "f1-n45", FormData: 42})
	if v.Form == nil || v.Form.URL != "/c" || v.Form.Inline || v.Form.Data != 42 {
		t.Fatalf("general form = %+v", v.Form)
	}
	var open []*Row
	for _, r := range v.Files[0].Rows {
		if r.NewID == "f1-n29" && r.CommentLink != "/patches/7?view=split&comment=f1-n29#f1-n29" {
			t.Errorf("comment link = %q", r.CommentLink)
		}
		if r.Kind == KindDel && r.CommentLink != "" {
			t.Errorf("deleted line %s has a comment link", r.ID)
		}
		if r.Form != nil {
			open = append(open, r)
		}
	}
	if len(open) != 1 || open[0].Hidden || open[0].Form.Line != "45" || open[0].Form.Path != "fs/shadowfs/aops.c" || !open[0].Form.Inline {
		t.Fatalf("open forms = %+v", open)
	}
	if none := Build(loadPatch(t), nil, nil, Options{CommentAt: "f1-n45"}); none.Form != nil || none.Files[0].Rows[1].CommentLink != "" {
		t.Error("forms or links without a CommentURL")
	}
}

func FuzzBuild(f *testing.F) {
	data, err := os.ReadFile("testdata/shadowfs.diff")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(data), "fs/shadowfs/aops.c", 58, "\t\treturn err;")
	f.Fuzz(func(t *testing.T, diff, path string, line int, code string) {
		files, _ := review.ParseDiff(diff)
		fs := []review.Finding{{Rule: "r", Severity: "error", Path: path, Line: line, Code: code}}
		cs := []review.Comment{{Path: path, Line: line + 1, Code: code, Body: code}}
		v := Build(files, fs, cs, Options{CommentURL: "/c", CommentAt: "f1-n" + strconv.Itoa(line)})
		placed := len(v.Findings) + len(v.Unplaced) + len(v.General)
		for _, fv := range v.Files {
			for _, r := range fv.Rows {
				for _, n := range r.Notes {
					if n.IsComment {
						placed++
					}
				}
			}
		}
		if placed != 2 {
			t.Errorf("%d of 2 notes accounted for", placed)
		}
		out := render(t, "diffview", v)
		if strings.Contains(out, "<script") {
			t.Error("raw <script> on the page")
		}
	})
}

func TestNotesOnRenamedFileByOldName(t *testing.T) {
	files := []*review.File{{OldName: "fs/old.c", NewName: "fs/new.c", IsRename: true, Hunks: []*review.Hunk{{
		OldStart: 1, OldLines: 1, NewStart: 1, NewLines: 1, Lines: []review.Line{{Kind: review.LineContext, Old: 1, New: 1, Text: "x"}},
	}}}}
	v := Build(files, []review.Finding{{Path: "fs/old.c", Line: 1, Severity: "info"}}, nil, Options{})
	if len(v.Findings) != 1 || v.Findings[0].Target != "#f1-n1" || v.Files[0].OldName != "fs/old.c" || v.Files[0].Status != "renamed" {
		t.Errorf("finding on the old name: %+v, file %+v", v.Findings, v.Files[0])
	}
}

// TestMineIsCanEditAlone: which comments the reader may edit is CanEdit's
// answer only (the account check of the web layer), never a match on the
// author's email, and never a comment that came by mail.
func TestMineIsCanEditAlone(t *testing.T) {
	files := loadPatch(t)
	me := review.Address{Name: "Me", Email: "me@example.org"}
	comments := []review.Comment{
		{ID: 1, Path: "fs/shadowfs/aops.c", Line: 58, Body: "mine", Source: "web", UserID: 7, Author: me},
		{ID: 2, Body: "same email, another account", Source: "web", UserID: 8, Author: me},
		{ID: 3, Body: "from the list", Source: "mail", UserID: 7, Author: me},
	}
	mine := func(v *View) map[int64]bool {
		out := map[int64]bool{}
		notes := append(append([]*Note{}, v.General...), v.Unplaced...)
		for _, fv := range v.Files {
			notes = append(notes, fv.Notes...)
			for _, r := range fv.Rows {
				notes = append(notes, r.Notes...)
			}
		}
		for _, n := range notes {
			if n.IsComment && n.Mine {
				out[n.CommentID] = true
			}
		}
		return out
	}
	if got := mine(Build(files, nil, comments, Options{})); len(got) != 0 {
		t.Errorf("without CanEdit: %v are mine, want none", got)
	}
	got := mine(Build(files, nil, comments, Options{CanEdit: func(c review.Comment) bool { return c.UserID == 7 }}))
	if !got[1] || got[2] || got[3] || len(got) != 1 {
		t.Errorf("CanEdit of account 7: mine %v, want only comment 1", got)
	}
}
