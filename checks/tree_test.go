package checks

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// treeFile is fs/xfoo/aops.c as the tree has it: a helper far from the
// writepage, and a writepage whose only unlock is far below its start.
var treeFile = func() string {
	var b strings.Builder
	b.WriteString("static void xfoo_release(struct page *page)\n{\n\tClearPageChecked(page);\n\tunlock_page(page);\n}\n\n")
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, "int xfoo_filler%d;\n", i)
	}
	b.WriteString("static int xfoo_writepage(struct page *page, struct writeback_control *wbc)\n{\n\tint err;\n\n")
	b.WriteString("\terr = xfoo_prepare(page);\n\tif (err)\n\t\tgoto out;\n")
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, "\txfoo_step%d(page);\n", i)
	}
	b.WriteString("\tunlock_page(page);\nout:\n\treturn err;\n}\n")
	return b.String()
}()

// treePatch adds an early return to the writepage (line 34 of the tree
// file), a few lines after its start.
const treePatch = `--- a/fs/xfoo/aops.c
+++ b/fs/xfoo/aops.c
@@ -31,6 +31,8 @@ static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
 	err = xfoo_prepare(page);
 	if (err)
 		goto out;
+	if (xfoo_busy(page))
+		return -EBUSY;
 	xfoo_step0(page);
 	xfoo_step1(page);
 	xfoo_step2(page);
`

func TestTree(t *testing.T) {
	if !strings.Contains(strings.Split(treeFile, "\n")[30], "err = xfoo_prepare(page);") {
		t.Fatalf("treePatch does not match treeFile: line 31 is %q", strings.Split(treeFile, "\n")[30])
	}
	tree := fstest.MapFS{"fs/xfoo/aops.c": {Data: []byte(treeFile)}}
	hunks := CheckDiff(treePatch, Options{})
	whole := CheckDiff(treePatch, Options{Tree: tree})
	if hasRule(hunks, "writepage-unlock-all-paths") {
		t.Fatalf("the hunk alone already shows the bug; the test proves nothing: %v", hunks)
	}
	var hit *Finding
	for i := range whole {
		if whole[i].Rule == "writepage-unlock-all-paths" {
			hit = &whole[i]
		}
	}
	if hit == nil || hit.Line != 35 || hit.Severity != Error {
		t.Fatalf("with the tree, the early return at line 35 leaves the page locked: got %v", whole)
	}
	for _, f := range whole {
		if f.Function != "xfoo_writepage" {
			t.Errorf("finding outside the patched function: %+v", f)
		}
	}

	// A tree the patch does not apply to: the hunks, and a note.
	other := fstest.MapFS{"fs/xfoo/aops.c": {Data: []byte("int nothing_like_it;\n")}}
	fs := CheckDiff(treePatch, Options{Tree: other})
	if !hasRule(fs, TreeNoteID) {
		t.Errorf("no %s note when the patch does not apply: %v", TreeNoteID, fs)
	}
	missing := CheckDiff(treePatch, Options{Tree: fstest.MapFS{}})
	if !hasRule(missing, TreeNoteID) {
		t.Errorf("no %s note when the file is not in the tree: %v", TreeNoteID, missing)
	}
}

// TestTreeFuzz: a hunk that moved in the tree still applies.
func TestTreeFuzz(t *testing.T) {
	moved := "int a;\nint b;\nint c;\n" + treeFile
	fs := CheckDiff(treePatch, Options{Tree: fstest.MapFS{"fs/xfoo/aops.c": {Data: []byte(moved)}}})
	if hasRule(fs, TreeNoteID) || !hasRule(fs, "writepage-unlock-all-paths") {
		t.Errorf("a hunk 3 lines off did not apply: %v", fs)
	}
}

// With --tree, findings keep the patch's own line numbers even when the
// tree's file has moved the hunk (three lines added above it).
func TestTreeKeepsPatchLineNumbers(t *testing.T) {
	moved := "/* one */\n/* two */\n/* three */\n" + treeFile
	tree := fstest.MapFS{"fs/xfoo/aops.c": {Data: []byte(moved)}}
	var hit *Finding
	for _, f := range CheckDiff(treePatch, Options{Tree: tree}) {
		if f.Rule == "writepage-unlock-all-paths" {
			f := f
			hit = &f
		}
	}
	if hit == nil || hit.Line != 35 || !strings.Contains(hit.Code, "return -EBUSY") {
		t.Fatalf("in a tree where the hunk moved by 3 lines, want the early return at the patch's line 35: %+v", hit)
	}
}
