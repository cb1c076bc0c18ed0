package diffview

import (
	"strings"
	"testing"

	"patchreview/review"
)

// TestInterdiffRenders: the series page shows review.Interdiff's files
// with the same partials; old numbers are v1's post-image lines.
func TestInterdiffRenders(t *testing.T) {
	v1 := loadPatch(t)
	v2 := loadPatch(t)
	// v2 drops SetPageUptodate and changes the goto differently.
	h := v2[0].Hunks[1]
	var lines []review.Line
	shift := 0
	for _, l := range h.Lines {
		if l.New > 0 {
			l.New -= shift
		}
		switch l.Text {
		case "\tSetPageUptodate(page);":
			shift = 1
			continue
		case "\t\treturn err;":
			if l.Kind == review.LineAdd {
				l.Text = "\t\tgoto out_unlock;"
			}
		}
		lines = append(lines, l)
	}
	h.Lines, h.NewLines = lines, h.NewLines-1
	res, err := review.Interdiff(v1, v2)
	if err != nil || len(res.Files) != 1 {
		t.Fatalf("interdiff: %v, %+v", err, res)
	}
	out := render(t, "diffview-unified", Build(res.Files, nil, nil, Options{}))
	for _, want := range []string{`id="f1-o58"`, `id="f1-n58"`, `out_unlock;`, `SetPageUptodate`} {
		if !strings.Contains(out, want) {
			t.Errorf("interdiff page lacks %s", want)
		}
	}
	if n := strings.Count(out, `<tr class="dv-del"`); n != 2 {
		t.Errorf("%d deleted rows, want 2 (v1's return and SetPageUptodate)", n)
	}
}

// TestInterdiffGapWording: between the hunks of an interdiff the lines
// are the same in both versions, and the gap row says so; on a patch they
// are lines the patch does not carry (regression: the interdiff said "not
// in the patch" too).
func TestInterdiffGapWording(t *testing.T) {
	files, err := review.ParseDiff("--- a/f.c\n+++ b/f.c\n@@ -1,1 +1,1 @@\n-a\n+b\n@@ -50,1 +50,1 @@\n-c\n+d\n")
	if err != nil {
		t.Fatal(err)
	}
	patch := render(t, "diffview-unified", Build(files, nil, nil, Options{}))
	if !strings.Contains(patch, "48 lines not in the patch") {
		t.Errorf("patch gap row: %s", patch)
	}
	inter := render(t, "diffview-unified", Build(files, nil, nil, Options{Interdiff: true}))
	if !strings.Contains(inter, "48 lines unchanged between the two versions") || strings.Contains(inter, "not in the patch") {
		t.Errorf("interdiff gap row: %s", inter)
	}
}
