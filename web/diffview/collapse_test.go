package diffview

import (
	"fmt"
	"strings"
	"testing"

	"patchreview/review"
)

// bigFile is a new file of n added lines.
func bigFile(name string, n int) *review.File {
	h := &review.Hunk{OldStart: 0, NewStart: 1, NewLines: n}
	for i := 1; i <= n; i++ {
		h.Lines = append(h.Lines, review.Line{Kind: review.LineAdd, New: i, Text: fmt.Sprintf("int line%d;", i)})
	}
	return &review.File{NewName: name, IsNew: true, Hunks: []*review.Hunk{h}}
}

// A file diff longer than the limit is collapsed: no rows, its findings
// and comments under its header and in the summary, each a link to the
// page that shows the file whole; that page (Options.File) shows it.
func TestLongFileCollapsed(t *testing.T) {
	small := bigFile("fs/small.c", 10)
	big := bigFile("fs/big.c", 5000)
	findings := []review.Finding{
		{Rule: "writepage-unlock-all-paths", Severity: "error", Path: "fs/big.c", Line: 4000, Message: "left locked"},
		{Rule: "writepage-unlock-all-paths", Severity: "error", Path: "fs/small.c", Line: 3, Message: "left locked"},
	}
	comments := []review.Comment{{Path: "fs/big.c", Line: 17, Body: "why?", Source: "web"}}
	opts := Options{PageURL: "/patches/7", Rules: ruleLookup}
	v := Build([]*review.File{small, big}, findings, comments, opts)
	fv := v.Files[1]
	if !fv.Collapsed || len(fv.Rows) != 0 || fv.Lines != 5000 || fv.Adds != "+5000" {
		t.Fatalf("big file: collapsed %v, %d rows, %d lines, %s", fv.Collapsed, len(fv.Rows), fv.Lines, fv.Adds)
	}
	if v.Files[0].Collapsed {
		t.Error("the small file is collapsed")
	}
	if len(fv.Notes) != 2 || fv.NoteCount != "1 finding, 1 comment" {
		t.Fatalf("notes of the collapsed file: %d, %q", len(fv.Notes), fv.NoteCount)
	}
	if len(v.Findings) != 2 || v.Findings[1].Target != "/patches/7?view=unified&file=f2&part=2#f2-n4000" || v.HasUnplaced {
		t.Errorf("summary: %d findings, target %q, unplaced %v", len(v.Findings), v.Findings[len(v.Findings)-1].Target, v.HasUnplaced)
	}
	page := render(t, "diffview", v)
	if strings.Contains(page, "line4000") || !strings.Contains(page, `href="/patches/7?view=unified&amp;file=f2#f2"`) {
		t.Errorf("the collapsed file's lines are on the page, or its link is missing")
	}

	// Asked for, the file is shown in parts of 3,000 lines: part 1 holds
	// the comment on line 17 and links the finding on line 4000 to part 2.
	opts.File = "f2"
	p1 := Build([]*review.File{small, big}, findings, comments, opts)
	f1 := p1.Files[1]
	if f1.Collapsed || f1.Part != 1 || f1.Parts != 2 || f1.PartFrom != 1 || f1.PartTo != 3000 || f1.PrevPart != "" ||
		f1.NextPart != "/patches/7?view=unified&file=f2&part=2#f2" || f1.Adds != "+5000" {
		t.Fatalf("part 1: %+v", f1)
	}
	if lines := len(f1.Rows) - 1; lines != 3000 || p1.Findings[1].Target != "/patches/7?view=unified&file=f2&part=2#f2-n4000" || len(f1.Notes) != 1 {
		t.Errorf("part 1: %d lines, finding target %q, %d notes elsewhere", lines, p1.Findings[1].Target, len(f1.Notes))
	}
	if !strings.Contains(p1.SplitURL, "file=f2") {
		t.Errorf("the view switch loses the file: %s", p1.SplitURL)
	}
	opts.Part = 2
	p2 := Build([]*review.File{small, big}, findings, comments, opts)
	f2 := p2.Files[1]
	if f2.Part != 2 || f2.PartFrom != 3001 || f2.PartTo != 5000 || f2.NextPart != "" || len(f2.Rows)-1 != 2000 ||
		f2.Rows[1].NewNum != "3001" || p2.Findings[1].Target != "#f2-n4000" {
		t.Errorf("part 2: %d-%d, %d rows, first %q, finding target %q", f2.PartFrom, f2.PartTo, len(f2.Rows), f2.Rows[1].NewNum, p2.Findings[1].Target)
	}
	if len(f2.Notes) != 1 || f2.Notes[0].Target != "/patches/7?view=unified&file=f2#f2-n17" {
		t.Errorf("part 2 does not link the comment on part 1: %d notes", len(f2.Notes))
	}
	page = render(t, "diffview", p2)
	if !strings.Contains(page, "lines 3001–5000 of 5000") || !strings.Contains(page, "line4000") || strings.Contains(page, "line2999;") {
		t.Errorf("part 2 does not render its own lines only")
	}
	if never := Build([]*review.File{big}, nil, nil, Options{MaxFileLines: -1}); never.Files[0].Collapsed {
		t.Error("MaxFileLines < 0 collapsed a file")
	}
}
